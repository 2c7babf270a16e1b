//! Python bindings (cargo feature `python`): the native module `cxmetrics._native`.
//!
//! This layer only converts Python arguments and delegates to the core; the public Python API (input
//! normalisation for pandas and polars, documentation) is `python/cxmetrics/__init__.py`.

mod comparison;
mod composite;
mod counts;
mod drivers;
mod errors;
mod estimate;
mod getters;
mod hooks;
mod input;
mod monitor;
mod read;
mod text;

use crate::errors::IntoPyResult;
use numpy::PyArrayMethods;
use pyo3::prelude::*;

use cxmetrics::counts::MissingPolicy;
use cxmetrics::error::Error;
use cxmetrics::grouping::{IndicatorSpec, ReportColumns};
use cxmetrics::interval::nps::NpsMethod;
use cxmetrics::interval::proportion::ProportionMethod;
use cxmetrics::interval::Confidence;

/// Runs `work` without the GIL, with Python's signal handlers as the interrupt check of the long
/// computations (see `cxmetrics::with_interrupt_check`): Ctrl-C stops them between blocks of work and
/// the call raises the exception the signal check returned (`KeyboardInterrupt` for SIGINT, or what a
/// Python signal handler raised).
///
/// Last-resort guard: a Rust panic in `work` (a defect: the core returns `Err` on every input) is
/// caught here and raised as a `CxError` naming it, so that no panic crosses the FFI boundary as
/// `PanicException` (which `except Exception` does not catch).
pub(crate) fn detach_interruptible<T, E>(
    py: Python<'_>,
    work: impl FnOnce() -> Result<T, E> + Send,
) -> PyResult<T>
where
    T: Send,
    E: Send + errors::ToPyErr,
{
    use std::sync::{Arc, Mutex};
    let signal: Arc<Mutex<Option<PyErr>>> = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&signal);
    let check = move || match Python::attach(|py| py.check_signals()) {
        Ok(()) => false,
        Err(e) => {
            if let Ok(mut s) = slot.lock() {
                s.get_or_insert(e);
            }
            true
        }
    };
    let outcome = py.detach(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            cxmetrics::with_interrupt_check(check, work)
        }))
    });
    let raised = signal.lock().ok().and_then(|mut s| s.take());
    match (outcome, raised) {
        (_, Some(err)) => Err(err),
        (Ok(result), None) => result.map_err(errors::ToPyErr::into_py_err),
        (Err(panic), None) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".to_owned());
            Err(hooks::new_err(
                hooks::ErrorClass::CxError,
                format!("internal error in cxmetrics (please report it): {what}"),
            ))
        }
    }
}
use cxmetrics::scale::Scale;
use estimate::PyEstimate;
use input::{Scores, Weights};

pub(crate) fn count_arg(name: &'static str, value: i64) -> Result<u64, Error> {
    u64::try_from(value).map_err(|_| Error::InvalidCounts {
        reason: format!("{name} must be a count >= 0, got {value}"),
    })
}

/// NPS of 0-10 scores. See `cxmetrics.nps`.
#[pyfunction]
#[pyo3(signature = (scores, weights, method, confidence, nan_policy, employee=false, n_resamples=9999, seed=None, prior=0.5))]
#[allow(clippy::too_many_arguments)]
fn nps(
    py: Python<'_>,
    scores: Scores<'_>,
    weights: Option<Weights<'_>>,
    method: Option<&str>,
    confidence: f64,
    nan_policy: &str,
    employee: bool,
    n_resamples: usize,
    seed: Option<u64>,
    prior: f64,
) -> PyResult<PyEstimate> {
    let confidence = Confidence::new(confidence).py()?;
    let policy: MissingPolicy = nan_policy.parse().py()?;
    let name = if employee { "enps" } else { "nps" };
    let spec = IndicatorSpec::parse(name, None, method, Scale::NPS, weights.is_some())
        .py()?
        .with_resampling(n_resamples, seed, prior);
    estimate_spec(
        py,
        &spec,
        &scores,
        weights.as_ref(),
        Scale::NPS,
        policy,
        confidence,
    )
}

