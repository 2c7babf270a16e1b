//! `read_responses`: the CSV / JSON Lines readers, their table as column payloads.

use std::path::PathBuf;

use crate::errors::{IntoPyResult, ToPyErr};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyBytesMethods, PyList};

use cxmetrics::read::{
    read_table, read_table_from, Column, Encoding, Format, ReadOptions, TimeReader,
};
use cxmetrics::response::Schema;
use cxmetrics::scale::Scale;

/// One column read, for Python: `kind` says how `values` holds it: `"text"` (a tuple of NumPy
/// arrays in Arrow's layout: int64 offsets, uint8 UTF-8 bytes, bool validity; `text_values`
/// gives the list),
/// `"int"` (int64 array, with the `missing` mask), `"float"` (float64 array, NaN missing), `"bool"`
/// (list of bool/None), `"datetime_ns"` (int64 nanoseconds since 1970, UTC).
#[pyclass(frozen, get_all, name = "ReadColumn", module = "cxmetrics._native")]
pub(crate) struct PyReadColumn {
    /// The column's name.
    name: String,
    /// How `values` holds the column.
    kind: &'static str,
    /// The values.
    values: Py<PyAny>,
    /// For `"int"`: True where the value is missing; else None.
    missing: Option<Py<PyAny>>,
}

/// What `read_responses` read, for Python: the columns of the valid responses, every invalid field
/// of every rejected record as columns (`rejected_line`, `rejected_field`, `rejected_value`,
/// `rejected_reason`), and the counts.
#[pyclass(frozen, get_all, name = "ReadTable", module = "cxmetrics._native")]
pub(crate) struct PyReadTable {
    /// The columns, in file order.
    columns: Vec<Py<PyReadColumn>>,
    /// The physical line where each rejected record starts.
    rejected_line: Py<PyArray1<u64>>,
    /// The invalid field (empty for a whole-record problem).
    rejected_field: Vec<String>,
    /// The value as written.
    rejected_value: Vec<String>,
    /// Why it was rejected.
    rejected_reason: Vec<String>,
    /// The record's position among the records (the row of an in-memory table), from 0.
    rejected_record: Py<PyArray1<u64>>,
    /// The kind of problem (`malformed`, `encoding`, `missing`, `timestamp`, `answer`, ...).
    rejected_kind: Vec<&'static str>,
    /// The CSV delimiter used (None for JSON Lines).
    delimiter: Option<String>,
    /// The text encoding read.
    encoding: &'static str,
    /// Whether the source was gzip-compressed.
    compressed: bool,
    /// Values read as a known channel or journey stage while written otherwise: `(field, written,
    /// mapped_to, count)`.
    mappings: Vec<(String, String, String, u64)>,
    /// Touchpoints whose records give different display names: `(touchpoint, name, count)`, one
    /// row per name.
    name_conflicts: Vec<(String, String, u64)>,
    /// Every record read.
    n_records: usize,
    /// The records rejected (a record with several invalid fields counts once).
    n_rejected: usize,
    /// Blank lines (not records).
    n_blank: u64,
}

fn column_payload(py: Python<'_>, name: String, column: Column) -> PyResult<PyReadColumn> {
    let (kind, values, missing) = match column {
        Column::Text(values) => {
            // Arrow's layout, for pyarrow to take without a copy: offsets, bytes, validity.
            let (offsets, bytes, valid) = values.into_parts();
            let parts = (
                PyArray1::from_vec(py, offsets),
                PyArray1::from_vec(py, bytes),
                PyArray1::from_vec(py, valid),
            );
            ("text", parts.into_pyobject(py)?.into_any().unbind(), None)
        }
        Column::Bool(values) => ("bool", PyList::new(py, values)?.into_any().unbind(), None),
        Column::Integer(values) => {
            let mask: Vec<bool> = values.iter().map(Option::is_none).collect();
            let data: Vec<i64> = values.into_iter().map(|v| v.unwrap_or(0)).collect();
            (
                "int",
                PyArray1::from_vec(py, data).into_any().unbind(),
                Some(PyArray1::from_vec(py, mask).into_any().unbind()),
            )
        }
        Column::Float(values) => {
            let data: Vec<f64> = values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect();
            (
                "float",
                PyArray1::from_vec(py, data).into_any().unbind(),
                None,
            )
        }
        Column::TimestampNanos(values) => (
            "datetime_ns",
            PyArray1::from_vec(py, values).into_any().unbind(),
            None,
        ),
        _ => {
            return Err(crate::errors::invalid_input(format!(
                "column {name:?} has a type this version of the Python package cannot convert"
            )))
        }
    };
    Ok(PyReadColumn {
        name,
        kind,
        values,
        missing,
    })
}

