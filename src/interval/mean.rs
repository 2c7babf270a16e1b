//! Confidence intervals for a mean score.
//!
//! Methods and sources: `docs/methods.md#t-interval`.

use super::{Confidence, Interval};

/// The t interval `mean ± t(1 - alpha/2; df) · std_error` (Student 1908; R `t.test`,
/// `scipy.stats.t.interval`). Unweighted: `std_error = s/sqrt(n)`, `df = n - 1`. Weighted: the
/// linearisation standard error with `df = n - 1`, as `confint(svymean(...), df = degf(design))` in
/// R `survey`.
///
/// # Examples
///
/// ```
/// use cxmetrics::interval::mean::t_interval;
/// use cxmetrics::Confidence;
///
/// // R: t.test(c(5,4,4,3,5,1,2,5,4,4))$conf.int
/// let ci = t_interval(3.7, 1.3374935098492586 / 10f64.sqrt(), 9.0, Confidence::default());
/// assert!((ci.lower - 2.743214781038).abs() < 1e-9);
/// ```
pub fn t_interval(mean: f64, std_error: f64, df: f64, confidence: Confidence) -> Interval {
    Interval::around(mean, confidence.t(df) * std_error)
}
