//! Mean score on a response scale (average CSAT, CES or any rating), with a t interval.

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
