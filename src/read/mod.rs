//! Reading survey responses from CSV and JSON Lines files, keeping every rejected record.
//!
//! # The file format
//! One record per response (a CSV row, or a JSON object on one line). Field names:
//!
//! | field | content |
//! |---|---|
//! | `respondent_id` | required, not blank |
//! | `recorded_at` | required, RFC 3339 (`2025-03-14T10:22:05Z`, `2025-03-14T11:22:05+01:00`) |
//! | `touchpoint` | required, the touchpoint's identifier |
//! | `response_id`, `touchpoint_name` | optional text |
//! | `channel`, `journey_stage` | optional, [`Channel`](crate::Channel) and [`JourneyStage`](crate::JourneyStage) names (others are kept as custom) |
//! | `intentional` | optional, `true`/`false` (or `intentional`/`fortuitous`) |
//! | `weight` | optional, finite and >= 0; when the field is present a blank weight is an error |
//! | `comment` | optional free text |
//! | `nps`, `csat`, `ces`, `repurchase_intention` and the custom items of the [`Schema`] | answers: whole numbers on the item's scale, blank = not answered |
//! | anything else | a segment attribute (free key-value text; blank = absent) |
//!
//! In JSON Lines, answers and attributes may also be nested in `"answers": {...}` and
//! `"attributes": {...}` objects; `null` is blank, and numbers and booleans are read as their text.
//!
//! # Rejected records
//! Nothing is silently dropped: a record with any invalid field is left out of the responses and
//! reported, one [`RejectedRecord`] per invalid field (so a record can appear more than once), with
//! its line number (in CSV the header is line 1; a record spanning several lines is reported at its
//! first line), the field, the value as written and the reason. In strict mode reading stops at the
//! first invalid field with [`Error::InvalidRecord`] carrying the same information. Problems with the
//! file as a whole (it cannot be opened, a required column is missing, a column is repeated) are an
//! [`Error::Read`] in both modes.

mod csv_reader;
mod jsonl_reader;
mod record;
mod table;
mod time;
mod tokenizer;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use table::Column;
#[doc(hidden)]
pub use table::ResponseTable;
pub use time::TimeReader;

use crate::error::{Error, Result};
use crate::response::{Response, Schema};

/// The default of [`ReadOptions::max_fields`].
pub const DEFAULT_MAX_FIELDS: usize = 10_000;

/// The default of [`ReadOptions::max_cells`].
pub const DEFAULT_MAX_CELLS: usize = 20_000_000;

/// A table with more than [`ReadOptions::max_cells`] cells is read only when the file gives at
/// least one value in this many cells.
pub const MIN_DENSITY_INVERSE: usize = 8;

/// How to read a file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// The answer items and their scales.
    pub schema: Schema,
    /// Stop at the first invalid record with [`Error::InvalidRecord`] instead of collecting rejects.
    pub strict: bool,
    /// The most distinct field names a file may use (CSV columns, or JSON Lines keys over all
    /// records, nested ones included); default [`DEFAULT_MAX_FIELDS`] (10,000). Each field becomes
    /// a column of the table read, so the table has at most `records x max_fields` cells; a file
    /// with more fields is refused with [`Error::Read`] naming the limit and the first field over
    /// it, before the columns are built.
    pub max_fields: usize,
    /// The table read has `responses x fields` cells, while a JSON Lines file may give only a few
    /// fields per record: a table of more than `max_cells` cells (default [`DEFAULT_MAX_CELLS`],
    /// 20,000,000) of which fewer than 1 in [`MIN_DENSITY_INVERSE`] (8) are given by the file is
    /// refused with [`Error::Read`] naming both numbers, before the columns are built, so that the
    /// memory used stays proportional to the file. Dense files (every CSV file) of any size are
    /// read; `usize::MAX` turns the bound off (for callers that never build a
    /// [`ResponseTable`]).
    pub max_cells: usize,
}

with_setters!(ReadOptions {
    /// Read the answer items of `schema`.
    with_schema(schema: Schema),
    /// Stop at the first invalid record (`true`) or collect the rejects (`false`, the default).
    with_strict(strict: bool),
    /// Refuse files with more than `max_fields` distinct fields.
    with_max_fields(max_fields: usize),
    /// Refuse sparse tables of more than `max_cells` cells.
    with_max_cells(max_cells: usize),
});

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            schema: Schema::default(),
            strict: false,
            max_fields: DEFAULT_MAX_FIELDS,
            max_cells: DEFAULT_MAX_CELLS,
        }
    }
}

