//! An estimate against a benchmark or target ("did we beat 40 points?").
//!
//! Methods and sources: `docs/methods.md#test-against-a-target`.

use super::{normal_sf, z_statistic, Alternative, Comparison, ComparisonKind};
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Unit};
use crate::interval::Confidence;

/// Tests an estimate against a fixed `target` (in the estimate's unit): `difference = value - target`,
/// z statistic `(value - target) / std_error` with the estimate's own standard error (for shares the
/// variance at the estimate, `p(1-p)/n`, as statsmodels `proportions_ztest` by default; weighted: the
/// linearisation variance). The interval is the Wald interval of that same z test,
/// `value - target ± z SE` (one-sided with `z(1 - alpha)` for a one-sided alternative), so that it
/// excludes 0 exactly when the test rejects; for the estimate's own interval, use the estimate.
///
/// When the standard error is 0 (all answers in one category) the statistic is ±infinity and the
/// p-value 0 unless the estimate equals the target.
///
/// # Errors
/// [`Error::NotComparable`] for a target outside the indicator's range or not finite.
///
/// # Examples
///
/// ```
/// use cxmetrics::compare::{test_against, Alternative};
/// use cxmetrics::{nps_from_counts, Confidence, NpsMethod};
///
/// let e = nps_from_counts(20, 30, 50, NpsMethod::Wald, Confidence::default())?;
/// let c = test_against(&e, 15.0, Alternative::Greater)?; // did we beat 15 points?
/// assert!((c.difference() - 15.0).abs() < 1e-12);
/// assert!(c.p_value() < 0.05); // z = 15 / 7.81 = 1.92
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn test_against(
    estimate: &Estimate,
    target: f64,
    alternative: Alternative,
) -> Result<Comparison> {
    let (min, max) = match (estimate.unit(), estimate.scale()) {
        (Unit::Points, _) => (-100.0, 100.0),
        (Unit::Percent | Unit::Index, _) => (0.0, 100.0),
        (_, Some(s)) => (s.min() as f64, s.max() as f64),
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    };
    if !(target.is_finite() && (min..=max).contains(&target)) {
        return Err(Error::NotComparable {
            reason: format!(
                "target {target} is outside the range of {} ({min} to {max} {})",
                estimate.indicator().label(),
                estimate.unit().as_str()
            ),
        });
    }
    let difference = estimate.value() - target;
    let se = estimate.std_error();
    let statistic = z_statistic(difference, se);
    let confidence = Confidence::new(estimate.confidence())?;
    let z = alternative.z(confidence);
    let (lower, upper) = alternative.sides(
        difference - z * se,
        difference + z * se,
        min - target,
        max - target,
    );
    Ok(Comparison {
        indicator: estimate.indicator(),
        unit: estimate.unit(),
        kind: ComparisonKind::Target,
        estimate_a: estimate.value(),
        estimate_b: target,
        difference,
        lower,
        upper,
        confidence: estimate.confidence(),
        method: "z",
        std_error: se,
        statistic,
        df: None,
        p_value: alternative.p_value(statistic, normal_sf),
        alternative,
        n_a: estimate.n(),
        n_b: 0,
        n_missing: estimate.n_missing(),
    })
}
