//! `cxmetrics.Comparison` and the comparison functions.

use crate::errors::IntoPyResult;
use crate::getters;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::estimate::{
    from_json_text, json_argument, reduce_by_json, sig, to_json_text, PyEstimate,
};
use cxmetrics::compare::sample_size::{
    margin_of_error_n, minimum_detectable_difference, per_group_n, PlanningVariance,
};
use cxmetrics::compare::{
    adjust_p_values, compare as compare_estimates, nps_paired as paired, test_against as against,
    Alternative, CompareOptions, Comparison, DifferenceMethod, PAdjust,
};
use cxmetrics::error::Error;
use cxmetrics::interval::Confidence;

/// The difference between two estimates (or an estimate and a target) with its interval and test.
#[pyclass(frozen, name = "Comparison", module = "cxmetrics")]
#[derive(Clone)]
pub struct PyComparison(pub Comparison);

getters::pymethods_with_getters! {
    impl PyComparison {
        getters |e| {
            /// Indicator compared ("nps", "csat", ...).
            indicator -> &'static str = e.indicator().as_str();
            /// "independent", "paired" or "target".
            kind -> &'static str = e.kind().as_str();
            /// First estimate (a, after, or the estimate tested).
            estimate_a -> f64 = e.estimate_a();
            /// Second estimate (b, before, or the target).
            estimate_b -> f64 = e.estimate_b();
            /// estimate_a - estimate_b, sign kept.
            difference -> f64 = e.difference();
            /// Lower confidence limit of the difference.
            lower -> f64 = e.lower();
            /// Upper confidence limit of the difference.
            upper -> f64 = e.upper();
            /// Confidence level.
            confidence -> f64 = e.confidence();
            /// Method name.
            method -> &'static str = e.method();
            /// Standard error of the difference used by the test.
            std_error -> f64 = e.std_error();
            /// Test statistic (z, or t for Welch).
            statistic -> f64 = e.statistic();
            /// Degrees of freedom of a t statistic, else None.
            df -> Option<f64> = e.df();
            /// p-value of the test of no difference.
            p_value -> f64 = e.p_value();
            /// "two-sided", "greater" or "less".
            alternative -> &'static str = e.alternative().as_str();
            /// Unit of the difference: "points", "percent" (percentage points) or "score".
            unit -> &'static str = e.unit().as_str();
            /// Sample size behind estimate_a (pairs for paired).
            n_a -> u64 = e.n_a();
            /// Sample size behind estimate_b (pairs for paired, 0 for a target).
            n_b -> u64 = e.n_b();
            /// Paired: pairs dropped because a side was missing.
            n_missing -> u64 = e.n_missing();
            /// Whether p_value < 1 - confidence.
            significant -> bool = e.is_significant();
            /// The plain-language verdict.
            verdict -> String = e.verdict();
        }

        /// Draws the comparison with matplotlib (see `cxmetrics.plot.comparison`); returns the Axes.
        #[pyo3(signature = (*, ax=None))]
        fn plot<'py>(
            slf: &Bound<'py, Self>,
            ax: Option<Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            super::estimate::plot_with(slf.as_any(), "comparison", ax)
        }

        /// All attributes as a dict.
        fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let d = PyDict::new(py);
            d.set_item("indicator", self.indicator())?;
            d.set_item("kind", self.kind())?;
            d.set_item("estimate_a", self.estimate_a())?;
            d.set_item("estimate_b", self.estimate_b())?;
            d.set_item("difference", self.difference())?;
            d.set_item("lower", self.lower())?;
            d.set_item("upper", self.upper())?;
            d.set_item("confidence", self.confidence())?;
            d.set_item("method", self.method())?;
            d.set_item("std_error", self.std_error())?;
            d.set_item("statistic", self.statistic())?;
            d.set_item("df", self.df())?;
            d.set_item("p_value", self.p_value())?;
            d.set_item("alternative", self.alternative())?;
            d.set_item("unit", self.unit())?;
            d.set_item("n_a", self.n_a())?;
            d.set_item("n_b", self.n_b())?;
            d.set_item("n_missing", self.n_missing())?;
            d.set_item("significant", self.significant())?;
            Ok(d)
        }

        /// JSON of the underlying Rust ``Comparison`` (serde), e.g. for storage.
        fn to_json(&self) -> PyResult<String> {
            to_json_text(&self.0)
        }

        /// Rebuilds a Comparison from :meth:`to_json` output.
        #[staticmethod]
        fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
            from_json_text(&json_argument(text, "Comparison")?, "a Comparison").map(PyComparison)
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
            reduce_by_json(slf.as_any(), slf.get().to_json()?)
        }

        fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
            other
                .cast::<PyComparison>()
                .map(|o| o.get().0 == self.0)
                .unwrap_or(false)
        }

        fn __repr__(&self) -> String {
            format!(
                "Comparison(indicator='{}', difference={}, lower={}, upper={}, p_value={}, method='{}', \
                 alternative='{}')  # {}",
                self.indicator(),
                sig(self.difference(), 6),
                sig(self.lower(), 6),
                sig(self.upper(), 6),
                sig(self.p_value(), 4),
                self.method(),
                self.alternative(),
                self.verdict()
            )
        }

        fn __str__(&self) -> String {
            self.verdict()
        }

        fn _repr_html_(&self) -> String {
            let rows = [
                ("difference", sig(self.difference(), 6)),
                ("lower", sig(self.lower(), 6)),
                ("upper", sig(self.upper(), 6)),
                ("p_value", sig(self.p_value(), 4)),
                ("statistic", sig(self.statistic(), 6)),
                ("std_error", sig(self.std_error(), 6)),
                ("method", self.method().to_owned()),
                ("alternative", self.alternative().to_owned()),
                (
                    "estimates",
                    format!(
                        "{} vs {}",
                        sig(self.estimate_a(), 6),
                        sig(self.estimate_b(), 6)
                    ),
                ),
            ];
            let mut html = format!(
                "<table class=\"cxmetrics-comparison\"><caption style=\"text-align:left\"><b>{}</b></caption>",
                self.verdict().replace('<', "&lt;")
            );
            for (k, v) in rows {
                html.push_str(&format!(
                    "<tr><th style=\"text-align:left\">{k}</th><td>{v}</td></tr>"
                ));
            }
            html.push_str("</table>");
            html
        }
    }
}

