//! The CSV reader: records from the project's own RFC 4180 tokenizer (see [`super::tokenizer`]),
//! each with the physical line where it starts.

use super::notes::Notes;
use super::record::{validate, what, Field, Role, Valid, What, REQUIRED};
use super::tokenizer::{RawRecord, Tokenizer};
use super::{FieldIndex, ReadOptions, RejectedRecord, RejectionKind, Step};
use crate::error::{Error, Result};

/// At most this many characters of an incomplete record are kept in its rejected record.
const MAX_ECHO: usize = 200;

fn read_error(source: &str, reason: String, err: Option<&std::io::Error>) -> Error {
    match err {
        Some(e) => Error::Read {
            path: source.to_string(),
            reason,
            kind: Some(e.kind()),
            source: Some(std::io::Error::new(e.kind(), e.to_string()).into()),
        },
        None => Error::unreadable(source, reason),
    }
}

fn unclosed_reason(quote_line: u64) -> String {
    format!(
        "a quoted field opened on line {quote_line} is never closed; the lines after line \
         {quote_line} are read as records again"
    )
}

fn echo(text: String) -> String {
    match text.char_indices().nth(MAX_ECHO) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// The records of a CSV source, one at a time: the header is read when it is opened.
pub(super) struct CsvRecords<R: std::io::BufRead> {
    tokenizer: Tokenizer<R>,
    record: RawRecord,
    header: Vec<String>,
    whats: Vec<What>,
    index: FieldIndex,
    source: String,
    delimiter: u8,
}

impl<R: std::io::BufRead> CsvRecords<R> {
    /// Reads the header of `reader` (already decoded to UTF-8), fields separated by `delimiter`.
    pub(super) fn open(
        reader: R,
        delimiter: u8,
        source: &str,
        options: &ReadOptions,
    ) -> Result<Self> {
        let mut tokenizer = Tokenizer::new(reader, delimiter);
        let mut record = RawRecord::default();
        let found = tokenizer
            .next_record(&mut record)
            .map_err(|e| read_error(source, e.to_string(), Some(&e)))?;
        if !found {
            return Err(read_error(
                source,
                "the file is empty; it needs a header row".into(),
                None,
            ));
        }
        if let Some(quote_line) = record.unclosed {
            return Err(read_error(
                source,
                format!("the header: {}", unclosed_reason(quote_line)),
                None,
            ));
        }
        let header_line = record.line;
        let written: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                String::from_utf8(raw.to_vec())
                    .map(|name| name.trim().to_string())
                    .map_err(|_| {
                        read_error(
                            source,
                            format!(
                                "header column {} is not valid UTF-8{}",
                                i + 1,
                                super::encoding_hint(raw)
                            ),
                            None,
                        )
                    })
            })
            .collect::<Result<_>>()?;
        let header = options.renamed_header(written, source)?;
        let mut index = FieldIndex::default();
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                return Err(read_error(
                    source,
                    format!("header column {} has no name", i + 1),
                    None,
                ));
            }
            if index.index.contains(name) {
                return Err(read_error(
                    source,
                    format!("the header repeats the column {name:?}"),
                    None,
                ));
            }
            index.note(name, header_line, options.max_fields, source)?;
        }
        if let Some(missing) = REQUIRED.iter().find(|r| !index.index.contains(**r)) {
            let found = header.join(", ");
            let hint = if header.len() == 1 && delimiter == b',' {
                " (one column only: is the file separated by another delimiter?)"
            } else {
                ""
            };
            return Err(read_error(
                source,
                format!(
                    "the header has no {missing:?} column (required: {}; found: {found}){hint}",
                    REQUIRED.join(", ")
                ),
                None,
            ));
        }
        let whats = whats_of(&header, options);
        Ok(CsvRecords {
            tokenizer,
            record,
            whats,
            header,
            index,
            source: source.to_string(),
            delimiter,
        })
    }

    /// The records of `reader`, a later part of a source whose header (after renaming) is
    /// `header`: every record of it is a record, none is a header.
    pub(super) fn continuing(
        reader: R,
        header: Vec<String>,
        delimiter: u8,
        source: &str,
        options: &ReadOptions,
    ) -> Self {
        CsvRecords {
            tokenizer: Tokenizer::new(reader, delimiter),
            record: RawRecord::default(),
            whats: whats_of(&header, options),
            header,
            index: FieldIndex::default(),
            source: source.to_string(),
            delimiter,
        }
    }

    /// The physical line the next record starts on or after (1-based).
    pub(super) fn line(&self) -> u64 {
        self.tokenizer.line()
    }

    /// The field names, in header order (after renaming).
    pub(super) fn fields(&self) -> &[String] {
        &self.index.names
    }

    /// Blank lines so far.
    pub(super) fn n_blank(&self) -> u64 {
        self.tokenizer.n_blank()
    }

    /// The next record: its line, and its response or problems; `None` at the end.
    pub(super) fn next_record(
        &mut self,
        options: &ReadOptions,
        notes: &mut Notes,
    ) -> Result<Option<Step>> {
        let found = self
            .tokenizer
            .next_record(&mut self.record)
            .map_err(|e| read_error(&self.source, e.to_string(), Some(&e)))?;
        if !found {
            return Ok(None);
        }
        let record = &self.record;
        let line = record.line;
        let fields: Vec<&[u8]> = record.iter().collect();
        let result = checked(
            line,
            record.unclosed,
            &fields,
            &self.header,
            &self.whats,
            self.delimiter,
            options,
            |valid| {
                valid.note(notes);
                valid.into_response(line, options)
            },
        );
        Ok(Some(Step {
            line,
            result,
            given: self.header.len(),
        }))
    }

    /// The header (after renaming) and the delimiter.
    pub(super) fn header(&self) -> (&[String], u8) {
        (&self.header, self.delimiter)
    }

    /// What each column of the header is.
    pub(super) fn whats(&self) -> &[What] {
        &self.whats
    }

    /// Appends up to `max` records to `batch`; the number appended (0 at the end).
    pub(super) fn fill_batch(&mut self, batch: &mut RawBatch, max: usize) -> Result<usize> {
        let mut n = 0;
        while n < max {
            let found = self
                .tokenizer
                .next_record(&mut self.record)
                .map_err(|e| read_error(&self.source, e.to_string(), Some(&e)))?;
            if !found {
                break;
            }
            batch.push(&self.record);
            n += 1;
        }
        Ok(n)
    }
}

