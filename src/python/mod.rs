//! Python bindings (cargo feature `python`): the native module `cxmetrics._native`.
//!
//! This layer only converts Python arguments and delegates to the core; the public Python API (input
//! normalisation for pandas and polars, documentation) is `python/cxmetrics/__init__.py`.

mod comparison;
mod composite;
mod errors;
mod estimate;
mod input;
mod read;

use pyo3::prelude::*;

use crate::counts::MissingPolicy;
use crate::error::Error;
use crate::estimate::Indicator;
use crate::grouping::IndicatorSpec;
use crate::interval::nps::NpsMethod;
use crate::interval::proportion::ProportionMethod;
use crate::interval::Confidence;
use crate::scale::Scale;
use estimate::PyEstimate;
use input::{Scores, Weights};

fn count_arg(name: &'static str, value: i64) -> Result<u64, Error> {
    u64::try_from(value).map_err(|_| Error::InvalidCounts {
        reason: format!("{name} must be a count >= 0, got {value}"),
    })
}

fn indicator_arg(name: &str) -> PyResult<Indicator> {
    match name {
        "csat" => Ok(Indicator::Csat),
        "ces" => Ok(Indicator::Ces),
        "top_box" => Ok(Indicator::TopBox),
        "repurchase" => Ok(Indicator::Repurchase),
        _ => Err(errors::invalid_input(format!(
            "indicator must be 'csat', 'ces', 'repurchase' or 'top_box', got {name:?}"
        ))),
    }
}

/// NPS of 0-10 scores. See `cxmetrics.nps`.
#[pyfunction]
#[pyo3(signature = (scores, weights, method, confidence, nan_policy, employee=false))]
#[allow(clippy::too_many_arguments)]
fn nps(
    py: Python<'_>,
    scores: Scores<'_>,
    weights: Option<Weights<'_>>,
    method: &str,
    confidence: f64,
    nan_policy: &str,
    employee: bool,
) -> PyResult<PyEstimate> {
    let method: NpsMethod = method.parse()?;
    let confidence = Confidence::new(confidence)?;
    let policy: MissingPolicy = nan_policy.parse()?;
    let counts = scores.count(py, Scale::NPS, policy, weights.as_ref())?;
    let estimate = py.detach(|| {
        if employee {
            crate::indicator::nps::enps(&counts, method, confidence)
        } else {
            crate::indicator::nps::nps(&counts, method, confidence)
        }
    })?;
    Ok(PyEstimate(estimate))
}

/// NPS from category counts. See `cxmetrics.nps_from_counts`.
#[pyfunction]
#[pyo3(signature = (detractors, passives, promoters, method, confidence))]
fn nps_from_counts(
    py: Python<'_>,
    detractors: i64,
    passives: i64,
    promoters: i64,
    method: &str,
    confidence: f64,
) -> PyResult<PyEstimate> {
    let method: NpsMethod = method.parse()?;
    let confidence = Confidence::new(confidence)?;
    let (d, p, r) = (
        count_arg("detractors", detractors)?,
        count_arg("passives", passives)?,
        count_arg("promoters", promoters)?,
    );
    let estimate =
        py.detach(|| crate::indicator::nps::nps_from_counts(d, p, r, method, confidence))?;
    Ok(PyEstimate(estimate))
}

/// Top-box share. See `cxmetrics.top_box`.
#[pyfunction]
#[pyo3(signature = (scores, scale_min, scale_max, top, weights, method, confidence, nan_policy, indicator))]
#[allow(clippy::too_many_arguments)]
fn top_box(
    py: Python<'_>,
    scores: Scores<'_>,
    scale_min: i64,
    scale_max: i64,
    top: i64,
    weights: Option<Weights<'_>>,
    method: &str,
    confidence: f64,
    nan_policy: &str,
    indicator: &str,
) -> PyResult<PyEstimate> {
    let indicator = indicator_arg(indicator)?;
    let scale = Scale::new(scale_min, scale_max)?;
    let top = u32::try_from(top)
        .ok()
        .filter(|&t| t >= 1 && (t as usize) < scale.points())
        .ok_or(Error::InvalidTopBox {
            top,
            min: scale_min,
            max: scale_max,
        })?;
    let method: ProportionMethod = method.parse()?;
    let confidence = Confidence::new(confidence)?;
    let policy: MissingPolicy = nan_policy.parse()?;
    let counts = scores.count(py, scale, policy, weights.as_ref())?;
    let estimate = py.detach(|| {
        crate::indicator::top_box::top_box_as(indicator, &counts, top, method, confidence)
    })?;
    Ok(PyEstimate(estimate))
}

