//! The JSON Lines reader: one JSON object per line.

use std::io::BufRead;

use serde_json::Value;

use super::record::{assemble, Field, Role};
use super::{ReadOptions, ReadOutcome, RejectedRecord};
use crate::error::{Error, Result};

/// At most this many characters of an unreadable line are kept in its rejected record.
const MAX_ECHO: usize = 200;

/// The text of a JSON scalar (`null` is blank); `Err` for arrays and objects.
fn scalar_text(value: &Value) -> std::result::Result<String, &'static str> {
    match value {
        Value::Null => Ok(String::new()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::String(s) => Ok(s.clone()),
        Value::Array(_) | Value::Object(_) => {
            Err("a nested value; only answers and attributes may be objects")
        }
    }
}

fn echo(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

pub(super) fn read(
    reader: impl std::io::Read,
    source: &str,
    options: &ReadOptions,
) -> Result<ReadOutcome> {
    let mut outcome = ReadOutcome::default();
    let mut reader = std::io::BufReader::new(reader);
    let mut bytes = Vec::new();
    let mut line = 0u64;
    loop {
        bytes.clear();
        let read = reader
            .read_until(b'\n', &mut bytes)
            .map_err(|e| Error::Read {
                path: source.to_string(),
                reason: e.to_string(),
                kind: Some(e.kind()),
            })?;
        if read == 0 {
            break;
        }
        line += 1;
        let raw = if line == 1 {
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)
        } else {
            &bytes
        };
        let whole_record = |value: String, reason: String| {
            Err(vec![RejectedRecord {
                line,
                field: String::new(),
                value,
                reason,
            }])
        };
        let Ok(text) = std::str::from_utf8(raw) else {
            let result = whole_record(
                echo(&String::from_utf8_lossy(raw)),
                "not valid UTF-8".into(),
            );
            outcome.push(line, result, options.strict)?;
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                let result = whole_record(echo(text), "not a JSON object".into());
                outcome.push(line, result, options.strict)?;
                continue;
            }
            Err(e) => {
                let result = whole_record(echo(text), format!("not valid JSON: {e}"));
                outcome.push(line, result, options.strict)?;
                continue;
            }
        };
        // Flatten: top-level scalars by name, `answers` and `attributes` objects by role.
        let mut flat: Vec<(Role, String, String)> = Vec::with_capacity(object.len());
        let mut problems = Vec::new();
        for (key, value) in &object {
            let nested = match (key.as_str(), value) {
                ("answers", Value::Object(inner)) => Some((Role::Answer, inner)),
                ("attributes", Value::Object(inner)) => Some((Role::Attribute, inner)),
                _ => None,
            };
            let entries: Vec<(Role, &String, &Value)> = match nested {
                Some((role, inner)) => inner.iter().map(|(k, v)| (role, k, v)).collect(),
                None => vec![(Role::ByName, key, value)],
            };
            for (role, name, value) in entries {
                match scalar_text(value) {
                    Ok(text) => {
                        outcome.note_field(name);
                        flat.push((role, name.clone(), text));
                    }
                    Err(reason) => problems.push(RejectedRecord {
                        line,
                        field: name.clone(),
                        value: echo(&value.to_string()),
                        reason: reason.to_string(),
                    }),
                }
            }
        }
        let fields: Vec<Field<'_>> = flat
            .iter()
            .map(|(role, name, text)| Field {
                role: *role,
                name,
                text,
            })
            .collect();
        let result = assemble(line, &fields, &options.schema, problems);
        outcome.push(line, result, options.strict)?;
    }
    Ok(outcome)
}
