//! Mean score on a response scale (average CSAT, CES or any rating), with a t interval.
//!
//! Methods and sources: `docs/methods.md#t-interval`, `docs/methods.md#satisfaction-index`.

use crate::counts::ScoreCounts;
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator, IntervalMethod, Unit};
use crate::interval::mean::t_interval;
use crate::interval::Confidence;

/// The mean score with a t interval, clipped to the scale.
///
/// Unweighted: `std_error = s/sqrt(n)` with the sample standard deviation `s` (divisor `n - 1`) and
/// `t(n - 1)`, as R `t.test`. Weighted: the weighted mean with the linearisation standard error and
/// `t(n - 1)`, as R `survey` (`svymean`, `confint(..., df = degf(design))`); as there, responses with
/// weight zero still count in `n` and in the degrees of freedom.
///
/// When every response has the same score the standard deviation is 0 and the interval has zero
/// width (R `t.test` refuses such data; here `std_error = 0` says so).
///
/// # Errors
/// [`Error::InsufficientData`] with fewer than 2 responses; [`Error::ZeroTotalWeight`].
///
/// # Examples
///
/// ```
/// use cxmetrics::{mean_score, Confidence, MissingPolicy, Scale, ScoreCounts};
///
/// let counts = ScoreCounts::from_scores(&[5u8, 4, 4, 3, 5, 1, 2, 5, 4, 4], Scale::LIKERT_5, MissingPolicy::Omit)?;
/// let e = mean_score(&counts, Confidence::default())?;
/// assert!((e.value() - 3.7).abs() < 1e-12);
/// assert!((e.lower() - 2.743214781038).abs() < 1e-9); // R: t.test(x)$conf.int
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn mean_score(counts: &ScoreCounts, confidence: Confidence) -> Result<Estimate> {
    let stat = counts.linear_statistic(|s| s as f64)?;
    if stat.n < 2 {
        return Err(Error::InsufficientData {
            statistic: "a mean score's interval",
            needed: 2,
            got: stat.n,
        });
    }
    let nf = stat.n as f64;
    let se = if stat.weighted {
        stat.spread.sqrt()
    } else {
        (stat.spread / (nf - 1.0) / nf).sqrt()
    };
    let scale = counts.scale();
    let ci = t_interval(stat.mean, se, nf - 1.0, confidence)
        .clip(scale.min() as f64, scale.max() as f64);
    Ok(Estimate {
        indicator: Indicator::Mean,
        value: stat.mean,
        lower: ci.lower,
        upper: ci.upper,
        confidence: confidence.level(),
        method: IntervalMethod::T,
        std_error: se,
        n: stat.n,
        effective_n: stat.effective_n,
        n_missing: counts.n_missing(),
        unit: Unit::Score,
        weighted: stat.weighted,
        scale: Some(scale),
        successes: None,
        top: None,
        nps: None,
    })
}

/// The satisfaction index (ISAT): the mean score rescaled to 0-100, `100 (mean - min) / (max - min)`,
/// with the t interval of [`mean_score`] rescaled the same way (unit `index`).
///
/// # Errors
/// As [`mean_score`].
///
/// # Examples
///
/// ```
/// use cxmetrics::{satisfaction_index, Confidence, MissingPolicy, Scale, ScoreCounts};
///
/// let counts = ScoreCounts::from_scores(&[5u8, 4, 4, 3], Scale::LIKERT_5, MissingPolicy::Omit)?;
/// let e = satisfaction_index(&counts, Confidence::default())?;
/// assert_eq!(e.value(), 75.0); // mean 4 on 1-5
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn satisfaction_index(counts: &ScoreCounts, confidence: Confidence) -> Result<Estimate> {
    let mut e = mean_score(counts, confidence)?;
    let scale = counts.scale();
    let (min, span) = (scale.min() as f64, (scale.max() - scale.min()) as f64);
    let rescale = |x: f64| 100.0 * (x - min) / span;
    e.value = rescale(e.value);
    e.lower = rescale(e.lower);
    e.upper = rescale(e.upper);
    e.std_error = 100.0 * e.std_error / span;
    e.indicator = Indicator::SatisfactionIndex;
    e.unit = Unit::Index;
    Ok(e)
}

