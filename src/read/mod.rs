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

mod columnar;
mod csv_reader;
mod jsonl_reader;
mod notes;
mod record;
mod source;
mod stream;
mod table;
mod time;
mod tokenizer;

use std::fs::File;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use notes::{NameConflict, ValueMapping};
pub use source::{decode, sniff_delimiter, suggest_encoding, DecodedSource, Encoding};
pub use stream::{Format, ReadSummary, RecordRead, ResponseReader};
#[doc(hidden)]
pub use table::ResponseTable;
pub use table::{Column, TextColumn};
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
    /// The CSV delimiter; `None` (the default) chooses among `,`, `;`, tab and `|` from the header
    /// and the first records.
    pub delimiter: Option<u8>,
    /// Renames applied to the file's field names before they are read: `(name in the file, name
    /// of the schema)`, such as `("Q1 Likelihood to recommend", "nps")`. Every target must be a
    /// field of the format (see the module documentation) or an item of the schema; in CSV every
    /// source must be a column of the header.
    pub columns: Vec<(String, String)>,
    /// The text encoding (default UTF-8, with or without a byte-order mark). Gzip-compressed
    /// input is recognised by its first bytes whatever the encoding.
    pub encoding: Encoding,
    /// How `recorded_at` is read: RFC 3339 / ISO 8601 always; the time zone of timestamps
    /// written without an offset, and a strftime-style format, when given ([`TimeReader`]).
    pub time: TimeReader,
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
    /// The CSV delimiter (`None`: sniffed).
    with_delimiter(delimiter: Option<u8>),
    /// Rename the file's fields: `(name in the file, name of the schema)`.
    with_columns(columns: Vec<(String, String)>),
    /// The text encoding.
    with_encoding(encoding: Encoding),
    /// How timestamps are read (time zone, format).
    with_time(time: TimeReader),
});

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            schema: Schema::default(),
            strict: false,
            max_fields: DEFAULT_MAX_FIELDS,
            max_cells: DEFAULT_MAX_CELLS,
            delimiter: None,
            columns: Vec::new(),
            encoding: Encoding::Utf8,
            time: TimeReader::default(),
        }
    }
}

impl ReadOptions {
    /// Checks the options that do not depend on the file: every rename targets a field of the
    /// format or an item of the schema, no target is given twice, no source renamed twice.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (parameter `columns`) naming the rename.
    pub fn check(&self) -> Result<()> {
        for (i, (from, to)) in self.columns.iter().enumerate() {
            let known = crate::response::RESERVED_FIELDS.contains(&to.as_str())
                || self.schema.scale(to).is_some();
            if !known {
                let mut valid: Vec<&str> = crate::response::RESERVED_FIELDS.to_vec();
                valid.extend(self.schema.items().map(|(name, _)| name));
                return Err(Error::invalid_parameter(
                    "columns",
                    format!("{from:?} -> {to:?}"),
                    format!(
                        "{to:?} is not a field of the format nor an item of the schema \
                         (known: {}; declare an item with its scale to rename to it)",
                        valid.join(", ")
                    ),
                ));
            }
            if let Some((other, _)) = self.columns[..i].iter().find(|(_, t)| t == to) {
                return Err(Error::invalid_parameter(
                    "columns",
                    format!("{from:?} -> {to:?}"),
                    format!("{other:?} is renamed to {to:?} too"),
                ));
            }
            if self.columns[..i].iter().any(|(f, _)| f == from) {
                return Err(Error::invalid_parameter(
                    "columns",
                    format!("{from:?} -> {to:?}"),
                    format!("{from:?} is renamed twice"),
                ));
            }
        }
        if let Some(d) = self.delimiter {
            if matches!(d, b'"' | b'\r' | b'\n') || !d.is_ascii() {
                return Err(Error::invalid_parameter(
                    "sep",
                    format!("{:?}", d as char),
                    "must be one ASCII character other than a quote or a line end",
                ));
            }
        }
        Ok(())
    }

    /// The name a field of the file is read as (its rename, if any).
    pub(crate) fn renamed<'a>(&self, name: std::borrow::Cow<'a, str>) -> std::borrow::Cow<'a, str> {
        match self.columns.iter().find(|(from, _)| *from == name) {
            Some((_, to)) => std::borrow::Cow::Owned(to.clone()),
            None => name,
        }
    }

    /// A CSV header as read: renamed, every rename's source present.
    pub(crate) fn renamed_header(&self, written: Vec<String>, source: &str) -> Result<Vec<String>> {
        if let Some((from, _)) = self
            .columns
            .iter()
            .find(|(from, _)| !written.contains(from))
        {
            return Err(Error::unreadable(
                source.to_string(),
                format!(
                    "columns renames {from:?}, which the header does not have (found: {})",
                    written.join(", ")
                ),
            ));
        }
        Ok(written
            .into_iter()
            .map(|name| self.renamed(std::borrow::Cow::Owned(name)).into_owned())
            .collect())
    }

    /// The instant of a `recorded_at` text, or the reason it is not one.
    pub(crate) fn read_time(
        &self,
        text: &str,
    ) -> std::result::Result<crate::response::Timestamp, String> {
        self.time.read(text)
    }
}

