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
    let mut out = empty_columns();
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
            shares_into(&mut out, successes, trials, confidence)?;
        }
        IndicatorSpec::Mean { index: false } => {
            let estimates: Vec<Option<(f64, f64, f64)>> = groups
                .iter()
                .map(|c| {
                    spec.estimate(c, confidence)
                        .ok()
                        .map(|e| (e.value(), e.std_error(), c.kish_effective_n()))
                })
                .collect();
            let ns: Vec<f64> = groups.iter().map(|c| c.kish_effective_n()).collect();
            means_into(&mut out, &estimates, ns, confidence)?;
        }
        IndicatorSpec::Nps { .. } => {
            let counts: Vec<[f64; 3]> = groups.iter().map(|c| category_counts(c)).collect();
            nps_into(&mut out, &counts, confidence)?;
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

/// The model of a summarised indicator ([`shrink_summarised`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SummaryModel {
    /// A share in percent (CSAT, CES, any top box): beta-binomial.
    Share,
    /// An NPS in points, with its category percentages: Dirichlet-multinomial.
    Nps,
    /// A mean score: normal-normal.
    Mean,
}

/// What a per-group report (a `summarize` table) says of each group: enough to shrink the groups
/// without their responses. Every slice has one entry per group.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct GroupSummaries<'a> {
    /// The raw estimate (percent for shares, points for NPS, scale units for means; NaN for a
    /// group without answers).
    pub value: &'a [f64],
    /// The raw interval's lower limits.
    pub lower: &'a [f64],
    /// The raw interval's upper limits.
    pub upper: &'a [f64],
    /// The raw estimate's standard error (used for means).
    pub std_error: &'a [f64],
    /// Kish's effective number of answers (the number of answers when unweighted).
    pub effective_n: &'a [f64],
    /// NPS only: the (weighted) percentages of detractors, passives and promoters.
    pub categories: Option<&'a [[f64; 3]]>,
}

impl<'a> GroupSummaries<'a> {
    /// The summaries of a report's columns.
    pub fn new(
        value: &'a [f64],
        lower: &'a [f64],
        upper: &'a [f64],
        std_error: &'a [f64],
        effective_n: &'a [f64],
        categories: Option<&'a [[f64; 3]]>,
    ) -> Self {
        GroupSummaries {
            value,
            lower,
            upper,
            std_error,
            effective_n,
            categories,
        }
    }
}

