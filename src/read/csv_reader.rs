//! The CSV reader (RFC 4180, via the `csv` crate).

use super::record::{assemble, Field, Role, REQUIRED};
use super::{ReadOptions, ReadOutcome, RejectedRecord};
use crate::error::{Error, Result};

fn read_error(source: &str, reason: String, err: Option<&csv::Error>) -> Error {
    let kind = err.and_then(|e| match e.kind() {
        csv::ErrorKind::Io(io) => Some(io.kind()),
        _ => None,
    });
    Error::Read {
        path: source.to_string(),
        reason,
        kind,
    }
}

pub(super) fn read(
    reader: impl std::io::Read,
    source: &str,
    options: &ReadOptions,
) -> Result<ReadOutcome> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let header: Vec<String> = match csv.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                let raw = if i == 0 {
                    raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
                } else {
                    raw
                };
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
            .collect::<Result<_>>()?,
        Ok(false) => {
            return Err(read_error(
                source,
                "the file is empty; it needs a header row".into(),
                None,
            ))
        }
        Err(e) => return Err(read_error(source, e.to_string(), Some(&e))),
    };
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            return Err(read_error(
                source,
                format!("header column {} has no name", i + 1),
                None,
            ));
        }
        if header[..i].contains(name) {
            return Err(read_error(
                source,
                format!("the header repeats the column {name:?}"),
                None,
            ));
        }
    }
    if let Some(missing) = REQUIRED.iter().find(|r| !header.iter().any(|h| h == *r)) {
        return Err(read_error(
            source,
            format!(
                "the header has no {missing:?} column (required: {})",
                REQUIRED.join(", ")
            ),
            None,
        ));
    }
    let mut outcome = ReadOutcome {
        fields: header.clone(),
        ..ReadOutcome::default()
    };
    let mut texts: Vec<String> = Vec::with_capacity(header.len());
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // Flexible byte records accept any field count and any bytes, so this is an I/O
                // error: the rest of the file cannot be trusted.
                return Err(read_error(source, e.to_string(), Some(&e)));
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != header.len() {
            let problem = RejectedRecord {
                line,
                field: String::new(),
                value: String::from_utf8_lossy(&record.iter().collect::<Vec<_>>().join(&b","[..]))
                    .into_owned(),
                reason: format!(
                    "has {} fields, the header has {}",
                    record.len(),
                    header.len()
                ),
            };
            outcome.push(line, Err(vec![problem]), options.strict)?;
            continue;
        }
        texts.clear();
        let mut problems = Vec::new();
        for (name, raw) in header.iter().zip(record.iter()) {
            match std::str::from_utf8(raw) {
                Ok(text) => texts.push(text.to_string()),
                Err(_) => {
                    problems.push(RejectedRecord {
                        line,
                        field: name.clone(),
                        value: String::from_utf8_lossy(raw).into_owned(),
                        reason: "not valid UTF-8".into(),
                    });
                    texts.push(String::new());
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
        let result = assemble(line, &fields, &options.schema, problems);
        outcome.push(line, result, options.strict)?;
    }
    Ok(outcome)
}
