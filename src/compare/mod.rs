//! Did it really change? Differences between two estimates ([`compare`]), paired NPS ([`nps_paired`]),
//! an estimate against a target ([`test_against`]), multiple testing ([`adjust_p_values`]) and
//! sample-size planning ([`sample_size`]).
//!
//! Every difference is `a - b` (or `after - before`, or `estimate - target`) and keeps its sign: the R
//! package `NPS` centres its two-sample test on `|a - b|` and loses it.

mod independent;
mod multiplicity;
mod paired;
pub mod sample_size;
mod target;

pub use independent::{compare, CompareOptions, DifferenceMethod};
pub use multiplicity::{adjust_p_values, PAdjust};
pub use paired::nps_paired;
pub use target::test_against;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::estimate::{Indicator, Unit};
use crate::interval::special::normal_upper_quantile;
use crate::interval::Confidence;

crate::names::named_enum! {
    /// The alternative hypothesis of a test (and the side of its interval).
    #[derive(Default)]
    pub enum Alternative {
        /// `a != b`; a two-sided interval. The default.
        #[default]
        TwoSided = "two-sided" | "two_sided",
        /// `a > b`; a one-sided interval `[lower, max]`.
        Greater = "greater",
        /// `a < b`; a one-sided interval `[min, upper]`.
        Less = "less",
    }
    unknown = |name| Error::UnknownOption { option: "alternative", name, valid: Alternative::NAMES };
}

impl Alternative {
    /// The quantile multiplier of the interval: `z(1 - alpha/2)` two-sided, `z(1 - alpha)` one-sided.
    pub(crate) fn z(&self, confidence: Confidence) -> f64 {
        match self {
            Alternative::TwoSided => confidence.z(),
            _ => normal_upper_quantile(confidence.alpha()),
        }
    }

    /// The confidence level whose two-sided limits are this alternative's one-sided limits.
    pub(crate) fn two_sided_equivalent(&self, confidence: Confidence) -> Result<Confidence> {
        match self {
            Alternative::TwoSided => Ok(confidence),
            _ => Confidence::new(1.0 - 2.0 * confidence.alpha()),
        }
    }

    /// Keeps the sides of `[lower, upper]` this alternative bounds, opening the other to the range.
    pub(crate) fn sides(&self, lower: f64, upper: f64, min: f64, max: f64) -> (f64, f64) {
        let (lower, upper) = (lower.clamp(min, max), upper.clamp(min, max));
        match self {
            Alternative::TwoSided => (lower, upper),
            Alternative::Greater => (lower, max),
            Alternative::Less => (min, upper),
        }
    }

    /// The p-value of a statistic whose null distribution has upper tail `sf` (symmetric about 0).
    pub(crate) fn p_value(&self, statistic: f64, sf: impl Fn(f64) -> f64) -> f64 {
        if statistic.is_nan() {
            return f64::NAN;
        }
        match self {
            Alternative::TwoSided => (2.0 * sf(statistic.abs())).min(1.0),
            Alternative::Greater => sf(statistic),
            Alternative::Less => sf(-statistic),
        }
    }
}

pub(crate) use crate::interval::special::{normal_sf, student_t_sf};

/// The result of a comparison or test: the difference with its interval and the test of "no difference"
/// (or "equal to the target").
///
/// `difference` is always the plain difference of the two plain estimates, in the indicator's unit
/// (NPS points, percentage points, scale units); an interval method may centre elsewhere (adjusted
/// Wald). Intervals are clipped to the range a difference can take; one-sided alternatives give
/// one-sided intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub(crate) indicator: Indicator,
    pub(crate) unit: Unit,
    pub(crate) kind: ComparisonKind,
    #[serde(with = "crate::serde_float")]
    pub(crate) estimate_a: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) estimate_b: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) difference: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) lower: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) upper: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) confidence: f64,
    pub(crate) method: &'static str,
    #[serde(with = "crate::serde_float")]
    pub(crate) std_error: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) statistic: f64,
    #[serde(with = "crate::serde_float::option")]
    pub(crate) df: Option<f64>,
    #[serde(with = "crate::serde_float")]
    pub(crate) p_value: f64,
    pub(crate) alternative: Alternative,
    pub(crate) n_a: u64,
    pub(crate) n_b: u64,
    pub(crate) n_missing: u64,
}

/// Every method name a [`Comparison`] can carry (the difference methods, `"z"` for a test against
/// a target, `"paired_z"` for paired NPS).
const COMPARISON_METHODS: [&str; 8] = [
    "wald",
    "adjusted_wald",
    "newcombe",
    "agresti_caffo",
    "score",
    "welch",
    "z",
    "paired_z",
];

