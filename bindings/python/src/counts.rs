//! `cxmetrics.ScoreCounts`: the mergeable accumulator, for partitioned and distributed data.

use crate::errors::{IntoPyResult, ToPyErr};
use crate::getters;
use cxmetrics::indicator::spec::IndicatorSpec;
use pyo3::prelude::*;

use super::estimate::PyEstimate;
use super::input::{Scores, Weights};
use cxmetrics::counts::{MissingPolicy, ScoreCounts};
use cxmetrics::interval::Confidence;
use cxmetrics::scale::Scale;

/// Counts of scores per scale point (and weight sums when weighted): mergeable, picklable, and the
/// source of every indicator. See `cxmetrics.ScoreCounts`.
#[pyclass(frozen, name = "ScoreCounts", module = "cxmetrics")]
#[derive(Clone)]
pub struct PyScoreCounts(pub ScoreCounts);

/// `<helper>(value, *extra)` of the package's conversion module (see [`crate::hooks`]): its one
/// conversion of each kind of argument (so a wrong type or value is the same `CxError` as in the
/// module functions).
fn convert<'py, T: FromPyObjectOwned<'py>>(
    value: &Bound<'py, PyAny>,
    helper: &str,
    name: Option<&str>,
) -> PyResult<T> {
    let convert = crate::hooks::convert(value.py())?;
    let converted = match name {
        Some(name) => convert.call_method1(helper, (value, name))?,
        None => convert.call_method1(helper, (value,))?,
    };
    converted.extract().map_err(Into::into)
}

fn scale_arg(value: &Bound<'_, PyAny>) -> PyResult<Scale> {
    let (lo, hi): (i64, i64) = convert(value, "as_scale", None)?;
    Scale::new(lo, hi).py()
}

/// The entries of a per-point argument of `ScoreCounts.from_counts`, each with its point's index: a
/// mapping `{score: value}` (keys must be points of `scale`; a point given twice adds up) or a
/// sequence of one value per point from the lowest.
fn per_point_entries<'py>(
    values: &Bound<'py, PyAny>,
    scale: Scale,
    name: &str,
) -> PyResult<Vec<(usize, Bound<'py, PyAny>)>> {
    let expected = || {
        super::errors::invalid_input(format!(
            "{name} must be a mapping {{score: value}} or a sequence of one value per scale point"
        ))
    };
    if let Ok(mapping) = values.cast::<pyo3::types::PyMapping>() {
        let mut entries = Vec::with_capacity(mapping.len()?.min(scale.points()));
        for item in mapping.items()?.iter() {
            let (score, value): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract()?;
            let score_value: f64 = score.extract().map_err(|_| {
                super::errors::invalid_input(format!(
                    "{name} keys must be scores, got {}",
                    score.repr().map(|r| r.to_string()).unwrap_or_default()
                ))
            })?;
            if !(score_value.fract() == 0.0 && scale.contains(score_value as i64)) {
                return Err(cxmetrics::error::Error::InvalidCounts {
                    reason: format!(
                        "{name}: score {score_value} is not a point of the scale {}-{}",
                        scale.min(),
                        scale.max()
                    ),
                }
                .into_py_err());
            }
            entries.push(((score_value as i64 - scale.min()) as usize, value));
        }
        return Ok(entries);
    }
    if values.is_instance_of::<pyo3::types::PyString>()
        || values.is_instance_of::<pyo3::types::PyBytes>()
    {
        return Err(expected());
    }
    let items: Vec<Bound<'py, PyAny>> = values.extract().map_err(|_| expected())?;
    if items.len() != scale.points() {
        return Err(cxmetrics::error::Error::InvalidCounts {
            reason: format!(
                "{} {name} for the {} points of the scale {}-{}",
                items.len(),
                scale.points(),
                scale.min(),
                scale.max()
            ),
        }
        .into_py_err());
    }
    Ok(items.into_iter().enumerate().collect())
}

