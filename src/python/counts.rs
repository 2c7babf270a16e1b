//! `cxmetrics.ScoreCounts`: the mergeable accumulator, for partitioned and distributed data.

use pyo3::prelude::*;

use super::estimate::PyEstimate;
use super::input::{Scores, Weights};
use crate::counts::{MissingPolicy, ScoreCounts};
use crate::interval::Confidence;
use crate::scale::Scale;

/// Counts of scores per scale point (and weight sums when weighted): mergeable, picklable, and the
/// source of every indicator. See `cxmetrics.ScoreCounts`.
#[pyclass(frozen, name = "ScoreCounts", module = "cxmetrics")]
#[derive(Clone)]
pub struct PyScoreCounts(pub ScoreCounts);

#[pymethods]
impl PyScoreCounts {
    /// Counts scores on `scale` (weighted when `weights` is given); missing scores are counted
    /// (`nan_policy="omit"`) or raise. Accepts what `cxmetrics.nps` accepts.
    #[staticmethod]
    #[pyo3(signature = (scores, *, scale=(0, 10), weights=None, nan_policy="omit"))]
    fn from_scores(
        py: Python<'_>,
        scores: Bound<'_, PyAny>,
        scale: (i64, i64),
        weights: Option<Bound<'_, PyAny>>,
        nan_policy: &str,
    ) -> PyResult<Self> {
        let convert = py.import("cxmetrics._convert")?;
        let array = convert.call_method1("as_array", (scores,))?;
        let scores: Scores<'_> = array.extract()?;
        let weights: Option<Weights<'_>> = match weights {
            None => None,
            Some(w) => Some(convert.call_method1("as_weights", (w,))?.extract()?),
        };
        let scale = Scale::new(scale.0, scale.1)?;
        let policy: MissingPolicy = nan_policy.parse()?;
        Ok(PyScoreCounts(scores.count(
            py,
            scale,
            policy,
            weights.as_ref(),
        )?))
    }

    /// Counts given directly: a mapping `{score: count}` (e.g. from SQL `GROUP BY score` or Spark
    /// `groupBy("score").count()`; scores absent from it count 0) or a sequence with one count per
    /// scale point from the lowest.
    #[staticmethod]
    #[pyo3(signature = (counts, *, scale=(0, 10), n_missing=0))]
    fn from_counts(counts: Bound<'_, PyAny>, scale: (i64, i64), n_missing: i64) -> PyResult<Self> {
        let scale = Scale::new(scale.0, scale.1)?;
        let n_missing = super::count_arg("n_missing", n_missing)?;
        let mut per_point = vec![0u64; scale.points()];
        if let Ok(mapping) = counts.cast::<pyo3::types::PyMapping>() {
            for item in mapping.items()?.iter() {
                let (score, count): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
                let score_value: f64 = score.extract().map_err(|_| {
                    super::errors::invalid_input(format!(
                        "counts keys must be scores, got {}",
                        score.repr().map(|r| r.to_string()).unwrap_or_default()
                    ))
                })?;
                if !(score_value.fract() == 0.0 && scale.contains(score_value as i64)) {
                    return Err(crate::error::Error::InvalidCounts {
                        reason: format!(
                            "score {score_value} is not a point of the scale {}-{}",
                            scale.min(),
                            scale.max()
                        ),
                    }
                    .into());
                }
                let count: i64 = count.extract().map_err(|_| {
                    super::errors::invalid_input("counts must be whole numbers".into())
                })?;
                per_point[(score_value as i64 - scale.min()) as usize] +=
                    super::count_arg("counts", count)?;
            }
        } else {
            let values: Vec<i64> = counts.extract().map_err(|_| {
                super::errors::invalid_input(
                    "counts must be a mapping {score: count} or a sequence of whole counts".into(),
                )
            })?;
            if values.len() != scale.points() {
                return Err(crate::error::Error::InvalidCounts {
                    reason: format!(
                        "{} counts for the {} points of the scale {}-{}",
                        values.len(),
                        scale.points(),
                        scale.min(),
                        scale.max()
                    ),
                }
                .into());
            }
            for (slot, v) in per_point.iter_mut().zip(values) {
                *slot = super::count_arg("counts", v)?;
            }
        }
        Ok(PyScoreCounts(ScoreCounts::from_counts(
            scale, per_point, n_missing,
        )?))
    }

    /// The two accumulators together (same scale, both weighted or both not).
    fn merge(&self, other: &PyScoreCounts) -> PyResult<Self> {
        let mut merged = self.0.clone();
        merged.merge(&other.0)?;
        Ok(PyScoreCounts(merged))
    }

    fn __add__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = other.py();
        match other.cast::<PyScoreCounts>() {
            Ok(o) => Ok(Py::new(py, self.merge(o.get())?)?.into_any()),
            Err(_) => Ok(py.NotImplemented()),
        }
    }

    fn __radd__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        // `sum(parts)` starts from 0.
        if other.extract::<i64>().is_ok_and(|v| v == 0) {
            return Ok(Py::new(other.py(), self.clone())?.into_any());
        }
        self.__add__(other)
    }

    /// The scale, `(min, max)`.
    #[getter]
    fn scale(&self) -> (i64, i64) {
        (self.0.scale().min(), self.0.scale().max())
    }

    /// Responses per scale point, from the lowest.
    #[getter]
    fn counts(&self) -> Vec<u64> {
        self.0.counts().to_vec()
    }

    /// Answers counted.
    #[getter]
    fn n(&self) -> u64 {
        self.0.n()
    }

    /// Missing answers counted.
    #[getter]
    fn n_missing(&self) -> u64 {
        self.0.n_missing()
    }

    /// Whether weight sums are kept.
    #[getter]
    fn weighted(&self) -> bool {
        self.0.is_weighted()
    }

    /// The sum of the weights (`n` unweighted).
    #[getter]
    fn total_weight(&self) -> f64 {
        self.0.total_weight()
    }

    /// NPS from the counts (the 0-10 scale): exactly `cxmetrics.nps` on the same scores.
    #[pyo3(signature = (*, method=None, confidence=0.95, employee=false))]
    fn nps(
        &self,
        py: Python<'_>,
        method: Option<&str>,
        confidence: f64,
        employee: bool,
    ) -> PyResult<PyEstimate> {
        let default = if self.0.is_weighted() {
            "wald"
        } else {
            "adjusted_wald"
        };
        let method = method.unwrap_or(default).parse()?;
        let confidence = Confidence::new(confidence)?;
        let counts = &self.0;
        let e = py.detach(|| {
            if employee {
                crate::indicator::nps::enps(counts, method, confidence)
            } else {
                crate::indicator::nps::nps(counts, method, confidence)
            }
        })?;
        Ok(PyEstimate(e))
    }

    /// The share of the top `top` points: exactly `cxmetrics.top_box` on the same scores.
    #[pyo3(signature = (*, top=2, method="wilson", confidence=0.95, indicator="top_box"))]
    fn top_box(
        &self,
        top: i64,
        method: &str,
        confidence: f64,
        indicator: &str,
    ) -> PyResult<PyEstimate> {
        let spec = super::indicator_spec(indicator, top, Some(method), self.0.scale())?;
        Ok(PyEstimate(
            spec.estimate(&self.0, Confidence::new(confidence)?)?,
        ))
    }

    /// The mean score (t interval): exactly `cxmetrics.mean_score` on the same scores; `index=True`
    /// gives the satisfaction index (0-100).
    #[pyo3(signature = (*, confidence=0.95, index=false))]
    fn mean_score(&self, confidence: f64, index: bool) -> PyResult<PyEstimate> {
        let confidence = Confidence::new(confidence)?;
        let e = if index {
            crate::indicator::mean::satisfaction_index(&self.0, confidence)?
        } else {
            crate::indicator::mean::mean_score(&self.0, confidence)?
        };
        Ok(PyEstimate(e))
    }

    /// JSON text (serde), read back by `from_json`.
    fn to_json(&self) -> PyResult<String> {
        super::estimate::to_json_text(&self.0)
    }

    /// Rebuilds (and validates) counts from `to_json` output.
    #[staticmethod]
    fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = super::estimate::json_argument(text, "ScoreCounts")?;
        super::estimate::from_json_text(&text, "ScoreCounts").map(PyScoreCounts)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        super::estimate::reduce_by_json(slf.as_any(), slf.get().to_json()?)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyScoreCounts>()
            .is_ok_and(|o| o.get().0 == self.0)
    }

    fn __repr__(&self) -> String {
        let (lo, hi) = self.scale();
        format!(
            "ScoreCounts(scale=({lo}, {hi}), n={}, n_missing={}{}, counts={:?})",
            self.0.n(),
            self.0.n_missing(),
            if self.0.is_weighted() {
                format!(", total_weight={}", self.0.total_weight())
            } else {
                String::new()
            },
            self.0.counts()
        )
    }
}
