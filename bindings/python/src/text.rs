//! Binding of the key-terms analysis.

use crate::errors::{IntoPyResult, ToPyErr};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyString};

use super::errors::invalid_input;
use cxmetrics::text::{key_terms as analyse, KeyTermsOptions, LanguageChoice};

/// Key terms per group. See `cxmetrics.key_terms`.
///
/// `texts`: a list of str / None / NaN; `groups`: int64 codes, -1 for a missing group label.
/// Returns `(codes, terms, counts, rates, log_odds, z_scores, n_comments, n_empty, n_missing_group,
/// n_words, languages)`.
#[pyfunction]
#[pyo3(signature = (texts, groups, n_groups, language, min_count, prior, ngram, top))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
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
) -> PyResult<(
    Vec<u32>,
    Vec<String>,
    Vec<u64>,
    Vec<f64>,
    Vec<f64>,
    Vec<f64>,
    Vec<u64>,
    u64,
    u64,
    Vec<u64>,
    [u64; 3],
)> {
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
    let options = {
        let mut o = KeyTermsOptions::default();
        o.language = language.parse::<LanguageChoice>().py()?;
        o.min_count = min_count;
        o.prior = prior;
        o.ngram = ngram;
        o.top = top;
        o
    };
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
    Ok((
        t.iter().map(|k| k.group).collect(),
        t.iter().map(|k| k.term.clone()).collect(),
        t.iter().map(|k| k.count).collect(),
        t.iter().map(|k| k.rate).collect(),
        t.iter().map(|k| k.log_odds).collect(),
        t.iter().map(|k| k.z_score).collect(),
        result.n_comments,
        result.n_empty,
        n_missing_group,
        result.n_words,
        result.languages,
    ))
}