/// A record (or one field of it) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRecord {
    /// The line where the record starts (in CSV the header is line 1).
    pub line: u64,
    /// The field, or empty when the whole record is unreadable (malformed JSON, wrong number of
    /// CSV fields).
    pub field: String,
    /// The value as written.
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

impl RejectedRecord {
    fn into_error(self) -> Error {
        Error::InvalidRecord {
            line: self.line,
            field: self.field,
            value: self.value,
            reason: self.reason,
        }
    }
}

/// What a reader returns: the valid responses, every rejected record, and the field names in the
/// order the file first uses them.
///
/// Every record of the file is accounted for once: it is either in `responses` (with its line in
/// `lines`) or rejected (its invalid fields in `rejected`, all with the line where it starts), so
/// [`ReadOutcome::n_records`] is `responses.len() + n_rejected`. Blank lines are not records; they
/// are counted in `n_blank`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadOutcome {
    /// The valid responses, in file order.
    pub responses: Vec<Response>,
    /// The line where each response starts, parallel to `responses`.
    pub lines: Vec<u64>,
    /// Every invalid field of every rejected record, in file order.
    pub rejected: Vec<RejectedRecord>,
    /// The number of records rejected (a record with several invalid fields counts once).
    pub n_rejected: usize,
    /// The number of blank lines (outside CSV quoted fields; in JSON Lines, lines of nothing but
    /// spaces and tabs too), which are not records.
    pub n_blank: u64,
    /// The field names in the order the file first uses them.
    pub fields: Vec<String>,
}

impl ReadOutcome {
    /// The number of records read, valid or not: `responses.len() + n_rejected`.
    pub fn n_records(&self) -> usize {
        self.responses.len() + self.n_rejected
    }

    /// Adds one record's outcome; in strict mode the first problem is the error.
    fn push(
        &mut self,
        line: u64,
        outcome: std::result::Result<Response, Vec<RejectedRecord>>,
        strict: bool,
    ) -> Result<()> {
        match outcome {
            Ok(response) => {
                self.responses.push(response);
                self.lines.push(line);
            }
            Err(mut problems) if strict => {
                return Err(if problems.is_empty() {
                    Error::InvalidRecord {
                        line,
                        field: String::new(),
                        value: String::new(),
                        reason: "the record is invalid".into(),
                    }
                } else {
                    problems.swap_remove(0).into_error()
                })
            }
            Err(problems) => {
                debug_assert!(problems.iter().all(|p| p.line == line));
                self.n_rejected += 1;
                self.rejected.extend(problems);
            }
        }
        Ok(())
    }
}

/// The distinct field names of a file, in the order it first uses them, looked up through a hash
/// index and bounded by [`ReadOptions::max_fields`].
#[derive(Debug, Default)]
struct FieldIndex {
    names: Vec<String>,
    index: std::collections::HashSet<String>,
}

impl FieldIndex {
    /// Notes `name`; an [`Error::Read`] when it is one field more than `max`.
    fn note(&mut self, name: &str, line: u64, max: usize, source: &str) -> Result<()> {
        if self.index.contains(name) {
            return Ok(());
        }
        if self.names.len() >= max {
            return Err(Error::unreadable(
                source.to_string(),
                format!(
                    "the file uses more than {max} distinct field names (max_fields = {max}); \
                     the field {name:?} on line {line} is one too many (raise max_fields to read it)"
                ),
            ));
        }
        self.index.insert(name.to_string());
        self.names.push(name.to_string());
        Ok(())
    }
}

/// An [`Error::Read`] when the table of `outcome` (its responses x its fields) would have more than
/// `options.max_cells` cells and fewer than 1 in [`MIN_DENSITY_INVERSE`] of them are among the
/// `given` values of the responses.
fn check_cells(
    outcome: &ReadOutcome,
    given: usize,
    options: &ReadOptions,
    source: &str,
) -> Result<()> {
    let rows = outcome.responses.len();
    let fields = outcome.fields.len();
    let cells = rows.saturating_mul(fields);
    if cells > options.max_cells && cells / MIN_DENSITY_INVERSE > given {
        return Err(Error::unreadable(
            source.to_string(),
            format!(
                "the table of responses would have {cells} cells ({rows} responses x {fields} \
                 fields) for {given} values given in the file: more than max_cells = {} cells \
                 and fewer than 1 in {MIN_DENSITY_INVERSE} given, too sparse to build as columns \
                 (raise max_cells to read it)",
                options.max_cells
            ),
        ));
    }
    Ok(())
}

