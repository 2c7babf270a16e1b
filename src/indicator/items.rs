//! Several answer items of the same respondents, side by side: the input of the composite
//! indicators ([`super::loyalty`], [`super::secure`]).
//!
//! Methods and sources: `docs/methods.md#items`.

use crate::counts::{invalid_score, ScoreValue, Slot};
use crate::error::{Error, Result};
use crate::scale::Scale;

/// One answer item: its name (used in error messages), the respondents' scores in respondent order
/// (NaN = not answered) and its scale.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// The item's name, e.g. the column name.
    pub name: &'a str,
    /// One score per respondent; NaN when not answered.
    pub scores: &'a [f64],
    /// The item's scale.
    pub scale: Scale,
}

impl<'a> Item<'a> {
    /// An item.
    pub fn new(name: &'a str, scores: &'a [f64], scale: Scale) -> Self {
        Item {
            name,
            scores,
            scale,
        }
    }
}

/// Checks that the items have one score per respondent, each a point of the item's scale or
/// missing, and returns the number of respondents.
pub(crate) fn check_items(items: &[Item<'_>]) -> Result<usize> {
    let Some(first) = items.first() else {
        return Err(Error::invalid_parameter(
            "items",
            "[]",
            "at least one item is needed",
        ));
    };
    let n = first.scores.len();
    for item in items {
        if item.scores.len() != n {
            return Err(Error::LengthMismatch {
                left_name: "the first item",
                left: n,
                right_name: "this item",
                right: item.scores.len(),
            }
            .in_column(item.name));
        }
        let (min, points) = (item.scale.min(), item.scale.points() as u64);
        if let Some(position) = item
            .scores
            .iter()
            .position(|s| s.slot(min, points) == Slot::Invalid)
        {
            return Err(
                invalid_score(item.scores[position], position, item.scale).in_column(item.name)
            );
        }
    }
    Ok(n)
}