/// Top-box share from counts. See `cxmetrics.top_box_from_counts`.
#[pyfunction]
#[pyo3(signature = (successes, n, method, confidence))]
fn top_box_from_counts(
    py: Python<'_>,
    successes: i64,
    n: i64,
    method: &str,
    confidence: f64,
) -> PyResult<PyEstimate> {
    let method: ProportionMethod = method.parse()?;
    let confidence = Confidence::new(confidence)?;
    let (x, n) = (count_arg("successes", successes)?, count_arg("n", n)?);
    // Clopper-Pearson and Jeffreys at very large n can take a while: release the GIL.
    let estimate =
        py.detach(|| crate::indicator::top_box::top_box_from_counts(x, n, method, confidence))?;
    Ok(PyEstimate(estimate))
}

/// Mean score. See `cxmetrics.mean_score`.
#[pyfunction]
#[pyo3(signature = (scores, scale_min, scale_max, weights, confidence, nan_policy, index=false))]
#[allow(clippy::too_many_arguments)]
fn mean_score(
    py: Python<'_>,
    scores: Scores<'_>,
    scale_min: i64,
    scale_max: i64,
    weights: Option<Weights<'_>>,
    confidence: f64,
    nan_policy: &str,
    index: bool,
) -> PyResult<PyEstimate> {
    let scale = Scale::new(scale_min, scale_max)?;
    let confidence = Confidence::new(confidence)?;
    let policy: MissingPolicy = nan_policy.parse()?;
    let counts = scores.count(py, scale, policy, weights.as_ref())?;
    let estimate = py.detach(|| {
        if index {
            crate::indicator::mean::satisfaction_index(&counts, confidence)
        } else {
            crate::indicator::mean::mean_score(&counts, confidence)
        }
    })?;
    Ok(PyEstimate(estimate))
}

/// The report spec for an indicator name.
fn indicator_spec(
    kind: &str,
    top: i64,
    method: Option<&str>,
    scale: Scale,
) -> PyResult<IndicatorSpec> {
    let share = |indicator: Indicator| -> PyResult<IndicatorSpec> {
        let top = u32::try_from(top)
            .ok()
            .filter(|&t| t >= 1 && (t as usize) < scale.points())
            .ok_or(Error::InvalidTopBox {
                top,
                min: scale.min(),
                max: scale.max(),
            })?;
        Ok(IndicatorSpec::Share {
            indicator,
            top,
            method: method.unwrap_or("wilson").parse()?,
        })
    };
    match kind {
        "nps" | "enps" => Ok(IndicatorSpec::Nps {
            indicator: if kind == "enps" {
                Indicator::Enps
            } else {
                Indicator::Nps
            },
            method: method.unwrap_or("adjusted_wald").parse()?,
        }),
        "csat" => share(Indicator::Csat),
        "ces" => share(Indicator::Ces),
        "repurchase" => share(Indicator::Repurchase),
        "top_box" => share(Indicator::TopBox),
        "mean" => Ok(IndicatorSpec::Mean { index: false }),
        "satisfaction_index" => Ok(IndicatorSpec::Mean { index: true }),
        other => Err(Error::UnknownOption {
            option: "indicator",
            name: other.to_owned(),
            valid: &[
                "nps",
                "enps",
                "csat",
                "ces",
                "repurchase",
                "top_box",
                "mean",
                "satisfaction_index",
            ],
        }
        .into()),
    }
}