/// Reads a CSV or JSON Lines file of responses, or the same content from `data` (bytes). See
/// `cxmetrics.read_responses`. Every record is a row of the columns or one of the `n_rejected`
/// records whose invalid fields the `rejected_*` columns list.
#[pyfunction]
#[pyo3(signature = (path, data, format, name, strict, items, sep, columns, encoding, tz, time_format))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_responses(
    py: Python<'_>,
    path: Option<PathBuf>,
    data: Option<Bound<'_, PyBytes>>,
    format: &str,
    name: String,
    strict: bool,
    items: Vec<(String, i64, i64)>,
    sep: Option<String>,
    columns: Vec<(String, String)>,
    encoding: Option<String>,
    tz: Option<String>,
    time_format: Option<String>,
) -> PyResult<PyReadTable> {
    let time = TimeReader::new(tz.as_deref(), time_format.as_deref()).py()?;
    let encoding: Encoding = match encoding.as_deref() {
        Some(name) => name.parse().py()?,
        None => Encoding::default(),
    };
    let mut schema = Schema::default();
    for (item, lo, hi) in items {
        schema = schema.with_item(&item, Scale::new(lo, hi).py()?).py()?;
    }
    let delimiter = match sep.as_deref() {
        None => None,
        Some(text) if text.len() == 1 => Some(text.as_bytes()[0]),
        Some(text) => {
            return Err(cxmetrics::Error::invalid_parameter(
                "sep",
                format!("{text:?}"),
                "must be one ASCII character (\",\", \";\", \"\\t\", \"|\")",
            )
            .into_py_err())
        }
    };
    let options = ReadOptions::default()
        .with_schema(schema)
        .with_strict(strict)
        .with_delimiter(delimiter)
        .with_columns(columns)
        .with_encoding(encoding)
        .with_time(time);
    let format = match (format, &path) {
        ("csv", _) => Format::Csv,
        ("jsonl", _) => Format::JsonLines,
        (_, Some(p)) => Format::of_path(p),
        _ => Format::Csv,
    };
    let bytes = data.as_ref().map(|d| d.as_bytes());
    let (table, outcome, n_records) = py
        .detach(|| -> cxmetrics::Result<_> {
            let (table, outcome) = match (bytes, &path) {
                (Some(bytes), _) => read_table_from(bytes, format, &name, &options)?,
                (None, Some(path)) => read_table(path, &options)?,
                (None, None) => read_table_from(&[][..], format, &name, &options)?,
            };
            let n_records = outcome.n_records();
            Ok((table, outcome, n_records))
        })
        .py()?;
    let rejected = &outcome.rejected;
    let columns = table
        .into_columns()
        .into_iter()
        .map(|(name, column)| Py::new(py, column_payload(py, name, column)?))
        .collect::<PyResult<_>>()?;
    Ok(PyReadTable {
        columns,
        rejected_line: PyArray1::from_iter(py, rejected.iter().map(|r| r.line)).unbind(),
        rejected_field: rejected.iter().map(|r| r.field.clone()).collect(),
        rejected_value: rejected.iter().map(|r| r.value.clone()).collect(),
        rejected_reason: rejected.iter().map(|r| r.reason.clone()).collect(),
        rejected_record: PyArray1::from_iter(py, rejected.iter().map(|r| r.record)).unbind(),
        rejected_kind: rejected.iter().map(|r| r.kind.as_str()).collect(),
        delimiter: outcome.delimiter.map(|d| (d as char).to_string()),
        encoding: outcome.encoding.as_str(),
        compressed: outcome.compressed,
        mappings: outcome
            .mappings
            .iter()
            .map(|m| {
                (
                    m.field.clone(),
                    m.written.clone(),
                    m.mapped_to.clone(),
                    m.count,
                )
            })
            .collect(),
        name_conflicts: outcome
            .name_conflicts
            .iter()
            .flat_map(|c| {
                c.names
                    .iter()
                    .map(|(n, k)| (c.touchpoint.clone(), n.clone(), *k))
            })
            .collect(),
        n_records,
        n_rejected: outcome.n_rejected,
        n_blank: outcome.n_blank,
    })
}

/// The values of a text column given in Arrow's layout (offsets, UTF-8 bytes, validity), as a
/// list of str and None: for callers without pyarrow.
#[pyfunction]
pub(crate) fn text_values<'py>(
    py: Python<'py>,
    offsets: numpy::PyReadonlyArray1<'py, i64>,
    data: numpy::PyReadonlyArray1<'py, u8>,
    valid: numpy::PyReadonlyArray1<'py, bool>,
) -> PyResult<Bound<'py, PyList>> {
    let (offsets, data, valid) = (offsets.as_slice()?, data.as_slice()?, valid.as_slice()?);
    let bad =
        || crate::errors::invalid_input("the text column's buffers do not fit together".into());
    if offsets.len() != valid.len() + 1 {
        return Err(bad());
    }
    let mut values: Vec<Option<&str>> = Vec::with_capacity(valid.len());
    for (i, &present) in valid.iter().enumerate() {
        let (a, b) = (offsets[i], offsets[i + 1]);
        if a < 0 || b < a || b as usize > data.len() {
            return Err(bad());
        }
        values.push(if present {
            Some(std::str::from_utf8(&data[a as usize..b as usize]).map_err(|_| bad())?)
        } else {
            None
        });
    }
    PyList::new(py, values)
}
