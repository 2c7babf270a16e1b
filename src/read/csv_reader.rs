//! The CSV reader: records from the project's own RFC 4180 tokenizer (see [`super::tokenizer`]),
//! each with the physical line where it starts.

use super::record::{assemble, Field, Role, REQUIRED};
use super::tokenizer::{RawRecord, Tokenizer};
use super::{FieldIndex, ReadOptions, ReadOutcome, RejectedRecord};
use crate::error::{Error, Result};

/// At most this many characters of an incomplete record are kept in its rejected record.
const MAX_ECHO: usize = 200;

const DELIMITER: u8 = b',';

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

pub(super) fn read(
    reader: impl std::io::Read,
    source: &str,
    options: &ReadOptions,
) -> Result<ReadOutcome> {
    let reader = super::without_bom(reader, source)?;
    let mut records = Tokenizer::new(reader, DELIMITER);
    let mut record = RawRecord::default();
    let next = |records: &mut Tokenizer<_>, record: &mut RawRecord| {
        records
            .next_record(record)
            .map_err(|e| read_error(source, e.to_string(), Some(&e)))
    };
    if !next(&mut records, &mut record)? {
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
    let header: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            String::from_utf8(raw.to_vec())
                .map(|name| name.trim().to_string())
                .map_err(|_| {
                    read_error(
                        source,
                        format!("header column {} is not valid UTF-8", i + 1),
                        None,
                    )
                })
        })
        .collect::<Result<_>>()?;
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
        return Err(read_error(
            source,
            format!(
                "the header has no {missing:?} column (required: {})",
                REQUIRED.join(", ")
            ),
            None,
        ));
    }
    let mut outcome = ReadOutcome::default();
    let mut problems = Vec::new();
    while next(&mut records, &mut record)? {
        let line = record.line;
        if let Some(quote_line) = record.unclosed {
            let problem = RejectedRecord {
                line,
                field: String::new(),
                value: echo(record.joined(DELIMITER)),
                reason: unclosed_reason(quote_line),
            };
            outcome.push(line, Err(vec![problem]), options.strict)?;
            continue;
        }
        if record.len() != header.len() {
            let problem = RejectedRecord {
                line,
                field: String::new(),
                value: record.joined(DELIMITER),
                reason: format!(
                    "has {} fields, the header has {}",
                    record.len(),
                    header.len()
                ),
            };
            outcome.push(line, Err(vec![problem]), options.strict)?;
            continue;
        }
        let mut texts: Vec<&str> = Vec::with_capacity(header.len());
        problems.clear();
        for (name, raw) in header.iter().zip(record.iter()) {
            match std::str::from_utf8(raw) {
                Ok(text) => texts.push(text),
                Err(_) => {
                    problems.push(RejectedRecord {
                        line,
                        field: name.clone(),
                        value: String::from_utf8_lossy(raw).into_owned(),
                        reason: "not valid UTF-8".into(),
                    });
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
        let result = assemble(
            line,
            &fields,
            &options.schema,
            std::mem::take(&mut problems),
        );
        outcome.push(line, result, options.strict)?;
    }
    outcome.n_blank = records.n_blank();
    outcome.fields = index.names;
    Ok(outcome)
}
