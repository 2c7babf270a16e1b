//! NPS and top-box estimates with resampling or Bayesian intervals (`docs/methods.md`, "Resampling
//! intervals" and "Weighted bootstrap"). The value and standard error are those of the plain
//! estimate (Wald); only the interval comes from the resamples or the posterior.
//!
//! Unweighted estimates resample the category counts ([`resampled_nps`], [`resampled_share`]: one
//! multinomial draw per replicate, whatever the number of responses). Weighted estimates resample
//! the respondents with their weights ([`weighted_resampled_nps`], [`weighted_resampled_share`]),
//! so they take the scores, not counts.

use crate::counts::{MissingPolicy, ScoreCounts};
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator};
use crate::indicator::nps::nps_as;
use crate::indicator::top_box::top_box_as;
use crate::interval::nps::NpsMethod;
use crate::interval::proportion::ProportionMethod;
use crate::interval::resampling::{
    check_options, nps_counts_interval, share_counts_interval, weighted_bootstrap_interval,
    ResamplingOptions,
};
use crate::interval::Confidence;
use crate::scale::{NpsCategory, Scale};

fn unweighted(counts: &ScoreCounts, options: &ResamplingOptions) -> Result<()> {
    if counts.is_weighted() {
        return Err(Error::MethodNotWeighted {
            method: options.method.as_str(),
            indicator: "resampling intervals from counts",
            weighted: &["bootstrap (from the scores and weights)", "wald"],
        });
    }
    check_options(options)
}

/// NPS (or eNPS, by `indicator`) with a bootstrap (percentile or BCa) or Bayesian (Dirichlet
/// posterior) interval, from unweighted 0-10 counts.
///
/// # Errors
/// [`Error::MethodNotWeighted`] for weighted counts; [`Error::InvalidParameter`] for fewer than 2 or
/// more than [`MAX_RESAMPLES`](crate::interval::resampling::MAX_RESAMPLES) resamples, or a prior
/// outside (0, [`MAX_PRIOR`](crate::interval::resampling::MAX_PRIOR)]; those of
/// [`nps`](crate::nps).
///
/// # Examples
/// ```
/// use cxmetrics::indicator::resampled::resampled_nps;
/// use cxmetrics::interval::resampling::{ResamplingMethod, ResamplingOptions};
/// use cxmetrics::{Confidence, Indicator, Scale, ScoreCounts};
/// let counts = ScoreCounts::from_counts(Scale::NPS, vec![10, 5, 5, 5, 5, 5, 5, 20, 20, 30, 40], 0)?;
/// let options = ResamplingOptions::new(ResamplingMethod::Bootstrap).with_seed(7);
/// let e = resampled_nps(Indicator::Nps, &counts, &options, Confidence::default())?;
/// assert!(e.lower() < e.value() && e.value() < e.upper());
/// assert_eq!(e, resampled_nps(Indicator::Nps, &counts, &options, Confidence::default())?); // seeded
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn resampled_nps(
    indicator: Indicator,
    counts: &ScoreCounts,
    options: &ResamplingOptions,
    confidence: Confidence,
) -> Result<Estimate> {
    unweighted(counts, options)?;
    let e = nps_as(indicator, counts, NpsMethod::Wald, confidence)?;
    let b = e.nps_breakdown().copied().ok_or(Error::InvalidCounts {
        reason: "an NPS estimate without its categories".into(),
    })?;
    let interval =
        nps_counts_interval((b.detractors, b.passives, b.promoters), options, confidence)?;
    Ok(e.with_resampled_interval(interval, options.method))
}

