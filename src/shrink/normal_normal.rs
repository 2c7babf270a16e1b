//! The normal-normal model of many groups' means (Fay & Herriot 1979 style): group `g`'s observed
//! mean `y_g` has sampling variance `v_g` (its squared standard error, from the data) around its true
//! mean, drawn from N(mu, tau^2). `tau^2` is estimated by restricted maximum likelihood (REML,
//! Harville 1977; as R `metafor::rma(method = "REML")`), `mu` by weighted least squares with weights
//! `1 / (v_g + tau^2)`, and each group's estimate is its best linear unbiased prediction
//! `lambda_g y_g + (1 - lambda_g) mu` with `lambda_g = tau^2 / (tau^2 + v_g)`, standard error
//! `sqrt(lambda_g v_g + (1 - lambda_g)^2 var(mu))` (which includes the uncertainty of `mu`) and a
//! normal interval, as `metafor::blup()`.
//!
//! The REML estimate is the root in `tau^2 >= 0` of the REML score
//! `sum w_g^2 (y_g - mu)^2 - sum w_g + sum w_g^2 / sum w_g` (halved), found by bisection with
//! Newton steps inside the bracket to rounding; when the score is not positive at `tau^2 = 0` the
//! estimate is 0 (no spread beyond sampling): every estimate is then `mu`, shrinkage 1.
//!
//! Methods and sources: `docs/methods.md#empirical-bayes-shrinkage`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::interval::Confidence;

/// The fitted normal-normal model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NormalFit {
    /// The population mean `mu` (weighted least squares at the fitted `tau^2`).
    pub mean: f64,
    /// The standard error of `mu`, `1 / sqrt(sum w_g)`.
    pub mean_std_error: f64,
    /// The between-group variance `tau^2` (REML; 0 at the boundary).
    pub tau2: f64,
    /// Whether `tau^2 = 0`: no spread beyond sampling, every group's estimate is `mu`.
    pub pooled: bool,
    /// The number of groups fitted.
    pub n_groups: usize,
}

/// One group's mean, raw and shrunk.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShrunkMean {
    /// The raw mean.
    pub raw: f64,
    /// The prediction (posterior mean).
    pub estimate: f64,
    /// Its standard error (with the uncertainty of `mu`).
    pub std_error: f64,
    /// The normal interval's lower limit.
    pub lower: f64,
    /// The upper limit.
    pub upper: f64,
    /// The weight of `mu` in the estimate, `1 - lambda_g = v_g / (v_g + tau^2)`.
    pub shrinkage: f64,
}

/// `mu` and `sum w` at `tau2`.
fn weighted_mean(y: &[f64], v: &[f64], tau2: f64) -> (f64, f64) {
    let (mut sw, mut swy) = (0.0, 0.0);
    for (&yi, &vi) in y.iter().zip(v) {
        let w = 1.0 / (vi + tau2);
        sw += w;
        swy += w * yi;
    }
    (swy / sw, sw)
}

/// Twice the REML score at `tau2`.
fn score(y: &[f64], v: &[f64], tau2: f64) -> f64 {
    let (mu, sw) = weighted_mean(y, v, tau2);
    let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
    for (&yi, &vi) in y.iter().zip(v) {
        let w = 1.0 / (vi + tau2);
        a += w * w * (yi - mu) * (yi - mu);
        b += w;
        c += w * w;
    }
    a - b + c / sw
}

/// Fits `tau^2` by REML and `mu` by weighted least squares.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] (`variances`) for a mean that is not
/// finite or a sampling variance that is not finite and positive; [`Error::EmptyData`] without
/// groups.
///
/// # Examples
/// ```
/// use cxmetrics::shrink::fit_normal_normal;
/// let means = [3.9, 4.4, 3.1, 4.8, 4.0, 3.6];
/// let variances = [0.05, 0.2, 0.1, 0.3, 0.02, 0.08];
/// let fit = fit_normal_normal(&means, &variances)?;
/// assert!(fit.tau2 > 0.0 && !fit.pooled);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn fit_normal_normal(y: &[f64], v: &[f64]) -> Result<NormalFit> {
    if y.len() != v.len() {
        return Err(Error::LengthMismatch {
            left_name: "means",
            left: y.len(),
            right_name: "variances",
            right: v.len(),
        });
    }
    if y.is_empty() {
        return Err(Error::EmptyData {
            n_missing: 0,
            n_total: 0,
        });
    }
    if let Some(i) = (0..y.len()).find(|&i| !(y[i].is_finite() && v[i].is_finite() && v[i] > 0.0)) {
        return Err(Error::invalid_parameter(
            "variances",
            format!("mean {} with variance {} (group {i})", y[i], v[i]),
            "each group needs a finite mean and a finite, positive sampling variance",
        ));
    }
    let tau2 = if y.len() < 2 || score(y, v, 0.0) <= 0.0 {
        0.0
    } else {
        // Bracket the root: the score is positive at 0 and negative for a large enough tau^2.
        let spread = {
            let m = y.iter().sum::<f64>() / y.len() as f64;
            y.iter().map(|yi| (yi - m).powi(2)).sum::<f64>() / (y.len() as f64 - 1.0)
        };
        let (mut lo, mut hi) = (
            0.0,
            spread.max(f64::MIN_POSITIVE) * 2.0 + v.iter().cloned().fold(0.0, f64::max),
        );
        while score(y, v, hi) > 0.0 && hi < 1e300 {
            hi *= 4.0;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if score(y, v, mid) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    };
    let (mean, sw) = weighted_mean(y, v, tau2);
    Ok(NormalFit {
        mean,
        mean_std_error: 1.0 / sw.sqrt(),
        tau2,
        pooled: tau2 == 0.0,
        n_groups: y.len(),
    })
}

/// The fit and each group's prediction with its interval, as `metafor::blup()`.
///
/// # Errors
/// As [`fit_normal_normal`].
///
/// # Examples
/// ```
/// use cxmetrics::shrink::shrink_means;
/// use cxmetrics::Confidence;
/// let (fit, groups) = shrink_means(&[3.9, 4.4, 3.1, 4.8, 4.0, 3.6], &[0.05, 0.2, 0.1, 0.3, 0.02, 0.08],
///     Confidence::default())?;
/// // The noisiest group (variance 0.3) is pulled the most towards the population mean.
/// assert!(groups[3].shrinkage > groups[4].shrinkage);
/// assert!((groups[3].estimate - fit.mean).abs() < (groups[3].raw - fit.mean).abs());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn shrink_means(
    y: &[f64],
    v: &[f64],
    confidence: Confidence,
) -> Result<(NormalFit, Vec<ShrunkMean>)> {
    let fit = fit_normal_normal(y, v)?;
    let z = confidence.z();
    let var_mu = fit.mean_std_error * fit.mean_std_error;
    let groups = y
        .iter()
        .zip(v)
        .map(|(&yi, &vi)| {
            let lambda = fit.tau2 / (fit.tau2 + vi);
            let estimate = lambda * yi + (1.0 - lambda) * fit.mean;
            let se = (lambda * vi + (1.0 - lambda).powi(2) * var_mu).sqrt();
            ShrunkMean {
                raw: yi,
                estimate,
                std_error: se,
                lower: estimate - z * se,
                upper: estimate + z * se,
                shrinkage: 1.0 - lambda,
            }
        })
        .collect();
    Ok((fit, groups))
}
