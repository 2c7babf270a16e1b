//! Response scales: the validated integer range a question is answered on.
//!
//! NPS questions use 0-10 ("how likely are you to recommend…"), CSAT 1-5, CES 1-7; any integer range
//! with at most [`Scale::MAX_POINTS`] points is allowed.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod nps_category;
pub use nps_category::{NpsCategory, DETRACTOR_MAX, PROMOTER_MIN};

/// An integer response scale `min..=max` (for example 0-10 for NPS, 1-5 for CSAT).
///
/// # Examples
///
/// ```
/// use cxmetrics::Scale;
///
/// let likert = Scale::new(1, 5)?;
/// assert_eq!(likert.points(), 5);
/// assert_eq!(Scale::NPS.max(), 10);
/// assert!(Scale::new(5, 1).is_err());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ScaleBounds", into = "ScaleBounds")]
pub struct Scale {
    min: i64,
    max: i64,
}

/// The serialised form of a [`Scale`], validated on deserialisation.
#[derive(Serialize, Deserialize)]
struct ScaleBounds {
    min: i64,
    max: i64,
}

impl TryFrom<ScaleBounds> for Scale {
    type Error = Error;
    fn try_from(b: ScaleBounds) -> Result<Self> {
        Scale::new(b.min, b.max)
    }
}

impl From<Scale> for ScaleBounds {
    fn from(s: Scale) -> Self {
        ScaleBounds {
            min: s.min,
            max: s.max,
        }
    }
}

impl Scale {
    /// The largest number of points a scale may have (bounds the memory of the per-point counts).
    pub const MAX_POINTS: u64 = 100_000;
    /// The largest absolute value of a scale bound: scores beyond 2^53 are not exact in `f64`.
    pub const MAX_ABS_BOUND: i64 = 1 << 53;
    /// The 0-10 likelihood-to-recommend scale of the Net Promoter Score.
    pub const NPS: Scale = Scale { min: 0, max: 10 };
    /// The 1-5 Likert scale (CSAT, repurchase intention).
    pub const LIKERT_5: Scale = Scale { min: 1, max: 5 };
    /// The 1-7 Likert scale (CES: 7 = very easy).
    pub const LIKERT_7: Scale = Scale { min: 1, max: 7 };

    /// A scale from `min` to `max`, both included.
    ///
    /// # Errors
    /// [`Error::InvalidScale`] when `min >= max`, the scale has more than [`Scale::MAX_POINTS`] points,
    /// or a bound is beyond ±[`Scale::MAX_ABS_BOUND`].
    pub fn new(min: i64, max: i64) -> Result<Self> {
        if min.unsigned_abs() > Self::MAX_ABS_BOUND as u64
            || max.unsigned_abs() > Self::MAX_ABS_BOUND as u64
        {
            return Err(Error::InvalidScale {
                min,
                max,
                reason: "the bounds must lie within -2^53..2^53, where scores are exact in floating point",
            });
        }
        if min >= max {
            return Err(Error::InvalidScale {
                min,
                max,
                reason: "the lowest score must be smaller than the highest",
            });
        }
        if (max as i128 - min as i128 + 1) > Self::MAX_POINTS as i128 {
            return Err(Error::InvalidScale {
                min,
                max,
                reason: "a scale may have at most 100000 points",
            });
        }
        Ok(Scale { min, max })
    }

    /// The lowest score.
    pub fn min(&self) -> i64 {
        self.min
    }

    /// The highest score.
    pub fn max(&self) -> i64 {
        self.max
    }

    /// The number of points on the scale (`max - min + 1`).
    pub fn points(&self) -> usize {
        (self.max - self.min + 1) as usize
    }

    /// The score at zero-based point `index` (`min + index`).
    pub fn score_at(&self, index: usize) -> i64 {
        self.min + index as i64
    }

    /// Iterates over the scores of the scale, lowest first.
    pub fn scores(&self) -> impl Iterator<Item = i64> {
        self.min..=self.max
    }

    /// Whether `score` is a point of this scale.
    pub fn contains(&self, score: i64) -> bool {
        (self.min..=self.max).contains(&score)
    }
}

impl std::fmt::Display for Scale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.min < 0 {
            write!(f, "{} to {}", self.min, self.max)
        } else {
            write!(f, "{}-{}", self.min, self.max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_huge_scales() {
        assert!(matches!(Scale::new(3, 3), Err(Error::InvalidScale { .. })));
        assert!(matches!(
            Scale::new(i64::MIN, i64::MAX),
            Err(Error::InvalidScale { .. })
        ));
        assert_eq!(Scale::new(-5, 5).unwrap().points(), 11);
    }

    #[test]
    fn deserialisation_validates() {
        let s: Scale = serde_json::from_str(r#"{"min":0,"max":10}"#).unwrap();
        assert_eq!(s, Scale::NPS);
        assert!(serde_json::from_str::<Scale>(r#"{"min":4,"max":1}"#).is_err());
    }
}
