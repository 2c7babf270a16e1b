//! Bindings of the composite indicators (loyalty index, secure customers) and of the outcome link.

use crate::errors::IntoPyResult;
use crate::getters;
use numpy::PyArrayMethods;
use pyo3::prelude::*;

use super::comparison::PyComparison;
use super::estimate::PyEstimate;
use super::input::{contiguous, Weights};
use cxmetrics::indicator::items::Item;
use cxmetrics::interval::proportion::ProportionMethod;
use cxmetrics::interval::Confidence;
use cxmetrics::outcome::{OutcomeByCategory, OutcomeKind};
use cxmetrics::scale::Scale;

/// A named float64 column with its scale bounds (and, for criteria, its top-box size).
type Column<'py> = (String, Weights<'py>, i64, i64, u32);

/// Runs `f` on the columns (and optional weights) as contiguous float64 slices, GIL released.
fn with_columns<R: Send>(
    py: Python<'_>,
    columns: &[Column<'_>],
    weights: Option<&Weights<'_>>,
    f: impl FnOnce(Vec<(&str, &[f64], i64, i64, u32)>, Option<&[f64]>) -> R + Send,
) -> R {
    let meta: Vec<(&str, i64, i64, u32)> = columns
        .iter()
        .map(|c| (c.0.as_str(), c.2, c.3, c.4))
        .collect();
    let readonly: Vec<_> = columns.iter().map(|c| c.1.readonly()).collect();
    let views: Vec<_> = readonly.iter().map(|r| r.as_array()).collect();
    let weights = weights.map(|w| w.readonly());
    let w_view = weights.as_ref().map(|w| w.as_array());
    py.detach(|| {
        let mut owned: Vec<Vec<f64>> = vec![Vec::new(); views.len()];
        let mut w_owned = Vec::new();
        let slices: Vec<&[f64]> = views
            .iter()
            .zip(owned.iter_mut())
            .map(|(v, o)| contiguous(v, o))
            .collect();
        let cols = meta
            .iter()
            .zip(slices)
            .map(|(&(name, lo, hi, top), s)| (name, s, lo, hi, top))
            .collect();
        let w = w_view.as_ref().map(|v| contiguous(v, &mut w_owned));
        f(cols, w)
    })
}

fn items<'a>(
    cols: &[(&'a str, &'a [f64], i64, i64, u32)],
) -> cxmetrics::Result<Vec<(Item<'a>, u32)>> {
    cols.iter()
        .map(|&(name, scores, lo, hi, top)| {
            Ok((
                Item::new(
                    name,
                    scores,
                    Scale::new(lo, hi).map_err(|e| e.in_column(name))?,
                ),
                top,
            ))
        })
        .collect()
}

/// The loyalty index (IF). See `cxmetrics.loyalty_index`.
#[pyfunction]
#[pyo3(signature = (items, item_weights, weights, confidence))]
pub(crate) fn loyalty_index(
    py: Python<'_>,
    items: Vec<Column<'_>>,
    item_weights: Option<Vec<f64>>,
    weights: Option<Weights<'_>>,
    confidence: f64,
) -> PyResult<PyEstimate> {
    let confidence = Confidence::new(confidence).py()?;
    let estimate = with_columns(py, &items, weights.as_ref(), |cols, w| {
        let list: Vec<Item<'_>> = self::items(&cols)?
            .into_iter()
            .map(|(item, _)| item)
            .collect();
        cxmetrics::indicator::loyalty::loyalty_index(&list, item_weights.as_deref(), w, confidence)
    })
    .py()?;
    Ok(PyEstimate(estimate))
}

/// Secure customers. See `cxmetrics.secure_customers`.
#[pyfunction]
#[pyo3(signature = (criteria, weights, method, confidence))]
pub(crate) fn secure_customers(
    py: Python<'_>,
    criteria: Vec<Column<'_>>,
    weights: Option<Weights<'_>>,
    method: &str,
    confidence: f64,
) -> PyResult<PyEstimate> {
    let confidence = Confidence::new(confidence).py()?;
    let method: ProportionMethod = method.parse().py()?;
    let estimate = with_columns(py, &criteria, weights.as_ref(), |cols, w| {
        cxmetrics::indicator::secure::secure_customers(&items(&cols)?, w, method, confidence)
    })
    .py()?;
    Ok(PyEstimate(estimate))
}

/// The native result of `cxmetrics.outcomes`: the core's `OutcomeByCategory`.
#[pyclass(frozen, name = "OutcomeResult", module = "cxmetrics._native")]
pub(crate) struct PyOutcomeResult(OutcomeByCategory);

getters::pymethods_with_getters! {
    impl PyOutcomeResult {
        getters |o| {
            /// "binary" or "numeric".
            kind -> &'static str = o.kind.as_str();
            /// Respondents with both answers: [detractors, passives, promoters].
            n -> [u64; 3] = o.n;
            /// The outcome of each category (None when it has too few respondents).
            estimates -> [Option<PyEstimate>; 3] = o.estimates.clone().map(|e| e.map(PyEstimate));
            /// Promoters minus detractors (None when either estimate is missing).
            difference -> Option<PyComparison> = o.difference.clone().map(PyComparison);
            /// Respondents without an NPS answer or without an outcome, excluded.
            n_missing -> u64 = o.n_missing;
        }

        /// JSON of the core's `OutcomeByCategory` (serde).
        fn to_json(&self) -> PyResult<String> {
            crate::estimate::to_json_text(&self.0)
        }
    }
}

/// The outcome by NPS category. See `cxmetrics.outcomes`.
#[pyfunction]
#[pyo3(signature = (nps, outcome, kind, confidence))]
pub(crate) fn outcome_by_category(
    py: Python<'_>,
    nps: Weights<'_>,
    outcome: Weights<'_>,
    kind: Option<&str>,
    confidence: f64,
) -> PyResult<PyOutcomeResult> {
    let confidence = Confidence::new(confidence).py()?;
    let kind = kind.map(str::parse::<OutcomeKind>).transpose().py()?;
    let columns: [Column<'_>; 2] = [
        ("nps".into(), nps, 0, 10, 0),
        ("outcome".into(), outcome, 0, 0, 0),
    ];
    let report = with_columns(py, &columns, None, |cols, _| {
        cxmetrics::outcome::outcome_by_category(cols[0].1, cols[1].1, kind, confidence)
    })
    .py()?;
    Ok(PyOutcomeResult(report))
}
