//! Bindings of the trends and control charts.

use crate::errors::IntoPyResult;
use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyDictMethods};

use super::input::{contiguous, Weights};
use super::IndicatorColumn;
use cxmetrics::error::Error;
use cxmetrics::interval::Confidence;

fn counts(name: &'static str, values: Vec<i64>) -> Result<Vec<u64>, Error> {
    values
        .into_iter()
        .map(|v| super::count_arg(name, v))
        .collect()
}

fn chart_dict<'py>(
    py: Python<'py>,
    points: &[cxmetrics::monitor::ChartPoint],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    set_column(&d, "value", points.iter().map(|p| p.value))?;
    set_column(&d, "center", points.iter().map(|p| p.center))?;
    set_column(&d, "lower_limit", points.iter().map(|p| p.lower_limit))?;
    set_column(&d, "upper_limit", points.iter().map(|p| p.upper_limit))?;
    set_column(&d, "signal", points.iter().map(|p| p.signal))?;
    Ok(d)
}

/// Sets `name` in `d` to a NumPy array of `values` (one field of every chart point).
fn set_column<T: numpy::Element>(
    d: &Bound<'_, PyDict>,
    name: &str,
    values: impl Iterator<Item = T>,
) -> PyResult<()> {
    d.set_item(name, PyArray1::from_iter(d.py(), values))
}

/// p-chart. See `cxmetrics.p_chart`.
#[pyfunction]
pub(crate) fn p_chart<'py>(
    py: Python<'py>,
    successes: Vec<i64>,
    n: Vec<i64>,
    sigma: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let points = cxmetrics::monitor::p_chart(
        &counts("successes", successes).py()?,
        &counts("n", n).py()?,
        sigma,
    )
    .py()?;
    chart_dict(py, &points)
}

/// NPS chart. See `cxmetrics.nps_chart`.
#[pyfunction]
pub(crate) fn nps_chart<'py>(
    py: Python<'py>,
    detractors: Vec<i64>,
    passives: Vec<i64>,
    promoters: Vec<i64>,
    sigma: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let points = cxmetrics::monitor::nps_chart(
        &counts("detractors", detractors).py()?,
        &counts("passives", passives).py()?,
        &counts("promoters", promoters).py()?,
        sigma,
    )
    .py()?;
    chart_dict(py, &points)
}

/// EWMA chart. See `cxmetrics.ewma`.
#[pyfunction]
#[pyo3(signature = (values, target, sigma, lam, l))]
pub(crate) fn ewma<'py>(
    py: Python<'py>,
    values: Weights<'py>,
    target: f64,
    sigma: f64,
    lam: f64,
    l: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let values = values.readonly();
    let view = values.as_array();
    let mut owned = Vec::new();
    let points =
        cxmetrics::monitor::ewma(contiguous(&view, &mut owned), target, sigma, lam, l).py()?;
    let d = PyDict::new(py);
    set_column(&d, "value", points.iter().map(|p| p.value))?;
    set_column(&d, "ewma", points.iter().map(|p| p.ewma))?;
    set_column(&d, "lower_limit", points.iter().map(|p| p.lower_limit))?;
    set_column(&d, "upper_limit", points.iter().map(|p| p.upper_limit))?;
    set_column(&d, "signal", points.iter().map(|p| p.signal))?;
    Ok(d)
}

/// Tabular CUSUM. See `cxmetrics.cusum`.
#[pyfunction]
pub(crate) fn cusum<'py>(
    py: Python<'py>,
    values: Weights<'py>,
    target: f64,
    sigma: f64,
    k: f64,
    h: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let values = values.readonly();
    let view = values.as_array();
    let mut owned = Vec::new();
    let points =
        cxmetrics::monitor::cusum(contiguous(&view, &mut owned), target, sigma, k, h).py()?;
    let d = PyDict::new(py);
    set_column(&d, "value", points.iter().map(|p| p.value))?;
    set_column(&d, "upper_sum", points.iter().map(|p| p.upper_sum))?;
    set_column(&d, "lower_sum", points.iter().map(|p| p.lower_sum))?;
    set_column(&d, "signal", points.iter().map(|p| p.signal))?;
    Ok(d)
}

/// Trends of several indicators: cells `group * n_periods + period`. See `cxmetrics.trend`.
#[pyfunction]
#[pyo3(signature = (codes, n_groups, n_periods, columns, names, weights, confidence, window))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn trend_grouped<'py>(
    py: Python<'py>,
    codes: numpy::PyReadonlyArray1<'py, u32>,
    n_groups: usize,
    n_periods: usize,
    columns: Vec<IndicatorColumn<'py>>,
    names: Vec<String>,
    weights: Option<Weights<'py>>,
    confidence: f64,
    window: usize,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let confidence = Confidence::new(confidence).py()?;
    let (specs, gathered) = super::indicator_columns(&columns)?;
    let score_columns = super::score_columns(&columns, &gathered, &specs);
    let codes_view = codes.as_array();
    let weights = weights.as_ref().map(|w| w.readonly());
    let w_view = weights.as_ref().map(|w| w.as_array());
    let tables = py
        .detach(|| -> Result<Vec<cxmetrics::trend::TrendColumns>, Error> {
            let (mut c_owned, mut w_owned) = (Vec::new(), Vec::new());
            let keys = cxmetrics::grouping::GroupKeys::Codes {
                codes: contiguous(&codes_view, &mut c_owned),
                n_groups: n_groups * n_periods,
            };
            let w = w_view.as_ref().map(|v| contiguous(v, &mut w_owned));
            let grouped = cxmetrics::grouping::group_columns(
                keys,
                &score_columns,
                w,
                cxmetrics::counts::MissingPolicy::Omit,
            )
            .map_err(|e| super::rename_column(e, &names))?;
            grouped
                .columns
                .iter()
                .zip(&specs)
                .map(|(cells, (_, spec))| {
                    cxmetrics::trend::trend(cells, n_groups, n_periods, *spec, confidence, window)
                })
                .collect()
        })
        .py()?;
    tables
        .into_iter()
        .map(|t| {
            let d = PyDict::new(py);
            for (name, v) in [
                ("value", t.value),
                ("lower", t.lower),
                ("upper", t.upper),
                ("std_error", t.std_error),
                ("change", t.change),
                ("change_lower", t.change_lower),
                ("change_upper", t.change_upper),
                ("p_value", t.p_value),
            ] {
                d.set_item(name, PyArray1::from_vec(py, v))?;
            }
            d.set_item("n", PyArray1::from_vec(py, t.n))?;
            d.set_item("n_missing", PyArray1::from_vec(py, t.n_missing))?;
            Ok(d)
        })
        .collect()
}