/// The estimate of `spec` on the scores: from their counts (weighted or not), or, for a weighted
/// resampled spec, from the rows with their weights.
fn estimate_spec(
    py: Python<'_>,
    spec: &IndicatorSpec,
    scores: &Scores<'_>,
    weights: Option<&Weights<'_>>,
    scale: Scale,
    policy: MissingPolicy,
    confidence: Confidence,
) -> PyResult<PyEstimate> {
    let estimate = match weights {
        Some(w) if spec.is_resampled() => scores.with_f64_rows(py, w, |values, w| {
            spec.estimate_weighted_rows(values, w, scale, policy, confidence)
        })?,
        _ => {
            let counts = scores.count(py, scale, policy, weights)?;
            detach_interruptible(py, || spec.estimate(&counts, confidence))?
        }
    };
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
    let method: NpsMethod = method.parse().py()?;
    let confidence = Confidence::new(confidence).py()?;
    let (d, p, r) = (
        count_arg("detractors", detractors).py()?,
        count_arg("passives", passives).py()?,
        count_arg("promoters", promoters).py()?,
    );
    let estimate = detach_interruptible(py, || {
        cxmetrics::indicator::nps::nps_from_counts(d, p, r, method, confidence)
    })?;
    Ok(PyEstimate(estimate))
}

/// Top-box share. See `cxmetrics.top_box`.
#[pyfunction]
#[pyo3(signature = (scores, scale_min, scale_max, top, weights, method, confidence, nan_policy, indicator, n_resamples=9999, seed=None, prior=0.5))]
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
    n_resamples: usize,
    seed: Option<u64>,
    prior: f64,
) -> PyResult<PyEstimate> {
    let scale = Scale::new(scale_min, scale_max).py()?;
    let confidence = Confidence::new(confidence).py()?;
    let policy: MissingPolicy = nan_policy.parse().py()?;
    let spec = IndicatorSpec::share(indicator, top, method, scale)
        .py()?
        .with_resampling(n_resamples, seed, prior);
    estimate_spec(
        py,
        &spec,
        &scores,
        weights.as_ref(),
        scale,
        policy,
        confidence,
    )
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
    let method: ProportionMethod = method.parse().py()?;
    let confidence = Confidence::new(confidence).py()?;
    let (x, n) = (
        count_arg("successes", successes).py()?,
        count_arg("n", n).py()?,
    );
    // Clopper-Pearson and Jeffreys at very large n can take a while: release the GIL.
    let estimate = detach_interruptible(py, || {
        cxmetrics::indicator::top_box::top_box_from_counts(x, n, method, confidence)
    })?;
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
    let scale = Scale::new(scale_min, scale_max).py()?;
    let confidence = Confidence::new(confidence).py()?;
    let policy: MissingPolicy = nan_policy.parse().py()?;
    let counts = scores.count(py, scale, policy, weights.as_ref())?;
    let estimate = detach_interruptible(py, || {
        if index {
            cxmetrics::indicator::mean::satisfaction_index(&counts, confidence)
        } else {
            cxmetrics::indicator::mean::mean_score(&counts, confidence)
        }
    })?;
    Ok(PyEstimate(estimate))
}

/// Names the column of an error about column number `i` of `names`.
pub(crate) fn rename_column(err: Error, names: &[String]) -> Error {
    match err {
        Error::InColumn { column, error } => {
            let name = column
                .parse::<usize>()
                .ok()
                .and_then(|i| names.get(i))
                .cloned()
                .unwrap_or(column);
            Error::InColumn {
                column: name,
                error,
            }
        }
        other => other,
    }
}

/// One indicator of a grouped report: scores, kind, scale, top, method.
/// One indicator's column from Python: `(scores, kind, scale_min, scale_max, top, method,
/// n_resamples, seed)`.
pub(crate) type IndicatorColumn<'py> = (
    Scores<'py>,
    String,
    i64,
    i64,
    i64,
    Option<String>,
    Option<usize>,
    Option<u64>,
);

