//! The streaming reader: records one at a time from any reader, in constant memory, with the
//! same checks as the whole-file readers (which are built on it).

use std::io::BufRead;
use std::path::Path;

use super::csv_reader::CsvRecords;
use super::jsonl_reader::JsonlRecords;
use super::notes::{NameConflict, Notes, ValueMapping};
use super::{Encoding, ReadOptions, RejectedRecord, Step};
use crate::error::{Error, Result};
use crate::response::Response;

/// The format of a file of responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Delimited text with a header row (RFC 4180 quoting).
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl Format {
    /// The format of a path by its extension, a trailing `.gz` left aside: `.jsonl`, `.ndjson`
    /// and `.json` are JSON Lines, anything else CSV.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::Format;
    /// assert_eq!(Format::of_path("export.ndjson.gz"), Format::JsonLines);
    /// assert_eq!(Format::of_path("export.tsv"), Format::Csv);
    /// ```
    pub fn of_path(path: impl AsRef<Path>) -> Format {
        let name = path
            .as_ref()
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        match name.rsplit_once('.').map(|(_, e)| e) {
            Some("jsonl" | "ndjson" | "json") => Format::JsonLines,
            _ => Format::Csv,
        }
    }
}

enum Records<'a> {
    Csv(CsvRecords<Box<dyn BufRead + 'a>>),
    Jsonl(JsonlRecords<Box<dyn BufRead + 'a>>),
}

/// A CSV source decoded, its delimiter chosen and its header read: the records, and the encoding
/// and compression found.
#[allow(clippy::type_complexity)]
pub(super) fn open_csv<'a>(
    reader: impl std::io::Read + 'a,
    source: &str,
    options: &ReadOptions,
) -> Result<(CsvRecords<Box<dyn BufRead + 'a>>, (Encoding, bool))> {
    options.check()?;
    let mut decoded = super::decode(reader, options.encoding, source)?;
    let delimiter = match options.delimiter {
        Some(d) => d,
        None => super::sniff_delimiter(
            decoded
                .head()
                .map_err(|e| Error::io(source.to_string(), e))?,
        ),
    };
    let found = (decoded.encoding(), decoded.compressed());
    let reader: Box<dyn BufRead + 'a> = Box::new(decoded);
    Ok((CsvRecords::open(reader, delimiter, source, options)?, found))
}

/// One record read by [`ResponseReader::next_record`].
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRead {
    /// The line where the record starts (in CSV the header is line 1).
    pub line: u64,
    /// The record's position among the file's records, from 0.
    pub record: u64,
    /// The response, or every invalid field of the record (at least one).
    pub result: std::result::Result<Response, Vec<RejectedRecord>>,
}

/// What a [`ResponseReader`] read, given by [`ResponseReader::finish`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ReadSummary {
    /// Records read, valid or not.
    pub n_records: u64,
    /// Records rejected.
    pub n_rejected: u64,
    /// Blank lines (not records).
    pub n_blank: u64,
    /// The field names in the order the file first uses them (after renaming).
    pub fields: Vec<String>,
    /// The CSV delimiter used (`None` for JSON Lines).
    pub delimiter: Option<u8>,
    /// The text encoding read.
    pub encoding: Encoding,
    /// Whether the source was gzip-compressed.
    pub compressed: bool,
    /// The values read as a known channel or journey stage while written otherwise.
    pub mappings: Vec<ValueMapping>,
    /// The touchpoints whose records give different display names.
    pub name_conflicts: Vec<NameConflict>,
}

/// Reads responses one record at a time from any reader, in memory independent of the file's
/// length (one record, the field names and the reader's buffer), with the checks and line numbers
/// of the whole-file readers ([`read_csv`](super::read_csv), [`read_jsonl`](super::read_jsonl)),
/// which are built on it.
///
/// As an [`Iterator`] it gives `Ok(response)` for each valid record and `Err(rejected)` for each
/// invalid field of a rejected record (a record with two invalid fields gives two, with the same
/// `line` and `record`); [`ResponseReader::next_record`] gives each record whole instead. A problem
/// with the file as a whole met midway (a read error, more than [`ReadOptions::max_fields`]
/// fields) ends the iteration; [`ResponseReader::finish`] then returns it, and otherwise the
/// counts. [`ReadOptions::strict`] does not apply: the caller decides what a rejected record means.
///
/// # Examples
/// A service counting the rejected fields of a JSON Lines stream by kind:
/// ```
/// use std::collections::BTreeMap;
/// use cxmetrics::read::{ReadOptions, ResponseReader};
/// let data = r#"{"respondent_id": "C1", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "nps": 10}
/// {"respondent_id": "C2", "recorded_at": "yesterday", "touchpoint": "store", "nps": 11}
/// not json
/// "#;
/// let mut reader = ResponseReader::jsonl(data.as_bytes(), "inline", ReadOptions::default())?;
/// let (mut valid, mut by_kind) = (0, BTreeMap::new());
/// for item in &mut reader {
///     match item {
///         Ok(_response) => valid += 1,
///         Err(rejected) => *by_kind.entry(rejected.kind.as_str()).or_insert(0) += 1,
///     }
/// }
/// let summary = reader.finish()?;
/// assert_eq!((valid, summary.n_records, summary.n_rejected), (1, 3, 2));
/// assert_eq!(by_kind, BTreeMap::from([("answer", 1), ("malformed", 1), ("timestamp", 1)]));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub struct ResponseReader<'a> {
    records: Records<'a>,
    options: ReadOptions,
    pending: std::vec::IntoIter<RejectedRecord>,
    error: Option<Error>,
    n_records: u64,
    n_rejected: u64,
    delimiter: Option<u8>,
    given: usize,
    notes: Notes,
    encoding: Encoding,
    compressed: bool,
}