/// Overall, per-group and group-versus-rest results for one indicator. See `cxmetrics.summarize`.
type Summary = (
    Option<PyEstimate>,
    Vec<Option<PyEstimate>>,
    Vec<Option<comparison::PyComparison>>,
    Vec<(u64, u64)>,
    (u64, u64),
);

/// Grouped report for one indicator. See `cxmetrics.summarize`.
#[pyfunction]
#[pyo3(signature = (codes, n_groups, scores, weights, kind, scale_min, scale_max, top, method, confidence, nan_policy))]
#[allow(clippy::too_many_arguments)]
fn summarize_indicator(
    py: Python<'_>,
    codes: numpy::PyReadonlyArray1<'_, u32>,
    n_groups: usize,
    scores: Scores<'_>,
    weights: Option<Weights<'_>>,
    kind: &str,
    scale_min: i64,
    scale_max: i64,
    top: i64,
    method: Option<&str>,
    confidence: f64,
    nan_policy: &str,
) -> PyResult<Summary> {
    let scale = Scale::new(scale_min, scale_max)?;
    let spec = indicator_spec(kind, top, method, scale)?;
    let confidence = Confidence::new(confidence)?;
    let policy: MissingPolicy = nan_policy.parse()?;
    let codes_view = codes.as_array();
    let grouped = match codes_view.as_slice() {
        Some(c) => scores.count_grouped(py, c, n_groups, scale, policy, weights.as_ref())?,
        None => {
            let c: Vec<u32> = codes_view.iter().copied().collect();
            scores.count_grouped(py, &c, n_groups, scale, policy, weights.as_ref())?
        }
    };
    let (overall, groups) = py.detach(|| crate::grouping::report(&grouped, spec, confidence));
    // A problem with the request itself (e.g. a method without a weighted form) is an error, not a
    // column of NaN; only missing or scarce data give NaN.
    let overall = match overall {
        Ok(e) => Some(PyEstimate(e)),
        Err(
            Error::EmptyData { .. }
            | Error::InsufficientData { .. }
            | Error::ZeroTotalWeight { .. },
        ) => None,
        Err(err) => return Err(err.into()),
    };
    let total = grouped.total();
    let sizes = groups.iter().map(|g| (g.n, g.n_missing)).collect();
    Ok((
        overall,
        groups
            .iter()
            .map(|g| g.estimate.clone().map(PyEstimate))
            .collect(),
        groups
            .into_iter()
            .map(|g| g.versus_rest.map(comparison::PyComparison))
            .collect(),
        sizes,
        (total.n(), total.n_missing()),
    ))
}

/// Group codes and the sorted distinct keys.
type Factorized<'py> = (
    Bound<'py, numpy::PyArray1<u32>>,
    Bound<'py, numpy::PyArray1<i64>>,
);

/// Dense sorted codes for integer group keys. See `cxmetrics.summarize`.
#[pyfunction]
fn factorize_integers<'py>(
    py: Python<'py>,
    keys: numpy::PyReadonlyArray1<'py, i64>,
) -> PyResult<Factorized<'py>> {
    let view = keys.as_array();
    let (codes, uniques) = py.detach(|| match view.as_slice() {
        Some(k) => crate::grouping::factorize_integers(k),
        None => crate::grouping::factorize_integers(&view.iter().copied().collect::<Vec<_>>()),
    });
    Ok((
        numpy::PyArray1::from_vec(py, codes),
        numpy::PyArray1::from_vec(py, uniques),
    ))
}

/// The native module `cxmetrics._native`.
#[pymodule]
mod _native {
    #[pymodule_export]
    use super::comparison::{
        adjust_pvalues, compare, minimum_detectable_difference_py, nps_paired, sample_size,
        sample_size_per_group, test_against, PyComparison,
    };
    #[pymodule_export]
    use super::composite::{loyalty_index, outcome_by_category, secure_customers};
    #[pymodule_export]
    use super::read::read_responses;
    #[pymodule_export]
    use super::{
        factorize_integers, mean_score, nps, nps_from_counts, summarize_indicator, top_box,
        top_box_from_counts, PyEstimate,
    };

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
