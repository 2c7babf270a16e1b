//! The one error type of the crate.
//!
//! Every fallible function returns [`Result`]. Each variant names the offending value (and its position
//! in the input when there is one) and its message says how to fix the problem. With the `python`
//! feature each variant maps to its own Python exception class, all subclasses of `cxmetrics.CxError`
//! (itself a `ValueError`).

use std::fmt;

/// Shorthand for `std::result::Result<T, cxmetrics::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong. The message of each variant says what was wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A score lies outside the response scale.
    ///
    /// Fix: check the scale (NPS is 0-10, CSAT 1-5, CES 1-7) or clean the data; recode "don't know"
    /// codes such as 99 to missing.
    #[error(
        "score {} at position {position} is outside the scale {min}-{max}; \
         check the scale or recode the value as missing",
        exact.map_or_else(|| Shortest(*value).to_string(), |x| x.to_string())
    )]
    ScoreOutOfRange {
        /// The offending score.
        value: f64,
        /// The score exactly, when it is an integer (of an integer input) that `value` cannot hold
        /// exactly (beyond 2^53, such as 2^63 - 1); the message prints this one.
        exact: Option<i128>,
        /// Its zero-based position in the input.
        position: usize,
        /// The lowest score of the scale.
        min: i64,
        /// The highest score of the scale.
        max: i64,
    },

    /// A score is not a whole number (e.g. 7.5 on a 0-10 scale).
    ///
    /// Fix: scores are scale points; round or recode them before computing indicators.
    #[error(
        "score {} at position {position} is not a whole number; scores must be scale points",
        Shortest(*value)
    )]
    NonIntegerScore {
        /// The offending score.
        value: f64,
        /// Its zero-based position in the input.
        position: usize,
    },

    /// A missing score (NaN, None, NA) was found while the policy is to raise.
    ///
    /// Fix: use the `omit` missing-value policy ([`MissingPolicy::Omit`](crate::MissingPolicy)) to
    /// exclude and count missing answers.
    #[error(
        "missing score at position {position}; use the omit missing-value policy to exclude and count missing answers"
    )]
    MissingValue {
        /// Zero-based position of the first missing score.
        position: usize,
    },

    /// No usable responses: the input is empty or every answer is missing.
    ///
    /// Fix: pass at least one non-missing response.
    #[error("no usable responses: {n_missing} missing of {n_total}; an estimate needs at least one answer")]
    EmptyData {
        /// How many responses were missing.
        n_missing: u64,
        /// How many responses were given in all.
        n_total: u64,
    },

    /// Too few responses for the requested statistic (e.g. a standard deviation from one response).
    #[error("{statistic} needs at least {needed} responses, got {got}")]
    InsufficientData {
        /// What was being computed.
        statistic: &'static str,
        /// The minimum number of responses.
        needed: u64,
        /// The number available.
        got: u64,
    },

    /// A weight is negative, NaN or infinite.
    ///
    /// Fix: weights must be finite and >= 0; drop or repair the row.
    #[error(
        "weight {} at position {position} is invalid; weights must be finite and >= 0",
        Shortest(*value)
    )]
    InvalidWeight {
        /// The offending weight.
        value: f64,
        /// Its zero-based position.
        position: usize,
    },

    /// Every usable response has weight zero.
    #[error(
        "the weights of all {n} usable responses sum to zero; at least one weight must be positive"
    )]
    ZeroTotalWeight {
        /// How many usable responses there were.
        n: u64,
    },

    /// The weights cannot be used in floating point: their sum or the sum of their squares overflows,
    /// or the squares underflow to zero.
    ///
    /// Fix: weights are scale-free; divide them by their mean.
    #[error("the weights cannot be used: {reason}; weights are scale-free, so divide them by their mean")]
    UnusableWeights {
        /// What overflowed or underflowed.
        reason: &'static str,
    },

    /// A group code is not below the number of groups.
    #[error("group code {code} at position {position} is invalid; codes must be below the number of groups ({n_groups})")]
    InvalidGroupCode {
        /// The offending code.
        code: u64,
        /// Its zero-based position.
        position: usize,
        /// The number of groups.
        n_groups: usize,
    },

    /// Two inputs that must be aligned (scores and weights) have different lengths.
    #[error("length mismatch: {left_name} has {left} values but {right_name} has {right}")]
    LengthMismatch {
        /// Name of the first input.
        left_name: &'static str,
        /// Its length.
        left: usize,
        /// Name of the second input.
        right_name: &'static str,
        /// Its length.
        right: usize,
    },

    /// The confidence level is not strictly between 0 and 1.
    #[error(
        "confidence {} is invalid; it must be strictly between 0 and 1, e.g. 0.95",
        Shortest(*value)
    )]
    InvalidConfidence {
        /// The offending level.
        value: f64,
    },

    /// An interval method name is not known for this indicator.
    #[error(
        "unknown method {name:?} for {indicator}; valid methods are: {}",
        quoted(valid)
    )]
    UnknownMethod {
        /// The name that was given.
        name: String,
        /// The indicator family (e.g. "nps").
        indicator: &'static str,
        /// The valid names.
        valid: &'static [&'static str],
    },

    /// The method has no weighted form.
    #[error(
        "method {method:?} has no weighted form for {indicator}; with weights use one of: {}",
        quoted(weighted)
    )]
    MethodNotWeighted {
        /// The method that was asked for.
        method: &'static str,
        /// The indicator family.
        indicator: &'static str,
        /// The methods that accept weights.
        weighted: &'static [&'static str],
    },

    /// An option (such as the missing-value policy) has an unknown value.
    #[error("unknown {option} {name:?}; valid values are: {}", quoted(valid))]
    UnknownOption {
        /// The option.
        option: &'static str,
        /// The value that was given.
        name: String,
        /// The valid values.
        valid: &'static [&'static str],
    },

    /// A share function was asked to label its result with an indicator that is not a share.
    #[error("{indicator} is not a top-box share; use Csat, Ces, Repurchase or TopBox")]
    NotAShare {
        /// The indicator given.
        indicator: &'static str,
    },

    /// Two estimates cannot be compared (different indicators, scales or confidence levels), or a
    /// target is outside the indicator's range.
    #[error("cannot compare: {reason}")]
    NotComparable {
        /// Why.
        reason: String,
    },

    /// A p-value is NaN or outside `[0, 1]`.
    #[error(
        "p-value {} at position {position} is invalid; p-values must lie in [0, 1]",
        Shortest(*value)
    )]
    InvalidPValue {
        /// The offending p-value.
        value: f64,
        /// Its zero-based position.
        position: usize,
    },

    /// Sample-size planning inputs are invalid.
    #[error("invalid planning input: {reason}")]
    InvalidPlanning {
        /// What is wrong.
        reason: String,
    },

    /// A response scale is not valid (min >= max, too many points, bounds beyond 2^53).
    #[error("invalid scale {min}-{max}: {reason}")]
    InvalidScale {
        /// The lowest score.
        min: i64,
        /// The highest score.
        max: i64,
        /// Why it is invalid.
        reason: &'static str,
    },

    /// The indicator requires a particular scale (NPS needs 0-10).
    #[error("{indicator} needs the {expected} scale, got {min}-{max}")]
    WrongScale {
        /// The indicator.
        indicator: &'static str,
        /// The scale it needs.
        expected: &'static str,
        /// The lowest score of the scale given.
        min: i64,
        /// The highest score of the scale given.
        max: i64,
    },

    /// The number of top scale points is 0 or not smaller than the scale.
    #[error("top={top} is invalid for the scale {min}-{max}: it must be between 1 and {}", max - min)]
    InvalidTopBox {
        /// The number of top points asked for.
        top: i64,
        /// The lowest score of the scale.
        min: i64,
        /// The highest score of the scale.
        max: i64,
    },

    /// Counts given directly are inconsistent (e.g. more successes than responses).
    #[error("invalid counts: {reason}")]
    InvalidCounts {
        /// What is inconsistent.
        reason: String,
    },

    /// Two accumulators cannot be merged (different scales, or weighted with unweighted).
    #[error("cannot merge: {reason}")]
    Incompatible {
        /// Why they cannot be merged.
        reason: String,
    },

    /// A real value (an outcome such as revenue) is infinite.
    ///
    /// Fix: clean the value, or mark it missing (NaN).
    #[error(
        "value {} at position {position} is not finite; use NaN for a missing value",
        Shortest(*value)
    )]
    NonFiniteValue {
        /// The offending value.
        value: f64,
        /// Its zero-based position in the input.
        position: usize,
    },

    /// A driver (or the outcome) has no variance among the complete rows: it explains nothing.
    ///
    /// Fix: drop it from the analysis.
    #[error("{name:?} is constant among the complete rows; drop it from the drivers")]
    ConstantDriver {
        /// The driver or outcome.
        name: String,
    },

    /// Some drivers are perfectly collinear: one is a linear combination of the others, so their
    /// shares of R^2 are not defined.
    ///
    /// Fix: drop one of them (or combine them into one driver).
    #[error("the drivers {names:?} are perfectly collinear ({last:?} is a linear combination of the others); drop one of them")]
    CollinearDrivers {
        /// The drivers involved.
        names: Vec<String>,
        /// The one that is a combination of the others.
        last: String,
    },

    /// An error in one of several input columns, named.
    #[error("column {column:?}: {error}")]
    InColumn {
        /// The column (or item) name.
        column: String,
        /// What is wrong in it.
        error: Box<Error>,
    },

    /// A field of a response (or of a touchpoint) is invalid: an empty identifier, a timestamp
    /// that is not RFC 3339, an answer outside its scale, a negative weight...
    ///
    /// Fix: correct the value in the data, or declare the item's scale in the [`crate::Schema`].
    #[error("{field} = {value:?} is invalid: {reason}")]
    InvalidField {
        /// The field (column) name.
        field: String,
        /// The value as written.
        value: String,
        /// Why it is invalid.
        reason: String,
    },

    /// A record of a file cannot be read (strict mode stops at the first one; otherwise every
    /// rejected record is returned with the same information).
    ///
    /// Fix: correct that line of the file, or read it without strict mode and inspect the rejects.
    #[error("line {line}: {field} = {value:?} is invalid: {reason}")]
    InvalidRecord {
        /// The line where the record starts (the header is line 1).
        line: u64,
        /// The field (column) name, empty when the problem concerns the whole record.
        field: String,
        /// The value as written.
        value: String,
        /// Why it is invalid.
        reason: String,
    },

    /// An argument of a call is invalid: a count of resamples that is not positive or is too large to
    /// hold in memory, a prior that is not finite, a window longer than the data, a driver name that
    /// is not a column... (A bad *record* of a file is [`Error::InvalidRecord`]; a bad field of a
    /// response is [`Error::InvalidField`].)
    ///
    /// Fix: pass a value within the range the message gives.
    #[error("{parameter} = {value} is invalid: {reason}")]
    InvalidParameter {
        /// The parameter's name, as the caller spells it (`n_resamples`, `prior`, `window`...).
        parameter: String,
        /// The value given, formatted exactly (integers as integers, floats in shortest form).
        value: String,
        /// Why it is invalid, and what is accepted.
        reason: String,
    },

    /// The input changed while it was being read: a first pass found an invalid value that a
    /// second pass, run to name it, no longer finds. This happens when another thread writes to a
    /// buffer the call borrowed (in Python, a NumPy array changed by another thread while the call
    /// runs without the GIL). Nothing was computed from the inconsistent data.
    ///
    /// Fix: do not write to the data while a call reads it (pass a copy, or synchronise the writers).
    #[error(
        "the {what} changed while they were being read (another thread wrote to them during the call); \
         pass a copy or do not modify the data while it is being read"
    )]
    InputChanged {
        /// What changed (`"scores"`, `"weights"`, `"group codes"`).
        what: &'static str,
    },

    /// A long computation was stopped by the caller's interrupt check (for example Ctrl-C in
    /// Python) between two blocks of work; nothing was returned.
    #[error("interrupted")]
    Interrupted,

    /// A file cannot be read at all: it does not exist, it lacks a required column, its header
    /// repeats a column...
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// What the operating system reported, or what is wrong with the header.
        reason: String,
        /// The I/O error kind, when the operating system reported the problem.
        kind: Option<std::io::ErrorKind>,
        /// The operating system's error itself ([`std::error::Error::source`]).
        #[source]
        source: Option<IoSource>,
    },
}