/// One record read: the line where it starts, its response or its problems, and how many values
/// it gives (for the density bound of [`ReadOptions::max_cells`]).
pub(crate) struct Step {
    line: u64,
    result: std::result::Result<Response, Vec<RejectedRecord>>,
    given: usize,
}

impl Step {
    fn rejected(line: u64, problem: RejectedRecord) -> Step {
        Step {
            line,
            result: Err(vec![problem]),
            given: 0,
        }
    }
}

/// What the readers add to a "not valid UTF-8" reason: the encoding the bytes look like.
pub(crate) fn encoding_hint(bytes: &[u8]) -> String {
    match suggest_encoding(bytes) {
        Some(e) => format!(
            "; it looks like {}: read the file with the encoding {:?}",
            e.as_str(),
            e.as_str()
        ),
        None => String::new(),
    }
}

crate::names::named_enum! {
    /// Why a record (or one field of it) was rejected, for counting by kind.
    pub enum RejectionKind {
        /// The record cannot be read as a record: not valid JSON or not a JSON object, a CSV row
        /// with another number of fields than the header, a quoted field never closed.
        Malformed = "malformed",
        /// Bytes that are not valid text in the file's encoding.
        Encoding = "encoding",
        /// A required field (`respondent_id`, `recorded_at`, `touchpoint`) absent or blank.
        Missing = "missing",
        /// A `recorded_at` that is not an instant: unreadable, without a UTC offset and no time
        /// zone given, or a local time that a daylight-saving change makes ambiguous or skips.
        Timestamp = "timestamp",
        /// An answer off its item's scale or not a whole number, or an answer item the schema
        /// does not declare.
        Answer = "answer",
        /// A weight that is not a finite number >= 0, or blank when the weight field is present.
        Weight = "weight",
        /// A field given twice in one record.
        Duplicate = "duplicate",
        /// Any other invalid value (a channel, journey stage or `intentional` that cannot be
        /// read, a nested value where text is expected, a reserved name used as an attribute).
        Value = "value",
    }
    unknown = |name| Error::UnknownOption { option: "rejection kind", name, valid: RejectionKind::NAMES };
}

/// A record (or one field of it) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRecord {
    /// The line where the record starts (in CSV the header is line 1).
    pub line: u64,
    /// The record's position among the records of the file, from 0 (blank lines and a CSV header
    /// are not records): the row of an in-memory table.
    pub record: u64,
    /// The field, or empty when the whole record is unreadable (malformed JSON, wrong number of
    /// CSV fields).
    pub field: String,
    /// The value as written.
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
    /// The kind of problem.
    pub kind: RejectionKind,
}

impl RejectedRecord {
    /// A problem of the record starting on `line` (its `record` number is set by the reader).
    pub(crate) fn new(
        line: u64,
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
        kind: RejectionKind,
    ) -> RejectedRecord {
        RejectedRecord {
            line,
            record: 0,
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
            kind,
        }
    }

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
/// Every record of the file is accounted for once: it is either kept (its line in `lines`, the
/// response in `responses`, or, from [`read_table`], a row of the table with `responses` empty)
/// or rejected (its invalid fields in `rejected`, all with the line where it starts), so
/// [`ReadOutcome::n_records`] is `lines.len() + n_rejected`. Blank lines are not records; they
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
    /// The field names in the order the file first uses them (after renaming).
    pub fields: Vec<String>,
    /// The CSV delimiter used (`None` for JSON Lines).
    pub delimiter: Option<u8>,
    /// The text encoding read.
    pub encoding: Encoding,
    /// Whether the source was gzip-compressed.
    pub compressed: bool,
    /// The values read as a known channel or journey stage while written otherwise (`"Contact
    /// Center"` as `contact_center`), with their counts: nothing is recoded unreported.
    pub mappings: Vec<ValueMapping>,
    /// The touchpoints whose records give different display names (one group all the same).
    pub name_conflicts: Vec<NameConflict>,
}

