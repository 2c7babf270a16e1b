//! The Dirichlet-multinomial model of many groups' NPS: group `g`'s detractors, passives and
//! promoters `(d_g, p_g, r_g)` out of `n_g` are multinomial with shares drawn from
//! Dirichlet(a_D, a_P, a_R), fitted by maximum marginal likelihood (Mosimann 1962):
//! `l = sum_g [ln Gamma(A) - ln Gamma(A + n_g) + sum_k (ln Gamma(a_k + c_gk) - ln Gamma(a_k))]`,
//! `A = a_D + a_P + a_R`, maximised by Newton's method on `ln a_k` with the exact gradient and
//! Hessian, stopped on the gradient. When the groups spread no more than multinomial sampling does
//! (the first-order score at `1/A = 0`, `sum_g [sum_k c_gk (c_gk - 1) / pi_k - n_g (n_g - 1)]` at the
//! pooled shares `pi_k`, is not positive, or the fit runs to `A > 1e10`), the fit is pooled: every
//! group's estimate is the pooled NPS.
//!
//! Each group's posterior is Dirichlet(a_D + d, a_P + p, a_R + r). Its NPS `100 (R - D)` has mean
//! `100 (a'_R - a'_D) / A'` and the exact variance
//! `100^2 [a'_R (A' - a'_R) + a'_D (A' - a'_D) + 2 a'_R a'_D] / (A'^2 (A' + 1))`. The equal-tailed
//! interval is exact (to about 1e-8 points): the distribution of `R - D` is inverted from its
//! moment generating function ([`nps_posterior`](super::nps_posterior)). Nothing is drawn at
//! random, so the result is the same on every run.
//!
//! Methods and sources: `docs/methods.md#empirical-bayes-shrinkage`.

use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

use super::digamma::{digamma, trigamma};
use crate::error::{Error, Result};
use crate::interval::Confidence;

/// Beyond this concentration the prior is a point mass for every practical purpose.
const MAX_CONCENTRATION: f64 = 1e10;
const MAX_ITERATIONS: u32 = 200;

/// The fitted Dirichlet prior of the NPS categories.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DirichletFit {
    /// The prior mean shares of detractors, passives and promoters (0-1).
    pub shares: [f64; 3],
    /// The concentrations `(a_D, a_P, a_R)` (`None` when pooled).
    pub alpha: Option<[f64; 3]>,
    /// The maximised marginal log-likelihood (without the multinomial coefficients).
    pub log_likelihood: f64,
    /// Whether the groups show no spread beyond multinomial sampling.
    pub pooled: bool,
    /// Newton iterations taken.
    pub iterations: u32,
    /// Groups with answers.
    pub n_groups: usize,
}

impl DirichletFit {
    /// The population NPS, in points.
    pub fn nps(&self) -> f64 {
        100.0 * (self.shares[2] - self.shares[0])
    }

    /// The standard deviation of the groups' true NPS, in points (0 when pooled).
    pub fn nps_std_dev(&self) -> f64 {
        match self.alpha {
            None => 0.0,
            Some(a) => nps_variance(a).sqrt(),
        }
    }
}

/// One group's NPS, raw and shrunk, in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShrunkNps {
    /// Answers.
    pub n: f64,
    /// The raw NPS (NaN without answers).
    pub raw: f64,
    /// The posterior mean.
    pub estimate: f64,
    /// The posterior standard deviation (exact).
    pub std_dev: f64,
    /// The equal-tailed posterior interval.
    pub lower: f64,
    /// The upper limit.
    pub upper: f64,
    /// The weight of the prior, `A / (A + n)`.
    pub shrinkage: f64,
}

/// The variance of `100 (R - D)` under Dirichlet(a).
fn nps_variance(a: [f64; 3]) -> f64 {
    let s = a[0] + a[1] + a[2];
    1e4 * (a[2] * (s - a[2]) + a[0] * (s - a[0]) + 2.0 * a[2] * a[0]) / (s * s * (s + 1.0))
}

