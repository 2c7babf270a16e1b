//! Counts per scale point, built in one pass and mergeable.
//!
//! Every indicator of this crate (NPS, top-box shares, mean scores) is a function of the number of
//! responses at each scale point; with weights, of the sums of weights and of squared weights at each
//! point, which is all the linearisation variance needs (see [`ScoreCounts::linear_statistic`]). So
//! counts from partitions of the data can be merged and give exactly the answer of the whole data.
//!
//! Methods and sources: `docs/methods.md#linearisation-variance`, `docs/methods.md#kish-effective-sample-size`.

mod kernel;
mod narrow;
mod simd;
mod weighted;

#[doc(hidden)]
pub use kernel::Slot;
pub(crate) use kernel::{first_problem, invalid_score, score_problem};
pub use kernel::{MissingPolicy, ScoreValue};
pub(crate) use narrow::codes as narrow_codes;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scale::Scale;

/// Per-point sums of weights and of squared weights, for weighted estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightSums {
    /// Sum of the weights of the responses at each point.
    pub sum: Vec<f64>,
    /// Sum of the squared weights at each point.
    pub sum_sq: Vec<f64>,
}

/// Response counts per scale point (and weight sums when weighted), plus the number of missing answers.
///
/// Built in one pass over a slice, merged with [`ScoreCounts::merge`]; serialisable, and validated when
/// deserialised.
///
/// # Examples
///
/// ```
/// use cxmetrics::{MissingPolicy, Scale, ScoreCounts};
///
/// let mut a = ScoreCounts::from_scores(&[10u8, 9, 3], Scale::NPS, MissingPolicy::Omit)?;
/// let b = ScoreCounts::from_scores(&[7.0, f64::NAN], Scale::NPS, MissingPolicy::Omit)?;
/// a.merge(&b)?;
/// assert_eq!(a.n(), 4);
/// assert_eq!(a.n_missing(), 1);
/// assert_eq!(a.count(9), 1);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawScoreCounts", into = "RawScoreCounts")]
pub struct ScoreCounts {
    scale: Scale,
    counts: Vec<u64>,
    weights: Option<WeightSums>,
    n_missing: u64,
}

#[derive(Serialize, Deserialize)]
struct RawScoreCounts {
    scale: Scale,
    counts: Vec<u64>,
    #[serde(default)]
    weights: Option<WeightSums>,
    #[serde(default)]
    n_missing: u64,
}

impl TryFrom<RawScoreCounts> for ScoreCounts {
    type Error = Error;
    fn try_from(raw: RawScoreCounts) -> Result<Self> {
        let points = raw.scale.points();
        if raw.counts.len() != points {
            return Err(Error::InvalidCounts {
                reason: format!(
                    "{} counts given for the {} scale, which has {points} points",
                    raw.counts.len(),
                    raw.scale
                ),
            });
        }
        let mut total = 0u64;
        for &c in &raw.counts {
            total = total.checked_add(c).ok_or_else(|| Error::InvalidCounts {
                reason: "the counts add up to more than 2^64".into(),
            })?;
        }
        if let Some(w) = &raw.weights {
            if w.sum.len() != points || w.sum_sq.len() != points {
                return Err(Error::InvalidCounts {
                    reason: format!("weight sums must have one entry per scale point ({points})"),
                });
            }
            for (k, ((&count, &s), &s2)) in raw.counts.iter().zip(&w.sum).zip(&w.sum_sq).enumerate()
            {
                let score = raw.scale.score_at(k);
                if !(s >= 0.0 && s.is_finite() && s2 >= 0.0 && s2.is_finite()) {
                    return Err(Error::InvalidCounts {
                        reason: format!(
                            "weight sums at score {score} ({s}, {s2}) must be finite and >= 0"
                        ),
                    });
                }
                // For non-negative weights: sum_sq <= sum^2 <= count * sum_sq (Cauchy-Schwarz), and
                // both sums are 0 where there is no response. Checked through r = sum_sq / sum
                // (r <= sum <= count * r), which cannot overflow where sum^2 would. The slack
                // (relative 1e-7) admits sums added in another order (a database's, a cluster's)
                // when the bounds hold with equality (one response, or equal weights); swapped or
                // corrupted sums miss them by far more.
                const SLACK: f64 = 1.0 + 1e-7;
                let impossible = if count == 0 || s == 0.0 {
                    s > 0.0 || s2 > 0.0
                } else {
                    let r = s2 / s;
                    r > s * SLACK || s > count as f64 * r * SLACK
                };
                if impossible {
                    return Err(Error::InvalidCounts {
                        reason: format!(
                            "weight sums at score {score} (sum {s}, sum of squares {s2}) cannot come from \
                             {count} non-negative weights"
                        ),
                    });
                }
            }
            // Each entry is finite; their totals may still overflow.
            let finite = |v: &[f64]| v.iter().sum::<f64>().is_finite();
            if !(finite(&w.sum) && finite(&w.sum_sq)) {
                return Err(Error::UnusableWeights {
                    reason: "their sum or the sum of their squares overflows",
                });
            }
        }
        Ok(ScoreCounts {
            scale: raw.scale,
            counts: raw.counts,
            weights: raw.weights,
            n_missing: raw.n_missing,
        })
    }
}

