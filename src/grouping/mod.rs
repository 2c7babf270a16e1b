//! Grouped counts: per-group [`ScoreCounts`] for any number of groups in one pass over integer-coded
//! group keys, for touchpoint, channel, segment and period reports.

mod columns;
mod factorize;
mod keyed;
mod report;
pub(crate) mod responses;

#[doc(hidden)]
pub use columns::PARALLEL_ROWS;
pub use columns::{group_columns, GroupKeys, GroupedColumns, ScoreColumn};
pub use factorize::factorize_integers;
#[doc(hidden)]
pub use factorize::factorize_strings;
pub use keyed::{KeyedCounts, KeyedEstimate, MissingReason};
pub use report::{report, report_columns, GroupResult, IndicatorSpec, ReportColumns};

use crate::counts::{score_problem, MissingPolicy, ScoreCounts, ScoreValue, WeightSums};
use crate::error::{Error, Result};
use crate::scale::Scale;

/// Counts per group and scale point, built in one pass over `(group code, score[, weight])`.
///
/// # Examples
///
/// ```
/// use cxmetrics::grouping::GroupedCounts;
/// use cxmetrics::{MissingPolicy, Scale};
///
/// let codes = [0u32, 1, 0, 1, 1];
/// let scores = [10u8, 0, 9, 7, 10];
/// let g = GroupedCounts::from_scores(&codes, 2, &scores, Scale::NPS, MissingPolicy::Omit)?;
/// assert_eq!(g.group(0).n(), 2);
/// assert_eq!(g.group(1).count(0), 1);
/// assert_eq!(g.total().n(), 5);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedCounts {
    scale: Scale,
    groups: Vec<ScoreCounts>,
    total: ScoreCounts,
}

fn check_codes(codes_len: usize, other_len: usize, other: &'static str) -> Result<()> {
    if codes_len != other_len {
        return Err(Error::LengthMismatch {
            left_name: "group codes",
            left: codes_len,
            right_name: other,
            right: other_len,
        });
    }
    Ok(())
}

/// The most table bins (groups x (scale points + 2), x 3 when weighted) one grouped count may hold:
/// 2^27 bins, 1 GiB of 8-byte counters. More groups than that are refused before anything is
/// allocated.
pub const MAX_TABLE_BINS: usize = 1 << 27;

/// Checks that `n_groups` groups of `scale`, weighted or not, fit in [`MAX_TABLE_BINS`].
pub(crate) fn check_n_groups(n_groups: usize, scale: Scale, weighted: bool) -> Result<()> {
    let bins = n_groups
        .checked_mul(scale.points() + 2)
        .and_then(|b| b.checked_mul(if weighted { 3 } else { 1 }));
    match bins {
        Some(b) if b <= MAX_TABLE_BINS => Ok(()),
        _ => Err(Error::invalid_parameter(
            "n_groups",
            n_groups,
            format!(
                "{n_groups} groups of the scale {}-{} need more than {MAX_TABLE_BINS} table bins; \
                 use fewer groups (or, for a trend, fewer periods: a coarser freq, or check the \
                 time column for a mistyped date)",
                scale.min(),
                scale.max()
            ),
        )),
    }
}

fn bad_code(codes: &[u32], n_groups: usize) -> Error {
    match codes
        .iter()
        .enumerate()
        .find(|(_, &c)| c as usize >= n_groups)
    {
        Some((position, &code)) => Error::InvalidGroupCode {
            code: code as u64,
            position,
            n_groups,
        },
        // The counting pass saw one; a rescan that does not means the codes were written to.
        None => Error::InputChanged {
            what: "group codes",
        },
    }
}

impl GroupedCounts {
    /// Counts `scores[i]` into group `codes[i]` (`0 <= code < n_groups`).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], [`Error::InvalidGroupCode`], and the score errors of
    /// [`ScoreCounts::from_scores`] (naming the score and its position).
    pub fn from_scores<T: ScoreValue>(
        codes: &[u32],
        n_groups: usize,
        scores: &[T],
        scale: Scale,
        policy: MissingPolicy,
    ) -> Result<Self> {
        check_codes(codes.len(), scores.len(), "scores")?;
        check_n_groups(n_groups, scale, false)?;
        let points = scale.points();
        let stride = points + 2;
        let mut flat = vec![0u64; n_groups * stride + 1];
        let overflow_bin = n_groups * stride;
        for (&code, &score) in codes.iter().zip(scores) {
            let bin = score.bin(scale.min(), points as u64);
            let idx = (code as usize)
                .checked_mul(stride)
                .map_or(overflow_bin, |base| base + bin);
            flat[idx.min(overflow_bin)] += 1;
        }
        if flat[overflow_bin] > 0 {
            return Err(bad_code(codes, n_groups));
        }
        let mut groups = Vec::with_capacity(n_groups);
        for g in 0..n_groups {
            let row = &flat[g * stride..(g + 1) * stride];
            if row[points] > 0 || (row[points + 1] > 0 && policy == MissingPolicy::Raise) {
                return Err(first_problem(codes, g as u32, scores, scale, policy));
            }
            groups.push(ScoreCounts::from_counts(
                scale,
                row[..points].to_vec(),
                row[points + 1],
            )?);
        }
        Ok(GroupedCounts::new(scale, groups, false))
    }