/// The columns of one indicator's report, as NumPy arrays by name.
fn report_dict<'py>(
    py: Python<'py>,
    t: ReportColumns,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    use numpy::PyArray1;
    use pyo3::types::PyDictMethods;
    let d = pyo3::types::PyDict::new(py);
    for (name, v) in [
        ("value", t.value),
        ("lower", t.lower),
        ("upper", t.upper),
        ("std_error", t.std_error),
        ("effective_n", t.effective_n),
        ("difference", t.difference),
        ("p_value", t.p_value),
        ("p_adjusted", t.p_adjusted),
        ("detractors", t.detractors),
        ("passives", t.passives),
        ("promoters", t.promoters),
    ] {
        d.set_item(name, PyArray1::from_vec(py, v))?;
    }
    d.set_item("n", PyArray1::from_vec(py, t.n))?;
    d.set_item("n_missing", PyArray1::from_vec(py, t.n_missing))?;
    Ok(d)
}

/// The scale and indicator of each column, and the strided columns gathered once to float64
/// (contiguous arrays are read in place).
pub(crate) type PreparedColumns = (Vec<(Scale, IndicatorSpec)>, Vec<Option<Vec<f64>>>);

/// The specs come from the core's [`IndicatorSpec::parse`], so a column without a method takes the
/// core's default for weighted or unweighted data.
pub(crate) fn indicator_columns(
    columns: &[IndicatorColumn<'_>],
    weighted: bool,
) -> PyResult<PreparedColumns> {
    let mut specs = Vec::with_capacity(columns.len());
    let defaults = cxmetrics::interval::resampling::ResamplingOptions::default();
    for (_, kind, lo, hi, top, method, n_resamples, seed) in columns {
        let scale = Scale::new(*lo, *hi).py()?;
        specs.push((
            scale,
            IndicatorSpec::parse(kind, Some(*top), method.as_deref(), scale, weighted)
                .py()?
                .with_resampling(
                    n_resamples.unwrap_or(defaults.n_resamples),
                    *seed,
                    defaults.prior,
                ),
        ));
    }
    let gathered = columns
        .iter()
        .map(|c| c.0.column().is_none().then(|| c.0.to_f64_vec()))
        .collect();
    Ok((specs, gathered))
}

/// The columns as borrowed score slices with their scales.
pub(crate) fn score_columns<'a>(
    columns: &'a [IndicatorColumn<'_>],
    gathered: &'a [Option<Vec<f64>>],
    specs: &[(Scale, IndicatorSpec)],
) -> Vec<(cxmetrics::grouping::ScoreColumn<'a>, Scale)> {
    columns
        .iter()
        .zip(gathered)
        .zip(specs)
        .map(|((c, g), (scale, _))| {
            let column = match g {
                Some(v) => cxmetrics::grouping::ScoreColumn::F64(v),
                None => c.0.column().expect("contiguous when not gathered"),
            };
            (column, *scale)
        })
        .collect()
}

/// The keys of the groups and one report per indicator.
type GroupedReports<'py> = (
    Bound<'py, numpy::PyArray1<i64>>,
    Vec<Bound<'py, pyo3::types::PyDict>>,
);

/// The codes of string keys and the first row of each distinct key.
type StringCodes<'py> = (
    Bound<'py, numpy::PyArray1<u32>>,
    Bound<'py, numpy::PyArray1<u64>>,
);

/// Dense codes of string keys in Arrow layout (`offsets`, `data`), in byte order of the keys, and
/// the first row of each distinct key. See `grouping::factorize_strings`.
#[pyfunction]
fn factorize_strings<'py>(
    py: Python<'py>,
    offsets: numpy::PyReadonlyArray1<'py, i64>,
    data: numpy::PyReadonlyArray1<'py, u8>,
) -> PyResult<StringCodes<'py>> {
    let (offsets, data) = (offsets.as_array(), data.as_array());
    let (codes, first_rows) = detach_interruptible(py, || {
        let (mut o, mut d) = (Vec::new(), Vec::new());
        cxmetrics::grouping::factorize_strings(
            input::contiguous(&offsets, &mut o),
            input::contiguous(&data, &mut d),
        )
    })?;
    let first_rows = first_rows.into_iter().map(|r| r as u64).collect();
    Ok((
        numpy::PyArray1::from_vec(py, codes),
        numpy::PyArray1::from_vec(py, first_rows),
    ))
}