impl From<ScoreCounts> for RawScoreCounts {
    fn from(c: ScoreCounts) -> Self {
        RawScoreCounts {
            scale: c.scale,
            counts: c.counts,
            weights: c.weights,
            n_missing: c.n_missing,
        }
    }
}

/// The one rule for the totals of `n` weights, used by every weighted estimate:
/// [`Error::ZeroTotalWeight`] when they sum to zero, [`Error::UnusableWeights`] when the sum or the
/// sum of squares overflows, or the squares underflow to zero (weights of 1e200 or 1e-200; weights
/// are scale-free, so dividing them by their mean mends both).
pub(crate) fn check_weight_totals(n: u64, total: f64, total_sq: f64) -> Result<()> {
    if total <= 0.0 {
        return Err(Error::ZeroTotalWeight { n });
    }
    if !total.is_finite() || !total_sq.is_finite() {
        return Err(Error::UnusableWeights {
            reason: "their sum or the sum of their squares overflows",
        });
    }
    if total_sq <= 0.0 {
        return Err(Error::UnusableWeights {
            reason: "their squares underflow to zero",
        });
    }
    Ok(())
}

/// Checks optional respondent weights: one per row of `what` (`n` rows), each finite and >= 0.
pub(crate) fn check_weights(weights: Option<&[f64]>, n: usize, what: &'static str) -> Result<()> {
    if let Some(w) = weights {
        if w.len() != n {
            return Err(Error::LengthMismatch {
                left_name: what,
                left: n,
                right_name: "weights",
                right: w.len(),
            });
        }
        if let Some(position) = w.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
            return Err(Error::InvalidWeight {
                value: w[position],
                position,
            });
        }
    }
    Ok(())
}

/// The mean of a per-point value `y(score)` over the responses, with what its variance needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearStatistic {
    /// The (weighted) mean of `y`.
    pub mean: f64,
    /// Unweighted: the sum of squared deviations `sum_i (y_i - mean)^2`. Weighted: the linearisation
    /// variance of the mean, `n/(n-1) sum_i w_i^2 (y_i - mean)^2 / (sum_i w_i)^2` (0 when n = 1).
    pub spread: f64,
    /// The number of responses.
    pub n: u64,
    /// Kish's effective sample size `(sum w)^2 / sum w^2` (equals `n` unweighted).
    pub effective_n: f64,
    /// Whether the counts were weighted.
    pub weighted: bool,
}

impl ScoreCounts {
    /// Empty, unweighted counts on `scale`.
    pub fn new(scale: Scale) -> Self {
        ScoreCounts {
            scale,
            counts: vec![0; scale.points()],
            weights: None,
            n_missing: 0,
        }
    }

    /// Empty, weighted counts on `scale`.
    pub fn new_weighted(scale: Scale) -> Self {
        let points = scale.points();
        ScoreCounts {
            weights: Some(WeightSums {
                sum: vec![0.0; points],
                sum_sq: vec![0.0; points],
            }),
            ..Self::new(scale)
        }
    }

