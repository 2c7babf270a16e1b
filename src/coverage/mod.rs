//! How often the intervals cover the truth: exact coverage by enumeration (shares and NPS, every
//! unweighted method) and seeded Monte Carlo coverage (NPS at large `n`, weighted estimates).
//!
//! Coverage of an interval method at a true value is the probability, over samples of size `n`,
//! that the interval contains the true value (Brown, Cai & DasGupta 2001, "Interval estimation for a
//! binomial proportion", Statistical Science 16(2), section 2). For a share it is
//! `sum_x C(n, x) p^x (1-p)^(n-x) 1[L(x) <= p <= U(x)]`; for NPS the sum runs over the trinomial
//! outcomes `(D, P, R)`. `docs/coverage.md` tabulates it (`cargo run --release --example coverage`).
//!
//! Methods and sources: `docs/methods.md#coverage`.

use serde::Serialize;
use statrs::function::gamma::ln_gamma;

use crate::counts::ScoreCounts;
use crate::error::Result;
use crate::estimate::Indicator;
use crate::indicator::nps::{nps, nps_from_counts};
use crate::indicator::top_box::{top_box_as, top_box_from_counts};
use crate::interval::nps::NpsMethod;
use crate::interval::proportion::ProportionMethod;
use crate::interval::Confidence;
use crate::random::Rng;
use crate::scale::Scale;

/// Coverage of one method at one true value and sample size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coverage {
    /// The probability that the interval contains the true value.
    pub coverage: f64,
    /// The expected width of the interval (in the indicator's unit: points or percent).
    pub mean_width: f64,
}

impl Coverage {
    /// Adds one outcome of probability `pmf` whose interval is `e`, for the true value `truth`.
    fn add(&mut self, pmf: f64, e: &crate::estimate::Estimate, truth: f64) {
        self.mean_width += pmf * (e.upper() - e.lower());
        if e.lower() <= truth + 1e-9 && truth <= e.upper() + 1e-9 {
            self.coverage += pmf;
        }
    }
}

fn ln_choose(n: u64, k: u64) -> f64 {
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

/// `k ln p`, with `0 ln 0 = 0`.
fn k_ln(k: u64, p: f64) -> f64 {
    if k == 0 {
        0.0
    } else {
        k as f64 * p.ln()
    }
}

/// Exact coverage of a share interval at true share `p` (0-1) with `n` responses.
///
/// # Errors
/// Those of [`top_box_from_counts`] (none for valid inputs).
///
/// # Examples
/// ```
/// use cxmetrics::coverage::share_coverage;
/// use cxmetrics::{Confidence, ProportionMethod};
/// let c = share_coverage(ProportionMethod::Wilson, 0.5, 30, Confidence::default())?;
/// // statsmodels `proportion_confint(x, 30, method="wilson")` enumerated with scipy `binom.pmf`:
/// assert!((c.coverage - 0.9572260547429324).abs() < 1e-12);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn share_coverage(
    method: ProportionMethod,
    p: f64,
    n: u64,
    confidence: Confidence,
) -> Result<Coverage> {
    let mut total = Coverage {
        coverage: 0.0,
        mean_width: 0.0,
    };
    let truth = 100.0 * p;
    for x in 0..=n {
        let pmf = (ln_choose(n, x) + k_ln(x, p) + k_ln(n - x, 1.0 - p)).exp();
        if pmf == 0.0 {
            continue;
        }
        total.add(pmf, &top_box_from_counts(x, n, method, confidence)?, truth);
    }
    Ok(total)
}

/// Exact coverage of an NPS interval at true category shares `[detractors, passives, promoters]`
/// (summing to 1) with `n` responses, summing over every trinomial outcome.
///
/// # Errors
/// Those of [`nps_from_counts`] (none for valid inputs).
pub fn nps_coverage(
    method: NpsMethod,
    shares: [f64; 3],
    n: u64,
    confidence: Confidence,
) -> Result<Coverage> {
    let truth = 100.0 * (shares[2] - shares[0]);
    let ln_n = ln_gamma(n as f64 + 1.0);
    let mut total = Coverage {
        coverage: 0.0,
        mean_width: 0.0,
    };
    for d in 0..=n {
        for p in 0..=n - d {
            let r = n - d - p;
            let ln_pmf = ln_n
                - ln_gamma(d as f64 + 1.0)
                - ln_gamma(p as f64 + 1.0)
                - ln_gamma(r as f64 + 1.0)
                + k_ln(d, shares[0])
                + k_ln(p, shares[1])
                + k_ln(r, shares[2]);
            let pmf = ln_pmf.exp();
            if pmf < 1e-16 {
                continue; // below what the sums can register
            }
            total.add(pmf, &nps_from_counts(d, p, r, method, confidence)?, truth);
        }
    }
    Ok(total)
}

