//! How many responses are needed: for a margin of error (Cochran 1977, Sampling Techniques, ch. 4,
//! with the finite-population correction), for a difference between two groups with a given power,
//! and the minimum detectable difference for given group sizes. NPS uses the per-response variance
//! `Var1 = pr + pd - (pr - pd)^2` (worst case 1; MeasuringU's NPS sample-size articles).
//!
//! All functions work on the natural scale: shares and NPS as fractions (`0.05` for 5 points), means in
//! the scale's units.
//!
//! Methods and sources: `docs/methods.md#sample-size-planning`.

use crate::error::{Error, Result};
use crate::interval::special::normal_upper_quantile;
use crate::interval::Confidence;

/// The per-response variance of an indicator, for planning.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum PlanningVariance {
    /// A share with expected proportion `p` (0..1): `p(1-p)`; 0.5 is the worst case.
    Share(f64),
    /// NPS with expected promoter and detractor proportions (0..1); `None`: the worst case `Var1 = 1`.
    Nps(Option<(f64, f64)>),
    /// A mean with the given standard deviation (scale units).
    Mean(f64),
}

impl PlanningVariance {
    /// The planning variance of an indicator kind by name: `"nps"` (expected promoter and detractor
    /// shares, `None`: the worst case), `"share"` (expected share, `None`: 0.5, the worst case) or
    /// `"mean"` (the expected standard deviation, required).
    ///
    /// # Errors
    /// [`Error::UnknownOption`] for another name; [`Error::InvalidPlanning`] for a mean without
    /// `sd`.
    pub fn for_indicator(
        indicator: &str,
        nps_expected: Option<(f64, f64)>,
        share_expected: Option<f64>,
        sd: Option<f64>,
    ) -> Result<PlanningVariance> {
        match indicator {
            "nps" => Ok(PlanningVariance::Nps(nps_expected)),
            "share" => Ok(PlanningVariance::Share(share_expected.unwrap_or(0.5))),
            "mean" => sd
                .map(PlanningVariance::Mean)
                .ok_or_else(|| Error::InvalidPlanning {
                    reason: "a mean needs sd (the expected standard deviation of the scores)"
                        .into(),
                }),
            other => Err(Error::UnknownOption {
                option: "indicator",
                name: other.to_owned(),
                valid: &["nps", "share", "mean"],
            }),
        }
    }

    /// The variance assumed for the second group of a comparison planned to detect `difference`: a
    /// share's is taken at `p - difference` (clamped to 0-1), so the two groups differ by it; NPS and
    /// means keep the same variance (`docs/methods.md#per-group-sample-size`).
    pub fn second_group(self, difference: f64) -> PlanningVariance {
        match self {
            PlanningVariance::Share(p) => PlanningVariance::Share((p - difference).clamp(0.0, 1.0)),
            v => v,
        }
    }

    /// The variance of one response.
    ///
    /// # Errors
    /// [`Error::InvalidPlanning`] for proportions outside `[0, 1]` (or promoters + detractors > 1)
    /// and a standard deviation that is not positive and finite.
    pub fn value(&self) -> Result<f64> {
        let bad = |reason: String| Err(Error::InvalidPlanning { reason });
        match *self {
            PlanningVariance::Share(p) if (0.0..=1.0).contains(&p) => Ok(p * (1.0 - p)),
            PlanningVariance::Share(p) => bad(format!("expected share {p} must be within 0..1 (0..100 percent)")),
            PlanningVariance::Nps(None) => Ok(1.0),
            PlanningVariance::Nps(Some((pr, pd)))
                if (0.0..=1.0).contains(&pr) && (0.0..=1.0).contains(&pd) && pr + pd <= 1.0 =>
            {
                Ok(pr + pd - (pr - pd) * (pr - pd))
            }
            PlanningVariance::Nps(Some((pr, pd))) => bad(format!(
                "expected promoters {pr} and detractors {pd} must be shares within 0..1 adding up to at most 1"
            )),
            PlanningVariance::Mean(sd) if sd > 0.0 && sd.is_finite() => Ok(sd * sd),
            PlanningVariance::Mean(sd) => bad(format!("sd {sd} must be positive and finite")),
        }
    }
}

fn positive(name: &'static str, value: f64) -> Result<f64> {
    if value > 0.0 && value.is_finite() {
        Ok(value)
    } else {
        Err(Error::InvalidPlanning {
            reason: format!("{name} {value} must be positive and finite"),
        })
    }
}

fn ceil_count(n: f64) -> Result<u64> {
    if n.is_finite() && n < 1.8e19 {
        // Guard against 12.000000000000002 rounding up to 13.
        Ok((n - 1e-9 * n.max(1.0)).ceil().max(1.0) as u64)
    } else {
        Err(Error::InvalidPlanning {
            reason: format!("the sample size {n} is not representable; ask for a larger margin"),
        })
    }
}