fn log_likelihood(groups: &[[f64; 3]], a: [f64; 3]) -> f64 {
    let s = a[0] + a[1] + a[2];
    let base = ln_gamma(s) - a.iter().map(|&x| ln_gamma(x)).sum::<f64>();
    groups
        .iter()
        .map(|c| {
            let n = c[0] + c[1] + c[2];
            base - ln_gamma(s + n) + (0..3).map(|k| ln_gamma(a[k] + c[k])).sum::<f64>()
        })
        .sum()
}

/// Fits the Dirichlet prior to the groups' `[detractors, passives, promoters]` counts.
///
/// # Errors
/// [`Error::InvalidParameter`] (`counts`) for a count that is negative or not finite;
/// [`Error::EmptyData`] when no group has answers.
///
/// # Examples
/// ```
/// use cxmetrics::shrink::fit_dirichlet;
/// let counts = [[2.0, 3.0, 10.0], [8.0, 2.0, 3.0], [1.0, 4.0, 6.0], [6.0, 6.0, 4.0], [0.0, 2.0, 9.0]];
/// let fit = fit_dirichlet(&counts)?;
/// assert!(!fit.pooled && fit.nps_std_dev() > 0.0);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn fit_dirichlet(counts: &[[f64; 3]]) -> Result<DirichletFit> {
    if let Some(i) = counts
        .iter()
        .position(|c| c.iter().any(|&x| !(x.is_finite() && x >= 0.0)))
    {
        return Err(Error::invalid_parameter(
            "counts",
            format!("{:?} (group {i})", counts[i]),
            "counts must be finite and >= 0",
        ));
    }
    let groups: Vec<[f64; 3]> = counts
        .iter()
        .copied()
        .filter(|c| c[0] + c[1] + c[2] > 0.0)
        .collect();
    if groups.is_empty() {
        return Err(Error::EmptyData {
            n_missing: 0,
            n_total: 0,
        });
    }
    let mut total = [0.0; 3];
    for c in &groups {
        for k in 0..3 {
            total[k] += c[k];
        }
    }
    let sum_n: f64 = total.iter().sum();
    let pi = total.map(|t| t / sum_n);
    let pooled = |iterations: u32| DirichletFit {
        shares: pi,
        alpha: None,
        log_likelihood: groups
            .iter()
            .map(|c| {
                (0..3)
                    .filter(|&k| c[k] > 0.0)
                    .map(|k| c[k] * pi[k].ln())
                    .sum::<f64>()
            })
            .sum(),
        pooled: true,
        iterations,
        n_groups: groups.len(),
    };
    // First-order score for extra-multinomial variation at 1/A = 0.
    let score: f64 = groups
        .iter()
        .map(|c| {
            let n = c[0] + c[1] + c[2];
            (0..3)
                .filter(|&k| pi[k] > 0.0)
                .map(|k| c[k] * (c[k] - 1.0) / pi[k])
                .sum::<f64>()
                - n * (n - 1.0)
        })
        .sum();
    if groups.len() < 2 || score <= 0.0 || pi.contains(&0.0) {
        return Ok(pooled(0));
    }
    // Method of moments for the concentration, from the spread of the promoter share.
    let mean_n = sum_n / groups.len() as f64;
    let var: f64 = groups
        .iter()
        .map(|c| {
            let n = c[0] + c[1] + c[2];
            n * (c[2] / n - pi[2]).powi(2)
        })
        .sum::<f64>()
        / (groups.len() as f64 - 1.0);
    let rho = ((var / (pi[2] * (1.0 - pi[2])) - 1.0) / (mean_n - 1.0).max(1.0)).clamp(1e-4, 0.5);
    let concentration = 1.0 / rho - 1.0;
    let mut u = pi.map(|p| (p * concentration).ln());
    let tolerance = 1e-10 * groups.len() as f64;
    let mut ll = log_likelihood(&groups, u.map(f64::exp));
    for iteration in 1..=MAX_ITERATIONS {
        let a = u.map(f64::exp);
        let s: f64 = a.iter().sum();
        if s > MAX_CONCENTRATION {
            return Ok(pooled(iteration));
        }
        let (mut g, mut diag) = ([0.0; 3], [0.0; 3]);
        let mut common = 0.0;
        let (psi_s, tri_s) = (digamma(s), trigamma(s));
        for c in &groups {
            let n = c[0] + c[1] + c[2];
            let (psi_sn, tri_sn) = (digamma(s + n), trigamma(s + n));
            common += tri_s - tri_sn;
            for k in 0..3 {
                g[k] += psi_s - psi_sn + digamma(a[k] + c[k]) - digamma(a[k]);
                diag[k] += trigamma(a[k] + c[k]) - trigamma(a[k]);
            }
        }
        // In u = ln a: gradient a_k g_k; Hessian a_j a_k H_jk + delta_jk a_k g_k.
        let grad = [a[0] * g[0], a[1] * g[1], a[2] * g[2]];
        if grad.iter().all(|x| x.abs() < tolerance) {
            return Ok(DirichletFit {
                shares: a.map(|x| x / s),
                alpha: Some(a),
                log_likelihood: ll,
                pooled: false,
                iterations: iteration - 1,
                n_groups: groups.len(),
            });
        }
        let mut h = [[0.0; 3]; 3];
        for j in 0..3 {
            for k in 0..3 {
                h[j][k] = a[j] * a[k] * (common + if j == k { diag[k] } else { 0.0 })
                    + if j == k { a[k] * g[k] } else { 0.0 };
            }
        }
        // Newton's step -H^-1 grad when H is negative definite (Cholesky of -H), else the gradient.
        let step = solve_negative_definite(h, grad).unwrap_or_else(|| {
            let scale = 1.0 / (grad.iter().fold(0.0f64, |m, x| m.max(x.abs())) + 1.0);
            grad.map(|x| x * scale)
        });
        let big = step.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let mut step = if big > 5.0 {
            step.map(|x| x * 5.0 / big)
        } else {
            step
        };
        let mut accepted = false;
        for _ in 0..60 {
            let trial = [u[0] + step[0], u[1] + step[1], u[2] + step[2]];
            let next = log_likelihood(&groups, trial.map(f64::exp));
            if next >= ll - 1e-12 * ll.abs().max(1.0) {
                u = trial;
                ll = next.max(ll);
                accepted = true;
                break;
            }
            step = step.map(|x| x * 0.5);
        }
        if !accepted {
            break;
        }
    }
    let a = u.map(f64::exp);
    let s: f64 = a.iter().sum();
    if s > MAX_CONCENTRATION {
        return Ok(pooled(MAX_ITERATIONS));
    }
    Ok(DirichletFit {
        shares: a.map(|x| x / s),
        alpha: Some(a),
        log_likelihood: ll,
        pooled: false,
        iterations: MAX_ITERATIONS,
        n_groups: groups.len(),
    })
}

