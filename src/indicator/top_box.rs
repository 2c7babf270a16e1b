//! Top-box shares: the percentage of responses in the top `k` points of a scale. CSAT is the top 2 of
//! 1-5 ("satisfied" or "very satisfied"), CES the top 3 of 1-7 (5-7, "easy"), repurchase intention
//! the top 2 of 1-5.

use crate::counts::ScoreCounts;
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator, IntervalMethod, Unit};
use crate::interval::proportion::{binomial_interval, weighted_interval, ProportionMethod};
use crate::interval::Confidence;

/// The share of responses in the top `top` points of the counts' scale, labelled as `indicator`.
///
/// Unweighted: `std_error = 100 sqrt(p(1-p)/n)` and any [`ProportionMethod`]. Weighted: the
/// linearisation variance of the mean of the 0/1 top-box indicator (R `survey::svymean`) and the
/// `wald` or `wilson` method.
///
/// # Errors
/// [`Error::NotAShare`] unless `indicator` is a share (`Csat`, `Ces`, `Repurchase`, `TopBox`); [`Error::InvalidTopBox`]
/// unless `1 <= top < points`; [`Error::EmptyData`] without responses;
/// [`Error::MethodNotWeighted`] for weighted counts with a method other than `wald` or `wilson`.
///
/// # Examples
///
/// ```
/// use cxmetrics::{top_box_as, Confidence, Indicator, MissingPolicy, ProportionMethod, Scale, ScoreCounts};
///
/// let counts = ScoreCounts::from_scores(&[5u8, 4, 4, 3, 5, 1, 2, 5, 4, 4], Scale::LIKERT_5, MissingPolicy::Omit)?;
/// let e = top_box_as(Indicator::Csat, &counts, 2, ProportionMethod::Wilson, Confidence::default())?;
/// assert_eq!(e.value(), 70.0);
/// assert_eq!(e.indicator().as_str(), "csat");
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn top_box_as(
    indicator: Indicator,
    counts: &ScoreCounts,
    top: u32,
    method: ProportionMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    if !indicator.is_share() {
        return Err(Error::NotAShare {
            indicator: indicator.label(),
        });
    }
    let scale = counts.scale();
    if top == 0 || top as usize >= scale.points() {
        return Err(Error::InvalidTopBox {
            top: top as i64,
            min: scale.min(),
            max: scale.max(),
        });
    }
    let threshold = scale.max() - top as i64 + 1;
    let successes: u64 = counts.counts()[(threshold - scale.min()) as usize..]
        .iter()
        .sum();
    let mut e = if counts.is_weighted() {
        let stat = counts.linear_statistic(|s| if s >= threshold { 1.0 } else { 0.0 })?;
        let ci = weighted_interval(stat.mean, stat.spread, stat.effective_n, method, confidence)?;
        share_estimate(
            stat.mean,
            stat.spread.sqrt(),
            ci.lower,
            ci.upper,
            stat.n,
            stat.effective_n,
        )
    } else {
        let n = counts.require_data()?;
        from_counts(successes, n, method, confidence)?
    };
    e.indicator = indicator;
    e.method = IntervalMethod::Proportion(method);
    e.confidence = confidence.level();
    e.n_missing = counts.n_missing();
    e.weighted = counts.is_weighted();
    e.scale = Some(scale);
    e.successes = Some(successes);
    e.top = Some(top);
    Ok(e)
}

/// Any top-box share: the top `top` points of the counts' scale. See [`top_box_as`].
///
/// # Errors
/// As [`top_box_as`].
pub fn top_box(
    counts: &ScoreCounts,
    top: u32,
    method: ProportionMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    top_box_as(Indicator::TopBox, counts, top, method, confidence)
}

/// CSAT: the share of the top 2 points (4-5 on 1-5). See [`top_box_as`].
///
/// # Errors
/// As [`top_box_as`].
pub fn csat(
    counts: &ScoreCounts,
    method: ProportionMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    top_box_as(Indicator::Csat, counts, 2, method, confidence)
}

/// CES: the share of the top 3 points (5-7 on 1-7, where 7 = very easy). See [`top_box_as`].
///
/// # Errors
/// As [`top_box_as`].
pub fn ces(
    counts: &ScoreCounts,
    method: ProportionMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    top_box_as(Indicator::Ces, counts, 3, method, confidence)
}

/// A top-box share from `successes` out of `n` responses.
///
/// # Errors
/// [`Error::EmptyData`] when `n = 0`; [`Error::InvalidCounts`] when `successes > n`.
///
/// # Examples
///
/// ```
/// use cxmetrics::{top_box_from_counts, Confidence, ProportionMethod};
///
/// // statsmodels: proportion_confint(18, 20, method="beta")
/// let e = top_box_from_counts(18, 20, ProportionMethod::ClopperPearson, Confidence::default())?;
/// assert_eq!(e.value(), 90.0);
/// assert!((e.lower() - 68.30172860).abs() < 1e-6);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn top_box_from_counts(
    successes: u64,
    n: u64,
    method: ProportionMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    from_counts(successes, n, method, confidence)
}

fn from_counts(
    successes: u64,
    n: u64,
    method: ProportionMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    if n == 0 {
        return Err(Error::EmptyData {
            n_missing: 0,
            n_total: 0,
        });
    }
    if successes > n {
        return Err(Error::InvalidCounts {
            reason: format!("successes ({successes}) exceed the number of responses ({n})"),
        });
    }
    let (x, nf) = (successes as f64, n as f64);
    let p = x / nf;
    let ci = binomial_interval(x, nf, method, confidence);
    let mut e = share_estimate(p, (p * (1.0 - p) / nf).sqrt(), ci.lower, ci.upper, n, nf);
    e.method = IntervalMethod::Proportion(method);
    e.confidence = confidence.level();
    e.successes = Some(successes);
    Ok(e)
}

/// A top-box estimate in percent from a proportion, its standard error and its interval on [0, 1].
fn share_estimate(p: f64, se: f64, lower: f64, upper: f64, n: u64, effective_n: f64) -> Estimate {
    Estimate {
        indicator: Indicator::TopBox,
        value: 100.0 * p,
        lower: 100.0 * lower,
        upper: 100.0 * upper,
        confidence: f64::NAN,
        method: IntervalMethod::Proportion(ProportionMethod::Wilson),
        std_error: 100.0 * se,
        n,
        effective_n,
        n_missing: 0,
        unit: Unit::Percent,
        weighted: false,
        scale: None,
        successes: None,
        top: None,
        nps: None,
    }
}
