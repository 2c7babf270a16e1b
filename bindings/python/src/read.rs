//! `read_responses`: the CSV / JSON Lines readers, their table as column payloads.

use std::path::PathBuf;

use crate::errors::IntoPyResult;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use pyo3::IntoPyObjectExt;

use cxmetrics::read::{read_responses as read_file, Column, ReadOptions, ResponseTable};
use cxmetrics::response::Schema;
use cxmetrics::scale::Scale;

/// A column for Python: `(name, kind, payload, mask)`. Kinds: `"text"` (list of str/None), `"int"`
/// (int64 array + missing mask), `"float"` (float64 array, NaN missing), `"bool"` (list of
/// bool/None), `"datetime_ns"` (int64 nanoseconds, UTC).
fn column_payload<'py>(
    py: Python<'py>,
    name: String,
    column: Column,
) -> PyResult<Bound<'py, PyTuple>> {
    let none = py.None();
    let (kind, payload, mask) = match column {
        Column::Text(values) => ("text", PyList::new(py, values)?.into_any().unbind(), none),
        Column::Bool(values) => ("bool", PyList::new(py, values)?.into_any().unbind(), none),
        Column::Integer(values) => {
            let mask: Vec<bool> = values.iter().map(Option::is_none).collect();
            let data: Vec<i64> = values.into_iter().map(|v| v.unwrap_or(0)).collect();
            (
                "int",
                PyArray1::from_vec(py, data).into_any().unbind(),
                PyArray1::from_vec(py, mask).into_any().unbind(),
            )
        }
        Column::Float(values) => {
            let data: Vec<f64> = values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect();
            (
                "float",
                PyArray1::from_vec(py, data).into_any().unbind(),
                none,
            )
        }
        Column::TimestampNanos(values) => (
            "datetime_ns",
            PyArray1::from_vec(py, values).into_any().unbind(),
            none,
        ),
        _ => {
            return Err(crate::errors::invalid_input(format!(
                "column {name:?} has a type this version of the Python package cannot convert"
            )))
        }
    };
    PyTuple::new(
        py,
        [name.into_py_any(py)?, kind.into_py_any(py)?, payload, mask],
    )
}

type Rejected = (u64, String, String, String);

/// What `read_responses` returns to Python: `(columns, rejected, n_records, n_rejected, n_blank)`.
type ReadPayload<'py> = (Vec<Bound<'py, PyTuple>>, Vec<Rejected>, usize, usize, u64);

/// Reads a CSV or JSON Lines file of responses. See `cxmetrics.read_responses`.
///
/// Returns `(columns, rejected, n_records, n_rejected, n_blank)`: every record of the file is a
/// row of the columns or one of the `n_rejected` records whose invalid fields `rejected` lists.
#[pyfunction]
#[pyo3(signature = (path, strict, items))]
pub(crate) fn read_responses<'py>(
    py: Python<'py>,
    path: PathBuf,
    strict: bool,
    items: Vec<(String, i64, i64)>,
) -> PyResult<ReadPayload<'py>> {
    let mut schema = Schema::default();
    for (name, lo, hi) in items {
        schema = schema.with_item(&name, Scale::new(lo, hi).py()?).py()?;
    }
    let options = {
        let mut o = ReadOptions::default();
        o.schema = schema;
        o.strict = strict;
        o
    };
    let (table, outcome, n_records) = py
        .detach(|| -> cxmetrics::Result<_> {
            let mut outcome = read_file(&path, &options)?;
            let n_records = outcome.n_records();
            let responses = std::mem::take(&mut outcome.responses);
            let table = ResponseTable::new(&responses, &outcome.fields, &options.schema);
            Ok((table, outcome, n_records))
        })
        .py()?;
    let rejected = outcome
        .rejected
        .into_iter()
        .map(|r| (r.line, r.field, r.value, r.reason))
        .collect();
    let columns = table
        .into_columns()
        .into_iter()
        .map(|(name, column)| column_payload(py, name, column))
        .collect::<PyResult<_>>()?;
    Ok((
        columns,
        rejected,
        n_records,
        outcome.n_rejected,
        outcome.n_blank,
    ))
}
