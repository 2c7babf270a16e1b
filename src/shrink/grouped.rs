//! Shrinkage of every group of a grouped count: the columns a report is made of.

use serde::Serialize;

use super::beta_binomial::{shrink_shares, BetaBinomialFit};
use super::dirichlet::{shrink_nps, DirichletFit};
use super::normal_normal::{shrink_means, NormalFit};
use super::rank::{rank_posteriors, GroupRank, Posterior};
use crate::counts::ScoreCounts;
use crate::error::{Error, Result};
use crate::grouping::{GroupedCounts, IndicatorSpec};
use crate::interval::Confidence;

/// The fitted population distribution of the groups' true values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Prior {
    /// Shares: Beta(alpha, beta) (its mean on 0-1).
    BetaBinomial(BetaBinomialFit),
    /// Means: N(mu, tau^2), in the scale's units.
    NormalNormal(NormalFit),
    /// NPS: Dirichlet(a_D, a_P, a_R) over the categories.
    Dirichlet(DirichletFit),
}

impl Prior {
    /// The population value, in the indicator's unit (percent for shares).
    pub fn mean(&self) -> f64 {
        match self {
            Prior::BetaBinomial(f) => 100.0 * f.mean,
            Prior::NormalNormal(f) => f.mean,
            Prior::Dirichlet(f) => f.nps(),
        }
    }

    /// The standard deviation of the groups' true values, in the indicator's unit: for shares
    /// `100 sqrt(mu (1 - mu) / (alpha + beta + 1))` (0 when pooled), for means `tau`.
    pub fn std_dev(&self) -> f64 {
        match self {
            Prior::BetaBinomial(f) => {
                100.0
                    * (f.mean * (1.0 - f.mean) * f.overdispersion / (1.0 + f.overdispersion)).sqrt()
            }
            Prior::NormalNormal(f) => f.tau2.sqrt(),
            Prior::Dirichlet(f) => f.nps_std_dev(),
        }
    }

    /// Whether the groups show no spread beyond sampling (every estimate the population value).
    pub fn pooled(&self) -> bool {
        match self {
            Prior::BetaBinomial(f) => f.pooled,
            Prior::NormalNormal(f) => f.pooled,
            Prior::Dirichlet(f) => f.pooled,
        }
    }
}

/// Each group's raw and shrunk value (percent for shares, scale units for means), with the fitted
/// prior.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ShrunkColumns {
    /// The fitted prior.
    pub prior: Prior,
    /// Answers per group (weighted: Kish's effective number).
    pub n: Vec<f64>,
    /// Top-box answers per group (weighted: the weighted share times `n`); NaN for means.
    pub successes: Vec<f64>,
    /// The raw share and its interval, as the single-sample estimate gives them (NaN for a group
    /// without answers).
    pub raw: Vec<f64>,
    /// Lower limits of the raw intervals.
    pub raw_lower: Vec<f64>,
    /// Upper limits of the raw intervals.
    pub raw_upper: Vec<f64>,
    /// The posterior means.
    pub estimate: Vec<f64>,
    /// Lower limits of the equal-tailed posterior intervals.
    pub lower: Vec<f64>,
    /// Upper limits.
    pub upper: Vec<f64>,
    /// The weight of the prior in each estimate (0: raw, 1: the population value).
    pub shrinkage: Vec<f64>,
    /// Each group's posterior, for drawing (ranks).
    pub posteriors: Vec<Posterior>,
}

/// The top-box successes and trials of one group's counts (weighted: Kish's effective trials and
/// the weighted share of them).
fn effective_counts(counts: &ScoreCounts, top: u32) -> (f64, f64) {
    let points = counts.counts().len();
    let first_top = points.saturating_sub(top as usize);
    match counts.weight_sums() {
        None => {
            let x: u64 = counts.counts()[first_top..].iter().sum();
            (x as f64, counts.n() as f64)
        }
        Some(w) => {
            let total: f64 = w.sum.iter().sum();
            let n_eff = counts.kish_effective_n();
            if total > 0.0 {
                let share = w.sum[first_top..].iter().sum::<f64>() / total;
                (share * n_eff, n_eff)
            } else {
                (0.0, 0.0)
            }
        }
    }
}