/// Responses needed for a margin of error `margin` (half-width of the interval, natural scale):
/// `n0 = z^2 V / E^2`, and with a finite population `N`, `n = n0 / (1 + (n0 - 1)/N)`; rounded up.
///
/// # Errors
/// [`Error::InvalidPlanning`] for a margin or population that is not positive, or a bad variance.
///
/// # Examples
///
/// ```
/// use cxmetrics::compare::sample_size::{margin_of_error_n, PlanningVariance};
/// use cxmetrics::Confidence;
///
/// // The classic 385 for a 5-point margin on a 50% share at 95%.
/// assert_eq!(margin_of_error_n(0.05, PlanningVariance::Share(0.5), Confidence::default(), None)?, 385);
/// // NPS within 5 points, worst case: 1537.
/// assert_eq!(margin_of_error_n(0.05, PlanningVariance::Nps(None), Confidence::default(), None)?, 1537);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn margin_of_error_n(
    margin: f64,
    variance: PlanningVariance,
    confidence: Confidence,
    population: Option<u64>,
) -> Result<u64> {
    let margin = positive("margin", margin)?;
    let z = confidence.z();
    let n0 = z * z * variance.value()? / (margin * margin);
    let n = match population {
        Some(0) => {
            return Err(Error::InvalidPlanning {
                reason: "population must be at least 1".into(),
            })
        }
        Some(pop) => n0 / (1.0 + (n0 - 1.0) / pop as f64),
        None => n0,
    };
    ceil_count(n)
}

fn z_power(power: f64) -> Result<f64> {
    if power > 0.0 && power < 1.0 {
        Ok(normal_upper_quantile(1.0 - power))
    } else {
        Err(Error::InvalidPlanning {
            reason: format!("power {power} must be strictly between 0 and 1, e.g. 0.8"),
        })
    }
}

/// Responses per group to detect a difference `difference` between two independent groups with a
/// two-sided test at `confidence` and the given `power`: `n = (z_{alpha/2} + z_beta)^2 (V_a + V_b) / d^2`
/// (Cochran 1977; Fleiss, Levin & Paik 2003, ch. 4, without continuity correction); rounded up.
///
/// # Errors
/// [`Error::InvalidPlanning`] for a difference that is not positive, a power outside (0, 1), or a bad
/// variance.
///
/// # Examples
///
/// ```
/// use cxmetrics::compare::sample_size::{per_group_n, PlanningVariance};
/// use cxmetrics::Confidence;
///
/// // 50% vs 40% at 80% power, 95%: (1.96 + 0.8416)^2 (0.25 + 0.24) / 0.01 = 385 per group.
/// let n = per_group_n(0.10, PlanningVariance::Share(0.5), PlanningVariance::Share(0.4), 0.8, Confidence::default())?;
/// assert_eq!(n, 385);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn per_group_n(
    difference: f64,
    variance_a: PlanningVariance,
    variance_b: PlanningVariance,
    power: f64,
    confidence: Confidence,
) -> Result<u64> {
    let d = positive("difference", difference.abs())?;
    let k = confidence.z() + z_power(power)?;
    ceil_count(k * k * (variance_a.value()? + variance_b.value()?) / (d * d)).map_err(|_| {
        Error::InvalidPlanning {
            reason: format!(
                "difference = {} with power = {} gives a sample size that is not representable; ask for a larger difference",
                crate::error::Shortest(difference),
                crate::error::Shortest(power)
            ),
        }
    })
}

/// The smallest difference a two-sided test at `confidence` detects with `power`, for groups of `n_a`
/// and `n_b` responses: `(z_{alpha/2} + z_beta) sqrt(V_a/n_a + V_b/n_b)`.
///
/// # Errors
/// [`Error::InvalidPlanning`] for empty groups, a power outside (0, 1), or a bad variance.
pub fn minimum_detectable_difference(
    n_a: u64,
    n_b: u64,
    variance_a: PlanningVariance,
    variance_b: PlanningVariance,
    power: f64,
    confidence: Confidence,
) -> Result<f64> {
    if n_a == 0 || n_b == 0 {
        let (name, size) = if n_a == 0 { ("n_a", n_a) } else { ("n_b", n_b) };
        return Err(Error::InvalidPlanning {
            reason: format!("{name} = {size}: a group needs at least 1 response"),
        });
    }
    let k = confidence.z() + z_power(power)?;
    Ok(k * (variance_a.value()? / n_a as f64 + variance_b.value()? / n_b as f64).sqrt())
}