/// A stratified survey design for weighted coverage: strata with population shares and per-stratum
/// true answer distributions, sampled with equal sizes per stratum (disproportionate allocation), so
/// that the weights `N_h / n_h` differ between strata.
#[derive(Debug, Clone, PartialEq)]
pub struct StratifiedDesign {
    /// Each stratum's share of the population (summing to 1).
    pub population_shares: Vec<f64>,
    /// Each stratum's distribution of answers over the scale points (each summing to 1).
    pub answer_distributions: Vec<Vec<f64>>,
    /// The scale of the answers.
    pub scale: Scale,
}

impl StratifiedDesign {
    fn population_distribution(&self) -> Vec<f64> {
        let points = self.scale.points();
        let mut dist = vec![0.0; points];
        for (share, d) in self
            .population_shares
            .iter()
            .zip(&self.answer_distributions)
        {
            for (a, b) in dist.iter_mut().zip(d) {
                *a += share * b;
            }
        }
        dist
    }
}

/// What a weighted coverage simulation estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum WeightedTarget {
    /// NPS (0-10 scale), weighted `wald`.
    Nps,
    /// The share of the top `top` points, with a weighted share method.
    TopBox {
        /// Top-box size.
        top: u32,
        /// `Wald` or `Wilson`.
        method: ProportionMethod,
    },
}

/// Monte Carlo coverage of a weighted interval under a stratified design with `n` responses in total
/// (split equally between the strata), `replicates` seeded samples.
///
/// # Errors
/// Those of the estimators (none for valid designs).
pub fn weighted_coverage(
    design: &StratifiedDesign,
    target: WeightedTarget,
    n: u64,
    confidence: Confidence,
    replicates: usize,
    seed: u64,
) -> Result<Coverage> {
    let strata = design.population_shares.len();
    let per = (n as usize / strata).max(1);
    let population = design.population_distribution();
    let truth = match target {
        WeightedTarget::Nps => {
            100.0 * (population[9..].iter().sum::<f64>() - population[..7].iter().sum::<f64>())
        }
        WeightedTarget::TopBox { top, .. } => {
            100.0
                * population[population.len() - top as usize..]
                    .iter()
                    .sum::<f64>()
        }
    };
    let cumulative: Vec<Vec<f64>> = design
        .answer_distributions
        .iter()
        .map(|d| {
            d.iter()
                .scan(0.0, |acc, x| {
                    *acc += x;
                    Some(*acc)
                })
                .collect()
        })
        .collect();
    let mut rng = Rng::new(seed);
    let (mut hits, mut width) = (0usize, 0.0);
    let mut scores = Vec::with_capacity(per * strata);
    let mut weights = Vec::with_capacity(per * strata);
    for _ in 0..replicates {
        scores.clear();
        weights.clear();
        for (share, cdf) in design.population_shares.iter().zip(&cumulative) {
            let w = share / per as f64;
            for _ in 0..per {
                let u = rng.uniform();
                let point = cdf.iter().position(|&c| u < c).unwrap_or(cdf.len() - 1);
                scores.push(design.scale.score_at(point) as f64);
                weights.push(w);
            }
        }
        let counts = ScoreCounts::from_weighted_scores(
            &scores,
            &weights,
            design.scale,
            crate::counts::MissingPolicy::Omit,
        )?;
        let e = match target {
            WeightedTarget::Nps => nps(&counts, NpsMethod::Wald, confidence)?,
            WeightedTarget::TopBox { top, method } => {
                top_box_as(Indicator::TopBox, &counts, top, method, confidence)?
            }
        };
        width += e.upper() - e.lower();
        if e.lower() <= truth + 1e-9 && truth <= e.upper() + 1e-9 {
            hits += 1;
        }
    }
    Ok(Coverage {
        coverage: hits as f64 / replicates as f64,
        mean_width: width / replicates as f64,
    })
}

/// The grid of the coverage study: true shares of a top box.
pub const SHARE_GRID: [f64; 9] = [0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99];
/// The grid of true NPS category shares `[detractors, passives, promoters]`, extremes included.
pub const NPS_GRID: [[f64; 3]; 8] = [
    [0.0, 0.0, 1.0],
    [0.05, 0.05, 0.9],
    [0.1, 0.2, 0.7],
    [0.2, 0.3, 0.5],
    [0.33, 0.34, 0.33],
    [0.5, 0.3, 0.2],
    [0.6, 0.2, 0.2],
    [0.9, 0.05, 0.05],
];
/// The sample sizes of the study.
pub const SIZES: [u64; 7] = [10, 20, 30, 50, 100, 300, 1000];