/// The groups of a grouped call: the distinct integer `keys` (increasing), or `codes`
/// `0..n_groups`.
pub(crate) struct GroupsArg<'py> {
    keys: Option<numpy::PyReadonlyArray1<'py, i64>>,
    codes: Option<numpy::PyReadonlyArray1<'py, u32>>,
    n_groups: usize,
}

/// Counts every indicator column by group in one pass over the rows (GIL released), then runs
/// `f` on the grouped counts and the indicators' specs.
#[allow(clippy::too_many_arguments)]
pub(crate) fn with_grouped_columns<'py, R: Send>(
    py: Python<'py>,
    groups: GroupsArg<'py>,
    columns: &[IndicatorColumn<'py>],
    names: &[String],
    weights: Option<Weights<'py>>,
    policy: MissingPolicy,
    f: impl FnOnce(cxmetrics::grouping::GroupedColumns, &[(Scale, IndicatorSpec)]) -> Result<R, Error>
        + Send,
) -> PyResult<R> {
    let (specs, gathered) = indicator_columns(columns, weights.is_some())?;
    let score_columns = score_columns(columns, &gathered, &specs);
    let keys_view = groups.keys.as_ref().map(|k| k.as_array());
    let codes_view = groups.codes.as_ref().map(|c| c.as_array());
    let n_groups = groups.n_groups;
    let weights = weights.as_ref().map(|w| w.readonly());
    let w_view = weights.as_ref().map(|w| w.as_array());
    detach_interruptible(py, || -> Result<_, Error> {
        let (mut k_owned, mut c_owned, mut w_owned) = (Vec::new(), Vec::new(), Vec::new());
        let group_keys = match (&keys_view, &codes_view) {
            (Some(k), _) => {
                cxmetrics::grouping::GroupKeys::Integers(input::contiguous(k, &mut k_owned))
            }
            (None, Some(c)) => cxmetrics::grouping::GroupKeys::Codes {
                codes: input::contiguous(c, &mut c_owned),
                n_groups,
            },
            (None, None) => cxmetrics::grouping::GroupKeys::Codes {
                codes: &[],
                n_groups: 0,
            },
        };
        let w = w_view.as_ref().map(|v| input::contiguous(v, &mut w_owned));
        let grouped = cxmetrics::grouping::group_columns(group_keys, &score_columns, w, policy)
            .map_err(|e| rename_column(e, names))?;
        f(grouped, &specs)
    })
}

/// Grouped reports of several indicators in one pass over the rows. See `cxmetrics.summarize`.
///
/// Groups: the distinct integer `keys` (returned, increasing), or `codes` `0..n_groups`.
#[pyfunction]
#[pyo3(signature = (keys, codes, n_groups, columns, names, weights, confidence, p_adjust, nan_policy))]
#[allow(clippy::too_many_arguments)]
fn summarize_grouped<'py>(
    py: Python<'py>,
    keys: Option<numpy::PyReadonlyArray1<'py, i64>>,
    codes: Option<numpy::PyReadonlyArray1<'py, u32>>,
    n_groups: usize,
    columns: Vec<IndicatorColumn<'py>>,
    names: Vec<String>,
    weights: Option<Weights<'py>>,
    confidence: f64,
    p_adjust: &str,
    nan_policy: &str,
) -> PyResult<GroupedReports<'py>> {
    let confidence = Confidence::new(confidence).py()?;
    let policy: MissingPolicy = nan_policy.parse().py()?;
    let p_adjust: cxmetrics::compare::PAdjust = p_adjust.parse().py()?;
    let groups = GroupsArg {
        keys,
        codes,
        n_groups,
    };
    let (group_keys, reports) = with_grouped_columns(
        py,
        groups,
        &columns,
        &names,
        weights,
        policy,
        |grouped, specs| {
            let reports = grouped
                .columns
                .iter()
                .zip(specs)
                .map(|(g, (_, spec))| {
                    cxmetrics::grouping::report_columns(g, *spec, confidence, p_adjust)
                })
                .collect::<Result<Vec<_>, Error>>()?;
            Ok((grouped.keys, reports))
        },
    )?;
    let dicts = reports
        .into_iter()
        .map(|t| report_dict(py, t))
        .collect::<PyResult<_>>()?;
    Ok((numpy::PyArray1::from_vec(py, group_keys), dicts))
}