/// Two independent estimates. See `cxmetrics.compare`.
#[pyfunction]
#[pyo3(signature = (a, b, method, confidence, alternative))]
pub(crate) fn compare(
    a: PyRef<'_, PyEstimate>,
    b: PyRef<'_, PyEstimate>,
    method: Option<&str>,
    confidence: Option<f64>,
    alternative: &str,
) -> PyResult<PyComparison> {
    let method = method
        .map(|m| DifferenceMethod::parse_for(m, a.0.indicator()))
        .transpose()
        .py()?;
    let confidence = confidence.map(Confidence::new).transpose().py()?;
    let alternative: Alternative = alternative.parse().py()?;
    Ok(PyComparison(
        compare_estimates(&a.0, &b.0, options(method, confidence, alternative)).py()?,
    ))
}

/// The core's comparison options from the optional method and level.
fn options(
    method: Option<DifferenceMethod>,
    confidence: Option<Confidence>,
    alternative: Alternative,
) -> CompareOptions {
    let mut options = CompareOptions::default().with_alternative(alternative);
    if let Some(method) = method {
        options = options.with_method(method);
    }
    if let Some(confidence) = confidence {
        options = options.with_confidence(confidence);
    }
    options
}

/// Paired NPS (scores as float64, NaN missing). See `cxmetrics.nps_paired`.
#[pyfunction]
#[pyo3(signature = (before, after, confidence, alternative))]
pub(crate) fn nps_paired(
    py: Python<'_>,
    before: numpy::PyReadonlyArray1<'_, f64>,
    after: numpy::PyReadonlyArray1<'_, f64>,
    confidence: f64,
    alternative: &str,
) -> PyResult<PyComparison> {
    let confidence = Confidence::new(confidence).py()?;
    let alternative: Alternative = alternative.parse().py()?;
    let (b, a) = (before.as_array(), after.as_array());
    let result = py
        .detach(|| match (b.as_slice(), a.as_slice()) {
            (Some(b), Some(a)) => paired(b, a, confidence, alternative),
            _ => {
                let b: Vec<f64> = b.iter().copied().collect();
                let a: Vec<f64> = a.iter().copied().collect();
                paired(&b, &a, confidence, alternative)
            }
        })
        .py()?;
    Ok(PyComparison(result))
}

