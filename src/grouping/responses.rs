//! Grouping collections of typed [`Response`]s.

use std::collections::BTreeMap;

use super::GroupedCounts;
use crate::counts::MissingPolicy;
use crate::error::Result;
use crate::response::Response;
use crate::scale::Scale;

impl GroupedCounts {
    /// Counts the answers to `item` of each group of responses, the groups given by `key` (sorted
    /// by key), weighted by the responses' weights when `weighted`. Unanswered items count as
    /// missing (`n_missing`); every response belongs to its key's group, so nothing is dropped.
    ///
    /// Returns the keys, in order, and the counts per group (group `g` has key `keys[g]`).
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::grouping::GroupedCounts;
    /// use cxmetrics::{Response, Scale, Timestamp, Touchpoint};
    /// let at = Timestamp::parse("2025-05-01T12:00:00Z")?;
    /// let responses = vec![
    ///     Response::builder("C1", at, Touchpoint::new("store")?).nps(10).build()?,
    ///     Response::builder("C2", at, Touchpoint::new("web")?).nps(3).build()?,
    ///     Response::builder("C3", at, Touchpoint::new("store")?).build()?, // NPS not answered
    /// ];
    /// let (keys, grouped) =
    ///     GroupedCounts::from_responses(&responses, |r| r.touchpoint().id().to_string(), "nps", Scale::NPS, false)?;
    /// assert_eq!(keys, ["store", "web"]);
    /// assert_eq!((grouped.group(0).n(), grouped.group(0).n_missing()), (1, 1));
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::ScoreOutOfRange`] when an answer lies outside `scale` (answers read on
    /// another scale); the weight errors of [`GroupedCounts::from_weighted_scores`].
    pub fn from_responses<K: Ord + Clone>(
        responses: &[Response],
        key: impl Fn(&Response) -> K,
        item: &str,
        scale: Scale,
        weighted: bool,
    ) -> Result<(Vec<K>, GroupedCounts)> {
        let (codes, unique) = key_codes(responses, key);
        let grouped = count_answers(responses, &codes, unique.len(), item, scale, weighted)?;
        Ok((unique, grouped))
    }
}

/// Each response's group code, the rank of its key among the distinct keys, and those keys in
/// increasing order.
pub(crate) fn key_codes<K: Ord + Clone>(
    responses: &[Response],
    key: impl Fn(&Response) -> K,
) -> (Vec<u32>, Vec<K>) {
    let keys: Vec<K> = responses.iter().map(&key).collect();
    let mut codes_of: BTreeMap<&K, u32> = keys.iter().map(|k| (k, 0)).collect();
    for (code, slot) in codes_of.values_mut().enumerate() {
        *slot = code as u32;
    }
    let codes = keys.iter().map(|k| codes_of[k]).collect();
    (codes, codes_of.into_keys().cloned().collect())
}

/// The answers to `item` of the responses counted by group (`codes[i]` in `0..n_groups` is
/// response `i`'s group), weighted by the responses' weights when `weighted`; unanswered items
/// count as missing.
pub(crate) fn count_answers(
    responses: &[Response],
    codes: &[u32],
    n_groups: usize,
    item: &str,
    scale: Scale,
    weighted: bool,
) -> Result<GroupedCounts> {
    // Answers are whole numbers within +-2^53, so exact as f64; NaN marks "not answered".
    let scores: Vec<f64> = responses
        .iter()
        .map(|r| r.answer(item).map_or(f64::NAN, |a| a.value() as f64))
        .collect();
    if weighted {
        let weights: Vec<f64> = responses.iter().map(Response::weight).collect();
        GroupedCounts::from_weighted_scores(
            codes,
            n_groups,
            &scores,
            &weights,
            scale,
            MissingPolicy::Omit,
        )
    } else {
        GroupedCounts::from_scores(codes, n_groups, &scores, scale, MissingPolicy::Omit)
    }
}