/// Counts every indicator column by group (as [`with_grouped_columns`], without missing answers
/// in the figures) and runs `f` on each column's grouped counts and spec, its errors named by the
/// column: the group keys and one result per indicator.
pub(crate) fn each_grouped_column<'py, T: Send>(
    py: Python<'py>,
    groups: GroupsArg<'py>,
    columns: &[IndicatorColumn<'py>],
    names: &[String],
    weights: Option<Weights<'py>>,
    f: impl Fn(&cxmetrics::grouping::GroupedCounts, &IndicatorSpec) -> Result<T, Error> + Send + Sync,
) -> PyResult<(Vec<i64>, Vec<T>)> {
    with_grouped_columns(
        py,
        groups,
        columns,
        names,
        weights,
        MissingPolicy::Omit,
        |grouped, specs| {
            let results = grouped
                .columns
                .iter()
                .zip(specs)
                .zip(names)
                .map(|((g, (_, spec)), name)| f(g, spec).map_err(|e| e.in_column(name)))
                .collect::<Result<Vec<_>, Error>>()?;
            Ok((grouped.keys, results))
        },
    )
}

/// Empirical-Bayes shrinkage of each indicator's groups. See `cxmetrics.shrink`.
#[pyfunction]
#[pyo3(signature = (keys, codes, n_groups, columns, names, weights, confidence))]
#[allow(clippy::too_many_arguments)]
fn shrink_grouped<'py>(
    py: Python<'py>,
    keys: Option<numpy::PyReadonlyArray1<'py, i64>>,
    codes: Option<numpy::PyReadonlyArray1<'py, u32>>,
    n_groups: usize,
    columns: Vec<IndicatorColumn<'py>>,
    names: Vec<String>,
    weights: Option<Weights<'py>>,
    confidence: f64,
) -> PyResult<GroupedReports<'py>> {
    let confidence = Confidence::new(confidence).py()?;
    let groups = GroupsArg {
        keys,
        codes,
        n_groups,
    };
    let (group_keys, shrunk) =
        each_grouped_column(py, groups, &columns, &names, weights, |g, spec| {
            cxmetrics::shrink::shrink_grouped(g, spec, confidence)
        })?;
    let dicts = shrunk
        .into_iter()
        .map(|t| shrunk_dict(py, t))
        .collect::<PyResult<_>>()?;
    Ok((numpy::PyArray1::from_vec(py, group_keys), dicts))
}

/// Empirical-Bayes shrinkage of groups given as one `ScoreCounts` each. See `cxmetrics.shrink`.
#[pyfunction]
#[pyo3(signature = (groups, kind, top, method, confidence))]
fn shrink_score_counts<'py>(
    py: Python<'py>,
    groups: Vec<PyRef<'py, counts::PyScoreCounts>>,
    kind: String,
    top: i64,
    method: Option<String>,
    confidence: f64,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    let confidence = Confidence::new(confidence).py()?;
    let counts: Vec<cxmetrics::ScoreCounts> = groups.iter().map(|g| g.0.clone()).collect();
    let grouped = cxmetrics::grouping::GroupedCounts::from_groups(counts).py()?;
    let spec = IndicatorSpec::parse(
        &kind,
        Some(top),
        method.as_deref(),
        grouped.scale(),
        grouped.total().is_weighted(),
    )
    .py()?;
    let shrunk = detach_interruptible(py, || {
        cxmetrics::shrink::shrink_grouped(&grouped, &spec, confidence)
    })?;
    shrunk_dict(py, shrunk)
}

/// Empirical-Bayes shrinkage of groups known by their report (a `summarize` table). See
/// `cxmetrics.shrink`.
#[pyfunction]
#[pyo3(signature = (model, value, lower, upper, std_error, effective_n, categories, confidence))]
#[allow(clippy::too_many_arguments)]
fn shrink_summarised<'py>(
    py: Python<'py>,
    model: &str,
    value: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    std_error: Vec<f64>,
    effective_n: Vec<f64>,
    categories: Option<Vec<[f64; 3]>>,
    confidence: f64,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    use cxmetrics::shrink::{GroupSummaries, SummaryModel};
    let confidence = Confidence::new(confidence).py()?;
    let model = match model {
        "share" => SummaryModel::Share,
        "nps" => SummaryModel::Nps,
        "mean" => SummaryModel::Mean,
        other => {
            return Err(Error::invalid_parameter(
                "model",
                other,
                "share, nps or mean",
            ))
            .py();
        }
    };
    let summaries = GroupSummaries::new(
        &value,
        &lower,
        &upper,
        &std_error,
        &effective_n,
        categories.as_deref(),
    );
    let shrunk = detach_interruptible(py, || {
        cxmetrics::shrink::shrink_summarised(model, &summaries, confidence)
    })?;
    shrunk_dict(py, shrunk)
}