/// Estimate against a target. See `cxmetrics.test_against`.
#[pyfunction]
#[pyo3(signature = (estimate, target, alternative))]
pub(crate) fn test_against(
    estimate: PyRef<'_, PyEstimate>,
    target: f64,
    alternative: &str,
) -> PyResult<PyComparison> {
    let alternative: Alternative = alternative.parse().py()?;
    Ok(PyComparison(
        against(&estimate.0, target, alternative).py()?,
    ))
}

/// Adjusted p-values. See `cxmetrics.adjust_pvalues`.
#[pyfunction]
#[pyo3(signature = (p_values, method))]
pub(crate) fn adjust_pvalues(p_values: Vec<f64>, method: &str) -> PyResult<Vec<f64>> {
    let method: PAdjust = method.parse().py()?;
    adjust_p_values(&p_values, method).py()
}

fn planning_variance(
    indicator: &str,
    expected: Option<(f64, f64)>,
    share: Option<f64>,
    sd: Option<f64>,
) -> Result<PlanningVariance, Error> {
    PlanningVariance::for_indicator(indicator, expected, share, sd).map_err(|e| match e {
        Error::InvalidPlanning { reason } => Error::InvalidPlanning {
            reason: reason.replace("needs sd (", "needs sd= ("),
        },
        other => other,
    })
}

/// Sample size for a margin of error. See `cxmetrics.sample_size`.
#[pyfunction]
#[pyo3(signature = (indicator, margin, confidence, nps_expected, share_expected, sd, population))]
pub(crate) fn sample_size(
    indicator: &str,
    margin: f64,
    confidence: f64,
    nps_expected: Option<(f64, f64)>,
    share_expected: Option<f64>,
    sd: Option<f64>,
    population: Option<u64>,
) -> PyResult<u64> {
    let variance = planning_variance(indicator, nps_expected, share_expected, sd).py()?;
    margin_of_error_n(
        margin,
        variance,
        Confidence::new(confidence).py()?,
        population,
    )
    .py()
}

/// Per-group sample size for a difference. See `cxmetrics.sample_size_per_group`.
#[pyfunction]
#[pyo3(signature = (indicator, difference, power, confidence, nps_expected, share_expected, sd))]
pub(crate) fn sample_size_per_group(
    indicator: &str,
    difference: f64,
    power: f64,
    confidence: f64,
    nps_expected: Option<(f64, f64)>,
    share_expected: Option<f64>,
    sd: Option<f64>,
) -> PyResult<u64> {
    let variance_a = planning_variance(indicator, nps_expected, share_expected, sd).py()?;
    let variance_b = variance_a.second_group(difference);
    per_group_n(
        difference,
        variance_a,
        variance_b,
        power,
        Confidence::new(confidence).py()?,
    )
    .py()
}

/// Minimum detectable difference. See `cxmetrics.minimum_detectable_difference`.
#[pyfunction]
#[pyo3(name = "minimum_detectable_difference", signature = (indicator, n_a, n_b, power, confidence, nps_expected, share_expected, sd))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn minimum_detectable_difference_py(
    indicator: &str,
    n_a: u64,
    n_b: u64,
    power: f64,
    confidence: f64,
    nps_expected: Option<(f64, f64)>,
    share_expected: Option<f64>,
    sd: Option<f64>,
) -> PyResult<f64> {
    let variance = planning_variance(indicator, nps_expected, share_expected, sd).py()?;
    minimum_detectable_difference(
        n_a,
        n_b,
        variance,
        variance,
        power,
        Confidence::new(confidence).py()?,
    )
    .py()
}
