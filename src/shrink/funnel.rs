//! Funnel plots for comparing many groups with a target (Spiegelhalter 2005, "Funnel plots for
//! comparing institutional performance", Statistics in Medicine 24(8):1185-1202): each group's
//! estimate against its number of answers, with control limits `target +- z_q s_g` around the
//! target, where `s_g = sqrt(V / n_g)` and `V` is the indicator's per-answer variance at the target
//! (a share: `p0 (1 - p0)`; an NPS: the multinomial `pr + pd - (pr - pd)^2` at the overall promoter
//! and detractor shares; a mean: the variance of all answers), in the indicator's unit.
//!
//! Overdispersion (more spread between groups than sampling gives) widens the limits as in that
//! paper: *multiplicative*, by `sqrt(phi)` with `phi` the mean of the squared z-scores
//! `z_g = (y_g - target) / s_g` Winsorised at their 10% and 90% quantiles (R's type 7), when
//! `phi > 1`; *additive*, by the DerSimonian-Laird between-group variance
//! `tau^2 = max(0, (G phi - (G - 1)) / (sum w - sum w^2 / sum w))`, `w_g = 1 / s_g^2`, the limits
//! becoming `target +- z_q sqrt(s_g^2 + tau^2)`. Limits are clipped to the indicator's range.
//!
//! Methods and sources: `docs/methods.md#empirical-bayes-shrinkage`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::interval::special::{normal_upper_quantile, quantile_sorted};

crate::names::named_enum! {
    /// How the funnel's limits allow for spread between groups beyond sampling.
    pub enum Overdispersion {
        /// Limits widened by `sqrt(phi)` (Winsorised z-scores).
        Multiplicative = "multiplicative",
        /// Limits widened by the DerSimonian-Laird between-group variance.
        Additive = "additive",
    }
    unknown = |name| Error::UnknownOption { option: "overdispersion", name, valid: Overdispersion::NAMES };
}

/// One control limit of a funnel: its level and the lower and upper limit of every group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunnelLimit {
    /// The level (0.95, 0.998).
    pub level: f64,
    /// Lower limits, one per group.
    pub lower: Vec<f64>,
    /// Upper limits.
    pub upper: Vec<f64>,
}

/// A funnel: the target, the spread allowed for, each group's z-score and limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Funnel {
    /// The target the limits are drawn around.
    pub target: f64,
    /// The per-answer standard deviation at the target, `sqrt(V)`.
    pub sd: f64,
    /// The multiplicative overdispersion factor (1 without, or when it is below 1).
    pub phi: f64,
    /// The additive between-group variance (0 without).
    pub tau2: f64,
    /// Each group's z-score `(y_g - target) / s_g` (NaN without answers).
    pub z: Vec<f64>,
    /// The limits, one per level.
    pub limits: Vec<FunnelLimit>,
}

/// The funnel of groups with `values` from `n` answers each (groups without answers: NaN limits),
/// around `target`, with per-answer variance `variance` at the target, limits at `levels`, clipped
/// to `range`.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a level outside (0, 1), a variance
/// that is not finite and positive, or a target that is not finite.
///
/// # Examples
/// ```
/// use cxmetrics::shrink::funnel;
/// // Shares (percent) of four stores against a target of 50%, p0 (1 - p0) = 2500.
/// let f = funnel(&[55.0, 20.0, 52.0, 49.0], &[100.0, 100.0, 25.0, 400.0], 50.0, 2500.0,
///     (0.0, 100.0), &[0.95, 0.998], None)?;
/// assert!((f.limits[0].upper[0] - (50.0 + 1.959963984540054 * 5.0)).abs() < 1e-9);
/// assert!(f.z[1] < -3.0); // far outside
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn funnel(
    values: &[f64],
    n: &[f64],
    target: f64,
    variance: f64,
    range: (f64, f64),
    levels: &[f64],
    overdispersion: Option<Overdispersion>,
) -> Result<Funnel> {
    if values.len() != n.len() {
        return Err(Error::LengthMismatch {
            left_name: "values",
            left: values.len(),
            right_name: "n",
            right: n.len(),
        });
    }
    if let Some(&bad) = levels.iter().find(|&&l| !(l > 0.0 && l < 1.0)) {
        return Err(Error::invalid_parameter(
            "limits",
            bad,
            "each level must be in (0, 1)",
        ));
    }
    if !(variance.is_finite() && variance > 0.0) {
        return Err(Error::invalid_parameter(
            "variance",
            variance,
            "the per-answer variance at the target must be finite and positive",
        ));
    }
    if !target.is_finite() {
        return Err(Error::invalid_parameter("target", target, "must be finite"));
    }
    let s: Vec<f64> = n
        .iter()
        .map(|&n| {
            if n > 0.0 {
                (variance / n).sqrt()
            } else {
                f64::NAN
            }
        })
        .collect();
    let z: Vec<f64> = values
        .iter()
        .zip(&s)
        .map(|(&y, &s)| {
            if s.is_finite() {
                (y - target) / s
            } else {
                f64::NAN
            }
        })
        .collect();
    let present: Vec<f64> = z.iter().copied().filter(|x| x.is_finite()).collect();
    let (mut phi, mut tau2) = (1.0, 0.0);
    if let (Some(od), true) = (overdispersion, present.len() >= 2) {
        let mut sorted = present.clone();
        sorted.sort_unstable_by(f64::total_cmp);
        let (lo, hi) = (quantile_sorted(&sorted, 0.1), quantile_sorted(&sorted, 0.9));
        let g = present.len() as f64;
        let winsorised = present.iter().map(|x| x.clamp(lo, hi).powi(2)).sum::<f64>() / g;
        match od {
            Overdispersion::Multiplicative => phi = winsorised.max(1.0),
            Overdispersion::Additive => {
                let w: Vec<f64> = s
                    .iter()
                    .filter(|x| x.is_finite())
                    .map(|x| 1.0 / (x * x))
                    .collect();
                let (sw, sw2) = (w.iter().sum::<f64>(), w.iter().map(|x| x * x).sum::<f64>());
                tau2 = ((g * winsorised - (g - 1.0)) / (sw - sw2 / sw)).max(0.0);
            }
        }
    }
    let limits = levels
        .iter()
        .map(|&level| {
            let zq = normal_upper_quantile((1.0 - level) / 2.0);
            let half: Vec<f64> = s
                .iter()
                .map(|&s| zq * (phi * s * s + tau2).sqrt())
                .collect();
            FunnelLimit {
                level,
                lower: half
                    .iter()
                    .map(|h| (target - h).clamp(range.0, range.1))
                    .collect(),
                upper: half
                    .iter()
                    .map(|h| (target + h).clamp(range.0, range.1))
                    .collect(),
            }
        })
        .collect();
    Ok(Funnel {
        target,
        sd: variance.sqrt(),
        phi,
        tau2,
        z,
        limits,
    })
}