/// Shrinks groups known only by their report ([`GroupSummaries`]): the same models as
/// [`shrink_grouped`], whose inputs are functions of a report's columns. Shares: `n_eff` trials
/// and `n_eff * value / 100` successes (Kish's effective counts; the counts themselves when
/// unweighted). NPS: `n_eff * percent / 100` detractors, passives and promoters. Means: the group
/// means and their squared standard errors (a group with a single answer, whose standard error is
/// not finite, takes the pooled within-group variance over its n). A group without a value (no
/// answers; a report's mean of a single answer) gets the prior. On a report of the same data the
/// result equals [`shrink_grouped`]'s up to rounding (the report's percentages carry the counts).
///
/// # Errors
/// [`Error::LengthMismatch`] when the columns differ in length; [`Error::InvalidParameter`]
/// naming the column and group for an effective n that is negative or not finite beside a value, a
/// share outside
/// 0-100, an NPS without its categories or with percentages that are negative or do not add up to
/// 100; those of the models.
///
/// # Examples
/// ```
/// use cxmetrics::shrink::{shrink_summarised, GroupSummaries, SummaryModel};
/// use cxmetrics::Confidence;
/// // Three stores' CSAT as a report gives it: 100% of 6, 60% of 40, 70% of 30.
/// let (value, n) = ([100.0, 60.0, 70.0], [6.0, 40.0, 30.0]);
/// let nan = [f64::NAN; 3];
/// let summaries = GroupSummaries::new(&value, &nan, &nan, &nan, &n, None);
/// let shrunk = shrink_summarised(SummaryModel::Share, &summaries, Confidence::default())?;
/// assert!(shrunk.estimate[0] < 100.0);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn shrink_summarised(
    model: SummaryModel,
    summaries: &GroupSummaries<'_>,
    confidence: Confidence,
) -> Result<ShrunkColumns> {
    let g = summaries.value.len();
    for (name, len) in [
        ("lower", summaries.lower.len()),
        ("upper", summaries.upper.len()),
        ("std_error", summaries.std_error.len()),
        ("effective_n", summaries.effective_n.len()),
        ("categories", summaries.categories.map_or(g, <[_]>::len)),
    ] {
        if len != g {
            return Err(Error::LengthMismatch {
                left_name: "value",
                left: g,
                right_name: name,
                right: len,
            });
        }
    }
    if let Some(i) = (0..g).find(|&i| {
        let n = summaries.effective_n[i];
        summaries.value[i].is_finite() && !(n.is_finite() && n >= 0.0)
    }) {
        return Err(Error::invalid_parameter(
            "effective_n",
            format!("{} (group {i})", summaries.effective_n[i]),
            "must be finite and >= 0",
        ));
    }
    let mut out = empty_columns();
    out.raw = summaries.value.to_vec();
    out.raw_lower = summaries.lower.to_vec();
    out.raw_upper = summaries.upper.to_vec();
    // A group without answers (n 0, or no value: a report gives none for a mean of one answer) has
    // no counts, and gets the prior.
    let answered = |i: usize| summaries.effective_n[i] > 0.0 && summaries.value[i].is_finite();
    match model {
        SummaryModel::Share => {
            if let Some(i) =
                (0..g).find(|&i| answered(i) && !(0.0..=100.0).contains(&summaries.value[i]))
            {
                return Err(Error::invalid_parameter(
                    "value",
                    format!("{} (group {i})", summaries.value[i]),
                    "a share in percent, 0 to 100",
                ));
            }
            let (successes, trials): (Vec<f64>, Vec<f64>) = (0..g)
                .map(|i| {
                    if answered(i) {
                        let n = summaries.effective_n[i];
                        ((n * summaries.value[i] / 100.0).clamp(0.0, n), n)
                    } else {
                        (0.0, 0.0)
                    }
                })
                .unzip();
            shares_into(&mut out, successes, trials, confidence)?;
        }
        SummaryModel::Nps => {
            let categories = summaries.categories.ok_or_else(|| {
                Error::invalid_parameter(
                    "categories",
                    "None",
                    "an NPS needs each group's percent of detractors, passives and promoters",
                )
            })?;
            let mut counts = Vec::with_capacity(g);
            for (i, pct) in categories.iter().enumerate() {
                if !answered(i) {
                    counts.push([0.0; 3]);
                    continue;
                }
                let total: f64 = pct.iter().sum();
                if pct.iter().any(|p| !(p.is_finite() && *p >= 0.0)) || (total - 100.0).abs() > 1e-6
                {
                    return Err(Error::invalid_parameter(
                        "categories",
                        format!("{pct:?} (group {i})"),
                        "percentages of detractors, passives and promoters, >= 0 and adding up to 100",
                    ));
                }
                let n = summaries.effective_n[i];
                counts.push(pct.map(|p| n * p / total));
            }
            nps_into(&mut out, &counts, confidence)?;
        }
        SummaryModel::Mean => {
            let estimates: Vec<Option<(f64, f64, f64)>> = (0..g)
                .map(|i| {
                    answered(i).then(|| {
                        (
                            summaries.value[i],
                            summaries.std_error[i],
                            summaries.effective_n[i],
                        )
                    })
                })
                .collect();
            means_into(
                &mut out,
                &estimates,
                summaries.effective_n.to_vec(),
                confidence,
            )?;
        }
    }
    Ok(out)
}

fn empty_columns() -> ShrunkColumns {
    ShrunkColumns {
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
    }
}

/// The beta-binomial shrinkage of the groups' (effective) top-box successes out of their trials.
fn shares_into(
    out: &mut ShrunkColumns,
    successes: Vec<f64>,
    trials: Vec<f64>,
    confidence: Confidence,
) -> Result<()> {
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
    Ok(())
}

/// The Dirichlet-multinomial shrinkage of the groups' (effective) detractors, passives and
/// promoters.
fn nps_into(out: &mut ShrunkColumns, counts: &[[f64; 3]], confidence: Confidence) -> Result<()> {
    let (fit, shrunk) = shrink_nps(counts, confidence)?;
    out.prior = Prior::Dirichlet(fit);
    for c in counts {
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
    Ok(())
}

/// The normal-normal shrinkage of the groups' mean scores from each group's `(mean, standard
/// error, effective n)` (`None` without answers): a group with one answer takes the pooled
/// within-group variance over its n, groups without answers are left out of the fit and given the
/// population mean. `ns` are the groups' numbers of answers, for the result.
fn means_into(
    out: &mut ShrunkColumns,
    estimates: &[Option<(f64, f64, f64)>],
    ns: Vec<f64>,
    confidence: Confidence,
) -> Result<()> {
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
    for (g, &n) in ns.iter().enumerate() {
        out.n.push(n);
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
