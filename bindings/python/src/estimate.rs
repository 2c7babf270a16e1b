//! `cxmetrics.Estimate`: an immutable Python view of a core [`Estimate`].

use crate::getters;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use cxmetrics::estimate::Estimate;

/// An indicator's estimate with its confidence interval (immutable).
#[pyclass(frozen, name = "Estimate", module = "cxmetrics")]
#[derive(Clone)]
pub struct PyEstimate(pub Estimate);

/// `value` as JSON text (serde), for `to_json` and pickling.
pub(crate) fn to_json_text<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// A value read back (and validated by its `Deserialize`) from [`to_json_text`] output; `what` names
/// the expected type in the error.
pub(crate) fn from_json_text<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
) -> PyResult<T> {
    serde_json::from_str(text)
        .map_err(|e| super::errors::invalid_input(format!("not {what} JSON: {e}")))
}

/// The JSON text passed to a `from_json`: a `str` (one that cannot be UTF-8, such as a lone
/// surrogate, is refused), or `bytes`, `bytearray` or `memoryview` holding UTF-8; anything else is an
/// `InvalidInputError` naming the type.
pub(crate) fn json_argument(text: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};
    let invalid = |why: String| super::errors::invalid_input(format!("{what} JSON {why}"));
    if let Ok(s) = text.cast::<PyString>() {
        return s
            .to_str()
            .map(str::to_owned)
            .map_err(|_| invalid("is not valid Unicode text (it holds a lone surrogate)".into()));
    }
    let bytes: Option<Vec<u8>> = if let Ok(b) = text.cast::<PyBytes>() {
        Some(b.as_bytes().to_vec())
    } else if let Ok(b) = text.cast::<PyByteArray>() {
        Some(b.to_vec())
    } else if text.cast::<PyMemoryView>().is_ok() {
        Some(text.call_method0("tobytes")?.extract::<Vec<u8>>()?)
    } else {
        None
    };
    match bytes {
        Some(b) => String::from_utf8(b).map_err(|_| invalid("is not valid UTF-8".into())),
        None => Err(invalid(format!(
            "must be a str (or UTF-8 bytes), got {}",
            text.get_type().name()?
        ))),
    }
}

/// `__reduce__` through JSON: pickling stores `json` and unpickling calls `type(obj).from_json`.
pub(crate) fn reduce_by_json<'py>(
    obj: &Bound<'py, PyAny>,
    json: String,
) -> PyResult<(Bound<'py, PyAny>, (String,))> {
    Ok((obj.get_type().getattr("from_json")?, (json,)))
}

/// `cxmetrics.plot.<function>(obj, ax=ax)` (through the package's hook, [`crate::hooks::plot`]):
/// the `plot` method of the result types.
pub(crate) fn plot_with<'py>(
    obj: &Bound<'py, PyAny>,
    function: &str,
    ax: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::hooks::plot(obj, function, ax)
}

