//! Per-group estimates and the comparison of each group with the rest of the data.
//!
//! Methods and sources: `docs/methods.md#group-versus-rest`.

use super::GroupedCounts;
use crate::compare::{compare, CompareOptions, Comparison};
use crate::error::Result;
use crate::estimate::Estimate;
pub use crate::indicator::spec::IndicatorSpec;
use crate::interval::Confidence;

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
                compare(e, &rest, CompareOptions::for_estimates(e, &rest)).ok()
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

/// One indicator's grouped report as columns, the shape of a tidy data frame: row 0 is the overall
/// figure, rows `1..` the groups in order. Missing figures (a group without answers, the overall
/// row's comparison) are NaN.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct ReportColumns {
    /// The estimates.
    pub value: Vec<f64>,
    /// Lower confidence limits.
    pub lower: Vec<f64>,
    /// Upper confidence limits.
    pub upper: Vec<f64>,
    /// Standard errors.
    pub std_error: Vec<f64>,
    /// Kish effective sample sizes (`n` unweighted).
    pub effective_n: Vec<f64>,
    /// Answers used.
    pub n: Vec<u64>,
    /// Missing answers.
    pub n_missing: Vec<u64>,
    /// Group minus the rest of the data.
    pub difference: Vec<f64>,
    /// Two-sided p-value of the difference.
    pub p_value: Vec<f64>,
    /// The p-values adjusted over the groups.
    pub p_adjusted: Vec<f64>,
    /// NPS only (NaN otherwise): the detractor, passive and promoter shares, in percent.
    pub detractors: Vec<f64>,
    /// See `detractors`.
    pub passives: Vec<f64>,
    /// See `detractors`.
    pub promoters: Vec<f64>,
}

/// [`report`] as columns, with the group-versus-rest p-values adjusted over the groups by
/// `p_adjust` (Holm 1979 by default; see [`crate::compare::adjust_p_values`]).
///
/// # Errors
/// An error of the request itself (e.g. a method without a weighted form) from the overall
/// estimate; a lack of data only gives NaN.
///
/// # Examples
///
/// ```
/// use cxmetrics::compare::PAdjust;
/// use cxmetrics::grouping::{report_columns, GroupedCounts, IndicatorSpec};
/// use cxmetrics::{Confidence, Indicator, MissingPolicy, NpsMethod, Scale};
///
/// let codes = [0u32, 0, 0, 1, 1, 1];
/// let ltr = [10u8, 9, 8, 3, 10, 9];
/// let grouped = GroupedCounts::from_scores(&codes, 2, &ltr, Scale::NPS, MissingPolicy::Omit)?;
/// let spec = IndicatorSpec::Nps { indicator: Indicator::Nps, method: NpsMethod::AdjustedWald };
/// let table = report_columns(&grouped, spec, Confidence::default(), PAdjust::Holm)?;
/// assert_eq!(table.n, [6, 3, 3]);
/// assert_eq!(table.value[0], 50.0);
/// assert!(table.p_value[0].is_nan()); // the overall row has no comparison
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn report_columns(
    grouped: &GroupedCounts,
    spec: IndicatorSpec,
    confidence: Confidence,
    p_adjust: crate::compare::PAdjust,
) -> Result<ReportColumns> {
    use crate::error::Error;
    let (overall, groups) = report(grouped, spec, confidence);
    let overall = match overall {
        Ok(e) => Some(e),
        Err(
            Error::EmptyData { .. }
            | Error::InsufficientData { .. }
            | Error::ZeroTotalWeight { .. },
        ) => None,
        Err(err) => return Err(err),
    };
    let rows = 1 + groups.len();
    let mut t = ReportColumns::default();
    let total = grouped.total();
    let entries = std::iter::once((overall.as_ref(), None, total.n(), total.n_missing())).chain(
        groups.iter().map(|g| {
            (
                g.estimate.as_ref(),
                g.versus_rest.as_ref(),
                g.n,
                g.n_missing,
            )
        }),
    );
    for (estimate, versus, n, n_missing) in entries {
        let field = |f: fn(&Estimate) -> f64| estimate.map_or(f64::NAN, f);
        t.value.push(field(Estimate::value));
        t.lower.push(field(Estimate::lower));
        t.upper.push(field(Estimate::upper));
        t.std_error.push(field(Estimate::std_error));
        t.effective_n.push(field(Estimate::effective_n));
        t.n.push(n);
        t.n_missing.push(n_missing);
        t.difference
            .push(versus.map_or(f64::NAN, Comparison::difference));
        t.p_value.push(versus.map_or(f64::NAN, Comparison::p_value));
        let breakdown = estimate.and_then(Estimate::nps_breakdown);
        t.detractors
            .push(breakdown.map_or(f64::NAN, |b| b.detractor_share));
        t.passives
            .push(breakdown.map_or(f64::NAN, |b| b.passive_share));
        t.promoters
            .push(breakdown.map_or(f64::NAN, |b| b.promoter_share));
    }
    let tested: Vec<usize> = (0..rows).filter(|&r| !t.p_value[r].is_nan()).collect();
    let adjusted = crate::compare::adjust_p_values(
        &tested.iter().map(|&r| t.p_value[r]).collect::<Vec<_>>(),
        p_adjust,
    )?;
    t.p_adjusted = vec![f64::NAN; rows];
    for (&r, p) in tested.iter().zip(adjusted) {
        t.p_adjusted[r] = p;
    }
    Ok(t)
}
