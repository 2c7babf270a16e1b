//! The same respondents in two waves: the change of their NPS.
//!
//! Methods and sources: `docs/methods.md#paired-nps`.

use super::{normal_sf, z_statistic, Alternative, Comparison, ComparisonKind};
use crate::counts::{ScoreValue, Slot};
use crate::error::{Error, Result};
use crate::estimate::{Indicator, Unit};
use crate::interval::Confidence;
use crate::scale::{NpsCategory, Scale};

/// The change in NPS of the same respondents between two waves, `NPS(after) - NPS(before)` in points.
///
/// Each respondent's change is `d_i = y_after - y_before` with `y = +1/0/-1` (promoter, passive,
/// detractor); the interval is `mean(d) ± z sd(d)/sqrt(n)` with the sample standard deviation (ddof 1),
/// and the z test uses the same standard error (`docs/methods.md#paired-nps`; the paired-difference interval of
/// Bonett & Price 2012 in its simplest form). Pairs with a missing side (NaN) are dropped and counted
/// in `n_missing`.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::ScoreOutOfRange`] / [`Error::NonIntegerScore`] naming the score
/// and its position; [`Error::InsufficientData`] with fewer than 2 complete pairs.
///
/// # Examples
///
/// ```
/// use cxmetrics::compare::{nps_paired, Alternative};
/// use cxmetrics::Confidence;
///
/// let before = [6.0, 7.0, 9.0, 3.0, 10.0, 8.0];
/// let after = [9.0, 9.0, 9.0, 7.0, 10.0, f64::NAN];
/// let c = nps_paired(&before, &after, Confidence::default(), Alternative::TwoSided)?;
/// assert_eq!((c.n_a(), c.n_missing()), (5, 1));
/// assert!((c.difference() - 80.0).abs() < 1e-12); // NPS 0 -> 80 on the 5 complete pairs
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn nps_paired<T: ScoreValue>(
    before: &[T],
    after: &[T],
    confidence: Confidence,
    alternative: Alternative,
) -> Result<Comparison> {
    if before.len() != after.len() {
        return Err(Error::LengthMismatch {
            left_name: "before",
            left: before.len(),
            right_name: "after",
            right: after.len(),
        });
    }
    let scale = Scale::NPS;
    let category = |v: T, position: usize| -> Result<Option<f64>> {
        match v.slot(scale.min(), scale.points() as u64) {
            Slot::Point(k) => Ok(NpsCategory::of(scale.score_at(k)).map(NpsCategory::value)),
            Slot::Missing => Ok(None),
            Slot::Invalid => Err(crate::counts::invalid_score(v.to_f64(), position, scale)),
        }
    };
    // Counts of the 9 (before, after) category pairs: enough for the mean and variance of d.
    let mut n = 0u64;
    let mut n_missing = 0u64;
    let (mut sum_b, mut sum_a, mut sum_d, mut sum_d2) = (0.0, 0.0, 0.0, 0.0);
    for (i, (&b, &a)) in before.iter().zip(after).enumerate() {
        match (category(b, i)?, category(a, i)?) {
            (Some(yb), Some(ya)) => {
                let d = ya - yb;
                n += 1;
                sum_b += yb;
                sum_a += ya;
                sum_d += d;
                sum_d2 += d * d;
            }
            _ => n_missing += 1,
        }
    }
    if n < 2 {
        return Err(Error::InsufficientData {
            statistic: "a paired NPS comparison",
            needed: 2,
            got: n,
        });
    }
    let nf = n as f64;
    let mean = sum_d / nf;
    let var = ((sum_d2 - nf * mean * mean) / (nf - 1.0)).max(0.0);
    let se = 100.0 * (var / nf).sqrt();
    let difference = 100.0 * mean;
    let z = alternative.z(confidence);
    let (lower, upper) = alternative.sides(difference - z * se, difference + z * se, -200.0, 200.0);
    let statistic = z_statistic(difference, se);
    Ok(Comparison {
        indicator: Indicator::Nps,
        unit: Unit::Points,
        kind: ComparisonKind::Paired,
        estimate_a: 100.0 * sum_a / nf,
        estimate_b: 100.0 * sum_b / nf,
        difference,
        lower,
        upper,
        confidence: confidence.level(),
        method: "paired_z",
        std_error: se,
        statistic,
        df: None,
        p_value: alternative.p_value(statistic, normal_sf),
        alternative,
        n_a: n,
        n_b: n,
        n_missing,
    })
}