/// The mean of real values (an outcome such as revenue, a per-respondent index) with a t interval:
/// exactly [`mean_score`]'s estimator for values that are not scale points.
///
/// NaN values are missing: excluded and counted in `n_missing`. Unweighted: `std_error = s/sqrt(n)`
/// with divisor `n - 1` and `t(n - 1)` (R `t.test`). Weighted: the weighted mean with the
/// linearisation variance `n/(n-1) sum_i w_i^2 (y_i - mean)^2 / (sum_i w_i)^2` and `t(n - 1)`
/// (R `survey`: `svymean` on `svydesign(ids = ~1, weights = ~w)`, `confint(..., df = degf(design))`).
/// The result has no scale (unit `score`, the values' own unit) and the interval is not clipped.
///
/// # Errors
/// [`Error::NonFiniteValue`] for an infinite value; [`Error::LengthMismatch`],
/// [`Error::InvalidWeight`] and [`Error::ZeroTotalWeight`] for the weights;
/// [`Error::InsufficientData`] with fewer than 2 values.
///
/// # Examples
///
/// ```
/// use cxmetrics::indicator::mean::mean_of_values;
/// use cxmetrics::Confidence;
///
/// let revenue = [12.5, 40.0, f64::NAN, 7.25, 19.0];
/// let e = mean_of_values(&revenue, None, Confidence::default())?;
/// assert_eq!((e.value(), e.n(), e.n_missing()), (19.6875, 4, 1));
/// assert!((e.upper() - 42.5521064764229).abs() < 1e-9); // R: t.test(c(12.5, 40, 7.25, 19))
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn mean_of_values(
    values: &[f64],
    weights: Option<&[f64]>,
    confidence: Confidence,
) -> Result<Estimate> {
    crate::counts::check_weights(weights, values.len(), "values")?;
    if let Some((position, &value)) = values.iter().enumerate().find(|(_, v)| v.is_infinite()) {
        return Err(Error::NonFiniteValue { value, position });
    }
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let present = || values.iter().enumerate().filter(|(_, v)| !v.is_nan());
    let n = present().count() as u64;
    let n_missing = values.len() as u64 - n;
    if n < 2 {
        return Err(Error::InsufficientData {
            statistic: "a mean's interval",
            needed: 2,
            got: n,
        });
    }
    let nf = n as f64;
    let (total, total_sq) = present().fold((0.0, 0.0), |(s, s2), (i, _)| {
        (s + weight(i), s2 + weight(i) * weight(i))
    });
    if weights.is_some() {
        crate::counts::check_weight_totals(n, total, total_sq)?;
    } else if total <= 0.0 {
        return Err(Error::ZeroTotalWeight { n });
    }
    let mean = present().map(|(i, &v)| weight(i) * v).sum::<f64>() / total;
    let (se, effective_n) = match weights {
        None => {
            let ss: f64 = present().map(|(_, &v)| (v - mean) * (v - mean)).sum();
            ((ss / (nf - 1.0) / nf).sqrt(), nf)
        }
        Some(_) => {
            let dev: f64 = present()
                .map(|(i, &v)| (weight(i) * (v - mean)).powi(2))
                .sum();
            (
                (nf / (nf - 1.0) * dev / (total * total)).sqrt(),
                total * total / total_sq,
            )
        }
    };
    let ci = t_interval(mean, se, nf - 1.0, confidence);
    Ok(Estimate {
        indicator: Indicator::Mean,
        value: mean,
        lower: ci.lower,
        upper: ci.upper,
        confidence: confidence.level(),
        method: IntervalMethod::T,
        std_error: se,
        n,
        effective_n,
        n_missing,
        unit: Unit::Score,
        weighted: weights.is_some(),
        scale: None,
        successes: None,
        top: None,
        nps: None,
    })
}
