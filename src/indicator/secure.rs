//! Secure customers: respondents who are at once promoters, satisfied and likely to repurchase.
//!
//! Methods and sources: `docs/methods.md#secure-customers`.

use super::items::{check_items, Item};
use super::top_box::top_box_as;
use crate::counts::check_weights;
use crate::counts::{MissingPolicy, ScoreCounts};
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator};
use crate::interval::proportion::ProportionMethod;
use crate::interval::Confidence;
use crate::scale::Scale;

/// The share of respondents in the top box of every criterion, in percent, with a share interval
/// (Wilson by default; weighted with the design-effective n of
/// [`top_box_as`]).
///
/// Each criterion is an [`Item`] with its top-box size. The idea is Burke Inc.'s "Secure Customer
/// Index" (customers at the top of satisfaction, intention to continue and willingness to recommend
/// at once; described in B. E. Hayes, *Measuring Customer Satisfaction and Loyalty*, 3rd ed., ASQ
/// Quality Press, 2008); the criteria of `cxmetrics.secure_customers` are likelihood to recommend
/// (top 2 of 0-10: promoters), satisfaction (top 2 of 1-5) and repurchase intention (top 2 of 1-5).
/// Respondents who miss any criterion are excluded and counted in `n_missing`.
///
/// # Errors
/// An item's invalid score or length (named by [`Error::InColumn`]); [`Error::InvalidTopBox`];
/// the errors of [`top_box_as`].
///
/// # Examples
///
/// ```
/// use cxmetrics::indicator::items::Item;
/// use cxmetrics::indicator::secure::secure_customers;
/// use cxmetrics::{Confidence, ProportionMethod, Scale};
///
/// let ltr = [10.0, 9.0, 9.0, 6.0, 10.0];
/// let sat = [5.0, 4.0, 3.0, 5.0, f64::NAN];
/// let rep = [4.0, 5.0, 5.0, 5.0, 5.0];
/// let criteria = [
///     (Item::new("ltr", &ltr, Scale::NPS), 2),
///     (Item::new("sat", &sat, Scale::LIKERT_5), 2),
///     (Item::new("rep", &rep, Scale::LIKERT_5), 2),
/// ];
/// let e = secure_customers(&criteria, None, ProportionMethod::Wilson, Confidence::default())?;
/// assert_eq!((e.value(), e.n(), e.n_missing()), (50.0, 4, 1)); // respondents 1 and 2 of 4
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn secure_customers(
    criteria: &[(Item<'_>, u32)],
    weights: Option<&[f64]>,
    method: ProportionMethod,
    confidence: Confidence,
) -> Result<Estimate> {
    let items: Vec<Item<'_>> = criteria.iter().map(|(item, _)| *item).collect();
    let n = check_items(&items)?;
    check_weights(weights, n, "items")?;
    // 1 = in every top box, 0 = not, NaN = a criterion unanswered.
    let mut secure = vec![1.0f64; n];
    for (item, top) in criteria {
        let scale = item.scale;
        if *top == 0 || *top as usize >= scale.points() {
            return Err(Error::InvalidTopBox {
                top: i64::from(*top),
                min: scale.min(),
                max: scale.max(),
            }
            .in_column(item.name));
        }
        let threshold = (scale.max() - i64::from(*top) + 1) as f64;
        for (flag, &x) in secure.iter_mut().zip(item.scores) {
            if x.is_nan() {
                *flag = f64::NAN;
            } else if x < threshold && !flag.is_nan() {
                *flag = 0.0;
            }
        }
    }
    let yes_no = Scale::new(0, 1)?;
    let counts = match weights {
        None => ScoreCounts::from_scores(&secure, yes_no, MissingPolicy::Omit)?,
        Some(w) => ScoreCounts::from_weighted_scores(&secure, w, yes_no, MissingPolicy::Omit)?,
    };
    top_box_as(Indicator::SecureCustomers, &counts, 1, method, confidence)
}