/// Records as the tokenizer gave them, many in one buffer: what a worker thread checks.
#[derive(Debug, Default)]
pub(super) struct RawBatch {
    bytes: Vec<u8>,
    /// The end of each field in `bytes`.
    ends: Vec<usize>,
    /// The index in `ends` where each record's fields start, and one past the last.
    starts: Vec<usize>,
    lines: Vec<u64>,
    unclosed: Vec<Option<u64>>,
}

impl RawBatch {
    /// Empties the batch, keeping its buffers.
    pub(super) fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
        self.starts.clear();
        self.lines.clear();
        self.unclosed.clear();
    }

    fn push(&mut self, record: &RawRecord) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        for field in record.iter() {
            self.bytes.extend_from_slice(field);
            self.ends.push(self.bytes.len());
        }
        self.starts.push(self.ends.len());
        self.lines.push(record.line);
        self.unclosed.push(record.unclosed);
    }

    /// The number of records.
    pub(super) fn len(&self) -> usize {
        self.lines.len()
    }

    /// Record `i`: its line, its unclosed quote, and its fields into `fields` (cleared first).
    pub(super) fn record<'b>(&'b self, i: usize, fields: &mut Vec<&'b [u8]>) -> (u64, Option<u64>) {
        fields.clear();
        let (a, b) = (self.starts[i], self.starts[i + 1]);
        let mut start = if a == 0 { 0 } else { self.ends[a - 1] };
        for &end in &self.ends[a..b] {
            fields.push(&self.bytes[start..end]);
            start = end;
        }
        (self.lines[i], self.unclosed[i])
    }
}

/// Checks one CSV record (its fields as bytes) against the header: a quote never closed and a
/// wrong number of fields reject the whole record; text that is not UTF-8 rejects its field; then
/// [`validate`]. `accept` turns the checked values into the caller's result (a response, a row).
#[allow(clippy::too_many_arguments)]
pub(super) fn checked<'r, T>(
    line: u64,
    unclosed: Option<u64>,
    fields: &[&'r [u8]],
    header: &'r [String],
    whats: &[What],
    delimiter: u8,
    options: &ReadOptions,
    accept: impl FnOnce(Valid<'_>) -> std::result::Result<T, Vec<RejectedRecord>>,
) -> std::result::Result<T, Vec<RejectedRecord>> {
    let joined = || String::from_utf8_lossy(&fields.join(&[delimiter][..])).into_owned();
    if let Some(quote_line) = unclosed {
        return Err(vec![RejectedRecord::new(
            line,
            "",
            echo(joined()),
            unclosed_reason(quote_line),
            RejectionKind::Malformed,
        )]);
    }
    if fields.len() != header.len() {
        return Err(vec![RejectedRecord::new(
            line,
            "",
            joined(),
            format!(
                "has {} fields, the header has {}",
                fields.len(),
                header.len()
            ),
            RejectionKind::Malformed,
        )]);
    }
    let mut problems = Vec::new();
    let mut named: Vec<Field<'_>> = Vec::with_capacity(header.len());
    for ((name, raw), &what) in header.iter().zip(fields).zip(whats) {
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text,
            Err(_) => {
                problems.push(RejectedRecord::new(
                    line,
                    name.clone(),
                    String::from_utf8_lossy(raw).into_owned(),
                    format!("not valid UTF-8{}", super::encoding_hint(raw)),
                    RejectionKind::Encoding,
                ));
                ""
            }
        };
        named.push(Field { name, text, what });
    }
    validate(line, &named, options, problems).and_then(accept)
}

/// What each column of a header is.
pub(super) fn whats_of(header: &[String], options: &ReadOptions) -> Vec<What> {
    header
        .iter()
        .map(|name| what(Role::ByName, name, &options.schema))
        .collect()
}