/// The fields of a [`Comparison`] as they are serialised, before its checks.
#[derive(Deserialize)]
struct ComparisonData {
    indicator: Indicator,
    unit: Unit,
    kind: ComparisonKind,
    #[serde(with = "crate::serde_float")]
    estimate_a: f64,
    #[serde(with = "crate::serde_float")]
    estimate_b: f64,
    #[serde(with = "crate::serde_float")]
    difference: f64,
    #[serde(with = "crate::serde_float")]
    lower: f64,
    #[serde(with = "crate::serde_float")]
    upper: f64,
    #[serde(with = "crate::serde_float")]
    confidence: f64,
    method: String,
    #[serde(with = "crate::serde_float")]
    std_error: f64,
    #[serde(with = "crate::serde_float")]
    statistic: f64,
    #[serde(with = "crate::serde_float::option")]
    df: Option<f64>,
    #[serde(with = "crate::serde_float")]
    p_value: f64,
    alternative: Alternative,
    n_a: u64,
    n_b: u64,
    n_missing: u64,
}

/// Deserialised through `ComparisonData` and its checks (so a `Comparison` is
/// `DeserializeOwned`, its method name mapped back to the crate's own name).
impl<'de> Deserialize<'de> for Comparison {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        ComparisonData::deserialize(deserializer)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

impl TryFrom<ComparisonData> for Comparison {
    type Error = String;

    /// The checks of a deserialised comparison: a known method, a confidence level in (0, 1), a
    /// p-value in [0, 1] (or NaN), `lower <= upper`, a standard error `>= 0` (or NaN).
    fn try_from(d: ComparisonData) -> std::result::Result<Self, String> {
        let method = COMPARISON_METHODS
            .iter()
            .copied()
            .find(|m| *m == d.method)
            .ok_or_else(|| {
                format!(
                    "unknown comparison method {:?}; known: {}",
                    d.method,
                    COMPARISON_METHODS.join(", ")
                )
            })?;
        if !(d.confidence > 0.0 && d.confidence < 1.0) {
            return Err(format!("confidence {} is not in (0, 1)", d.confidence));
        }
        if d.p_value < 0.0 || d.p_value > 1.0 {
            return Err(format!("p_value {} is not in [0, 1]", d.p_value));
        }
        if d.lower > d.upper {
            return Err(format!("lower {} is above upper {}", d.lower, d.upper));
        }
        // `difference` is always the plain difference of the two estimates.
        let plain = d.estimate_a - d.estimate_b;
        if (d.difference - plain).abs() > 1e-9 * plain.abs().max(1.0) {
            return Err(format!(
                "difference {} is not estimate_a - estimate_b ({plain})",
                d.difference
            ));
        }
        if d.std_error < 0.0 {
            return Err(format!("std_error {} is negative", d.std_error));
        }
        Ok(Comparison {
            indicator: d.indicator,
            unit: d.unit,
            kind: d.kind,
            estimate_a: d.estimate_a,
            estimate_b: d.estimate_b,
            difference: d.difference,
            lower: d.lower,
            upper: d.upper,
            confidence: d.confidence,
            method,
            std_error: d.std_error,
            statistic: d.statistic,
            df: d.df,
            p_value: d.p_value,
            alternative: d.alternative,
            n_a: d.n_a,
            n_b: d.n_b,
            n_missing: d.n_missing,
        })
    }
}

crate::names::named_enum! {
    /// What was compared.
    pub enum ComparisonKind {
        /// Two independent estimates: `a - b`.
        Independent = "independent",
        /// The same respondents twice: `after - before`.
        Paired = "paired",
        /// An estimate against a fixed target: `estimate - target`.
        Target = "target",
    }
    unknown = |name| Error::UnknownOption { option: "comparison kind", name, valid: ComparisonKind::NAMES };
}

/// The comparison's verdict in one line ([`Comparison::verdict`]).
impl std::fmt::Display for Comparison {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.verdict())
    }
}