    /// Counts `scores` in one pass.
    ///
    /// # Errors
    /// [`Error::ScoreOutOfRange`] or [`Error::NonIntegerScore`] naming the first invalid score and its
    /// position; [`Error::MissingValue`] for a NaN under [`MissingPolicy::Raise`].
    ///
    /// # Examples
    ///
    /// ```
    /// use cxmetrics::{MissingPolicy, Scale, ScoreCounts};
    ///
    /// let counts = ScoreCounts::from_scores(&[5i32, 4, 4, 1], Scale::LIKERT_5, MissingPolicy::Omit)?;
    /// assert_eq!(counts.counts(), &[1, 0, 0, 2, 1]);
    /// assert!(ScoreCounts::from_scores(&[6i32], Scale::LIKERT_5, MissingPolicy::Omit).is_err());
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn from_scores<T: ScoreValue>(
        scores: &[T],
        scale: Scale,
        policy: MissingPolicy,
    ) -> Result<Self> {
        let mut counts = Self::new(scale);
        counts.n_missing = kernel::count_scores(scores, scale, policy, &mut counts.counts)?;
        Ok(counts)
    }

    /// Counts weighted `scores` in one pass (`weights[i]` belongs to `scores[i]`).
    ///
    /// # Errors
    /// As [`ScoreCounts::from_scores`], plus [`Error::LengthMismatch`] and [`Error::InvalidWeight`]
    /// (negative, NaN or infinite weight, named with its position).
    ///
    /// # Examples
    ///
    /// ```
    /// use cxmetrics::{MissingPolicy, Scale, ScoreCounts};
    ///
    /// let c = ScoreCounts::from_weighted_scores(&[10u8, 0, 10], &[1.0, 2.0, 0.5], Scale::NPS, MissingPolicy::Omit)?;
    /// assert_eq!(c.total_weight(), 3.5);
    /// assert!((c.kish_effective_n() - 3.5 * 3.5 / 5.25).abs() < 1e-12);
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn from_weighted_scores<T: ScoreValue>(
        scores: &[T],
        weights: &[f64],
        scale: Scale,
        policy: MissingPolicy,
    ) -> Result<Self> {
        let mut counts = Self::new_weighted(scale);
        let w = counts
            .weights
            .as_mut()
            .expect("new_weighted has weight sums");
        counts.n_missing = weighted::count_weighted_scores(
            scores,
            weights,
            scale,
            policy,
            &mut counts.counts,
            &mut w.sum,
            &mut w.sum_sq,
        )?;
        counts.check_finite_weight_sums()?;
        Ok(counts)
    }

    /// Weighted counts whose weight sums (per point or in all) overflow cannot be estimated from,
    /// serialised or merged: [`Error::UnusableWeights`].
    fn check_finite_weight_sums(&self) -> Result<()> {
        if let Some(w) = &self.weights {
            let total: f64 = w.sum.iter().sum();
            let total_sq: f64 = w.sum_sq.iter().sum();
            if !(total.is_finite() && total_sq.is_finite()) {
                return Err(Error::UnusableWeights {
                    reason: "their sum or the sum of their squares overflows",
                });
            }
        }
        Ok(())
    }

    /// Counts computed elsewhere (SQL `GROUP BY score`, a Spark `groupBy().count()`): `counts[k]` is the
    /// number of responses at score `scale.min() + k`.
    ///
    /// # Errors
    /// [`Error::InvalidCounts`] when there is not exactly one count per scale point.
    pub fn from_counts(scale: Scale, counts: Vec<u64>, n_missing: u64) -> Result<Self> {
        RawScoreCounts {
            scale,
            counts,
            weights: None,
            n_missing,
        }
        .try_into()
    }

    /// Weighted counts computed elsewhere: per point, the number of responses, the sum of their
    /// weights and the sum of their squared weights (SQL `GROUP BY score` with `COUNT(*), SUM(w),
    /// SUM(w * w)`, or the same Spark aggregation). Every weighted estimate needs only these sums, so
    /// the result is the one [`ScoreCounts::from_weighted_scores`] gives on the rows, up to the order
    /// in which the weights were added.
    ///
    /// # Errors
    /// [`Error::InvalidCounts`] when a vector does not have one entry per scale point, or when a
    /// point's sums cannot come from its count of non-negative weights (negative or non-finite, a
    /// weight sum where there is no response, or outside `sum_sq <= sum^2 <= count * sum_sq`);
    /// [`Error::UnusableWeights`] when the sums overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use cxmetrics::{MissingPolicy, Scale, ScoreCounts};
    ///
    /// // Two responses at 3 with weights 1 and 2, one at 5 with weight 0.5 (1-5 scale).
    /// let scale = Scale::new(1, 5)?;
    /// let c = ScoreCounts::from_weighted_counts(
    ///     scale,
    ///     vec![0, 0, 2, 0, 1],
    ///     vec![0.0, 0.0, 3.0, 0.0, 0.5],
    ///     vec![0.0, 0.0, 5.0, 0.0, 0.25],
    ///     0,
    /// )?;
    /// let rows = ScoreCounts::from_weighted_scores(&[3u8, 3, 5], &[1.0, 2.0, 0.5], scale, MissingPolicy::Omit)?;
    /// assert_eq!(c, rows);
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn from_weighted_counts(
        scale: Scale,
        counts: Vec<u64>,
        weight_sums: Vec<f64>,
        weight_sq_sums: Vec<f64>,
        n_missing: u64,
    ) -> Result<Self> {
        RawScoreCounts {
            scale,
            counts,
            weights: Some(WeightSums {
                sum: weight_sums,
                sum_sq: weight_sq_sums,
            }),
            n_missing,
        }
        .try_into()
    }

