//! The CSV reader: records from the project's own RFC 4180 tokenizer (see [`super::tokenizer`]),
//! each with the physical line where it starts.

use super::notes::Notes;
use super::record::{assemble, Field, Role, REQUIRED};
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
        Ok(CsvRecords {
            tokenizer,
            record,
            header,
            index,
            source: source.to_string(),
            delimiter,
        })
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
        let header = &self.header;
        let line = record.line;
        if let Some(quote_line) = record.unclosed {
            let problem = RejectedRecord::new(
                line,
                "",
                echo(record.joined(self.delimiter)),
                unclosed_reason(quote_line),
                RejectionKind::Malformed,
            );
            return Ok(Some(Step::rejected(line, problem)));
        }
        if record.len() != header.len() {
            let problem = RejectedRecord::new(
                line,
                "",
                echo(record.joined(self.delimiter)),
                format!(
                    "has {} fields, the header has {}",
                    record.len(),
                    header.len()
                ),
                RejectionKind::Malformed,
            );
            return Ok(Some(Step::rejected(line, problem)));
        }
        let mut texts: Vec<&str> = Vec::with_capacity(header.len());
        let mut problems = Vec::new();
        for (name, raw) in header.iter().zip(record.iter()) {
            match std::str::from_utf8(raw) {
                Ok(text) => texts.push(text),
                Err(_) => {
                    problems.push(RejectedRecord::new(
                        line,
                        name.clone(),
                        String::from_utf8_lossy(raw).into_owned(),
                        format!("not valid UTF-8{}", super::encoding_hint(raw)),
                        RejectionKind::Encoding,
                    ));
                    texts.push("");
                }
            }
        }
        let fields: Vec<Field<'_>> = header
            .iter()
            .zip(&texts)
            .map(|(name, text)| Field {
                role: Role::ByName,
                name,
                text,
            })
            .collect();
        let result = assemble(line, &fields, options, problems, notes);
        Ok(Some(Step {
            line,
            result,
            given: header.len(),
        }))
    }
}
