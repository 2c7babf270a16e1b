//! One-pass counting kernels: scores (any integer or float type) to per-point counts.
//!
//! The loops run over contiguous slices with one predictable branch per element. An invalid score stops
//! the pass and is reported with its position; a missing one (NaN) is counted or, under
//! [`MissingPolicy::Raise`], reported.

use crate::error::{Error, Result};
use crate::scale::Scale;

/// What to do with missing scores (NaN in float input; integer input has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingPolicy {
    /// Exclude missing answers from the denominator and count them (`n_missing`). The default.
    #[default]
    Omit,
    /// Fail with [`Error::MissingValue`] at the first missing answer.
    Raise,
}

impl std::str::FromStr for MissingPolicy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "omit" => Ok(MissingPolicy::Omit),
            "raise" => Ok(MissingPolicy::Raise),
            _ => Err(Error::UnknownMethod {
                name: s.to_owned(),
                indicator: "nan_policy",
                valid: &["omit", "raise"],
            }),
        }
    }
}

/// Where a score falls on a scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The zero-based point of the scale.
    Point(usize),
    /// A missing answer (NaN).
    Missing,
    /// Not a point of the scale (out of range, not a whole number, infinite).
    Invalid,
}

mod sealed {
    pub trait Sealed {}
}

/// A numeric type scores can be given in: `i8`-`i64`, `u8`-`u64`, `f32`, `f64`.
///
/// Floats carry missing answers as NaN; integer types have no missing value.
pub trait ScoreValue: Copy + Send + Sync + sealed::Sealed {
    /// Where this score falls on a scale starting at `min` with `points` points.
    fn slot(self, min: i64, points: u64) -> Slot;
    /// The score as `f64` (for error messages).
    fn to_f64(self) -> f64;
}

macro_rules! signed_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            #[inline(always)]
            fn slot(self, min: i64, points: u64) -> Slot {
                let offset = (self as i64).wrapping_sub(min) as u64;
                if offset < points { Slot::Point(offset as usize) } else { Slot::Invalid }
            }
            fn to_f64(self) -> f64 { self as f64 }
        }
    )*};
}
signed_score!(i8, i16, i32, i64);

macro_rules! unsigned_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            #[inline(always)]
            fn slot(self, min: i64, points: u64) -> Slot {
                // Widen to i128 so that values above i64::MAX can never wrap into the scale.
                let offset = (self as i128) - (min as i128);
                if offset >= 0 && (offset as u128) < points as u128 {
                    Slot::Point(offset as usize)
                } else {
                    Slot::Invalid
                }
            }
            fn to_f64(self) -> f64 { self as f64 }
        }
    )*};
}
unsigned_score!(u8, u16, u32, u64);

macro_rules! float_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            #[inline(always)]
            fn slot(self, min: i64, points: u64) -> Slot {
                let offset = self as f64 - min as f64;
                if offset >= 0.0 && offset < points as f64 && offset == offset.trunc() {
                    Slot::Point(offset as usize)
                } else if self.is_nan() {
                    Slot::Missing
                } else {
                    Slot::Invalid
                }
            }
            fn to_f64(self) -> f64 { self as f64 }
        }
    )*};
}
float_score!(f32, f64);

/// The error for an invalid score: not a whole number, or outside the scale.
pub(crate) fn invalid_score(value: f64, position: usize, scale: Scale) -> Error {
    if value.is_finite() && value.fract() != 0.0 {
        Error::NonIntegerScore { value, position }
    } else {
        Error::ScoreOutOfRange {
            value,
            position,
            min: scale.min(),
            max: scale.max(),
        }
    }
}