impl Comparison {
    /// The indicator compared.
    pub fn indicator(&self) -> Indicator {
        self.indicator
    }
    /// The unit of the difference and its interval.
    pub fn unit(&self) -> Unit {
        self.unit
    }
    /// Independent, paired or against a target.
    pub fn kind(&self) -> ComparisonKind {
        self.kind
    }
    /// The first estimate (`a`, `after`, or the estimate tested against a target).
    pub fn estimate_a(&self) -> f64 {
        self.estimate_a
    }
    /// The second estimate (`b`, `before`, or the target).
    pub fn estimate_b(&self) -> f64 {
        self.estimate_b
    }
    /// `estimate_a - estimate_b`.
    pub fn difference(&self) -> f64 {
        self.difference
    }
    /// The lower confidence limit of the difference.
    pub fn lower(&self) -> f64 {
        self.lower
    }
    /// The upper confidence limit of the difference.
    pub fn upper(&self) -> f64 {
        self.upper
    }
    /// The confidence level.
    pub fn confidence(&self) -> f64 {
        self.confidence
    }
    /// The method's name (`"adjusted_wald"`, `"newcombe"`, `"welch"`, `"paired_z"`, `"z"`, ...).
    pub fn method(&self) -> &'static str {
        self.method
    }
    /// The standard error of the difference used by the test.
    pub fn std_error(&self) -> f64 {
        self.std_error
    }
    /// The test statistic (z, or t for Welch).
    pub fn statistic(&self) -> f64 {
        self.statistic
    }
    /// The degrees of freedom of a t statistic (Welch), `None` for z statistics.
    pub fn df(&self) -> Option<f64> {
        self.df
    }
    /// The p-value of the test of no difference under [`Comparison::alternative`].
    pub fn p_value(&self) -> f64 {
        self.p_value
    }
    /// The alternative hypothesis.
    pub fn alternative(&self) -> Alternative {
        self.alternative
    }
    /// Sample size behind `estimate_a` (pairs for a paired comparison).
    pub fn n_a(&self) -> u64 {
        self.n_a
    }
    /// Sample size behind `estimate_b` (pairs for a paired comparison, 0 for a target).
    pub fn n_b(&self) -> u64 {
        self.n_b
    }
    /// Paired comparisons: pairs dropped because a side was missing.
    pub fn n_missing(&self) -> u64 {
        self.n_missing
    }
    /// Whether the p-value is below `1 - confidence`.
    pub fn is_significant(&self) -> bool {
        self.p_value < 1.0 - self.confidence
    }

    /// A plain-language verdict, e.g. "NPS is 20.0 points higher (95% CI -2.3 to 42.3), not
    /// significant, p = 0.079".
    pub fn verdict(&self) -> String {
        let unit = match self.unit {
            Unit::Points => " points",
            Unit::Percent => " percentage points",
            Unit::Index => " index points",
            _ => "",
        };
        let decimals = if self.unit == Unit::Score { 2 } else { 1 };
        let (direction, size) = if self.difference > 0.0 {
            ("higher", self.difference)
        } else if self.difference < 0.0 {
            ("lower", -self.difference)
        } else {
            ("unchanged", 0.0)
        };
        let than = match self.kind {
            ComparisonKind::Target => " than the target",
            ComparisonKind::Paired => " after than before",
            ComparisonKind::Independent => "",
        };
        let head = if direction == "unchanged" {
            format!("{} is the same{than}", self.indicator.label())
        } else {
            format!(
                "{} is {size:.decimals$}{unit} {direction}{than}",
                self.indicator.label()
            )
        };
        let side = match self.alternative {
            Alternative::TwoSided => String::new(),
            a => format!(", one-sided ({})", a.as_str()),
        };
        let p = format_p(self.p_value);
        let p = if p.starts_with('<') {
            format!("p {p}")
        } else {
            format!("p = {p}")
        };
        format!(
            "{head} ({}% CI {:.decimals$} to {:.decimals$}{side}), {}, {p}",
            trim(100.0 * self.confidence),
            self.lower,
            self.upper,
            if self.is_significant() {
                "significant"
            } else {
                "not significant"
            },
        )
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A p-value for display: 3 significant digits, "< 0.0001" below that.
#[doc(hidden)]
pub fn format_p(p: f64) -> String {
    if p.is_nan() {
        "nan".into()
    } else if p < 1e-4 {
        "< 0.0001".into()
    } else {
        let decimals = (3 - 1 - p.log10().floor() as i32).clamp(3, 6) as usize;
        format!("{p:.decimals$}")
    }
}

/// The statistic `difference / std_error`, with the limits 0 and ±inf when the standard error is 0.
pub(crate) fn z_statistic(difference: f64, std_error: f64) -> f64 {
    if std_error > 0.0 {
        difference / std_error
    } else if difference == 0.0 {
        0.0
    } else {
        difference.signum() * f64::INFINITY
    }
}