/// `reader` without a UTF-8 byte-order mark at its start, buffered.
fn without_bom(mut reader: impl Read, source: &str) -> Result<impl BufRead> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let mut head = [0u8; 3];
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(source.to_string(), e)),
        }
    }
    let kept = if head[..n] == *BOM { 0 } else { n };
    Ok(BufReader::with_capacity(
        1 << 16,
        std::io::Cursor::new(head[..kept].to_vec()).chain(reader),
    ))
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| Error::io(path.display().to_string(), e))
}

/// Reads a CSV file of responses (RFC 4180: comma-separated, a header row, fields quoted with `"`
/// when they contain commas, quotes or line breaks; UTF-8, with or without a byte-order mark).
///
/// # Examples
/// ```
/// use cxmetrics::read::{read_csv_from, ReadOptions};
/// let data = "respondent_id,recorded_at,touchpoint,nps,region\n\
///             C1,2025-01-02T09:00:00Z,delivery,9,north\n\
///             C2,2025-01-02T10:00:00Z,delivery,11,south\n\
///             C3,yesterday,store,,north\n";
/// let read = read_csv_from(data.as_bytes(), "inline", &ReadOptions::default())?;
/// assert_eq!(read.responses.len(), 1);
/// assert_eq!(read.responses[0].attribute("region"), Some("north"));
/// assert_eq!((read.rejected[0].line, read.rejected[0].field.as_str()), (3, "nps"));
/// assert_eq!((read.rejected[1].line, read.rejected[1].field.as_str()), (4, "recorded_at"));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
///
/// # Errors
/// [`Error::Read`] when the file cannot be opened or read, or its header lacks `respondent_id`,
/// `recorded_at` or `touchpoint` or repeats a column; in strict mode [`Error::InvalidRecord`] at
/// the first invalid field.
pub fn read_csv(path: impl AsRef<Path>, options: &ReadOptions) -> Result<ReadOutcome> {
    let path = path.as_ref();
    read_csv_from(open(path)?, &path.display().to_string(), options)
}

/// Reads CSV from any reader; `source` names it in errors. See [`read_csv`].
///
/// # Errors
/// As [`read_csv`].
pub fn read_csv_from(
    reader: impl std::io::Read,
    source: &str,
    options: &ReadOptions,
) -> Result<ReadOutcome> {
    csv_reader::read(reader, source, options)
}

/// Reads a JSON Lines file of responses: one JSON object per line (blank lines are skipped; line 1
/// is the first line of the file).
///
/// # Examples
/// ```
/// use cxmetrics::read::{read_jsonl_from, ReadOptions};
/// let data = r#"{"respondent_id": "C1", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "answers": {"nps": 10, "csat": 5}}
/// {"respondent_id": "C2", "recorded_at": "2025-01-02T09:30:00Z", "touchpoint": "store", "nps": 3, "weight": -1}
/// not json
/// "#;
/// let read = read_jsonl_from(data.as_bytes(), "inline", &ReadOptions::default())?;
/// assert_eq!(read.responses[0].csat(), Some(5));
/// assert_eq!((read.rejected[0].line, read.rejected[0].field.as_str()), (2, "weight"));
/// assert_eq!((read.rejected[1].line, read.rejected[1].field.as_str()), (3, ""));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
///
/// # Errors
/// [`Error::Read`] when the file cannot be opened or read; in strict mode
/// [`Error::InvalidRecord`] at the first invalid field.
pub fn read_jsonl(path: impl AsRef<Path>, options: &ReadOptions) -> Result<ReadOutcome> {
    let path = path.as_ref();
    read_jsonl_from(open(path)?, &path.display().to_string(), options)
}

/// Reads JSON Lines from any reader; `source` names it in errors. See [`read_jsonl`].
///
/// # Errors
/// As [`read_jsonl`].
pub fn read_jsonl_from(
    reader: impl std::io::Read,
    source: &str,
    options: &ReadOptions,
) -> Result<ReadOutcome> {
    jsonl_reader::read(reader, source, options)
}

/// Reads a file by its extension: `.jsonl`, `.ndjson` or `.json` as JSON Lines, anything else as CSV.
///
/// # Errors
/// As [`read_csv`] and [`read_jsonl`].
pub fn read_responses(path: impl AsRef<Path>, options: &ReadOptions) -> Result<ReadOutcome> {
    let path = path.as_ref();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("jsonl" | "ndjson" | "json") => read_jsonl(path, options),
        _ => read_csv(path, options),
    }
}