/// `x` with `(-h) x = g`, when `-h` is positive definite.
fn solve_negative_definite(h: [[f64; 3]; 3], g: [f64; 3]) -> Option<[f64; 3]> {
    let m = h.map(|row| row.map(|x| -x));
    let mut l = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m[i][i] - s;
                if d <= 0.0 || !d.is_finite() {
                    return None;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (m[i][j] - s) / l[j][j];
            }
        }
    }
    let mut y = [0.0; 3];
    for i in 0..3 {
        y[i] = (g[i] - (0..i).map(|k| l[i][k] * y[k]).sum::<f64>()) / l[i][i];
    }
    let mut x = [0.0; 3];
    for i in (0..3).rev() {
        x[i] = (y[i] - (i + 1..3).map(|k| l[k][i] * x[k]).sum::<f64>()) / l[i][i];
    }
    Some(x)
}

/// The equal-tailed interval of `R - D` under Dirichlet(a) (on -1..1), exact to about 1e-10
/// ([`nps_posterior`](super::nps_posterior)).
fn nps_interval(a: [f64; 3], tail: f64) -> (f64, f64) {
    (
        super::nps_posterior::quantile(tail, a),
        super::nps_posterior::quantile(1.0 - tail, a),
    )
}

/// The fitted prior and each group's shrunk NPS (points): the posterior Dirichlet's mean of
/// `100 (R - D)`, its exact standard deviation and equal-tailed interval. A group without answers
/// gets the prior's. When pooled, every estimate is the pooled NPS with shrinkage 1, its interval
/// that of the pooled counts' Jeffreys posterior Dirichlet(d + 1/2, p + 1/2, r + 1/2).
///
/// # Errors
/// As [`fit_dirichlet`]; [`Error::Interrupted`] when the interrupt check fires (the posteriors
/// are computed in blocks of groups on the crate's threads).
///
/// # Examples
/// ```
/// use cxmetrics::shrink::shrink_nps;
/// use cxmetrics::Confidence;
/// let counts = [[0.0, 0.0, 6.0], [8.0, 2.0, 3.0], [1.0, 4.0, 6.0], [6.0, 6.0, 4.0], [2.0, 5.0, 30.0]];
/// let (fit, groups) = shrink_nps(&counts, Confidence::default())?;
/// // Six promoters out of six is NPS 100 raw, much less once shrunk.
/// assert!(groups[0].raw == 100.0 && groups[0].estimate < 90.0);
/// assert!(groups[0].lower < groups[0].estimate && groups[0].estimate < groups[0].upper);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn shrink_nps(
    counts: &[[f64; 3]],
    confidence: Confidence,
) -> Result<(DirichletFit, Vec<ShrunkNps>)> {
    let fit = fit_dirichlet(counts)?;
    let tail = confidence.alpha() / 2.0;
    let mut total = [0.0; 3];
    for c in counts {
        for k in 0..3 {
            total[k] += c[k];
        }
    }
    let pooled_interval = {
        let a = total.map(|t| t + 0.5);
        let (lo, hi) = nps_interval(a, tail);
        (100.0 * lo, 100.0 * hi)
    };
    // The posteriors in blocks of groups, on the crate's threads, stoppable between blocks by the
    // interrupt check (10^5 groups take seconds).
    const PER_BLOCK: usize = 64;
    let one = |c: &[f64; 3]| {
        let n = c[0] + c[1] + c[2];
        let raw = if n > 0.0 {
            100.0 * (c[2] - c[0]) / n
        } else {
            f64::NAN
        };
        match fit.alpha {
            Some(a) => {
                let post = [a[0] + c[0], a[1] + c[1], a[2] + c[2]];
                let s: f64 = post.iter().sum();
                let (lo, hi) = nps_interval(post, tail);
                let prior: f64 = a.iter().sum();
                ShrunkNps {
                    n,
                    raw,
                    estimate: 100.0 * (post[2] - post[0]) / s,
                    std_dev: nps_variance(post).sqrt(),
                    lower: 100.0 * lo,
                    upper: 100.0 * hi,
                    shrinkage: prior / (prior + n),
                }
            }
            None => ShrunkNps {
                n,
                raw,
                estimate: fit.nps(),
                std_dev: nps_variance(total.map(|t| t + 0.5)).sqrt(),
                lower: pooled_interval.0,
                upper: pooled_interval.1,
                shrinkage: 1.0,
            },
        }
    };
    let blocks = counts.len().div_ceil(PER_BLOCK);
    let groups: Vec<ShrunkNps> =
        crate::parallel::map_blocks(blocks, crate::parallel::threads(), |b| {
            counts[b * PER_BLOCK..((b + 1) * PER_BLOCK).min(counts.len())]
                .iter()
                .map(one)
                .collect::<Vec<_>>()
        })?
        .into_iter()
        .flatten()
        .collect();
    Ok((fit, groups))
}
