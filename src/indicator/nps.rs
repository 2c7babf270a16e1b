//! Net Promoter Score (Reichheld 2003, "The one number you need to grow", HBR): promoters (9-10)
//! minus detractors (0-6) on the 0-10 likelihood-to-recommend scale, in points (-100..100).
//!
//! Methods and sources: `docs/methods.md#nps-point-estimate`, `docs/methods.md#weighted-nps`.

use crate::counts::ScoreCounts;
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator, IntervalMethod, NpsBreakdown, Unit};
use crate::interval::nps::{nps_interval, per_response_variance, NpsMethod};
use crate::interval::{Confidence, Interval};
use crate::scale::{NpsCategory, Scale};

pub use crate::scale::{DETRACTOR_MAX, PROMOTER_MIN};

/// The NPS category value of a 0-10 score: -1 detractor, 0 passive, +1 promoter
/// ([`NpsCategory::value`]; 0 off the scale).
pub fn category_value(score: i64) -> f64 {
    NpsCategory::of(score).map_or(0.0, NpsCategory::value)
}

/// The NPS of 0-10 counts, with its interval.
///
/// Unweighted, every method of [`NpsMethod`] applies and `std_error = 100 sqrt(Var1/n)` (multinomial,
/// divisor `n`, as R `NPS`). Weighted counts take only [`NpsMethod::Wald`], with the linearisation
/// variance of the mean of `y = +1/0/-1` (R `survey::svymean`, which carries `n/(n-1)`).
///
/// # Errors
/// [`Error::WrongScale`] unless the counts are on 0-10; [`Error::EmptyData`] without responses;
/// [`Error::MethodNotWeighted`] for a weighted estimate with another method than `wald`.
///
/// # Examples
///
/// ```
/// use cxmetrics::{nps, Confidence, MissingPolicy, NpsMethod, Scale, ScoreCounts};
///
/// let scores = [10u8, 9, 9, 8, 7, 6, 3, 10, 9, 0];
/// let counts = ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit)?;
/// let e = nps(&counts, NpsMethod::AdjustedWald, Confidence::default())?;
/// assert_eq!(e.value(), 20.0); // 5 promoters, 3 detractors of 10
/// assert!(e.lower() < 20.0 && 20.0 < e.upper());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn nps(counts: &ScoreCounts, method: NpsMethod, confidence: Confidence) -> Result<Estimate> {
    nps_as(Indicator::Nps, counts, method, confidence)
}

/// The employee Net Promoter Score (eNPS): the NPS of employees' 0-10 likelihood to recommend the
/// employer as a place to work, labelled as such. Same methods and conventions as [`nps`].
///
/// # Errors
/// As [`nps`].
///
/// # Examples
///
/// ```
/// use cxmetrics::{enps, Confidence, MissingPolicy, NpsMethod, Scale, ScoreCounts};
///
/// let counts = ScoreCounts::from_scores(&[9u8, 10, 6, 8], Scale::NPS, MissingPolicy::Omit)?;
/// let e = enps(&counts, NpsMethod::Wald, Confidence::default())?;
/// assert_eq!((e.indicator().as_str(), e.value()), ("enps", 25.0));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn enps(counts: &ScoreCounts, method: NpsMethod, confidence: Confidence) -> Result<Estimate> {
    nps_as(Indicator::Enps, counts, method, confidence)
}