/// The `std::io::Error` behind an [`Error::Read`], shared so that [`Error`] stays `Clone` and
/// `PartialEq` (two are equal when their kind and message are).
#[derive(Debug, Clone)]
pub struct IoSource(std::sync::Arc<std::io::Error>);

impl IoSource {
    /// The I/O error.
    pub fn io_error(&self) -> &std::io::Error {
        &self.0
    }
}

impl From<std::io::Error> for IoSource {
    fn from(err: std::io::Error) -> Self {
        IoSource(std::sync::Arc::new(err))
    }
}

impl PartialEq for IoSource {
    fn eq(&self, other: &Self) -> bool {
        self.0.kind() == other.0.kind() && self.0.to_string() == other.0.to_string()
    }
}

impl fmt::Display for IoSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for IoSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// A number as a message shows it: whole numbers below 2^53 as integers (`11`, `-5`), anything
/// else in the shortest form that reads back to the same `f64` (`7.5`, `1e300`, `NaN`), never a
/// 300-digit expansion.
pub struct Shortest(pub f64);

impl fmt::Display for Shortest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if x.is_finite() && x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
            write!(f, "{}", x as i64)
        } else if x.is_finite() {
            write!(f, "{x:?}")
        } else {
            write!(f, "{x}")
        }
    }
}