/// A per-point argument of real numbers (`weight_sums`, `weight_sq_sums`), summed per point; the core
/// checks that they can come from the counts.
fn per_point_reals(values: &Bound<'_, PyAny>, scale: Scale, name: &str) -> PyResult<Vec<f64>> {
    let mut sums = vec![0.0f64; scale.points()];
    for (k, value) in per_point_entries(values, scale, name)? {
        let x: f64 = convert(&value, "as_real", Some(name))?;
        sums[k] += x;
    }
    Ok(sums)
}

fn confidence_arg(value: &Bound<'_, PyAny>) -> PyResult<Confidence> {
    let level: f64 = convert(value, "as_confidence", None)?;
    Confidence::new(level).py()
}

/// `n_resamples`, `seed` and `prior` of the resampling methods (defaults: the core's).
fn resampling_args(
    n_resamples: Option<Bound<'_, PyAny>>,
    seed: Option<Bound<'_, PyAny>>,
    prior: Option<Bound<'_, PyAny>>,
) -> PyResult<(usize, Option<u64>, f64)> {
    let defaults = cxmetrics::interval::resampling::ResamplingOptions::default();
    let n = match n_resamples {
        Some(v) if !v.is_none() => convert(&v, "as_size", Some("n_resamples"))?,
        _ => defaults.n_resamples,
    };
    let seed = match seed {
        Some(v) if !v.is_none() => Some(convert(&v, "as_seed", None)?),
        _ => None,
    };
    let prior = match prior {
        Some(v) if !v.is_none() => convert(&v, "as_real", Some("prior"))?,
        _ => defaults.prior,
    };
    Ok((n, seed, prior))
}

fn name_arg(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    convert(value, "as_name", Some(name))
}

fn flag_arg(value: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    value
        .cast::<pyo3::types::PyBool>()
        .map(|b| b.is_true())
        .map_err(|_| super::errors::invalid_input(format!("{name} must be True or False")))
}

impl PyScoreCounts {
    /// The two accumulators together (checked: same scale, both weighted or both not).
    fn merged(&self, other: &PyScoreCounts) -> Result<Self, cxmetrics::error::Error> {
        let mut merged = self.0.clone();
        merged.merge(&other.0)?;
        Ok(PyScoreCounts(merged))
    }
}

