//! Binding of the key-terms analysis.

use crate::errors::{IntoPyResult, ToPyErr};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyString};

use super::errors::invalid_input;
use cxmetrics::text::{key_terms as analyse, KeyTermsOptions, LanguageChoice};

/// The key terms of every group as columns, and the counts behind them (the native result of
/// `cxmetrics.key_terms`, which builds the data frame).
#[pyclass(frozen, get_all, name = "KeyTermsTable", module = "cxmetrics._native")]
pub(crate) struct PyKeyTerms {
    /// The group code of each term.
    group: Py<PyArray1<u32>>,
    /// The terms (words or n-grams).
    term: Vec<String>,
    /// Each term's count in its group.
    count: Py<PyArray1<u64>>,
    /// Its rate per 1,000 words of the group.
    rate: Py<PyArray1<f64>>,
    /// Its weighted log-odds against the other groups.
    log_odds: Py<PyArray1<f64>>,
    /// The log-odds' z-score.
    z_score: Py<PyArray1<f64>>,
    /// Comments with text, per group.
    n_comments: Vec<u64>,
    /// Words, per group.
    n_words: Vec<u64>,
    /// Empty or missing comments.
    n_empty: u64,
    /// Comments without a group label (set aside).
    n_missing_group: u64,
    /// Comments whose stop words were English, Spanish, or neither.
    languages: (u64, u64, u64),
}

/// Key terms per group. See `cxmetrics.key_terms`.
///
/// `texts`: a list of str / None / NaN; `groups`: int64 codes, -1 for a missing group label.
#[pyfunction]
#[pyo3(signature = (texts, groups, n_groups, language, min_count, prior, ngram, top))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn key_terms(
    py: Python<'_>,
    texts: Vec<Bound<'_, PyAny>>,
    groups: numpy::PyReadonlyArray1<'_, i64>,
    n_groups: usize,
    language: &str,
    min_count: u64,
    prior: f64,
    ngram: (usize, usize),
    top: usize,
) -> PyResult<PyKeyTerms> {
    let groups = groups.as_array();
    if groups.len() != texts.len() {
        return Err(cxmetrics::error::Error::LengthMismatch {
            left_name: "texts",
            left: texts.len(),
            right_name: "groups",
            right: groups.len(),
        }
        .into_py_err());
    }
    let options = KeyTermsOptions::default()
        .with_language(language.parse::<LanguageChoice>().py()?)
        .with_min_count(min_count)
        .with_prior(prior)
        .with_ngram(ngram)
        .with_top(top);
    // Strings (None / NaN: missing) and their group codes; rows without a group are set aside.
    let mut owned: Vec<Option<String>> = Vec::with_capacity(texts.len());
    let mut codes: Vec<u32> = Vec::with_capacity(texts.len());
    let mut n_missing_group = 0u64;
    for (position, (text, &group)) in texts.iter().zip(groups.iter()).enumerate() {
        let value = if text.is_none() {
            None
        } else if let Ok(s) = text.cast::<PyString>() {
            Some(
                s.to_str()
                    .map_err(|_| {
                        invalid_input(format!(
                            "texts: the comment at position {position} is not valid Unicode (it \
                             holds a lone surrogate); clean or drop it"
                        ))
                    })?
                    .to_owned(),
            )
        } else if text.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            None
        } else {
            return Err(invalid_input(format!(
                "texts must be strings (or None/NaN for missing); found {} at position {position}",
                text.repr()?
            )));
        };
        if group < 0 {
            n_missing_group += 1;
            continue;
        }
        owned.push(value);
        codes.push(group as u32);
    }
    let result = py
        .detach(|| {
            let refs: Vec<Option<&str>> = owned.iter().map(|t| t.as_deref()).collect();
            analyse(&refs, &codes, n_groups, &options)
        })
        .py()?;
    let t = &result.terms;
    let [en, es, neither] = result.languages;
    Ok(PyKeyTerms {
        group: PyArray1::from_iter(py, t.iter().map(|k| k.group)).unbind(),
        term: t.iter().map(|k| k.term.clone()).collect(),
        count: PyArray1::from_iter(py, t.iter().map(|k| k.count)).unbind(),
        rate: PyArray1::from_iter(py, t.iter().map(|k| k.rate)).unbind(),
        log_odds: PyArray1::from_iter(py, t.iter().map(|k| k.log_odds)).unbind(),
        z_score: PyArray1::from_iter(py, t.iter().map(|k| k.z_score)).unbind(),
        n_comments: result.n_comments,
        n_words: result.n_words,
        n_empty: result.n_empty,
        n_missing_group,
        languages: (en, es, neither),
    })
}
