//! The loyalty index (IF): several loyalty items (likelihood to recommend, satisfaction, repurchase
//! intention...) combined per respondent on a 0-100 scale.
//!
//! Methods and sources: `docs/methods.md#loyalty-index`.

use super::items::{check_items, Item};
use super::mean::mean_of_values;
use crate::counts::check_weights;
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator, Unit};
use crate::interval::Confidence;

/// The loyalty index: each respondent's index is the item-weighted mean of their answers, each
/// rescaled to 0-100 (`100 (x - min) / (max - min)`); the indicator is the mean of those indexes
/// over respondents, with the t interval of
/// [`mean_of_values`] (weighted by respondent `weights` when given:
/// linearisation variance as R `survey`), clipped to 0-100.
///
/// Rescaling each item to a common 0-100 range before averaging follows the index construction of
/// the customer-satisfaction-index literature (Fornell et al. 1996, "The American Customer
/// Satisfaction Index", Journal of Marketing 60(4), reports indexes on 0-100 from rescaled items);
/// the index here is the plain (item-weighted) mean of the rescaled items, without a latent model.
///
/// Respondents who miss any item are excluded and counted in `n_missing`. `item_weights` (one per
/// item, finite and > 0) default to equal weights.
///
/// # Errors
/// An item's invalid score ([`Error::ScoreOutOfRange`], [`Error::NonIntegerScore`]) or length,
/// named by [`Error::InColumn`]; [`Error::InvalidWeight`] for an item or respondent weight;
/// [`Error::InsufficientData`] with fewer than 2 complete respondents.
///
/// # Examples
///
/// ```
/// use cxmetrics::indicator::items::Item;
/// use cxmetrics::indicator::loyalty::loyalty_index;
/// use cxmetrics::{Confidence, Scale};
///
/// let ltr = [10.0, 8.0, 6.0, f64::NAN];
/// let sat = [5.0, 4.0, 3.0, 5.0];
/// let items = [Item::new("ltr", &ltr, Scale::NPS), Item::new("sat", &sat, Scale::LIKERT_5)];
/// let e = loyalty_index(&items, None, None, Confidence::default())?;
/// // Respondent indexes: (100 + 100)/2, (80 + 75)/2, (60 + 50)/2; the fourth misses `ltr`.
/// assert!((e.value() - (100.0 + 77.5 + 55.0) / 3.0).abs() < 1e-12);
/// assert_eq!((e.n(), e.n_missing()), (3, 1));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn loyalty_index(
    items: &[Item<'_>],
    item_weights: Option<&[f64]>,
    weights: Option<&[f64]>,
    confidence: Confidence,
) -> Result<Estimate> {
    let n = check_items(items)?;
    check_weights(weights, n, "items")?;
    let item_weights: Vec<f64> = match item_weights {
        None => vec![1.0; items.len()],
        Some(w) if w.len() != items.len() => {
            return Err(Error::LengthMismatch {
                left_name: "items",
                left: items.len(),
                right_name: "item weights",
                right: w.len(),
            })
        }
        Some(w) => {
            if let Some(k) = w.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
                return Err(Error::InvalidWeight {
                    value: w[k],
                    position: k,
                }
                .in_column(items[k].name));
            }
            w.to_vec()
        }
    };
    let total_item_weight: f64 = item_weights.iter().sum();
    // One pass per item, accumulating each respondent's weighted sum (NaN propagates "missing").
    let mut index = vec![0.0f64; n];
    for (item, &w) in items.iter().zip(&item_weights) {
        let (min, span) = (
            item.scale.min() as f64,
            (item.scale.max() - item.scale.min()) as f64,
        );
        let factor = 100.0 * w / (span * total_item_weight);
        for (acc, &x) in index.iter_mut().zip(item.scores) {
            *acc += (x - min) * factor;
        }
    }
    let mut e = mean_of_values(&index, weights, confidence)?;
    e.indicator = Indicator::LoyaltyIndex;
    e.unit = Unit::Index;
    e.lower = e.lower.clamp(0.0, 100.0);
    e.upper = e.upper.clamp(0.0, 100.0);
    Ok(e)
}