pub(crate) fn nps_as(
    indicator: Indicator,
    counts: &ScoreCounts,
    method: NpsMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    let scale = counts.scale();
    if scale != Scale::NPS {
        return Err(Error::WrongScale {
            indicator: "NPS",
            expected: "0-10",
            min: scale.min(),
            max: scale.max(),
        });
    }
    counts.require_data()?;
    let c = counts.counts();
    let detractors: u64 = c[..=DETRACTOR_MAX as usize].iter().sum();
    let passives: u64 = c[DETRACTOR_MAX as usize + 1..PROMOTER_MIN as usize]
        .iter()
        .sum();
    let promoters: u64 = c[PROMOTER_MIN as usize..].iter().sum();
    if !counts.is_weighted() {
        let mut e = from_category_counts(detractors, passives, promoters, method, confidence)?;
        e.indicator = indicator;
        e.n_missing = counts.n_missing();
        e.scale = Some(scale);
        return Ok(e);
    }
    if method != NpsMethod::Wald {
        return Err(Error::MethodNotWeighted {
            method: method.as_str(),
            indicator: "nps",
            weighted: NpsMethod::WEIGHTED_NAMES,
        });
    }
    let stat = counts.linear_statistic(category_value)?;
    let se = stat.spread.sqrt();
    let ci = Interval::around(stat.mean, confidence.z() * se).clip(-1.0, 1.0);
    let w = counts.weight_sums().expect("weighted counts");
    let total = counts.total_weight();
    let share = |range: std::ops::Range<usize>| 100.0 * w.sum[range].iter().sum::<f64>() / total;
    Ok(Estimate {
        indicator,
        value: 100.0 * stat.mean,
        lower: 100.0 * ci.lower,
        upper: 100.0 * ci.upper,
        confidence: confidence.level(),
        method: IntervalMethod::Nps(method),
        std_error: 100.0 * se,
        n: stat.n,
        effective_n: stat.effective_n,
        n_missing: counts.n_missing(),
        unit: Unit::Points,
        weighted: true,
        scale: Some(scale),
        successes: None,
        top: None,
        nps: Some(NpsBreakdown {
            detractors,
            passives,
            promoters,
            detractor_share: share(0..DETRACTOR_MAX as usize + 1),
            passive_share: share(DETRACTOR_MAX as usize + 1..PROMOTER_MIN as usize),
            promoter_share: share(PROMOTER_MIN as usize..scale.points()),
        }),
    })
}

/// The NPS from detractor, passive and promoter counts (e.g. from a report or a SQL query).
///
/// # Errors
/// [`Error::EmptyData`] when all three counts are zero.
///
/// # Examples
///
/// ```
/// use cxmetrics::{nps_from_counts, Confidence, NpsMethod};
///
/// let e = nps_from_counts(20, 30, 50, NpsMethod::Wald, Confidence::default())?;
/// assert!((e.lower() - 14.6922).abs() < 1e-4 && (e.upper() - 45.3078).abs() < 1e-4);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn nps_from_counts(
    detractors: u64,
    passives: u64,
    promoters: u64,
    method: NpsMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    from_category_counts(detractors, passives, promoters, method, confidence)
}

fn from_category_counts(
    detractors: u64,
    passives: u64,
    promoters: u64,
    method: NpsMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    let n = detractors
        .checked_add(passives)
        .and_then(|s| s.checked_add(promoters))
        .ok_or_else(|| Error::InvalidCounts {
            reason: format!("detractors + passives + promoters ({detractors} + {passives} + {promoters}) overflow"),
        })?;
    if n == 0 {
        return Err(Error::EmptyData {
            n_missing: 0,
            n_total: 0,
        });
    }
    let (d, p, r, nf) = (
        detractors as f64,
        passives as f64,
        promoters as f64,
        n as f64,
    );
    let ci = nps_interval(d, p, r, method, confidence);
    Ok(Estimate {
        indicator: Indicator::Nps,
        value: 100.0 * (r - d) / nf,
        lower: 100.0 * ci.lower,
        upper: 100.0 * ci.upper,
        confidence: confidence.level(),
        method: IntervalMethod::Nps(method),
        std_error: 100.0 * (per_response_variance(d, p, r) / nf).sqrt(),
        n,
        effective_n: nf,
        n_missing: 0,
        unit: Unit::Points,
        weighted: false,
        scale: None,
        successes: None,
        top: None,
        nps: Some(NpsBreakdown {
            detractors,
            passives,
            promoters,
            detractor_share: 100.0 * d / nf,
            passive_share: 100.0 * p / nf,
            promoter_share: 100.0 * r / nf,
        }),
    })
}