    /// The groups' counts as they are (for instance merged from partitions, or one
    /// `ScoreCounts` per store built elsewhere), group `g` the `g`-th.
    ///
    /// # Errors
    /// [`Error::EmptyData`] without groups; [`Error::Incompatible`] when the groups' scales differ or
    /// only some are weighted (naming the first group that differs from group 0).
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::grouping::GroupedCounts;
    /// use cxmetrics::{ScoreCounts, Scale};
    /// let a = ScoreCounts::from_counts(Scale::NPS, vec![1, 0, 0, 0, 0, 0, 0, 2, 0, 3, 4], 0)?;
    /// let b = ScoreCounts::from_counts(Scale::NPS, vec![0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5], 0)?;
    /// let grouped = GroupedCounts::from_groups(vec![a, b])?;
    /// assert_eq!((grouped.n_groups(), grouped.total().n()), (2, 16));
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn from_groups(groups: Vec<ScoreCounts>) -> Result<Self> {
        let first = groups.first().ok_or(Error::EmptyData {
            n_missing: 0,
            n_total: 0,
        })?;
        let (scale, weighted) = (first.scale(), first.is_weighted());
        if let Some((g, c)) = groups
            .iter()
            .enumerate()
            .find(|(_, c)| c.scale() != scale || c.is_weighted() != weighted)
        {
            return Err(Error::Incompatible {
                reason: format!(
                    "group {g} ({}, {}) differs from group 0 ({scale}, {})",
                    c.scale(),
                    if c.is_weighted() {
                        "weighted"
                    } else {
                        "unweighted"
                    },
                    if weighted { "weighted" } else { "unweighted" }
                ),
            });
        }
        check_n_groups(groups.len(), scale, weighted)?;
        let mut total = if weighted {
            ScoreCounts::new_weighted(scale)
        } else {
            ScoreCounts::new(scale)
        };
        for g in &groups {
            total.merge(g)?;
        }
        Ok(GroupedCounts {
            scale,
            groups,
            total,
        })
    }

    fn new(scale: Scale, groups: Vec<ScoreCounts>, weighted: bool) -> Self {
        let mut total = if weighted {
            ScoreCounts::new_weighted(scale)
        } else {
            ScoreCounts::new(scale)
        };
        for g in &groups {
            total.merge(g).expect("groups share scale and weighting");
        }
        GroupedCounts {
            scale,
            groups,
            total,
        }
    }

    /// Weighted counts: per group and point, the number of responses and the sums of the weights and
    /// of their squares. Every weight must be finite and `>= 0`.
    ///
    /// # Errors
    /// As [`GroupedCounts::from_scores`], plus [`Error::InvalidWeight`] naming the weight and its
    /// position.
    pub fn from_weighted_scores<T: ScoreValue>(
        codes: &[u32],
        n_groups: usize,
        scores: &[T],
        weights: &[f64],
        scale: Scale,
        policy: MissingPolicy,
    ) -> Result<Self> {
        check_codes(codes.len(), scores.len(), "scores")?;
        check_codes(codes.len(), weights.len(), "weights")?;
        check_n_groups(n_groups, scale, true)?;
        if codes.iter().any(|&c| c as usize >= n_groups) {
            return Err(bad_code(codes, n_groups));
        }
        let points = scale.points();
        let stride = points + 2;
        let mut n = vec![0u64; n_groups * stride];
        let mut sw = vec![0.0f64; n_groups * stride];
        let mut sw2 = vec![0.0f64; n_groups * stride];
        for (position, ((&code, &score), &w)) in codes.iter().zip(scores).zip(weights).enumerate() {
            if !(w >= 0.0 && w.is_finite()) {
                return Err(Error::InvalidWeight { value: w, position });
            }
            let idx = code as usize * stride + score.bin(scale.min(), points as u64);
            n[idx] += 1;
            sw[idx] += w;
            sw2[idx] += w * w;
        }
        let mut groups = Vec::with_capacity(n_groups);
        for g in 0..n_groups {
            let r = g * stride..(g + 1) * stride;
            let (cn, cw, cw2) = (&n[r.clone()], &sw[r.clone()], &sw2[r]);
            if cn[points] > 0 || (cn[points + 1] > 0 && policy == MissingPolicy::Raise) {
                return Err(first_problem(codes, g as u32, scores, scale, policy));
            }
            groups.push(ScoreCounts::from_weighted_parts(
                scale,
                cn[..points].to_vec(),
                WeightSums {
                    sum: cw[..points].to_vec(),
                    sum_sq: cw2[..points].to_vec(),
                },
                cn[points + 1],
            ));
        }
        Ok(GroupedCounts::new(scale, groups, true))
    }

    /// The scale.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// The number of groups.
    pub fn n_groups(&self) -> usize {
        self.groups.len()
    }

    /// The counts of group `g` (panics if `g >= n_groups()`).
    pub fn group(&self, g: usize) -> &ScoreCounts {
        &self.groups[g]
    }

    /// The counts of all groups together.
    pub fn total(&self) -> &ScoreCounts {
        &self.total
    }

    /// The counts of every group but `g` (the "rest of the data" a group is compared with): the total
    /// minus the group.
    pub fn rest(&self, g: usize) -> ScoreCounts {
        self.total.without(&self.groups[g])
    }
}

/// The first invalid (or, under `Raise`, missing) score of group `group`, as an error.
fn first_problem<T: ScoreValue>(
    codes: &[u32],
    group: u32,
    scores: &[T],
    scale: Scale,
    policy: MissingPolicy,
) -> Error {
    codes
        .iter()
        .zip(scores)
        .enumerate()
        .filter(|(_, (&code, _))| code == group)
        .find_map(|(position, (_, &score))| score_problem(score, position, scale, policy))
        .unwrap_or(Error::InputChanged { what: "scores" })
}
