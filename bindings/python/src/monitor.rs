//! Bindings of the trends and control charts.

use crate::errors::IntoPyResult;
use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyDictMethods};

use super::input::{contiguous, Weights};
use super::IndicatorColumn;
use cxmetrics::alert::{alerts, AlertOptions};
use cxmetrics::counts::MissingPolicy;
use cxmetrics::error::Error;
use cxmetrics::grouping::IndicatorSpec;
use cxmetrics::interval::Confidence;
use cxmetrics::trend::{Frequency, Period, TrendCells, TrendOptions};

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

/// The cells of every indicator column (cell `group * n_periods + period` of `codes`), each handed
/// to `per_indicator` with its spec, without the GIL.
#[allow(clippy::too_many_arguments)]
fn per_indicator_cells<'py, R: Send>(
    py: Python<'py>,
    codes: &numpy::PyReadonlyArray1<'py, u32>,
    n_groups: usize,
    n_periods: usize,
    columns: &[IndicatorColumn<'py>],
    names: &[String],
    weights: Option<&Weights<'py>>,
    per_indicator: impl Fn(&TrendCells, IndicatorSpec) -> Result<R, Error> + Send + Sync,
) -> PyResult<Vec<R>> {
    let (specs, gathered) = super::indicator_columns(columns, weights.is_some())?;
    let score_columns = super::score_columns(columns, &gathered, &specs);
    let codes_view = codes.as_array();
    let weights = weights.map(|w| w.readonly());
    let w_view = weights.as_ref().map(|w| w.as_array());
    py.detach(|| -> Result<Vec<R>, Error> {
        let (mut c_owned, mut w_owned) = (Vec::new(), Vec::new());
        let n_cells = n_groups
            .checked_mul(n_periods)
            .ok_or_else(|| Error::invalid_parameter("n_periods", n_periods, "too many cells"))?;
        let keys = cxmetrics::grouping::GroupKeys::Codes {
            codes: contiguous(&codes_view, &mut c_owned),
            n_groups: n_cells,
        };
        let w = w_view.as_ref().map(|v| contiguous(v, &mut w_owned));
        let grouped =
            cxmetrics::grouping::group_columns(keys, &score_columns, w, MissingPolicy::Omit)
                .map_err(|e| super::rename_column(e, names))?;
        grouped
            .columns
            .into_iter()
            .zip(&specs)
            .map(|(counts, (_, spec))| {
                per_indicator(&TrendCells::new(counts, n_groups, n_periods)?, *spec)
            })
            .collect()
    })
    .py()
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
    let options = TrendOptions::default()
        .with_confidence(Confidence::new(confidence).py()?)
        .with_window(window)
        .py()?;
    let tables = per_indicator_cells(
        py,
        &codes,
        n_groups,
        n_periods,
        &columns,
        &names,
        weights.as_ref(),
        |cells, spec| cells.trend(spec, options),
    )?;
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

/// Alarms of several indicators over cells `group * n_periods + period`, one dict of columns per
/// indicator (`group`, `period`, `value`, `n` and the rule's columns). See `cxmetrics.alerts`.
#[pyfunction]
#[pyo3(signature = (codes, n_groups, n_periods, columns, names, confidence, rule, p_adjust))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn alerts_grouped<'py>(
    py: Python<'py>,
    codes: numpy::PyReadonlyArray1<'py, u32>,
    n_groups: usize,
    n_periods: usize,
    columns: Vec<IndicatorColumn<'py>>,
    names: Vec<String>,
    confidence: f64,
    rule: &str,
    p_adjust: &str,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let options = AlertOptions::default()
        .with_rule(rule.parse().py()?)
        .with_confidence(Confidence::new(confidence).py()?)
        .with_p_adjust(p_adjust.parse().py()?);
    let found = per_indicator_cells(
        py,
        &codes,
        n_groups,
        n_periods,
        &columns,
        &names,
        None,
        |cells, spec| alerts(cells, spec, options),
    )?;
    found
        .into_iter()
        .map(|list| {
            let d = PyDict::new(py);
            set_column(&d, "group", list.iter().map(|a| a.group as u64))?;
            set_column(&d, "period", list.iter().map(|a| a.period as u64))?;
            set_column(&d, "value", list.iter().map(|a| a.value))?;
            set_column(&d, "n", list.iter().map(|a| a.n as i64))?;
            let figures: Vec<Vec<f64>> = list.iter().map(|a| a.reason.figures()).collect();
            for (k, name) in options.rule().reason_columns().iter().enumerate() {
                set_column(
                    &d,
                    name,
                    figures
                        .iter()
                        .map(|f| f.get(k).copied().unwrap_or(f64::NAN)),
                )?;
            }
            Ok(d)
        })
        .collect()
}

/// The period number (from 1970) of each instant, the instants counted in `units_per_day` units
/// since 1970-01-01 (a NumPy `datetime64` array viewed as `int64`). See `cxmetrics.trend`.
#[pyfunction]
pub(crate) fn period_indices<'py>(
    py: Python<'py>,
    instants: numpy::PyReadonlyArray1<'py, i64>,
    units_per_day: i64,
    freq: &str,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let frequency: Frequency = freq.parse().py()?;
    if units_per_day < 1 {
        return Err(Error::invalid_parameter(
            "units_per_day",
            units_per_day,
            "must be at least 1",
        ))
        .py();
    }
    let view = instants.as_array();
    let indices: Vec<i64> = py.detach(|| {
        view.iter()
            .map(|&t| frequency.index_of_day(t.div_euclid(units_per_day)))
            .collect()
    });
    Ok(PyArray1::from_vec(py, indices))
}

/// The first day (days since 1970-01-01) of each period from `first` to `last`, and each period's
/// label (`2025-03`, `2025-W11`, `2025Q1`...). See `cxmetrics.trend`.
#[pyfunction]
pub(crate) fn period_starts<'py>(
    py: Python<'py>,
    first: i64,
    last: i64,
    freq: &str,
) -> PyResult<(Bound<'py, PyArray1<i64>>, Vec<String>)> {
    let frequency: Frequency = freq.parse().py()?;
    if last < first || last - first >= 1 << 32 {
        return Err(Error::invalid_parameter(
            "periods",
            format!("{first}..={last}"),
            "must run forwards over fewer than 2^32 periods",
        ))
        .py();
    }
    let periods: Vec<Period> = (first..=last).map(|i| Period::new(frequency, i)).collect();
    let days = PyArray1::from_iter(py, periods.iter().map(Period::first_day));
    Ok((days, periods.iter().map(Period::to_string).collect()))
}