impl std::fmt::Debug for ResponseReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseReader")
            .field("n_records", &self.n_records)
            .field("n_rejected", &self.n_rejected)
            .finish_non_exhaustive()
    }
}

impl<'a> ResponseReader<'a> {
    /// A reader of CSV from `reader`; `source` names it in errors. The header is read here.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for invalid options ([`ReadOptions::check`]); [`Error::Read`]
    /// when the source cannot be read or its header lacks a required column or repeats one.
    pub fn csv(
        reader: impl std::io::Read + 'a,
        source: &str,
        options: ReadOptions,
    ) -> Result<ResponseReader<'a>> {
        let (records, decoded) = open_csv(reader, source, &options)?;
        let delimiter = records.header().1;
        Ok(ResponseReader::new(
            Records::Csv(records),
            options,
            Some(delimiter),
            decoded,
        ))
    }

    /// A reader of JSON Lines from `reader`; `source` names it in errors.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for invalid options; [`Error::Read`] when the source cannot be
    /// read.
    pub fn jsonl(
        reader: impl std::io::Read + 'a,
        source: &str,
        options: ReadOptions,
    ) -> Result<ResponseReader<'a>> {
        options.check()?;
        let decoded = super::decode(reader, options.encoding, source)?;
        let (encoding, compressed) = (decoded.encoding(), decoded.compressed());
        let reader: Box<dyn BufRead + 'a> = Box::new(decoded);
        let records = JsonlRecords::open(reader, source);
        Ok(ResponseReader::new(
            Records::Jsonl(records),
            options,
            None,
            (encoding, compressed),
        ))
    }

    /// A reader of `reader` in `format`.
    ///
    /// # Errors
    /// As [`ResponseReader::csv`] and [`ResponseReader::jsonl`].
    pub fn new_in(
        format: Format,
        reader: impl std::io::Read + 'a,
        source: &str,
        options: ReadOptions,
    ) -> Result<ResponseReader<'a>> {
        match format {
            Format::Csv => ResponseReader::csv(reader, source, options),
            Format::JsonLines => ResponseReader::jsonl(reader, source, options),
        }
    }

    fn new(
        records: Records<'a>,
        options: ReadOptions,
        delimiter: Option<u8>,
        (encoding, compressed): (Encoding, bool),
    ) -> Self {
        ResponseReader {
            encoding,
            compressed,
            records,
            options,
            pending: Vec::new().into_iter(),
            error: None,
            n_records: 0,
            n_rejected: 0,
            delimiter,
            given: 0,
            notes: Notes::default(),
        }
    }

    /// The next record, whole: `Ok(None)` at the end.
    ///
    /// # Errors
    /// A problem with the file as a whole ([`Error::Read`]); reading should stop there.
    pub fn next_record(&mut self) -> Result<Option<RecordRead>> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let step = match &mut self.records {
            Records::Csv(r) => r.next_record(&self.options, &mut self.notes),
            Records::Jsonl(r) => r.next_record(&self.options, &mut self.notes),
        }?;
        let Some(Step {
            line,
            result,
            given,
        }) = step
        else {
            return Ok(None);
        };
        let record = self.n_records;
        self.n_records += 1;
        let result = match result {
            Ok(response) => {
                self.given = self.given.saturating_add(given);
                Ok(response)
            }
            Err(mut problems) => {
                self.n_rejected += 1;
                if problems.is_empty() {
                    problems.push(RejectedRecord::new(
                        line,
                        "",
                        "",
                        "the record is invalid",
                        super::RejectionKind::Value,
                    ));
                }
                for p in &mut problems {
                    p.record = record;
                }
                Err(problems)
            }
        };
        Ok(Some(RecordRead {
            line,
            record,
            result,
        }))
    }

    /// The field names so far, in the order the file first uses them (after renaming).
    pub fn fields(&self) -> &[String] {
        match &self.records {
            Records::Csv(r) => r.fields(),
            Records::Jsonl(r) => r.fields(),
        }
    }

    /// Blank lines so far.
    pub fn n_blank(&self) -> u64 {
        match &self.records {
            Records::Csv(r) => r.n_blank(),
            Records::Jsonl(r) => r.n_blank(),
        }
    }

    /// The options read with.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// The values the valid records gave so far (for the density bound of the whole-file reader).
    pub(crate) fn given(&self) -> usize {
        self.given
    }

    /// The counts, or the problem that ended the iteration.
    ///
    /// # Errors
    /// The [`Error::Read`] that ended the iteration early, if any.
    pub fn finish(self) -> Result<ReadSummary> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let (n_blank, fields) = match self.records {
            Records::Csv(r) => (r.n_blank(), r.fields().to_vec()),
            Records::Jsonl(r) => (r.n_blank(), r.fields().to_vec()),
        };
        Ok(ReadSummary {
            mappings: self.notes.mappings(),
            name_conflicts: self.notes.name_conflicts(),
            n_records: self.n_records,
            n_rejected: self.n_rejected,
            n_blank,
            fields,
            delimiter: self.delimiter,
            encoding: self.encoding,
            compressed: self.compressed,
        })
    }
}

impl Iterator for ResponseReader<'_> {
    type Item = std::result::Result<Response, RejectedRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(problem) = self.pending.next() {
            return Some(Err(problem));
        }
        if self.error.is_some() {
            return None;
        }
        match self.next_record() {
            Ok(None) => None,
            Ok(Some(read)) => match read.result {
                Ok(response) => Some(Ok(response)),
                Err(problems) => {
                    self.pending = problems.into_iter();
                    self.pending.next().map(Err)
                }
            },
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }
}