/// A group's detractors, passives and promoters (weighted: Kish's effective number split by the
/// weighted shares).
fn category_counts(counts: &ScoreCounts) -> [f64; 3] {
    let mut raw = [0.0; 3];
    let mut weighted = [0.0; 3];
    let sums = counts.weight_sums();
    for (i, &c) in counts.counts().iter().enumerate() {
        let score = counts.scale().min() + i as i64;
        let k = match crate::scale::NpsCategory::of(score) {
            Some(crate::scale::NpsCategory::Detractor) => 0,
            Some(crate::scale::NpsCategory::Passive) => 1,
            Some(_) => 2,
            None => continue,
        };
        raw[k] += c as f64;
        if let Some(w) = sums {
            weighted[k] += w.sum[i];
        }
    }
    match sums {
        None => raw,
        Some(_) => {
            let total: f64 = weighted.iter().sum();
            let n_eff = counts.kish_effective_n();
            if total > 0.0 {
                weighted.map(|w| n_eff * w / total)
            } else {
                [0.0; 3]
            }
        }
    }
}

/// Shrinks the share `spec` (CSAT, CES, repurchase or any top box) of every group of `grouped`
/// with the beta-binomial model ([`shrink_shares`]), its NPS with the Dirichlet-multinomial model
/// ([`shrink_nps`]), or its mean score with the normal-normal model ([`shrink_means`]), giving the
/// raw estimates beside.
///
/// # Errors
/// [`Error::InvalidParameter`] (`indicator`) for an index or a resampled interval; those of the
/// models (no group with answers).
///
/// # Examples
/// ```
/// use cxmetrics::grouping::{GroupedCounts, IndicatorSpec};
/// use cxmetrics::shrink::shrink_grouped;
/// use cxmetrics::{Confidence, MissingPolicy, Scale};
/// let codes = [0u32, 0, 0, 1, 1, 1, 1, 1, 2, 2];
/// let csat = [5.0, 5.0, 5.0, 2.0, 3.0, 5.0, 1.0, 4.0, 4.0, 5.0];
/// let grouped = GroupedCounts::from_scores(&codes, 3, &csat, Scale::LIKERT_5, MissingPolicy::Omit)?;
/// let spec = IndicatorSpec::parse("csat", None, None, Scale::LIKERT_5, false)?;
/// let shrunk = shrink_grouped(&grouped, &spec, Confidence::default())?;
/// assert_eq!(shrunk.raw[0], 100.0);
/// assert!(shrunk.estimate[0] <= 100.0 && shrunk.shrinkage[0] > 0.0);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn shrink_grouped(
    grouped: &GroupedCounts,
    spec: &IndicatorSpec,
    confidence: Confidence,
) -> Result<ShrunkColumns> {
    let groups: Vec<&ScoreCounts> = (0..grouped.n_groups()).map(|g| grouped.group(g)).collect();
    let mut out = ShrunkColumns {
        prior: Prior::NormalNormal(NormalFit {
            mean: f64::NAN,
            mean_std_error: f64::NAN,
            tau2: f64::NAN,
            pooled: true,
            n_groups: 0,
        }),
        n: Vec::new(),
        successes: Vec::new(),
        raw: Vec::new(),
        raw_lower: Vec::new(),
        raw_upper: Vec::new(),
        estimate: Vec::new(),
        lower: Vec::new(),
        upper: Vec::new(),
        shrinkage: Vec::new(),
        posteriors: Vec::new(),
    };
    for counts in &groups {
        let (value, lower, upper) = spec
            .estimate(counts, confidence)
            .map_or((f64::NAN, f64::NAN, f64::NAN), |e| {
                (e.value(), e.lower(), e.upper())
            });
        out.raw.push(value);
        out.raw_lower.push(lower);
        out.raw_upper.push(upper);
    }
    match *spec {
        IndicatorSpec::Share { top, .. } => {
            let (successes, trials): (Vec<f64>, Vec<f64>) =
                groups.iter().map(|c| effective_counts(c, top)).unzip();
            let (fit, shrunk) = shrink_shares(&successes, &trials, confidence)?;
            out.prior = Prior::BetaBinomial(fit);
            for (&x, &n) in successes.iter().zip(&trials) {
                out.posteriors.push(match (fit.alpha, fit.beta) {
                    (Some(a), Some(b)) => Posterior::Beta(a + x, b + n - x),
                    _ => Posterior::Point(100.0 * fit.mean),
                });
            }
            out.n = trials;
            out.successes = successes;
            for s in &shrunk {
                out.estimate.push(100.0 * s.estimate);
                out.lower.push(100.0 * s.lower);
                out.upper.push(100.0 * s.upper);
                out.shrinkage.push(s.shrinkage);
            }
        }
        IndicatorSpec::Mean { index: false } => {
            shrink_mean_groups(&groups, spec, confidence, &mut out)?
        }
        IndicatorSpec::Nps { .. } => {
            let counts: Vec<[f64; 3]> = groups.iter().map(|c| category_counts(c)).collect();
            let (fit, shrunk) = shrink_nps(&counts, confidence)?;
            out.prior = Prior::Dirichlet(fit);
            for c in &counts {
                out.posteriors.push(match fit.alpha {
                    Some(a) => Posterior::Dirichlet([a[0] + c[0], a[1] + c[1], a[2] + c[2]]),
                    None => Posterior::Point(fit.nps()),
                });
            }
            for (c, s) in counts.iter().zip(&shrunk) {
                out.n.push(c.iter().sum());
                out.successes.push(c[2]);
                out.estimate.push(s.estimate);
                out.lower.push(s.lower);
                out.upper.push(s.upper);
                out.shrinkage.push(s.shrinkage);
            }
        }
        _ => return Err(Error::invalid_parameter(
            "indicator",
            spec.indicator().as_str(),
            "empirical-Bayes shrinkage is available for NPS, shares (csat, ces, repurchase, top \
                 box) and mean scores; not for indices or resampled intervals",
        )),
    }
    Ok(out)
}

