//! The beta-binomial model of many groups' shares, fitted by maximum marginal likelihood, and each
//! group's posterior.
//!
//! Group `g` has `x_g` successes out of `n_g` trials; its true share is drawn from Beta(alpha,
//! beta). The marginal log-likelihood (up to the binomial coefficients, which do not depend on the
//! parameters) is
//! `sum_g [ln Gamma(alpha + x_g) + ln Gamma(beta + n_g - x_g) - ln Gamma(alpha + beta + n_g)
//! - ln Gamma(alpha) - ln Gamma(beta) + ln Gamma(alpha + beta)]` (Skellam 1948; Griffiths 1973).
//! It is maximised by Newton's method on `(ln alpha, ln beta)` with the exact gradient and Hessian
//! (digamma and trigamma), from the method-of-moments start, with a backtracking line search, until
//! the gradient is zero to rounding (each parameter's score below `1e-10` times the number of
//! groups). When the data show no more spread than binomial sampling gives (Tarone's 1979 score for
//! extra-binomial variation at `theta = 1/(alpha + beta) = 0` is not positive, or the fit runs to
//! `alpha + beta > 1e10`), the maximum is at the boundary: the groups share one value and the fit is
//! the pooled share, every group's estimate that share and its interval the Jeffreys interval of the
//! pooled counts (`pooled = true`, `shrinkage = 1`).
//!
//! Methods and sources: `docs/methods.md#empirical-bayes-shrinkage`.

use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

use super::digamma::{digamma, trigamma};
use crate::error::{Error, Result};
use crate::interval::special::beta_quantile;
use crate::interval::Confidence;

/// Beyond this `alpha + beta`, the prior is a point mass for every practical purpose.
const MAX_CONCENTRATION: f64 = 1e10;
/// Newton iterations at most.
const MAX_ITERATIONS: u32 = 200;

/// The fitted beta-binomial prior.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BetaBinomialFit {
    /// The prior mean `alpha / (alpha + beta)` (the population share, 0-1).
    pub mean: f64,
    /// `1 / (alpha + beta)`: 0 when the groups show no extra-binomial spread (`pooled`).
    pub overdispersion: f64,
    /// `alpha` (`None` when pooled: the prior is then a point mass).
    pub alpha: Option<f64>,
    /// `beta` (`None` when pooled).
    pub beta: Option<f64>,
    /// The maximised marginal log-likelihood (without the binomial coefficients).
    pub log_likelihood: f64,
    /// Newton iterations taken.
    pub iterations: u32,
    /// Whether the maximum is at the boundary: one common share, no spread between groups.
    pub pooled: bool,
    /// The number of groups with trials.
    pub n_groups: usize,
}

/// One group's share, raw and shrunk (0-1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShrunkShare {
    /// Trials (respondents; for weighted data, Kish's effective number).
    pub n: f64,
    /// Successes (weighted: the weighted share times `n`).
    pub successes: f64,
    /// The raw share `successes / n` (NaN when `n = 0`).
    pub raw: f64,
    /// The posterior mean.
    pub estimate: f64,
    /// The equal-tailed posterior interval.
    pub lower: f64,
    /// The upper limit.
    pub upper: f64,
    /// The weight of the prior in the estimate, `(alpha + beta) / (alpha + beta + n)`: 0 = raw,
    /// 1 = the population value.
    pub shrinkage: f64,
}

fn check(successes: &[f64], trials: &[f64]) -> Result<()> {
    if successes.len() != trials.len() {
        return Err(Error::LengthMismatch {
            left_name: "successes",
            left: successes.len(),
            right_name: "trials",
            right: trials.len(),
        });
    }
    for (i, (&x, &n)) in successes.iter().zip(trials).enumerate() {
        if !(n.is_finite() && n >= 0.0 && x.is_finite() && x >= 0.0 && x <= n) {
            return Err(Error::invalid_parameter(
                "successes",
                format!("{x} of {n} (group {i})"),
                "each group needs 0 <= successes <= trials, finite",
            ));
        }
    }
    Ok(())
}

/// The marginal log-likelihood at `(alpha, beta)` over groups with trials.
fn log_likelihood(groups: &[(f64, f64)], a: f64, b: f64) -> f64 {
    let base = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b);
    groups
        .iter()
        .map(|&(x, n)| base + ln_gamma(a + x) + ln_gamma(b + n - x) - ln_gamma(a + b + n))
        .sum()
}

/// The gradient and Hessian in `(ln alpha, ln beta)`.
fn derivatives(groups: &[(f64, f64)], a: f64, b: f64) -> ([f64; 2], [[f64; 3]; 1]) {
    let (mut ga, mut gb, mut haa, mut hbb, mut hab) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (psi_ab, psi_a, psi_b) = (digamma(a + b), digamma(a), digamma(b));
    let (tri_ab, tri_a, tri_b) = (trigamma(a + b), trigamma(a), trigamma(b));
    for &(x, n) in groups {
        let psi_abn = digamma(a + b + n);
        let tri_abn = trigamma(a + b + n);
        ga += digamma(a + x) - psi_abn - psi_a + psi_ab;
        gb += digamma(b + n - x) - psi_abn - psi_b + psi_ab;
        haa += trigamma(a + x) - tri_abn - tri_a + tri_ab;
        hbb += trigamma(b + n - x) - tri_abn - tri_b + tri_ab;
        hab += tri_ab - tri_abn;
    }
    // Chain rule to u = ln a, v = ln b: dl/du = a dl/da; d2l/du2 = a^2 d2l/da2 + a dl/da.
    let g = [a * ga, b * gb];
    let h = [[a * a * haa + a * ga, a * b * hab, b * b * hbb + b * gb]];
    (g, h)
}