/// Adds the scores to `counts` (one slot per scale point); returns the number of missing scores.
pub(crate) fn count_scores<T: ScoreValue>(
    scores: &[T],
    scale: Scale,
    policy: MissingPolicy,
    counts: &mut [u64],
) -> Result<u64> {
    debug_assert_eq!(counts.len(), scale.points());
    let min = scale.min();
    let points = scale.points() as u64;
    let mut missing = 0u64;
    for (position, &score) in scores.iter().enumerate() {
        match score.slot(min, points) {
            Slot::Point(k) => counts[k] += 1,
            Slot::Missing => {
                if policy == MissingPolicy::Raise {
                    return Err(Error::MissingValue { position });
                }
                missing += 1;
            }
            Slot::Invalid => return Err(invalid_score(score.to_f64(), position, scale)),
        }
    }
    Ok(missing)
}

/// Adds weighted scores: counts, sums of weights and of squared weights per point.
/// Every weight must be finite and non-negative, also those of missing scores.
pub(crate) fn count_weighted_scores<T: ScoreValue>(
    scores: &[T],
    weights: &[f64],
    scale: Scale,
    policy: MissingPolicy,
    counts: &mut [u64],
    sum_w: &mut [f64],
    sum_w2: &mut [f64],
) -> Result<u64> {
    if scores.len() != weights.len() {
        return Err(Error::LengthMismatch {
            left_name: "scores",
            left: scores.len(),
            right_name: "weights",
            right: weights.len(),
        });
    }
    let min = scale.min();
    let points = scale.points() as u64;
    let mut missing = 0u64;
    for (position, (&score, &w)) in scores.iter().zip(weights).enumerate() {
        if !(w >= 0.0 && w.is_finite()) {
            return Err(Error::InvalidWeight { value: w, position });
        }
        match score.slot(min, points) {
            Slot::Point(k) => {
                counts[k] += 1;
                sum_w[k] += w;
                sum_w2[k] += w * w;
            }
            Slot::Missing => {
                if policy == MissingPolicy::Raise {
                    return Err(Error::MissingValue { position });
                }
                missing += 1;
            }
            Slot::Invalid => return Err(invalid_score(score.to_f64(), position, scale)),
        }
    }
    Ok(missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_for_every_type() {
        assert_eq!(5u8.slot(0, 11), Slot::Point(5));
        assert_eq!(11u8.slot(0, 11), Slot::Invalid);
        assert_eq!((-1i8).slot(0, 11), Slot::Invalid);
        assert_eq!((-3i32).slot(-5, 11), Slot::Point(2));
        assert_eq!(u64::MAX.slot(-5, 11), Slot::Invalid);
        assert_eq!((u64::MAX - 2).slot(-5, 11), Slot::Invalid);
        assert_eq!(i64::MIN.slot(0, 11), Slot::Invalid);
        assert_eq!(7.0f64.slot(0, 11), Slot::Point(7));
        assert_eq!(7.5f64.slot(0, 11), Slot::Invalid);
        assert_eq!(f64::NAN.slot(0, 11), Slot::Missing);
        assert_eq!(f64::INFINITY.slot(0, 11), Slot::Invalid);
        assert_eq!((-0.0f32).slot(0, 11), Slot::Point(0));
        assert_eq!(1e300f64.slot(0, 11), Slot::Invalid);
    }

    #[test]
    fn invalid_scores_are_named_with_position() {
        let mut c = vec![0; 11];
        let err =
            count_scores(&[1.0, 2.0, 7.5], Scale::NPS, MissingPolicy::Omit, &mut c).unwrap_err();
        assert_eq!(
            err,
            Error::NonIntegerScore {
                value: 7.5,
                position: 2
            }
        );
        let mut c = vec![0; 11];
        let err = count_scores(&[1i64, 99], Scale::NPS, MissingPolicy::Omit, &mut c).unwrap_err();
        assert!(matches!(err, Error::ScoreOutOfRange { position: 1, .. }));
        let mut c = vec![0; 11];
        let err =
            count_scores(&[1.0, f64::NAN], Scale::NPS, MissingPolicy::Raise, &mut c).unwrap_err();
        assert_eq!(err, Error::MissingValue { position: 1 });
    }
}