/// The normal-normal shrinkage of the groups' mean scores: each group's mean and squared standard
/// error (a group with one answer takes the pooled within-group variance over its n), groups
/// without answers left out of the fit and given the population mean.
fn shrink_mean_groups(
    groups: &[&ScoreCounts],
    spec: &IndicatorSpec,
    confidence: Confidence,
    out: &mut ShrunkColumns,
) -> Result<()> {
    let estimates: Vec<Option<(f64, f64, f64)>> = groups
        .iter()
        .map(|c| {
            spec.estimate(c, confidence)
                .ok()
                .map(|e| (e.value(), e.std_error(), c.kish_effective_n()))
        })
        .collect();
    // Pooled within-group variance: sum (n - 1) s^2 / sum (n - 1), with s^2 = n se^2.
    let (mut num, mut den) = (0.0, 0.0);
    for (_, se, n) in estimates.iter().flatten() {
        if *n >= 2.0 && se.is_finite() && *se > 0.0 {
            num += (n - 1.0) * n * se * se;
            den += n - 1.0;
        }
    }
    let pooled_var = if den > 0.0 { num / den } else { f64::NAN };
    let (mut y, mut v, mut fitted) = (Vec::new(), Vec::new(), Vec::new());
    for (g, e) in estimates.iter().enumerate() {
        if let Some((mean, se, n)) = *e {
            let var = if se.is_finite() && se > 0.0 {
                se * se
            } else {
                pooled_var / n
            };
            if var.is_finite() && var > 0.0 {
                y.push(mean);
                v.push(var);
                fitted.push(g);
            }
        }
    }
    let (fit, shrunk) = shrink_means(&y, &v, confidence)?;
    out.prior = Prior::NormalNormal(fit);
    let z = confidence.z();
    let prior_se = (fit.tau2 + fit.mean_std_error * fit.mean_std_error).sqrt();
    let mut next = shrunk.iter().zip(&fitted).peekable();
    for (g, counts) in groups.iter().enumerate() {
        out.n.push(counts.kish_effective_n());
        out.successes.push(f64::NAN);
        match next.peek() {
            Some((s, &i)) if i == g => {
                out.posteriors.push(if fit.pooled {
                    Posterior::Point(fit.mean)
                } else {
                    Posterior::Normal(s.estimate, s.std_error)
                });
                out.estimate.push(s.estimate);
                out.lower.push(s.lower);
                out.upper.push(s.upper);
                out.shrinkage.push(s.shrinkage);
                next.next();
            }
            _ => {
                out.posteriors.push(if fit.pooled {
                    Posterior::Point(fit.mean)
                } else {
                    Posterior::Normal(fit.mean, prior_se)
                });
                out.estimate.push(fit.mean);
                out.lower.push(fit.mean - z * prior_se);
                out.upper.push(fit.mean + z * prior_se);
                out.shrinkage.push(1.0);
            }
        }
    }
    Ok(())
}