/// Tarone's (1979) score for extra-binomial variation at the pooled share: positive when the
/// groups spread more than binomial sampling allows.
fn tarone_score(groups: &[(f64, f64)], p: f64) -> f64 {
    if p <= 0.0 || p >= 1.0 {
        return 0.0;
    }
    groups
        .iter()
        .map(|&(x, n)| (x - n * p).powi(2) / (p * (1.0 - p)) - n)
        .sum()
}

/// Fits Beta(alpha, beta) to the groups' `successes` out of `trials` by maximum marginal
/// likelihood (groups without trials are left out of the fit).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] (`successes`) for a group with
/// successes outside `0..=trials` or a value that is not finite; [`Error::EmptyData`] when no group
/// has trials.
///
/// # Examples
/// ```
/// use cxmetrics::shrink::fit_beta_binomial;
/// let successes = [3.0, 9.0, 2.0, 14.0, 5.0, 1.0, 7.0, 11.0];
/// let trials = [10.0, 12.0, 9.0, 20.0, 10.0, 8.0, 9.0, 13.0];
/// let fit = fit_beta_binomial(&successes, &trials)?;
/// assert!(!fit.pooled && fit.overdispersion > 0.0);
/// // Identical groups spread no more than sampling does: one pooled share.
/// let same = fit_beta_binomial(&[5.0, 5.0, 5.0], &[10.0, 10.0, 10.0])?;
/// assert!(same.pooled && same.mean == 0.5 && same.alpha.is_none());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn fit_beta_binomial(successes: &[f64], trials: &[f64]) -> Result<BetaBinomialFit> {
    check(successes, trials)?;
    let groups: Vec<(f64, f64)> = successes
        .iter()
        .zip(trials)
        .filter(|(_, &n)| n > 0.0)
        .map(|(&x, &n)| (x, n))
        .collect();
    if groups.is_empty() {
        return Err(Error::EmptyData {
            n_missing: 0,
            n_total: 0,
        });
    }
    let (sx, sn): (f64, f64) = groups
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, n)| (a + x, b + n));
    let p = sx / sn;
    let pooled = |iterations: u32| BetaBinomialFit {
        mean: p,
        overdispersion: 0.0,
        alpha: None,
        beta: None,
        log_likelihood: groups
            .iter()
            .map(|&(x, n)| {
                let (lx, ln) = (
                    if x > 0.0 { x * p.ln() } else { 0.0 },
                    if n > x { (n - x) * (1.0 - p).ln() } else { 0.0 },
                );
                lx + ln
            })
            .sum(),
        iterations,
        pooled: true,
        n_groups: groups.len(),
    };
    if groups.len() < 2 || tarone_score(&groups, p) <= 0.0 {
        return Ok(pooled(0));
    }
    // Method of moments: the spread of the raw shares beyond binomial sampling.
    let mean_n = sn / groups.len() as f64;
    let var: f64 = groups
        .iter()
        .map(|&(x, n)| n * (x / n - p).powi(2))
        .sum::<f64>()
        / (groups.len() as f64 - 1.0);
    let binomial = p * (1.0 - p);
    let rho = ((var / binomial - 1.0) / (mean_n - 1.0).max(1.0)).clamp(1e-4, 0.5);
    let concentration = 1.0 / rho - 1.0;
    let (mut u, mut v) = ((p * concentration).ln(), ((1.0 - p) * concentration).ln());
    let tolerance = 1e-10 * groups.len() as f64;
    let mut ll = log_likelihood(&groups, u.exp(), v.exp());
    for iteration in 1..=MAX_ITERATIONS {
        let (a, b) = (u.exp(), v.exp());
        if a + b > MAX_CONCENTRATION {
            return Ok(pooled(iteration));
        }
        let (g, [[huu, huv, hvv]]) = derivatives(&groups, a, b);
        if g[0].abs().max(g[1].abs()) < tolerance {
            return Ok(BetaBinomialFit {
                mean: a / (a + b),
                overdispersion: 1.0 / (a + b),
                alpha: Some(a),
                beta: Some(b),
                log_likelihood: ll,
                iterations: iteration - 1,
                pooled: false,
                n_groups: groups.len(),
            });
        }
        // Newton's step when the Hessian is negative definite, else the gradient's direction.
        let det = huu * hvv - huv * huv;
        let (mut du, mut dv) = if huu < 0.0 && det > 0.0 {
            (
                (-hvv * g[0] + huv * g[1]) / det,
                (huv * g[0] - huu * g[1]) / det,
            )
        } else {
            let scale = 1.0 / (g[0].abs().max(g[1].abs()) + 1.0);
            (g[0] * scale, g[1] * scale)
        };
        // At most a factor e^5 per step, then halve until the likelihood does not fall.
        let big = du.abs().max(dv.abs());
        if big > 5.0 {
            du *= 5.0 / big;
            dv *= 5.0 / big;
        }
        let mut accepted = false;
        for _ in 0..60 {
            let next = log_likelihood(&groups, (u + du).exp(), (v + dv).exp());
            // Near the maximum the likelihood is flat to rounding: accept a step that does not
            // lose more than rounding.
            if next >= ll - 1e-12 * ll.abs().max(1.0) {
                u += du;
                v += dv;
                ll = next.max(ll);
                accepted = true;
                break;
            }
            du *= 0.5;
            dv *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    let (a, b) = (u.exp(), v.exp());
    if a + b > MAX_CONCENTRATION {
        return Ok(pooled(MAX_ITERATIONS));
    }
    Ok(BetaBinomialFit {
        mean: a / (a + b),
        overdispersion: 1.0 / (a + b),
        alpha: Some(a),
        beta: Some(b),
        log_likelihood: ll,
        iterations: MAX_ITERATIONS,
        pooled: false,
        n_groups: groups.len(),
    })
}

/// The fitted prior and each group's shrunk share: the posterior Beta(alpha + x, beta + n - x)'s
/// mean and equal-tailed interval. A group without trials gets the prior's mean and interval (raw
/// NaN, shrinkage 1). When the fit is pooled, every group's estimate is the pooled share and its
/// interval the Jeffreys interval of the pooled counts.
///
/// # Errors
/// As [`fit_beta_binomial`]; [`Error::Interrupted`] when the interrupt check fires (the posteriors
/// are computed in blocks of groups on the crate's threads).
///
/// # Examples
/// ```
/// use cxmetrics::shrink::shrink_shares;
/// use cxmetrics::Confidence;
/// let satisfied = [6.0, 3.0, 30.0, 12.0, 14.0, 48.0, 5.0, 20.0, 2.0, 36.0];
/// let answers = [6.0, 10.0, 40.0, 35.0, 20.0, 55.0, 12.0, 25.0, 8.0, 38.0];
/// let (fit, groups) = shrink_shares(&satisfied, &answers, Confidence::default())?;
/// // The store with 6 satisfied customers out of 6 is not the best store at 100%: it is pulled
/// // towards the population share, more than the store with 55 answers is.
/// assert!(!fit.pooled && groups[0].raw == 1.0 && groups[0].estimate < 0.9);
/// assert!(groups[0].shrinkage > groups[5].shrinkage);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn shrink_shares(
    successes: &[f64],
    trials: &[f64],
    confidence: Confidence,
) -> Result<(BetaBinomialFit, Vec<ShrunkShare>)> {
    let fit = fit_beta_binomial(successes, trials)?;
    let tail = confidence.alpha() / 2.0;
    // The pooled counts' Jeffreys interval, once (every group's interval when the fit is pooled).
    let (sx, sn): (f64, f64) = successes
        .iter()
        .zip(trials)
        .fold((0.0, 0.0), |(s, t), (&x, &n)| (s + x, t + n));
    let pooled = {
        let (pa, pb) = (sx + 0.5, sn - sx + 0.5);
        (
            if sx == 0.0 {
                0.0
            } else {
                beta_quantile(tail, pa, pb)
            },
            if sx == sn {
                1.0
            } else {
                beta_quantile(1.0 - tail, pa, pb)
            },
        )
    };
    let one = |(&x, &n): (&f64, &f64)| {
        let raw = if n > 0.0 { x / n } else { f64::NAN };
        match (fit.alpha, fit.beta) {
            (Some(a), Some(b)) => {
                let (pa, pb) = (a + x, b + n - x);
                ShrunkShare {
                    n,
                    successes: x,
                    raw,
                    estimate: pa / (pa + pb),
                    lower: beta_quantile(tail, pa, pb),
                    upper: beta_quantile(1.0 - tail, pa, pb),
                    shrinkage: (a + b) / (a + b + n),
                }
            }
            _ => ShrunkShare {
                n,
                successes: x,
                raw,
                estimate: fit.mean,
                lower: pooled.0,
                upper: pooled.1,
                shrinkage: 1.0,
            },
        }
    };
    // The posteriors' quantiles in blocks of groups, on the crate's threads, stoppable between
    // blocks by the interrupt check.
    const PER_BLOCK: usize = 256;
    let blocks = successes.len().div_ceil(PER_BLOCK);
    let groups: Vec<ShrunkShare> =
        crate::parallel::map_blocks(blocks, crate::parallel::threads(), |b| {
            let range = b * PER_BLOCK..((b + 1) * PER_BLOCK).min(successes.len());
            successes[range.clone()]
                .iter()
                .zip(&trials[range])
                .map(one)
                .collect::<Vec<_>>()
        })?
        .into_iter()
        .flatten()
        .collect();
    Ok((fit, groups))
}