getters::pymethods_with_getters! {
    impl PyScoreCounts {
        getters |e| {
            /// The scale, `(min, max)`.
            scale -> (i64, i64) = (e.scale().min(), e.scale().max());
            /// Responses per scale point, from the lowest.
            counts -> Vec<u64> = e.counts().to_vec();
            /// Answers counted.
            n -> u64 = e.n();
            /// Missing answers counted.
            n_missing -> u64 = e.n_missing();
            /// Whether weight sums are kept.
            weighted -> bool = e.is_weighted();
            /// The sum of the weights (`n` unweighted).
            total_weight -> f64 = e.total_weight();
            /// Per scale point, the sum of the weights (`None` unweighted).
            weight_sums -> Option<Vec<f64>> = e.weight_sums().map(|w| w.sum.clone());
            /// Per scale point, the sum of the squared weights (`None` unweighted).
            weight_sq_sums -> Option<Vec<f64>> = e.weight_sums().map(|w| w.sum_sq.clone());
        }

        /// Counts scores on `scale` (weighted when `weights` is given); missing scores are counted
        /// (`nan_policy="omit"`) or raise. Accepts what `cxmetrics.nps` accepts.
        #[staticmethod]
        #[pyo3(
            signature = (scores, *, scale=None, weights=None, nan_policy=None),
            text_signature = "(scores, *, scale=(0, 10), weights=None, nan_policy='omit')"
        )]
        fn from_scores(
            py: Python<'_>,
            scores: Bound<'_, PyAny>,
            scale: Option<Bound<'_, PyAny>>,
            weights: Option<Bound<'_, PyAny>>,
            nan_policy: Option<Bound<'_, PyAny>>,
        ) -> PyResult<Self> {
            let convert = crate::hooks::convert(py)?;
            let array = convert.call_method1("as_array", (scores,))?;
            let scores: Scores<'_> = array.extract()?;
            let weights: Option<Weights<'_>> = match weights {
                None => None,
                Some(w) => Some(convert.call_method1("as_weights", (w,))?.extract()?),
            };
            let scale = scale.map_or(Ok(Scale::NPS), |s| scale_arg(&s))?;
            let policy: MissingPolicy = match nan_policy {
                Some(p) => name_arg(&p, "nan_policy")?.parse().py()?,
                None => MissingPolicy::Omit,
            };
            Ok(PyScoreCounts(scores.count(
                py,
                scale,
                policy,
                weights.as_ref(),
            )?))
        }

        /// Counts given directly: a mapping `{score: count}` (e.g. from SQL `GROUP BY score` or Spark
        /// `groupBy("score").count()`; scores absent from it count 0) or a sequence with one count per
        /// scale point from the lowest. Weighted counts also take `weight_sums` and `weight_sq_sums`
        /// in the same form (per point, the sum of the weights and of the squared weights: SQL
        /// `SUM(w)`, `SUM(w * w)`); both or neither.
        #[staticmethod]
        #[pyo3(
            signature = (counts, *, scale=None, n_missing=None, weight_sums=None, weight_sq_sums=None),
            text_signature = "(counts, *, scale=(0, 10), n_missing=0, weight_sums=None, weight_sq_sums=None)"
        )]
        fn from_counts(
            counts: Bound<'_, PyAny>,
            scale: Option<Bound<'_, PyAny>>,
            n_missing: Option<Bound<'_, PyAny>>,
            weight_sums: Option<Bound<'_, PyAny>>,
            weight_sq_sums: Option<Bound<'_, PyAny>>,
        ) -> PyResult<Self> {
            let scale = scale.map_or(Ok(Scale::NPS), |s| scale_arg(&s))?;
            let n_missing: i64 = match n_missing {
                Some(n) => convert(&n, "as_count", Some("n_missing"))?,
                None => 0,
            };
            let n_missing = super::count_arg("n_missing", n_missing).py()?;
            let mut per_point = vec![0u64; scale.points()];
            for (k, count) in per_point_entries(&counts, scale, "counts")? {
                let count: i64 = convert(&count, "as_count", Some("counts"))?;
                let slot = &mut per_point[k];
                *slot = slot
                    .checked_add(super::count_arg("counts", count).py()?)
                    .ok_or_else(|| cxmetrics::error::Error::InvalidCounts {
                        reason: format!(
                            "the counts of score {} overflow 64 bits",
                            scale.score_at(k)
                        ),
                    })
                    .py()?;
            }
            let counts = match (weight_sums, weight_sq_sums) {
                (None, None) => ScoreCounts::from_counts(scale, per_point, n_missing),
                (Some(sums), Some(sq_sums)) => ScoreCounts::from_weighted_counts(
                    scale,
                    per_point,
                    per_point_reals(&sums, scale, "weight_sums")?,
                    per_point_reals(&sq_sums, scale, "weight_sq_sums")?,
                    n_missing,
                ),
                (Some(_), None) | (None, Some(_)) => {
                    return Err(super::errors::invalid_input(
                        "weight_sums and weight_sq_sums go together: give both (weighted counts) or \
                         neither"
                            .into(),
                    ))
                }
            };
            Ok(PyScoreCounts(counts.py()?))
        }

        /// The two accumulators together (same scale, both weighted or both not).
        fn merge(&self, other: &Bound<'_, PyAny>) -> PyResult<Self> {
            let other = other.cast::<PyScoreCounts>().map_err(|_| {
                super::errors::invalid_input(format!(
                    "other must be a ScoreCounts, got {}",
                    other
                        .get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ))
            })?;
            self.merged(other.get()).py()
        }

        fn __add__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
            let py = other.py();
            match other.cast::<PyScoreCounts>() {
                Ok(o) => Ok(Py::new(py, self.merged(o.get()).py()?)?.into_any()),
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

        /// NPS from the counts (the 0-10 scale): exactly `cxmetrics.nps` on the same scores. The
        /// default method is the core's (adjusted Wald; Wald for weighted counts); `"bootstrap"`,
        /// `"bootstrap_bca"` and `"bayes"` resample the (unweighted) counts.
        #[pyo3(
            signature = (*, method=None, confidence=None, employee=None, n_resamples=None, seed=None, prior=None),
            text_signature = "($self, *, method=None, confidence=0.95, employee=False, n_resamples=9999, seed=None, prior=0.5)"
        )]
        #[allow(clippy::too_many_arguments)]
        fn nps(
            &self,
            py: Python<'_>,
            method: Option<Bound<'_, PyAny>>,
            confidence: Option<Bound<'_, PyAny>>,
            employee: Option<Bound<'_, PyAny>>,
            n_resamples: Option<Bound<'_, PyAny>>,
            seed: Option<Bound<'_, PyAny>>,
            prior: Option<Bound<'_, PyAny>>,
        ) -> PyResult<PyEstimate> {
            let method = match method {
                Some(m) if !m.is_none() => Some(name_arg(&m, "method")?),
                _ => None,
            };
            let confidence = confidence.map_or(Ok(Confidence::default()), |c| confidence_arg(&c))?;
            let employee = employee.map_or(Ok(false), |e| flag_arg(&e, "employee"))?;
            let (n_resamples, seed, prior) = resampling_args(n_resamples, seed, prior)?;
            let name = if employee { "enps" } else { "nps" };
            let spec = IndicatorSpec::parse(
                name,
                None,
                method.as_deref(),
                self.0.scale(),
                self.0.is_weighted(),
            )
            .py()?
            .with_resampling(n_resamples, seed, prior);
            let counts = &self.0;
            let e = super::detach_interruptible(py, || spec.estimate(counts, confidence))?;
            Ok(PyEstimate(e))
        }

        /// The share of the top `top` points: exactly `cxmetrics.top_box` on the same scores.
        #[pyo3(
            signature = (*, top=None, method=None, confidence=None, indicator=None, n_resamples=None, seed=None, prior=None),
            text_signature = "($self, *, top=2, method='wilson', confidence=0.95, indicator='top_box', n_resamples=9999, seed=None, prior=0.5)"
        )]
        #[allow(clippy::too_many_arguments)]
        fn top_box(
            &self,
            py: Python<'_>,
            top: Option<Bound<'_, PyAny>>,
            method: Option<Bound<'_, PyAny>>,
            confidence: Option<Bound<'_, PyAny>>,
            indicator: Option<Bound<'_, PyAny>>,
            n_resamples: Option<Bound<'_, PyAny>>,
            seed: Option<Bound<'_, PyAny>>,
            prior: Option<Bound<'_, PyAny>>,
        ) -> PyResult<PyEstimate> {
            let (n_resamples, seed, prior) = resampling_args(n_resamples, seed, prior)?;
            let top: i64 = top.map_or(Ok(2), |t| convert(&t, "as_size", Some("top")))?;
            let method = method.map_or(Ok("wilson".to_string()), |m| name_arg(&m, "method"))?;
            let indicator =
                indicator.map_or(Ok("top_box".to_string()), |i| name_arg(&i, "indicator"))?;
            let confidence = confidence.map_or(Ok(Confidence::default()), |c| confidence_arg(&c))?;
            let spec = IndicatorSpec::share(&indicator, top, &method, self.0.scale())
                .py()?
                .with_resampling(n_resamples, seed, prior);
            let counts = &self.0;
            Ok(PyEstimate(super::detach_interruptible(py, || {
                spec.estimate(counts, confidence)
            })?))
        }

        /// The mean score (t interval): exactly `cxmetrics.mean_score` on the same scores; `index=True`
        /// gives the satisfaction index (0-100).
        #[pyo3(
            signature = (*, confidence=None, index=None),
            text_signature = "($self, *, confidence=0.95, index=False)"
        )]
        fn mean_score(
            &self,
            confidence: Option<Bound<'_, PyAny>>,
            index: Option<Bound<'_, PyAny>>,
        ) -> PyResult<PyEstimate> {
            let confidence = confidence.map_or(Ok(Confidence::default()), |c| confidence_arg(&c))?;
            let index = index.map_or(Ok(false), |i| flag_arg(&i, "index"))?;
            let e = if index {
                cxmetrics::indicator::mean::satisfaction_index(&self.0, confidence).py()?
            } else {
                cxmetrics::indicator::mean::mean_score(&self.0, confidence).py()?
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
}