/// `x` with at most `digits` significant digits, trailing zeros removed (for display only).
pub(crate) fn sig(x: f64, digits: i32) -> String {
    cxmetrics::error::significant(x, digits)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl PyEstimate {
    fn rows(&self) -> Vec<(&'static str, String)> {
        let e = &self.0;
        let mut rows = vec![
            ("value", sig(e.value(), 6)),
            ("lower", sig(e.lower(), 6)),
            ("upper", sig(e.upper(), 6)),
            ("confidence", sig(e.confidence(), 6)),
            ("method", e.method().as_str().to_owned()),
            ("std_error", sig(e.std_error(), 6)),
            ("n", e.n().to_string()),
            ("effective_n", sig(e.effective_n(), 6)),
            ("n_missing", e.n_missing().to_string()),
            ("unit", e.unit().as_str().to_owned()),
        ];
        if let Some(b) = e.nps_breakdown() {
            rows.push((
                "detractors",
                format!("{} ({}%)", b.detractors, sig(b.detractor_share, 4)),
            ));
            rows.push((
                "passives",
                format!("{} ({}%)", b.passives, sig(b.passive_share, 4)),
            ));
            rows.push((
                "promoters",
                format!("{} ({}%)", b.promoters, sig(b.promoter_share, 4)),
            ));
        }
        rows
    }
}

getters::pymethods_with_getters! {
    impl PyEstimate {
        getters |e| {
            /// Indicator name: "nps", "csat", "ces", "top_box" or "mean".
            indicator -> &'static str = e.indicator().as_str();
            /// The plain estimate (NPS points, percent, or scale units).
            value -> f64 = e.value();
            /// Lower confidence limit.
            lower -> f64 = e.lower();
            /// Upper confidence limit.
            upper -> f64 = e.upper();
            /// Confidence level, e.g. 0.95.
            confidence -> f64 = e.confidence();
            /// Interval method name.
            method -> &'static str = e.method().as_str();
            /// Standard error of ``value``, in the same unit.
            std_error -> f64 = e.std_error();
            /// Number of responses used.
            n -> u64 = e.n();
            /// Kish effective sample size (equals ``n`` unweighted).
            effective_n -> f64 = e.effective_n();
            /// Number of missing answers excluded.
            n_missing -> u64 = e.n_missing();
            /// Unit of value, limits and standard error: "points", "percent" or "score".
            unit -> &'static str = e.unit().as_str();
            /// Whether the estimate is weighted.
            weighted -> bool = e.is_weighted();
            /// The response scale as ``(min, max)``, or None when built from counts.
            scale -> Option<(i64, i64)> = e.scale().map(|s| (s.min(), s.max()));
            /// For shares: number of responses in the top box.
            successes -> Option<u64> = e.successes();
            /// NPS only: promoter share in percent.
            promoters -> Option<f64> = e.nps_breakdown().map(|b| b.promoter_share);
            /// NPS only: passive share in percent.
            passives -> Option<f64> = e.nps_breakdown().map(|b| b.passive_share);
            /// NPS only: detractor share in percent.
            detractors -> Option<f64> = e.nps_breakdown().map(|b| b.detractor_share);
            /// NPS only: number of promoters (9-10).
            n_promoters -> Option<u64> = e.nps_breakdown().map(|b| b.promoters);
            /// NPS only: number of passives (7-8).
            n_passives -> Option<u64> = e.nps_breakdown().map(|b| b.passives);
            /// NPS only: number of detractors (0-6).
            n_detractors -> Option<u64> = e.nps_breakdown().map(|b| b.detractors);
        }

        /// Draws the estimate with matplotlib (see `cxmetrics.plot.estimate`); returns the Axes.
        #[pyo3(signature = (*, ax=None))]
        fn plot<'py>(
            slf: &Bound<'py, Self>,
            ax: Option<Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            plot_with(slf.as_any(), "estimate", ax)
        }

        /// All attributes as a dict (NPS-only keys are present only for NPS).
        fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let d = PyDict::new(py);
            d.set_item("indicator", self.indicator())?;
            d.set_item("value", self.value())?;
            d.set_item("lower", self.lower())?;
            d.set_item("upper", self.upper())?;
            d.set_item("confidence", self.confidence())?;
            d.set_item("method", self.method())?;
            d.set_item("std_error", self.std_error())?;
            d.set_item("n", self.n())?;
            d.set_item("effective_n", self.effective_n())?;
            d.set_item("n_missing", self.n_missing())?;
            d.set_item("unit", self.unit())?;
            d.set_item("weighted", self.weighted())?;
            d.set_item("scale", self.scale())?;
            if self.0.successes().is_some() {
                d.set_item("successes", self.successes())?;
            }
            if self.0.nps_breakdown().is_some() {
                d.set_item("promoters", self.promoters())?;
                d.set_item("passives", self.passives())?;
                d.set_item("detractors", self.detractors())?;
                d.set_item("n_promoters", self.n_promoters())?;
                d.set_item("n_passives", self.n_passives())?;
                d.set_item("n_detractors", self.n_detractors())?;
            }
            Ok(d)
        }

        /// JSON of the underlying Rust ``Estimate`` (serde), e.g. for storage.
        fn to_json(&self) -> PyResult<String> {
            to_json_text(&self.0)
        }

        /// Rebuilds an Estimate from :meth:`to_json` output.
        #[staticmethod]
        fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
            from_json_text(&json_argument(text, "Estimate")?, "an Estimate").map(PyEstimate)
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
            reduce_by_json(slf.as_any(), slf.get().to_json()?)
        }

        fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
            other
                .cast::<PyEstimate>()
                .map(|o| o.get().0 == self.0)
                .unwrap_or(false)
        }

        fn __repr__(&self) -> String {
            let e = &self.0;
            format!(
                "Estimate(indicator='{}', value={}, lower={}, upper={}, confidence={}, method='{}', n={}, unit='{}')",
                e.indicator().as_str(),
                sig(e.value(), 6),
                sig(e.lower(), 6),
                sig(e.upper(), 6),
                sig(e.confidence(), 6),
                e.method().as_str(),
                e.n(),
                e.unit().as_str()
            )
        }

        fn __str__(&self) -> String {
            self.0.to_string()
        }

        fn _repr_html_(&self) -> String {
            let mut html = format!(
                "<table class=\"cxmetrics-estimate\"><caption style=\"text-align:left\"><b>{}</b></caption>",
                html_escape(&self.__str__())
            );
            for (k, v) in self.rows() {
                html.push_str(&format!(
                    "<tr><th style=\"text-align:left\">{k}</th><td>{}</td></tr>",
                    html_escape(&v)
                ));
            }
            html.push_str("</table>");
            html
        }
    }
}
