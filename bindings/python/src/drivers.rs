//! Binding of the key driver analysis.

use crate::errors::IntoPyResult;
use numpy::PyArrayMethods;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyDictMethods};

use super::input::{contiguous, Weights};
use cxmetrics::drivers::{driver_analysis as analyse, DriverMethod, DriverOptions};
use cxmetrics::interval::Confidence;

/// Key driver analysis. See `cxmetrics.drivers`. Returns the result as a dict.
#[pyfunction]
#[pyo3(signature = (outcome_name, outcome, drivers, weights, method, bootstrap, confidence, seed, permutations))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn driver_analysis<'py>(
    py: Python<'py>,
    outcome_name: String,
    outcome: Weights<'py>,
    drivers: Vec<(String, Weights<'py>)>,
    weights: Option<Weights<'py>>,
    method: &str,
    bootstrap: usize,
    confidence: f64,
    seed: Option<u64>,
    permutations: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let options = {
        let mut o = DriverOptions::default();
        o.method = method.parse::<DriverMethod>().py()?;
        o.bootstrap = bootstrap;
        o.confidence = Confidence::new(confidence).py()?;
        o.seed = seed;
        o.permutations = permutations.max(2);
        o
    };
    let outcome = outcome.readonly();
    let outcome_view = outcome.as_array();
    let names: Vec<&str> = drivers.iter().map(|(n, _)| n.as_str()).collect();
    let readonly: Vec<_> = drivers.iter().map(|(_, c)| c.readonly()).collect();
    let views: Vec<_> = readonly.iter().map(|r| r.as_array()).collect();
    let weights = weights.as_ref().map(|w| w.readonly());
    let w_view = weights.as_ref().map(|w| w.as_array());
    let result = super::detach_interruptible(py, || {
        let mut owned: Vec<Vec<f64>> = vec![Vec::new(); views.len()];
        let (mut o_owned, mut w_owned) = (Vec::new(), Vec::new());
        let columns: Vec<(&str, &[f64])> = names
            .iter()
            .copied()
            .zip(
                views
                    .iter()
                    .zip(owned.iter_mut())
                    .map(|(v, o)| contiguous(v, o)),
            )
            .collect();
        let w = w_view.as_ref().map(|v| contiguous(v, &mut w_owned));
        analyse(
            (&outcome_name, contiguous(&outcome_view, &mut o_owned)),
            &columns,
            w,
            &options,
        )
    })?;
    let d = PyDict::new(py);
    d.set_item("method", result.method.as_str())?;
    d.set_item("exact", result.exact)?;
    d.set_item("r_squared", result.r_squared)?;
    d.set_item("n", result.n)?;
    d.set_item("n_missing", result.n_missing)?;
    d.set_item("bootstrap", result.bootstrap)?;
    d.set_item("bootstrap_failed", result.bootstrap_failed)?;
    d.set_item("confidence", result.confidence)?;
    d.set_item("seed", result.seed)?;
    let rows: Vec<_> = result
        .drivers
        .into_iter()
        .map(|r| {
            (
                r.name,
                r.importance,
                r.share,
                r.direction,
                r.performance,
                r.lower,
                r.upper,
                r.mc_error,
            )
        })
        .collect();
    d.set_item("drivers", rows)?;
    Ok(d)
}