fn quoted(names: &[&str]) -> String {
    struct Q<'a>(&'a [&'a str]);
    impl fmt::Display for Q<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for (i, n) in self.0.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{n:?}")?;
            }
            Ok(())
        }
    }
    Q(names).to_string()
}

impl Error {
    /// A stable code for the error, the variant's name in snake case (`"score_out_of_range"`,
    /// `"invalid_parameter"`, ...): it never changes between versions, unlike messages, so services
    /// can branch on it and Python exposes it as `err.code`. An error about a named column
    /// ([`Error::InColumn`]) has the code of the error inside it.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::{Confidence, Error};
    /// let err = Confidence::new(1.5).unwrap_err();
    /// assert_eq!(err.code(), "invalid_confidence");
    /// assert!(Error::CODES.contains(&err.code()));
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::InColumn { error, .. } => error.code(),
            Error::ScoreOutOfRange { .. } => "score_out_of_range",
            Error::NonIntegerScore { .. } => "non_integer_score",
            Error::MissingValue { .. } => "missing_value",
            Error::EmptyData { .. } => "empty_data",
            Error::InsufficientData { .. } => "insufficient_data",
            Error::InvalidWeight { .. } => "invalid_weight",
            Error::ZeroTotalWeight { .. } => "zero_total_weight",
            Error::UnusableWeights { .. } => "unusable_weights",
            Error::InvalidGroupCode { .. } => "invalid_group_code",
            Error::LengthMismatch { .. } => "length_mismatch",
            Error::InvalidConfidence { .. } => "invalid_confidence",
            Error::UnknownMethod { .. } => "unknown_method",
            Error::MethodNotWeighted { .. } => "method_not_weighted",
            Error::UnknownOption { .. } => "unknown_option",
            Error::NotAShare { .. } => "not_a_share",
            Error::NotComparable { .. } => "not_comparable",
            Error::InvalidPValue { .. } => "invalid_p_value",
            Error::InvalidPlanning { .. } => "invalid_planning",
            Error::InvalidScale { .. } => "invalid_scale",
            Error::WrongScale { .. } => "wrong_scale",
            Error::InvalidTopBox { .. } => "invalid_top_box",
            Error::InvalidCounts { .. } => "invalid_counts",
            Error::Incompatible { .. } => "incompatible",
            Error::NonFiniteValue { .. } => "non_finite_value",
            Error::ConstantDriver { .. } => "constant_driver",
            Error::CollinearDrivers { .. } => "collinear_drivers",
            Error::InvalidField { .. } => "invalid_field",
            Error::InvalidRecord { .. } => "invalid_record",
            Error::InvalidParameter { .. } => "invalid_parameter",
            Error::InputChanged { .. } => "input_changed",
            Error::Interrupted => "interrupted",
            Error::Read { .. } => "read",
        }
    }

    /// Every code [`Error::code`] can return.
    pub const CODES: &'static [&'static str] = &[
        "score_out_of_range",
        "non_integer_score",
        "missing_value",
        "empty_data",
        "insufficient_data",
        "invalid_weight",
        "zero_total_weight",
        "unusable_weights",
        "invalid_group_code",
        "length_mismatch",
        "invalid_confidence",
        "unknown_method",
        "method_not_weighted",
        "unknown_option",
        "not_a_share",
        "not_comparable",
        "invalid_p_value",
        "invalid_planning",
        "invalid_scale",
        "wrong_scale",
        "invalid_top_box",
        "invalid_counts",
        "incompatible",
        "non_finite_value",
        "constant_driver",
        "collinear_drivers",
        "invalid_field",
        "invalid_record",
        "invalid_parameter",
        "input_changed",
        "interrupted",
        "read",
    ];

    /// An [`Error::Read`] for an I/O error on `path`, keeping the error as its source.
    pub fn io(path: impl Into<String>, err: std::io::Error) -> Error {
        Error::Read {
            path: path.into(),
            reason: err.to_string(),
            kind: Some(err.kind()),
            source: Some(IoSource::from(err)),
        }
    }

    /// An [`Error::Read`] for a file that opens but cannot be read as a table of responses.
    pub fn unreadable(path: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Read {
            path: path.into(),
            reason: reason.into(),
            kind: None,
            source: None,
        }
    }

    /// An [`Error::InvalidParameter`]: `parameter` = `value` (formatted with `Display`, so floats in
    /// shortest round-trip form) is invalid because `reason`.
    ///
    /// # Examples
    /// ```
    /// let e = cxmetrics::Error::invalid_parameter("n_resamples", 0, "must be at least 1");
    /// assert_eq!(e.to_string(), "n_resamples = 0 is invalid: must be at least 1");
    /// ```
    pub fn invalid_parameter(
        parameter: &str,
        value: impl fmt::Display,
        reason: impl Into<String>,
    ) -> Error {
        Error::InvalidParameter {
            parameter: parameter.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// Names the column the error is about: `column "sat": score 7 at position 3 is outside...`.
    pub fn in_column(self, column: &str) -> Error {
        Error::InColumn {
            column: column.to_string(),
            error: Box::new(self),
        }
    }
}

/// `x` with at most `digits` significant digits, trailing zeros removed (for display only: the
/// `Display` of results and the Python reprs).
#[doc(hidden)]
pub fn significant(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (digits - 1 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_value_and_position() {
        let e = Error::ScoreOutOfRange {
            value: 11.0,
            exact: None,
            position: 4,
            min: 0,
            max: 10,
        };
        assert_eq!(
            e.to_string(),
            "score 11 at position 4 is outside the scale 0-10; check the scale or recode the value as missing"
        );
        let e = Error::UnknownMethod {
            name: "foo".into(),
            indicator: "nps",
            valid: &["wald", "score"],
        };
        assert_eq!(
            e.to_string(),
            "unknown method \"foo\" for nps; valid methods are: \"wald\", \"score\""
        );
    }
}