/// The groups of `grouped` shrunk ([`shrink_grouped`]) and ranked by their shrunk estimates, with
/// rank intervals and top/bottom-`k` probabilities from `draws` joint posterior draws
/// ([`rank_posteriors`]; the posteriors are independent given the fitted prior: exact for shares
/// and NPS, and for means it leaves out the correlation through the population mean). Groups
/// without answers are ranked too, at the prior.
///
/// # Errors
/// Those of [`shrink_grouped`] and [`rank_posteriors`].
pub fn rank_grouped(
    grouped: &GroupedCounts,
    spec: &IndicatorSpec,
    k: usize,
    draws: usize,
    seed: u64,
    confidence: Confidence,
) -> Result<(ShrunkColumns, Vec<GroupRank>)> {
    let shrunk = shrink_grouped(grouped, spec, confidence)?;
    let ranks = rank_posteriors(
        &shrunk.estimate,
        &shrunk.posteriors,
        k,
        draws,
        seed,
        confidence,
    )?;
    Ok((shrunk, ranks))
}

/// The per-answer variance of the indicator at the overall counts (shares at `target`), and its
/// range: a share `p0 (1 - p0)` (percent^2), an NPS `pr + pd - (pr - pd)^2` at the overall shares
/// (points^2), a mean the variance of all answers.
fn funnel_variance(
    total: &ScoreCounts,
    spec: &IndicatorSpec,
    target: f64,
) -> Result<(f64, (f64, f64))> {
    let scale = total.scale();
    let shares: Vec<f64> = {
        let weights: Vec<f64> = match total.weight_sums() {
            Some(w) => w.sum.clone(),
            None => total.counts().iter().map(|&c| c as f64).collect(),
        };
        let sum: f64 = weights.iter().sum();
        weights.iter().map(|w| w / sum).collect()
    };
    match *spec {
        IndicatorSpec::Share { .. } => {
            let p0 = target / 100.0;
            Ok((1e4 * p0 * (1.0 - p0), (0.0, 100.0)))
        }
        IndicatorSpec::Nps { .. } => {
            let (mut pd, mut pr) = (0.0, 0.0);
            for (i, share) in shares.iter().enumerate() {
                match crate::scale::NpsCategory::of(scale.min() + i as i64) {
                    Some(crate::scale::NpsCategory::Detractor) => pd += share,
                    Some(crate::scale::NpsCategory::Promoter) => pr += share,
                    _ => {}
                }
            }
            Ok((1e4 * (pr + pd - (pr - pd).powi(2)), (-100.0, 100.0)))
        }
        IndicatorSpec::Mean { index: false } => {
            let mean: f64 = shares
                .iter()
                .enumerate()
                .map(|(i, p)| p * (scale.min() + i as i64) as f64)
                .sum();
            let n = total.n() as f64;
            let var = shares
                .iter()
                .enumerate()
                .map(|(i, p)| p * ((scale.min() + i as i64) as f64 - mean).powi(2))
                .sum::<f64>()
                * n
                / (n - 1.0).max(1.0);
            Ok((var, (scale.min() as f64, scale.max() as f64)))
        }
        _ => Err(Error::invalid_parameter(
            "indicator",
            spec.indicator().as_str(),
            "funnel plots are available for NPS, shares and mean scores",
        )),
    }
}

/// The funnel ([`super::funnel::funnel`]) of every group of `grouped` for `spec`: each group's
/// estimate (as the single-sample estimate gives it) against its answers (Kish's effective number
/// when weighted), around `target` (the overall value when `None`).
///
/// # Errors
/// [`Error::InvalidParameter`] for an index or a resampled interval; those of the funnel.
pub fn funnel_grouped(
    grouped: &GroupedCounts,
    spec: &IndicatorSpec,
    target: Option<f64>,
    levels: &[f64],
    overdispersion: Option<super::funnel::Overdispersion>,
    confidence: Confidence,
) -> Result<(Vec<f64>, Vec<f64>, super::funnel::Funnel)> {
    let target = match target {
        Some(t) => t,
        None => spec.estimate(grouped.total(), confidence)?.value(),
    };
    let (variance, range) = funnel_variance(grouped.total(), spec, target)?;
    let (mut values, mut n) = (Vec::new(), Vec::new());
    for g in 0..grouped.n_groups() {
        let counts = grouped.group(g);
        values.push(
            spec.estimate(counts, confidence)
                .map_or(f64::NAN, |e| e.value()),
        );
        n.push(counts.kish_effective_n());
    }
    let f = super::funnel::funnel(&values, &n, target, variance, range, levels, overdispersion)?;
    Ok((values, n, f))
}