/// A top-box share (CSAT, CES, ..., by `indicator`) with a bootstrap (percentile or BCa) or Bayesian
/// (Beta posterior, exact quantiles) interval, from unweighted counts.
///
/// # Errors
/// As [`resampled_nps`], and those of [`top_box_as`].
pub fn resampled_share(
    indicator: Indicator,
    counts: &ScoreCounts,
    top: u32,
    options: &ResamplingOptions,
    confidence: Confidence,
) -> Result<Estimate> {
    unweighted(counts, options)?;
    let e = top_box_as(indicator, counts, top, ProportionMethod::Wald, confidence)?;
    let x = e.successes().ok_or(Error::InvalidCounts {
        reason: "an unweighted share without its successes".into(),
    })?;
    let interval = share_counts_interval(x, e.n(), options, confidence)?;
    Ok(e.with_resampled_interval(interval, options.method))
}

/// Weighted NPS (or eNPS) of 0-10 `scores` with a bootstrap interval from the respondents, resampled
/// with their weights. The value and standard error are those of the weighted Wald estimate
/// (linearisation variance, as R `survey::svymean`).
///
/// # Errors
/// [`Error::MethodNotWeighted`] for the Bayesian method; those of
/// [`ScoreCounts::from_weighted_scores`] and of
/// [`weighted_bootstrap_interval`]; [`Error::Interrupted`] when the interrupt check fires.
///
/// # Examples
/// ```
/// use cxmetrics::indicator::resampled::weighted_resampled_nps;
/// use cxmetrics::interval::resampling::{ResamplingMethod, ResamplingOptions};
/// use cxmetrics::{Confidence, Indicator, MissingPolicy};
/// let scores = [10.0, 9.0, 3.0, 8.0, 10.0, 6.0, 9.0, 7.0];
/// let weights = [1.0, 2.0, 0.5, 1.0, 1.5, 1.0, 0.8, 1.2];
/// let options = ResamplingOptions::new(ResamplingMethod::Bootstrap).with_seed(1);
/// let e = weighted_resampled_nps(Indicator::Nps, &scores, &weights, MissingPolicy::Omit, &options,
///     Confidence::default())?;
/// assert!(e.is_weighted() && e.lower() <= e.value() && e.value() <= e.upper());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn weighted_resampled_nps(
    indicator: Indicator,
    scores: &[f64],
    weights: &[f64],
    policy: MissingPolicy,
    options: &ResamplingOptions,
    confidence: Confidence,
) -> Result<Estimate> {
    let counts = ScoreCounts::from_weighted_scores(scores, weights, Scale::NPS, policy)?;
    let e = nps_as(indicator, &counts, NpsMethod::Wald, confidence)?;
    let values: Vec<f64> = scores
        .iter()
        .map(|&s| NpsCategory::of_f64(s).map_or(f64::NAN, |c| 100.0 * c.value()))
        .collect();
    let interval = weighted_bootstrap_interval(&values, weights, e.value(), options, confidence)?;
    Ok(e.with_resampled_interval(interval, options.method))
}

/// A weighted top-box share of `scores` on `scale` (the `top` highest points) with a bootstrap
/// interval from the respondents, resampled with their weights.
///
/// # Errors
/// As [`weighted_resampled_nps`], and those of [`top_box_as`].
#[allow(clippy::too_many_arguments)]
pub fn weighted_resampled_share(
    indicator: Indicator,
    scores: &[f64],
    weights: &[f64],
    scale: Scale,
    top: u32,
    policy: MissingPolicy,
    options: &ResamplingOptions,
    confidence: Confidence,
) -> Result<Estimate> {
    let counts = ScoreCounts::from_weighted_scores(scores, weights, scale, policy)?;
    let e = top_box_as(indicator, &counts, top, ProportionMethod::Wald, confidence)?;
    let threshold = (scale.max() - i64::from(top) + 1) as f64;
    let values: Vec<f64> = scores
        .iter()
        .map(|&s| {
            if s.is_nan() {
                f64::NAN
            } else if s >= threshold {
                100.0
            } else {
                0.0
            }
        })
        .collect();
    let interval = weighted_bootstrap_interval(&values, weights, e.value(), options, confidence)?;
    Ok(e.with_resampled_interval(interval, options.method))
}
