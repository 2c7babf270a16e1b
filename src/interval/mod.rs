//! Interval methods: confidence levels, quantiles, and the interval formulas for proportions
//! ([`proportion`]), the Net Promoter Score ([`nps`]) and means ([`mean`]).
//!
//! The functions here work on the natural ranges (`[0, 1]` for proportions, `[-1, 1]` for NPS); the
//! indicator functions rescale to points and percent.

pub mod mean;
pub mod nps;
pub mod proportion;
pub mod resampling;
pub(crate) mod special;
pub use special::quantile_sorted;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A confidence level strictly between 0 and 1 (0.95 by default).
///
/// # Examples
///
/// ```
/// use cxmetrics::Confidence;
///
/// let c = Confidence::new(0.90)?;
/// assert!((c.z() - 1.6448536269514722).abs() < 1e-12);
/// assert_eq!(Confidence::default().level(), 0.95);
/// assert!(Confidence::new(1.0).is_err());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Confidence(f64);

impl Confidence {
    /// A confidence level.
    ///
    /// # Errors
    /// [`Error::InvalidConfidence`] unless `0 < level < 1`.
    pub fn new(level: f64) -> Result<Self> {
        if level > 0.0 && level < 1.0 {
            Ok(Confidence(level))
        } else {
            Err(Error::InvalidConfidence { value: level })
        }
    }

    /// The level, e.g. 0.95.
    pub fn level(&self) -> f64 {
        self.0
    }

    /// `alpha = 1 - level`.
    pub fn alpha(&self) -> f64 {
        1.0 - self.0
    }

    /// The two-sided standard normal quantile `z = Phi^-1(1 - alpha/2)` (1.959963984540054 at 95%).
    pub fn z(&self) -> f64 {
        special::normal_upper_quantile(self.alpha() / 2.0)
    }

    /// The two-sided Student t quantile `t(1 - alpha/2; df)` (`df > 0`; NaN otherwise).
    pub fn t(&self, df: f64) -> f64 {
        special::student_t_upper_quantile(self.alpha() / 2.0, df)
    }
}

impl Default for Confidence {
    fn default() -> Self {
        Confidence(0.95)
    }
}

impl TryFrom<f64> for Confidence {
    type Error = Error;
    fn try_from(level: f64) -> Result<Self> {
        Confidence::new(level)
    }
}

impl From<Confidence> for f64 {
    fn from(c: Confidence) -> f64 {
        c.0
    }
}

/// A closed interval `[lower, upper]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The lower limit.
    pub lower: f64,
    /// The upper limit.
    pub upper: f64,
}

impl Interval {
    /// `centre ± half_width`.
    pub fn around(centre: f64, half_width: f64) -> Self {
        Interval {
            lower: centre - half_width,
            upper: centre + half_width,
        }
    }

    /// The interval clipped to `[lo, hi]`.
    pub fn clip(self, lo: f64, hi: f64) -> Self {
        Interval {
            lower: self.lower.clamp(lo, hi),
            upper: self.upper.clamp(lo, hi),
        }
    }

    /// Both limits multiplied by `factor` (e.g. 100 for percent).
    pub fn scale(self, factor: f64) -> Self {
        Interval {
            lower: self.lower * factor,
            upper: self.upper * factor,
        }
    }
}

/// The standard normal quantile `Phi^-1(p)` for `0 < p < 1` (accurate in both tails).
pub fn normal_quantile(p: f64) -> f64 {
    if p < 0.5 {
        -special::normal_upper_quantile(p)
    } else {
        special::normal_upper_quantile(1.0 - p)
    }
}

/// The Student t quantile `t(p; df)` for `0 < p < 1`, `df > 0`.
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    if p == 0.5 {
        0.0
    } else if p < 0.5 {
        -special::student_t_upper_quantile(p, df)
    } else {
        special::student_t_upper_quantile(1.0 - p, df)
    }
}

/// The root of a decreasing function `f` with `f(lo) > 0 >= f(hi)`, by bisection to the last bit
/// (used to invert score statistics: Tango, Miettinen-Nurminen).
pub(crate) fn bisect_decreasing(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    // qnorm(0.975), qnorm(0.995); qt(0.975, 9), qt(0.025, 1) (mpmath, 40 digits).
    #[test]
    fn quantiles_match_r() {
        assert!((Confidence::default().z() - 1.959963984540054).abs() < 1e-13);
        assert!((normal_quantile(0.995) - 2.5758293035489004).abs() < 1e-12);
        assert!((student_t_quantile(0.975, 9.0) - 2.2621571627982053).abs() < 1e-13);
        assert!((student_t_quantile(0.025, 1.0) + 12.706204736174705).abs() < 1e-12);
    }

    #[test]
    fn confidence_is_validated() {
        for bad in [0.0, 1.0, -0.5, 95.0, f64::NAN] {
            assert!(Confidence::new(bad).is_err());
        }
    }
}