/// One indicator's shrunk columns and fitted prior, as a dict of NumPy arrays and numbers.
fn shrunk_dict(
    py: Python<'_>,
    t: cxmetrics::shrink::ShrunkColumns,
) -> PyResult<Bound<'_, pyo3::types::PyDict>> {
    use pyo3::types::PyDictMethods;
    let d = pyo3::types::PyDict::new(py);
    for (name, v) in [
        ("n", t.n),
        ("successes", t.successes),
        ("raw", t.raw),
        ("raw_lower", t.raw_lower),
        ("raw_upper", t.raw_upper),
        ("estimate", t.estimate),
        ("lower", t.lower),
        ("upper", t.upper),
        ("shrinkage", t.shrinkage),
    ] {
        d.set_item(name, numpy::PyArray1::from_vec(py, v))?;
    }
    let prior = &t.prior;
    d.set_item("prior_mean", prior.mean())?;
    d.set_item("prior_sd", prior.std_dev())?;
    d.set_item("pooled", prior.pooled())?;
    match prior {
        cxmetrics::shrink::Prior::BetaBinomial(f) => {
            d.set_item("model", "beta_binomial")?;
            d.set_item("alpha", f.alpha)?;
            d.set_item("beta", f.beta)?;
            d.set_item("log_likelihood", f.log_likelihood)?;
        }
        cxmetrics::shrink::Prior::NormalNormal(f) => {
            d.set_item("model", "normal_normal")?;
            d.set_item("tau2", f.tau2)?;
            d.set_item("mean_std_error", f.mean_std_error)?;
        }
        cxmetrics::shrink::Prior::Dirichlet(f) => {
            d.set_item("model", "dirichlet_multinomial")?;
            d.set_item("alpha", f.alpha.map(|a| a.to_vec()))?;
            d.set_item("log_likelihood", f.log_likelihood)?;
        }
        _ => {}
    }
    Ok(d)
}

/// Empirical-Bayes ranks of each indicator's groups. See `cxmetrics.rank`.
#[pyfunction]
#[pyo3(signature = (keys, codes, n_groups, columns, names, weights, confidence, k, draws, seed))]
#[allow(clippy::too_many_arguments)]
fn rank_grouped<'py>(
    py: Python<'py>,
    keys: Option<numpy::PyReadonlyArray1<'py, i64>>,
    codes: Option<numpy::PyReadonlyArray1<'py, u32>>,
    n_groups: usize,
    columns: Vec<IndicatorColumn<'py>>,
    names: Vec<String>,
    weights: Option<Weights<'py>>,
    confidence: f64,
    k: usize,
    draws: usize,
    seed: u64,
) -> PyResult<GroupedReports<'py>> {
    use pyo3::types::PyDictMethods;
    let confidence = Confidence::new(confidence).py()?;
    let groups = GroupsArg {
        keys,
        codes,
        n_groups,
    };
    let (group_keys, ranked) =
        each_grouped_column(py, groups, &columns, &names, weights, |g, spec| {
            cxmetrics::shrink::rank_grouped(g, spec, k, draws, seed, confidence)
        })?;
    let dicts = ranked
        .into_iter()
        .map(|(t, ranks)| -> PyResult<_> {
            let d = shrunk_dict(py, t)?;
            for (name, f) in [
                (
                    "rank",
                    (|r: &cxmetrics::shrink::GroupRank| r.rank)
                        as fn(&cxmetrics::shrink::GroupRank) -> f64,
                ),
                ("rank_lower", |r| r.lower),
                ("rank_upper", |r| r.upper),
                ("p_top", |r| r.p_top),
                ("p_bottom", |r| r.p_bottom),
            ] {
                d.set_item(
                    name,
                    numpy::PyArray1::from_vec(py, ranks.iter().map(f).collect()),
                )?;
            }
            Ok(d)
        })
        .collect::<PyResult<_>>()?;
    Ok((numpy::PyArray1::from_vec(py, group_keys), dicts))
}