    /// Weighted counts from their parts (already validated by the caller: one entry per point).
    pub(crate) fn from_weighted_parts(
        scale: Scale,
        counts: Vec<u64>,
        weights: WeightSums,
        n_missing: u64,
    ) -> Self {
        ScoreCounts {
            scale,
            counts,
            weights: Some(weights),
            n_missing,
        }
    }

    /// These counts minus `other`, a part of them (same scale and weighting): the "rest" of a group.
    /// Weight sums are clamped at 0 and zeroed where no response is left, so rounding leaves no residue.
    pub(crate) fn without(&self, other: &ScoreCounts) -> ScoreCounts {
        let counts: Vec<u64> = self
            .counts
            .iter()
            .zip(&other.counts)
            .map(|(a, b)| a.saturating_sub(*b))
            .collect();
        let weights = match (&self.weights, &other.weights) {
            (Some(a), Some(b)) => {
                let sub = |x: &[f64], y: &[f64]| -> Vec<f64> {
                    x.iter()
                        .zip(y)
                        .zip(&counts)
                        .map(|((x, y), &c)| if c == 0 { 0.0 } else { (x - y).max(0.0) })
                        .collect()
                };
                Some(WeightSums {
                    sum: sub(&a.sum, &b.sum),
                    sum_sq: sub(&a.sum_sq, &b.sum_sq),
                })
            }
            _ => None,
        };
        ScoreCounts {
            scale: self.scale,
            counts,
            weights,
            n_missing: self.n_missing.saturating_sub(other.n_missing),
        }
    }

