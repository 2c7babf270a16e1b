//! [`KeyedCounts`]: score counts per named group (touchpoint, store, agent...) that a service
//! fills batch by batch, merges across threads or processes, serialises, and reports on with
//! each group's key and the reason a figure is missing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::GroupedCounts;
use crate::counts::{MissingPolicy, ScoreCounts, ScoreValue};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::indicator::spec::IndicatorSpec;
use crate::interval::Confidence;
use crate::response::Response;
use crate::scale::Scale;

/// Score counts per group key, on one scale, all weighted or all unweighted.
///
/// Merging is exact and order-free for unweighted counts (integer sums) and for weighted counts up
/// to the usual rounding of float sums. The JSON form is checked when read back: every group on the
/// declared scale and with the declared weighting, every count valid ([`ScoreCounts`]'s checks).
///
/// # Examples
/// Two threads count their batches of NPS answers per touchpoint; the merged counts give a report
/// row per touchpoint, with its key.
/// ```
/// use cxmetrics::grouping::KeyedCounts;
/// use cxmetrics::indicator::spec::IndicatorSpec;
/// use cxmetrics::{Confidence, MissingPolicy, Scale};
///
/// let mut web = KeyedCounts::new(Scale::NPS);
/// web.add_scores("web", &[10u8, 9, 3, 8], MissingPolicy::Omit)?;
/// let mut store = KeyedCounts::new(Scale::NPS);
/// store.add_scores("store", &[10u8, 10, 7], MissingPolicy::Omit)?;
/// store.add_scores("web", &[6u8], MissingPolicy::Omit)?;
/// web.merge(&store)?;
/// assert_eq!(web.get("web").map(|c| c.n()), Some(5));
///
/// // Serialise (to a store, another process...) and read back, checked.
/// let json = serde_json::to_string(&web).unwrap();
/// let back: KeyedCounts = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, web);
///
/// let spec = IndicatorSpec::parse("nps", None, None, Scale::NPS, false)?;
/// let rows = web.report(&spec, Confidence::default());
/// assert_eq!(rows[0].key, "store");
/// assert!(rows[0].estimate.is_some());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "KeyedCountsData", into = "KeyedCountsData")]
pub struct KeyedCounts {
    scale: Scale,
    weighted: bool,
    groups: BTreeMap<String, ScoreCounts>,
}

/// The serialised form of [`KeyedCounts`], checked on deserialisation.
#[derive(Serialize, Deserialize)]
struct KeyedCountsData {
    scale: Scale,
    weighted: bool,
    groups: BTreeMap<String, ScoreCounts>,
}

impl From<KeyedCounts> for KeyedCountsData {
    fn from(k: KeyedCounts) -> Self {
        KeyedCountsData {
            scale: k.scale,
            weighted: k.weighted,
            groups: k.groups,
        }
    }
}

impl TryFrom<KeyedCountsData> for KeyedCounts {
    type Error = String;
    fn try_from(d: KeyedCountsData) -> std::result::Result<Self, String> {
        for (key, counts) in &d.groups {
            if counts.scale() != d.scale {
                return Err(format!(
                    "group {key:?} is on the scale {}-{}, not {}-{}",
                    counts.scale().min(),
                    counts.scale().max(),
                    d.scale.min(),
                    d.scale.max()
                ));
            }
            if counts.is_weighted() != d.weighted {
                return Err(format!(
                    "group {key:?} is {}weighted, unlike the others",
                    if counts.is_weighted() { "" } else { "not " }
                ));
            }
        }
        Ok(KeyedCounts {
            scale: d.scale,
            weighted: d.weighted,
            groups: d.groups,
        })
    }
}

/// One group's row of a [`KeyedCounts::report`]: its key, its counts and its estimate, or why
/// there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct KeyedEstimate {
    /// The group's key.
    pub key: String,
    /// Responses with an answer.
    pub n: u64,
    /// Responses without one.
    pub n_missing: u64,
    /// The estimate, when it can be computed.
    pub estimate: Option<Estimate>,
    /// When `estimate` is `None`: the error's stable code ([`Error::code`]) and message (no usable
    /// response, a single response for a mean, a method without a weighted form...).
    pub missing_reason: Option<MissingReason>,
}

/// Why a group has no estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingReason {
    /// [`Error::code`].
    pub code: &'static str,
    /// The error's message.
    pub message: String,
}

impl KeyedCounts {
    /// No groups yet, unweighted counts on `scale`.
    pub fn new(scale: Scale) -> Self {
        KeyedCounts {
            scale,
            weighted: false,
            groups: BTreeMap::new(),
        }
    }

    /// No groups yet, weighted counts on `scale`.
    pub fn new_weighted(scale: Scale) -> Self {
        KeyedCounts {
            weighted: true,
            ..KeyedCounts::new(scale)
        }
    }

    fn add(&mut self, key: &str, counts: ScoreCounts) -> Result<()> {
        match self.groups.get_mut(key) {
            Some(existing) => existing.merge(&counts),
            None => {
                self.groups.insert(key.to_owned(), counts);
                Ok(())
            }
        }
    }

