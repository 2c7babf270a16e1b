//! Per-group estimates and the comparison of each group with the rest of the data.

use super::GroupedCounts;
use crate::compare::{compare, Alternative, Comparison, DifferenceMethod};
use crate::counts::ScoreCounts;
use crate::error::Result;
use crate::estimate::{Estimate, Indicator};
use crate::indicator::mean::{mean_score, satisfaction_index};
use crate::indicator::nps::{enps, nps};
use crate::indicator::top_box::top_box_as;
use crate::interval::nps::NpsMethod;
use crate::interval::proportion::ProportionMethod;
use crate::interval::Confidence;

/// Which indicator a grouped report computes, with its options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IndicatorSpec {
    /// NPS (or eNPS) with an interval method.
    Nps {
        /// `Nps` or `Enps`.
        indicator: Indicator,
        /// The interval method.
        method: NpsMethod,
    },
    /// A top-box share (CSAT, CES, repurchase, any top box).
    Share {
        /// `Csat`, `Ces`, `Repurchase` or `TopBox`.
        indicator: Indicator,
        /// How many top points count.
        top: u32,
        /// The interval method.
        method: ProportionMethod,
    },
    /// A mean score (or the satisfaction index when `index`).
    Mean {
        /// Rescale to 0-100 (ISAT).
        index: bool,
    },
}

impl IndicatorSpec {
    /// The estimate of this indicator on `counts`: exactly what the single-sample function gives.
    ///
    /// # Errors
    /// As the single-sample functions.
    pub fn estimate(&self, counts: &ScoreCounts, confidence: Confidence) -> Result<Estimate> {
        match *self {
            IndicatorSpec::Nps {
                indicator: Indicator::Enps,
                method,
            } => enps(counts, method, confidence),
            IndicatorSpec::Nps { method, .. } => nps(counts, method, confidence),
            IndicatorSpec::Share {
                indicator,
                top,
                method,
            } => top_box_as(indicator, counts, top, method, confidence),
            IndicatorSpec::Mean { index: true } => satisfaction_index(counts, confidence),
            IndicatorSpec::Mean { index: false } => mean_score(counts, confidence),
        }
    }
}

/// One group's row of a report: its estimate and its comparison with the rest of the data, each
/// `None` when it cannot be computed (no usable response, a single response for a mean, weighted NPS
/// with a method that has no weighted form...).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupResult {
    /// The group's number of usable responses (also when there is no estimate).
    pub n: u64,
    /// The group's number of missing answers.
    pub n_missing: u64,
    /// The group's estimate.
    pub estimate: Option<Estimate>,
    /// The group against all other groups together (`group - rest`), with the default method of the
    /// family (`wald` for weighted NPS).
    pub versus_rest: Option<Comparison>,
}

/// The overall estimate (an error when it cannot be computed, so that a caller can tell a bad request
/// from missing data) and, per group, the estimate and its comparison with the rest.
///
/// # Examples
///
/// ```
/// use cxmetrics::grouping::{report, GroupedCounts, IndicatorSpec};
/// use cxmetrics::{Confidence, Indicator, MissingPolicy, NpsMethod, Scale};
///
/// let codes = [0u32, 0, 0, 1, 1, 1];
/// let scores = [10u8, 9, 8, 0, 3, 10];
/// let g = GroupedCounts::from_scores(&codes, 2, &scores, Scale::NPS, MissingPolicy::Omit)?;
/// let spec = IndicatorSpec::Nps { indicator: Indicator::Nps, method: NpsMethod::Wald };
/// let (overall, groups) = report(&g, spec, Confidence::default());
/// assert!((overall.unwrap().value() - 100.0 / 6.0).abs() < 1e-12);
/// assert!((groups[0].versus_rest.as_ref().unwrap().difference() - (66.0 + 2.0 / 3.0 + 33.0 + 1.0 / 3.0)).abs() < 1e-9);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn report(
    grouped: &GroupedCounts,
    spec: IndicatorSpec,
    confidence: Confidence,
) -> (Result<Estimate>, Vec<GroupResult>) {
    let overall = spec.estimate(grouped.total(), confidence);
    let groups = (0..grouped.n_groups())
        .map(|g| {
            let estimate = spec.estimate(grouped.group(g), confidence).ok();
            let versus_rest = estimate.as_ref().and_then(|e| {
                let rest = spec.estimate(&grouped.rest(g), confidence).ok()?;
                // The family's default method; weighted NPS has only Wald.
                let method =
                    (e.is_weighted() && e.indicator().is_nps()).then_some(DifferenceMethod::Wald);
                compare(e, &rest, method, None, Alternative::TwoSided).ok()
            });
            GroupResult {
                n: grouped.group(g).n(),
                n_missing: grouped.group(g).n_missing(),
                estimate,
                versus_rest,
            }
        })
        .collect();
    (overall, groups)
}