impl ReadOutcome {
    /// The number of records read, valid or not: `lines.len() + n_rejected` (`lines` has one entry
    /// per record kept, whether as a response or, from [`read_table`], as a row of the table).
    pub fn n_records(&self) -> usize {
        self.lines.len() + self.n_rejected
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
    read_all(
        ResponseReader::csv(reader, source, options.clone())?,
        source,
    )
}

/// Every record of `reader` into a [`ReadOutcome`] (strict mode: the first problem is the error).
fn read_all(mut reader: ResponseReader<'_>, source: &str) -> Result<ReadOutcome> {
    let mut outcome = ReadOutcome::default();
    let strict = reader.options().strict;
    while let Some(read) = reader.next_record()? {
        outcome.push(read.line, read.result, strict)?;
    }
    let given = reader.given();
    let options = reader.options().clone();
    let summary = reader.finish()?;
    outcome.n_blank = summary.n_blank;
    outcome.fields = summary.fields;
    outcome.delimiter = summary.delimiter;
    outcome.encoding = summary.encoding;
    outcome.compressed = summary.compressed;
    outcome.mappings = summary.mappings;
    outcome.name_conflicts = summary.name_conflicts;
    check_cells(&outcome, given, &options, source)?;
    Ok(outcome)
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
    read_all(
        ResponseReader::jsonl(reader, source, options.clone())?,
        source,
    )
}

/// Reads a file of responses straight into columns ([`ResponseTable`]), what data frames are
/// built from, with exactly the checks of [`read_responses`]: the [`ReadOutcome`] holds the lines
/// of the rows, every rejected record and the counts, but no [`Response`]s. CSV is checked in
/// parallel and never holds one [`Response`] per record (memory stays a small multiple of the
/// file); JSON Lines goes through the responses.
///
/// # Examples
/// ```
/// use cxmetrics::read::{read_table_from, Column, Format, ReadOptions};
/// let data = "respondent_id;recorded_at;touchpoint;nps\nC1;2025-01-02T09:00:00Z;web;9\nC2;x;web;3\n";
/// let (table, outcome) = read_table_from(data.as_bytes(), Format::Csv, "inline", &ReadOptions::default())?;
/// assert_eq!(table.column("nps"), Some(&Column::Integer(vec![Some(9)])));
/// assert_eq!((outcome.n_records(), outcome.n_rejected, outcome.rejected[0].line), (2, 1, 3));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
///
/// # Errors
/// As [`read_csv`] and [`read_jsonl`].
pub fn read_table_from(
    reader: impl std::io::Read,
    format: Format,
    source: &str,
    options: &ReadOptions,
) -> Result<(ResponseTable, ReadOutcome)> {
    read_table_in_parts(reader, format, source, options, columnar::PART_BYTES)
}

/// [`read_table_from`] with CSV cut into parts of at least `part_bytes` bytes (for tests of the
/// parallel path on small inputs).
#[doc(hidden)]
pub fn read_table_in_parts(
    reader: impl std::io::Read,
    format: Format,
    source: &str,
    options: &ReadOptions,
    part_bytes: usize,
) -> Result<(ResponseTable, ReadOutcome)> {
    match format {
        Format::Csv => {
            options.check()?;
            let mut decoded = decode(reader, options.encoding, source)?;
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut decoded, &mut text)
                .map_err(|e| Error::io(source.to_string(), e))?;
            let (table, mut outcome) = columnar::read_text(text, source, options, part_bytes)?;
            outcome.encoding = decoded.encoding();
            outcome.compressed = decoded.compressed();
            Ok((table, outcome))
        }
        Format::JsonLines => {
            let mut outcome = read_jsonl_from(reader, source, options)?;
            let responses = std::mem::take(&mut outcome.responses);
            let table = ResponseTable::new(&responses, &outcome.fields, &options.schema);
            Ok((table, outcome))
        }
    }
}

/// [`read_table_from`] of a file, its format by its extension ([`Format::of_path`]).
///
/// # Errors
/// As [`read_table_from`], and [`Error::Read`] when the file cannot be opened.
pub fn read_table(
    path: impl AsRef<Path>,
    options: &ReadOptions,
) -> Result<(ResponseTable, ReadOutcome)> {
    let path = path.as_ref();
    read_table_from(
        open(path)?,
        Format::of_path(path),
        &path.display().to_string(),
        options,
    )
}

/// Reads a file by its extension: `.jsonl`, `.ndjson` or `.json` as JSON Lines, anything else as CSV.
///
/// # Errors
/// As [`read_csv`] and [`read_jsonl`].
pub fn read_responses(path: impl AsRef<Path>, options: &ReadOptions) -> Result<ReadOutcome> {
    let path = path.as_ref();
    match Format::of_path(path) {
        Format::JsonLines => read_jsonl(path, options),
        Format::Csv => read_csv(path, options),
    }
}