    /// Merges every `(key, counts)` into copies of the groups it touches, then commits them all:
    /// a failed merge (a count overflow) leaves `self` as it was, at a cost proportional to the
    /// groups merged, not to `self`.
    fn merge_groups<'a>(
        &mut self,
        groups: impl IntoIterator<Item = (&'a str, &'a ScoreCounts)>,
    ) -> Result<()> {
        let mut merged = Vec::new();
        for (key, counts) in groups {
            let next = match self.groups.get(key) {
                Some(existing) => {
                    let mut next = existing.clone();
                    next.merge(counts)?;
                    next
                }
                None => counts.clone(),
            };
            merged.push((key, next));
        }
        for (key, next) in merged {
            self.groups.insert(key.to_owned(), next);
        }
        Ok(())
    }

    fn check_weighted(&self, weighted: bool) -> Result<()> {
        if self.weighted == weighted {
            Ok(())
        } else {
            Err(Error::Incompatible {
                reason: if self.weighted {
                    "these counts are weighted: add weighted scores".into()
                } else {
                    "these counts are unweighted: add scores without weights".into()
                },
            })
        }
    }

    /// Adds unweighted `scores` to group `key` (created if new).
    ///
    /// # Errors
    /// Those of [`ScoreCounts::from_scores`]; [`Error::Incompatible`] for weighted counts. On an
    /// error nothing is added.
    pub fn add_scores<T: ScoreValue>(
        &mut self,
        key: &str,
        scores: &[T],
        policy: MissingPolicy,
    ) -> Result<()> {
        self.check_weighted(false)?;
        let counts = ScoreCounts::from_scores(scores, self.scale, policy)?;
        self.add(key, counts)
    }

    /// Adds weighted `scores` to group `key` (created if new).
    ///
    /// # Errors
    /// Those of [`ScoreCounts::from_weighted_scores`]; [`Error::Incompatible`] for unweighted
    /// counts. On an error nothing is added.
    pub fn add_weighted_scores<T: ScoreValue>(
        &mut self,
        key: &str,
        scores: &[T],
        weights: &[f64],
        policy: MissingPolicy,
    ) -> Result<()> {
        self.check_weighted(true)?;
        let counts = ScoreCounts::from_weighted_scores(scores, weights, self.scale, policy)?;
        self.add(key, counts)
    }

    /// Adds the answers to `item` of `responses`, each to the group `key(response)` (weighted by
    /// the responses' weights when the counts are weighted; unanswered items count as missing).
    ///
    /// # Errors
    /// Those of [`GroupedCounts::from_responses`]. On an error nothing is added.
    pub fn add_responses(
        &mut self,
        responses: &[Response],
        key: impl Fn(&Response) -> String,
        item: &str,
    ) -> Result<()> {
        let (keys, grouped) =
            GroupedCounts::from_responses(responses, key, item, self.scale, self.weighted)?;
        self.merge_groups(
            keys.iter()
                .enumerate()
                .map(|(g, key)| (key.as_str(), grouped.group(g))),
        )
    }

    /// Adds every group of `other` into `self`.
    ///
    /// # Errors
    /// [`Error::Incompatible`] for another scale or weighting (nothing is merged then), and the
    /// errors of [`ScoreCounts::merge`].
    pub fn merge(&mut self, other: &KeyedCounts) -> Result<()> {
        if other.scale != self.scale {
            return Err(Error::Incompatible {
                reason: format!(
                    "scales {}-{} and {}-{} differ",
                    self.scale.min(),
                    self.scale.max(),
                    other.scale.min(),
                    other.scale.max()
                ),
            });
        }
        self.check_weighted(other.weighted)?;
        self.merge_groups(other.groups.iter().map(|(k, c)| (k.as_str(), c)))
    }

    /// The scale of the counts.
    pub fn scale(&self) -> Scale {
        self.scale
    }
    /// Whether the counts are weighted.
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }
    /// The counts of group `key`.
    pub fn get(&self, key: &str) -> Option<&ScoreCounts> {
        self.groups.get(key)
    }
    /// The groups, by key in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ScoreCounts)> {
        self.groups.iter().map(|(k, c)| (k.as_str(), c))
    }
    /// The number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }
    /// Whether there is no group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The estimate of `spec` for every group, by key in sorted order; a group whose estimate
    /// cannot be computed has `estimate: None` and the reason.
    pub fn report(&self, spec: &IndicatorSpec, confidence: Confidence) -> Vec<KeyedEstimate> {
        self.groups
            .iter()
            .map(|(key, counts)| {
                let (estimate, missing_reason) = match spec.estimate(counts, confidence) {
                    Ok(e) => (Some(e), None),
                    Err(err) => (
                        None,
                        Some(MissingReason {
                            code: err.code(),
                            message: err.to_string(),
                        }),
                    ),
                };
                KeyedEstimate {
                    key: key.clone(),
                    n: counts.n(),
                    n_missing: counts.n_missing(),
                    estimate,
                    missing_reason,
                }
            })
            .collect()
    }
}
