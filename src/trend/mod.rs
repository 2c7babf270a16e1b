//! Indicators over time: one estimate per group and period (or rolling window of periods), with the
//! change against the previous period that has data.
//!
//! Methods and sources: `docs/methods.md#trends`.

use serde::Serialize;

use crate::compare::{compare, Alternative, DifferenceMethod};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::grouping::{GroupedCounts, IndicatorSpec};
use crate::interval::Confidence;

/// A trend as columns: row `g * n_periods + t` is group `g`, period `t`. Missing figures are NaN.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct TrendColumns {
    /// The estimates.
    pub value: Vec<f64>,
    /// Lower confidence limits.
    pub lower: Vec<f64>,
    /// Upper confidence limits.
    pub upper: Vec<f64>,
    /// Standard errors.
    pub std_error: Vec<f64>,
    /// Answers used (in the window when rolling).
    pub n: Vec<u64>,
    /// Missing answers.
    pub n_missing: Vec<u64>,
    /// This period minus the previous period with an estimate.
    pub change: Vec<f64>,
    /// Lower limit of the change.
    pub change_lower: Vec<f64>,
    /// Upper limit of the change.
    pub change_upper: Vec<f64>,
    /// Two-sided p-value of the change.
    pub p_value: Vec<f64>,
}

/// Estimates per group and period from counts per cell (cell `g * n_periods + t` of `cells`), each
/// over the last `window` periods (1: the period alone), and the change against the previous period
/// with an estimate, compared as `cxmetrics::compare` does (its default method per indicator;
/// weighted NPS: `wald`). Periods without data get `n = 0` and NaN.
///
/// # Errors
/// An error of the request itself (a method without a weighted form...); [`Error::InvalidField`]
/// when the cells are not `n_groups * n_periods` or `window` is 0.
///
/// # Examples
/// ```
/// use cxmetrics::grouping::{GroupedCounts, IndicatorSpec};
/// use cxmetrics::trend::trend;
/// use cxmetrics::{Confidence, Indicator, MissingPolicy, NpsMethod, Scale};
///
/// // One group, three periods; the second has no answers.
/// let cells = [0u32, 0, 0, 2, 2, 2];
/// let ltr = [10u8, 9, 3, 0, 2, 9];
/// let counts = GroupedCounts::from_scores(&cells, 3, &ltr, Scale::NPS, MissingPolicy::Omit)?;
/// let spec = IndicatorSpec::Nps { indicator: Indicator::Nps, method: NpsMethod::AdjustedWald };
/// let t = trend(&counts, 1, 3, spec, Confidence::default(), 1)?;
/// assert_eq!(t.n, [3, 0, 3]);
/// assert!(t.value[1].is_nan());
/// assert!((t.change[2] - (-100.0 / 3.0 - 100.0 / 3.0)).abs() < 1e-9); // against period 0
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn trend(
    cells: &GroupedCounts,
    n_groups: usize,
    n_periods: usize,
    spec: IndicatorSpec,
    confidence: Confidence,
    window: usize,
) -> Result<TrendColumns> {
    if cells.n_groups() != n_groups * n_periods || window == 0 {
        return Err(Error::invalid_parameter(
            if window == 0 { "window" } else { "cells" },
            format!("{} cells, window {window}", cells.n_groups()),
            format!("expected {n_groups} groups x {n_periods} periods and a window of at least 1"),
        ));
    }
    let estimate = |counts: &crate::counts::ScoreCounts| -> Result<Option<Estimate>> {
        match spec.estimate(counts, confidence) {
            Ok(e) => Ok(Some(e)),
            Err(
                Error::EmptyData { .. }
                | Error::InsufficientData { .. }
                | Error::ZeroTotalWeight { .. },
            ) => Ok(None),
            Err(err) => Err(err),
        }
    };
    let mut out = TrendColumns::default();
    for g in 0..n_groups {
        let mut previous: Option<Estimate> = None;
        for t in 0..n_periods {
            let first = t + 1 - window.min(t + 1);
            let mut counts = cells.group(g * n_periods + first).clone();
            for s in first + 1..=t {
                counts.merge(cells.group(g * n_periods + s))?;
            }
            let e = estimate(&counts)?;
            let field = |f: fn(&Estimate) -> f64| e.as_ref().map_or(f64::NAN, f);
            out.value.push(field(Estimate::value));
            out.lower.push(field(Estimate::lower));
            out.upper.push(field(Estimate::upper));
            out.std_error.push(field(Estimate::std_error));
            out.n.push(counts.n());
            out.n_missing.push(counts.n_missing());
            let change = match (&e, &previous) {
                (Some(now), Some(before)) => {
                    let method = (now.is_weighted() && now.indicator().is_nps())
                        .then_some(DifferenceMethod::Wald);
                    Some(compare(now, before, method, None, Alternative::TwoSided)?)
                }
                _ => None,
            };
            out.change
                .push(change.as_ref().map_or(f64::NAN, |c| c.difference()));
            out.change_lower
                .push(change.as_ref().map_or(f64::NAN, |c| c.lower()));
            out.change_upper
                .push(change.as_ref().map_or(f64::NAN, |c| c.upper()));
            out.p_value
                .push(change.as_ref().map_or(f64::NAN, |c| c.p_value()));
            if e.is_some() {
                previous = e;
            }
        }
    }
    Ok(out)
}