/// Funnel plots of each indicator's groups. See `cxmetrics.funnel`.
#[pyfunction]
#[pyo3(signature = (keys, codes, n_groups, columns, names, weights, target, levels, overdispersion))]
#[allow(clippy::too_many_arguments)]
fn funnel_grouped<'py>(
    py: Python<'py>,
    keys: Option<numpy::PyReadonlyArray1<'py, i64>>,
    codes: Option<numpy::PyReadonlyArray1<'py, u32>>,
    n_groups: usize,
    columns: Vec<IndicatorColumn<'py>>,
    names: Vec<String>,
    weights: Option<Weights<'py>>,
    target: Option<f64>,
    levels: Vec<f64>,
    overdispersion: Option<String>,
) -> PyResult<GroupedReports<'py>> {
    use pyo3::types::PyDictMethods;
    let overdispersion: Option<cxmetrics::shrink::Overdispersion> =
        overdispersion.map(|o| o.parse()).transpose().py()?;
    let groups = GroupsArg {
        keys,
        codes,
        n_groups,
    };
    let (group_keys, funnels) =
        each_grouped_column(py, groups, &columns, &names, weights, |g, spec| {
            cxmetrics::shrink::funnel_grouped(
                g,
                spec,
                target,
                &levels,
                overdispersion,
                Confidence::default(),
            )
        })?;
    let dicts = funnels
        .into_iter()
        .map(|(values, n, f)| -> PyResult<_> {
            let d = pyo3::types::PyDict::new(py);
            d.set_item("value", numpy::PyArray1::from_vec(py, values))?;
            d.set_item("n", numpy::PyArray1::from_vec(py, n))?;
            d.set_item("target", f.target)?;
            d.set_item("sd", f.sd)?;
            d.set_item("phi", f.phi)?;
            d.set_item("tau2", f.tau2)?;
            d.set_item("z", numpy::PyArray1::from_vec(py, f.z))?;
            let limits = pyo3::types::PyList::empty(py);
            for l in f.limits {
                limits.append((
                    l.level,
                    numpy::PyArray1::from_vec(py, l.lower),
                    numpy::PyArray1::from_vec(py, l.upper),
                ))?;
            }
            d.set_item("limits", limits)?;
            Ok(d)
        })
        .collect::<PyResult<_>>()?;
    Ok((numpy::PyArray1::from_vec(py, group_keys), dicts))
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
    use super::composite::{loyalty_index, outcome_by_category, secure_customers, PyOutcomeResult};
    #[pymodule_export]
    use super::counts::PyScoreCounts;
    #[pymodule_export]
    use super::drivers::{driver_analysis, PyDriverResult};
    #[pymodule_export]
    use super::hooks::install_hooks;
    #[pymodule_export]
    use super::monitor::{
        alerts_grouped, cusum, ewma, nps_chart, p_chart, period_indices, period_starts,
        trend_grouped,
    };
    #[pymodule_export]
    use super::read::{read_responses, text_values, PyReadColumn, PyReadTable};
    #[pymodule_export]
    use super::text::{key_terms, PyKeyTerms};
    #[pymodule_export]
    use super::{
        factorize_strings, funnel_grouped, mean_score, nps, nps_from_counts, rank_grouped,
        shrink_grouped, shrink_score_counts, shrink_summarised, summarize_grouped, top_box,
        top_box_from_counts, PyEstimate,
    };

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::{PyDictMethods, PyModuleMethods};
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        // Names the package checks before any work, from the core's own lists.
        m.add("FREQUENCIES", cxmetrics::trend::Frequency::NAMES.to_vec())?;
        let reasons = pyo3::types::PyDict::new(m.py());
        for rule in cxmetrics::alert::AlertRule::ALL {
            reasons.set_item(rule.as_str(), rule.reason_columns().to_vec())?;
        }
        m.add("ALERT_REASON_COLUMNS", reasons)
    }
}