    /// Adds `other` to these counts, as if both inputs had been counted together.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the scales differ or only one of the two is weighted.
    pub fn merge(&mut self, other: &ScoreCounts) -> Result<()> {
        let overflow = || Error::Incompatible {
            reason: "the merged counts would exceed 2^64 responses".into(),
        };
        self.n().checked_add(other.n()).ok_or_else(overflow)?;
        let n_missing = self
            .n_missing
            .checked_add(other.n_missing)
            .ok_or_else(overflow)?;
        if self.scale != other.scale {
            return Err(Error::Incompatible {
                reason: format!("scales differ ({} and {})", self.scale, other.scale),
            });
        }
        if let (Some(a), Some(b)) = (&self.weights, &other.weights) {
            let fits =
                |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(x, y)| x + y).sum::<f64>().is_finite();
            if !(fits(&a.sum, &b.sum) && fits(&a.sum_sq, &b.sum_sq)) {
                return Err(Error::UnusableWeights {
                    reason: "their sum or the sum of their squares overflows",
                });
            }
        }
        match (&mut self.weights, &other.weights) {
            (Some(a), Some(b)) => {
                for (x, y) in a.sum.iter_mut().zip(&b.sum) {
                    *x += y;
                }
                for (x, y) in a.sum_sq.iter_mut().zip(&b.sum_sq) {
                    *x += y;
                }
            }
            (None, None) => {}
            _ => {
                return Err(Error::Incompatible {
                    reason: "one set of counts is weighted and the other is not".into(),
                })
            }
        }
        for (x, y) in self.counts.iter_mut().zip(&other.counts) {
            *x += y;
        }
        self.n_missing = n_missing;
        Ok(())
    }

    /// The scale the counts are on.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// The number of responses at each point, lowest score first.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The number of responses with `score` (0 for a score outside the scale).
    pub fn count(&self, score: i64) -> u64 {
        if self.scale.contains(score) {
            self.counts[(score - self.scale.min()) as usize]
        } else {
            0
        }
    }

    /// The weight sums per point, when weighted.
    pub fn weight_sums(&self) -> Option<&WeightSums> {
        self.weights.as_ref()
    }

    /// Whether the counts carry weights.
    pub fn is_weighted(&self) -> bool {
        self.weights.is_some()
    }

    /// The number of (non-missing) responses.
    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The number of missing answers that were excluded.
    pub fn n_missing(&self) -> u64 {
        self.n_missing
    }

    /// The sum of the weights (the number of responses when unweighted).
    pub fn total_weight(&self) -> f64 {
        match &self.weights {
            Some(w) => w.sum.iter().sum(),
            None => self.n() as f64,
        }
    }

    /// Kish's effective sample size `(sum w)^2 / sum w^2` (Kish 1965, Survey Sampling, sec. 11.7);
    /// `n` when unweighted, 0 when there are no responses.
    pub fn kish_effective_n(&self) -> f64 {
        match &self.weights {
            Some(w) => {
                let s: f64 = w.sum.iter().sum();
                let s2: f64 = w.sum_sq.iter().sum();
                if s2 > 0.0 {
                    s * s / s2
                } else {
                    0.0
                }
            }
            None => self.n() as f64,
        }
    }

    /// Fails with [`Error::EmptyData`] when there is no response, [`Error::ZeroTotalWeight`] when
    /// all weights are zero, [`Error::UnusableWeights`] when the weight sums overflow or underflow.
    pub(crate) fn require_data(&self) -> Result<u64> {
        let n = self.n();
        if n == 0 {
            return Err(Error::EmptyData {
                n_missing: self.n_missing,
                n_total: self.n_missing,
            });
        }
        if let Some(w) = &self.weights {
            check_weight_totals(n, w.sum.iter().sum(), w.sum_sq.iter().sum())?;
        }
        Ok(n)
    }

    /// The mean of `y(score)` over the responses and its spread (see [`LinearStatistic`]).
    ///
    /// Weighted: `m = sum(w y) / sum(w)` and the one-stage linearisation (Taylor) variance
    /// `V = n/(n-1) sum_i w_i^2 (y_i - m)^2 / (sum w)^2`, as `svymean` of the R package `survey`
    /// (Lumley 2004, JSS 9(8)) for a design with weights only. Because `y` depends only on the scale
    /// point, the sums over responses reduce to sums over points of the per-point weight sums.
    ///
    /// # Errors
    /// [`Error::EmptyData`] without responses, [`Error::ZeroTotalWeight`] when all weights are zero.
    pub fn linear_statistic(&self, y: impl Fn(i64) -> f64) -> Result<LinearStatistic> {
        let n = self.require_data()?;
        let ys: Vec<f64> = self.scale.scores().map(y).collect();
        match &self.weights {
            None => {
                let nf = n as f64;
                let mean = self
                    .counts
                    .iter()
                    .zip(&ys)
                    .map(|(&c, &y)| c as f64 * y)
                    .sum::<f64>()
                    / nf;
                let ss = self
                    .counts
                    .iter()
                    .zip(&ys)
                    .map(|(&c, &y)| c as f64 * (y - mean) * (y - mean))
                    .sum();
                Ok(LinearStatistic {
                    mean,
                    spread: ss,
                    n,
                    effective_n: nf,
                    weighted: false,
                })
            }
            Some(w) => {
                let total: f64 = w.sum.iter().sum();
                let mean = w.sum.iter().zip(&ys).map(|(&s, &y)| s * y).sum::<f64>() / total;
                let dev: f64 = w
                    .sum_sq
                    .iter()
                    .zip(&ys)
                    .map(|(&s2, &y)| s2 * (y - mean) * (y - mean))
                    .sum();
                let variance = if n > 1 {
                    (n as f64 / (n as f64 - 1.0)) * dev / (total * total)
                } else {
                    0.0
                };
                Ok(LinearStatistic {
                    mean,
                    spread: variance,
                    n,
                    effective_n: self.kish_effective_n(),
                    weighted: true,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_equals_counting_the_concatenation() {
        let a = [0u8, 5, 9, 10, 10];
        let b = [3u8, 7, 8];
        let mut m = ScoreCounts::from_scores(&a, Scale::NPS, MissingPolicy::Omit).unwrap();
        m.merge(&ScoreCounts::from_scores(&b, Scale::NPS, MissingPolicy::Omit).unwrap())
            .unwrap();
        let all: Vec<u8> = a.iter().chain(&b).copied().collect();
        assert_eq!(
            m,
            ScoreCounts::from_scores(&all, Scale::NPS, MissingPolicy::Omit).unwrap()
        );
    }

    #[test]
    fn merge_rejects_mismatch() {
        let mut a = ScoreCounts::new(Scale::NPS);
        assert!(a.merge(&ScoreCounts::new(Scale::LIKERT_5)).is_err());
        assert!(a.merge(&ScoreCounts::new_weighted(Scale::NPS)).is_err());
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let c = ScoreCounts::from_weighted_scores(
            &[1.0, 5.0, f64::NAN],
            &[1.0, 2.0, 1.0],
            Scale::LIKERT_5,
            MissingPolicy::Omit,
        )
        .unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<ScoreCounts>(&json).unwrap(), c);
        let bad = r#"{"scale":{"min":1,"max":5},"counts":[1,2,3],"n_missing":0}"#;
        assert!(serde_json::from_str::<ScoreCounts>(bad).is_err());
    }

    #[test]
    fn weighted_counts_from_sums_are_checked_point_by_point() {
        let scale = Scale::new(0, 2).unwrap();
        let from = |s: [f64; 3], s2: [f64; 3]| {
            ScoreCounts::from_weighted_counts(scale, vec![2, 1, 0], s.to_vec(), s2.to_vec(), 0)
        };
        // Two weights 1 and 2 at 0, one weight 0.5 at 1: the bounds hold; with equality too.
        assert!(from([3.0, 0.5, 0.0], [5.0, 0.25, 0.0]).is_ok());
        assert!(from([2.0, 0.5, 0.0], [2.0, 0.25, 0.0]).is_ok()); // equal weights at 0
        assert!(from([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]).is_ok()); // zero weights
        for (s, s2, score) in [
            ([3.0, 0.5, 1.0], [5.0, 0.25, 1.0], "score 2"), // a weight without a response
            ([3.0, 0.5, 0.0], [10.0, 0.25, 0.0], "score 0"), // sum_sq > sum^2
            ([3.0, 0.5, 0.0], [4.0, 0.25, 0.0], "score 0"), // sum^2 > 2 sum_sq
            ([3.0, 0.5, 0.0], [5.0, 0.3, 0.0], "score 1"),  // one response: sum_sq = sum^2
            ([-3.0, 0.5, 0.0], [5.0, 0.25, 0.0], "score 0"),
            ([f64::NAN, 0.5, 0.0], [5.0, 0.25, 0.0], "score 0"),
            ([0.0, 0.5, 0.0], [1.0, 0.25, 0.0], "score 0"), // sum 0 but squares > 0
            ([1e300, 0.5, 0.0], [1e300, 0.25, 0.0], "score 0"), // sum^2 overflows; bound fails
        ] {
            match from(s, s2) {
                Err(Error::InvalidCounts { reason }) => assert!(reason.contains(score), "{reason}"),
                other => panic!("{s:?} {s2:?}: {other:?}"),
            }
        }
        assert!(ScoreCounts::from_weighted_counts(
            scale,
            vec![2, 1, 0],
            vec![3.0, 0.5],
            vec![5.0, 0.25],
            0
        )
        .is_err());
        // Sums near the top of f64: finite, but no count of non-negative weights gives them.
        let big = ScoreCounts::from_weighted_counts(
            scale,
            vec![1, 1, 0],
            vec![1.5e308, 1.5e308, 0.0],
            vec![1.5e308 * 1e-10, 1.5e308 * 1e-10, 0.0],
            0,
        );
        assert!(big.is_err(), "{big:?}");
    }

    #[test]
    fn empty_and_zero_weight_are_errors() {
        let c = ScoreCounts::from_scores(&[f64::NAN, f64::NAN], Scale::NPS, MissingPolicy::Omit)
            .unwrap();
        assert_eq!(
            c.linear_statistic(|s| s as f64).unwrap_err(),
            Error::EmptyData {
                n_missing: 2,
                n_total: 2
            }
        );
        let c = ScoreCounts::from_weighted_scores(
            &[1u8, 2],
            &[0.0, 0.0],
            Scale::NPS,
            MissingPolicy::Omit,
        )
        .unwrap();
        assert_eq!(
            c.linear_statistic(|s| s as f64).unwrap_err(),
            Error::ZeroTotalWeight { n: 2 }
        );
    }
}
