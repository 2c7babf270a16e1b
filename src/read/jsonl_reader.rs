//! The JSON Lines reader: one JSON object per line.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (a raw CR cannot be inside valid JSON). Each object is
//! read with its entries in file order, duplicates kept, and every value as the text written (a
//! 20-digit id or `1.2345678901234567890e22` stays that text), so that nothing is decided by "last
//! wins" or lost to a float.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::notes::Notes;
use super::record::{assemble, what, Field, Role};
use super::{FieldIndex, ReadOptions, RejectedRecord, RejectionKind, Step};
use crate::error::{Error, Result};

/// At most this many characters of an unreadable line or value are kept in its rejected record.
const MAX_ECHO: usize = 200;

/// Up to this many entries, duplicates are found by a linear scan; beyond, through a hash map.
const LINEAR_LOOKUP: usize = 16;

fn echo(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

/// A key of a JSON object, borrowed from the line when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The entries of a JSON object in file order, duplicates kept, values as their raw text.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    let value: &'de RawValue = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// The text of a JSON scalar as written (`null` is blank; a string is its content); `Err` for
/// arrays and objects.
fn scalar_text(raw: &RawValue) -> std::result::Result<Cow<'_, str>, &'static str> {
    let text = raw
        .get()
        .trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    match text.as_bytes().first() {
        Some(b'"') => {
            serde_json::from_str::<Cow<'_, str>>(text).map_err(|_| "not a valid JSON string")
        }
        Some(b'{' | b'[') => Err("a nested value; only answers and attributes may be objects"),
        _ if text == "null" => Ok(Cow::Borrowed("")),
        // Numbers and booleans: their text as written.
        _ => Ok(Cow::Borrowed(text)),
    }
}

/// Where an entry of a record comes from, for the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    TopLevel,
    Answers,
    Attributes,
}

impl Source {
    fn role(self) -> Role {
        match self {
            Source::TopLevel => Role::ByName,
            Source::Answers => Role::Answer,
            Source::Attributes => Role::Attribute,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::TopLevel => "at the top level",
            Source::Answers => "under \"answers\"",
            Source::Attributes => "under \"attributes\"",
        })
    }
}

/// Reads the next line into `buf` (without its line end); `false` at the end of input.
fn next_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    prev_cr: &mut bool,
) -> std::io::Result<bool> {
    buf.clear();
    let mut any = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(any);
        }
        let mut start = 0;
        if std::mem::take(prev_cr) && chunk[0] == b'\n' {
            // The `\n` of a `\r\n` that ended the previous line.
            start = 1;
        }
        let rest = &chunk[start..];
        match memchr::memchr2(b'\n', b'\r', rest) {
            Some(end) => {
                buf.extend_from_slice(&rest[..end]);
                *prev_cr = rest[end] == b'\r';
                reader.consume(start + end + 1);
                return Ok(true);
            }
            None => {
                any |= !rest.is_empty();
                buf.extend_from_slice(rest);
                let used = chunk.len();
                reader.consume(used);
            }
        }
    }
}

/// One entry of a record after flattening.
struct Flat<'a> {
    source: Source,
    name: Cow<'a, str>,
    raw: &'a RawValue,
}

/// The position of an earlier entry named `name` among `kept`.
fn earlier(kept: &[Flat<'_>], lookup: &HashMap<Cow<'_, str>, usize>, name: &str) -> Option<usize> {
    if kept.len() <= LINEAR_LOOKUP {
        kept.iter().position(|f| f.name == name)
    } else {
        lookup.get(name).copied()
    }
}

/// Flattens one object: top-level scalars by name, `answers` and `attributes` objects by role;
/// a name given twice (in one object, or at two places) and an attribute with the name of an
/// answer item are problems.
fn flatten<'a>(
    line: u64,
    entries: Entries<'a>,
    options: &ReadOptions,
    problems: &mut Vec<RejectedRecord>,
) -> Vec<Flat<'a>> {
    let schema = &options.schema;
    let problem = |field: &str, value: &str, reason: String| {
        RejectedRecord::new(line, field, echo(value), reason, RejectionKind::Duplicate)
    };
    let mut all: Vec<Flat<'a>> = Vec::with_capacity(entries.0.len());
    let mut containers: Vec<(&str, &RawValue)> = Vec::new();
    for (key, raw) in entries.0 {
        let nested = raw.get().starts_with('{');
        let source = match key.as_ref() {
            "answers" if nested => Source::Answers,
            "attributes" if nested => Source::Attributes,
            _ => {
                all.push(Flat {
                    source: Source::TopLevel,
                    name: options.renamed(key),
                    raw,
                });
                continue;
            }
        };
        if let Some(&(_, first)) = containers.iter().find(|(k, _)| *k == key.as_ref()) {
            problems.push(problem(
                &key,
                raw.get(),
                format!(
                    "the key {key:?} appears more than once in the record (first value {}); a \
                     record gives each field once",
                    echo(first.get())
                ),
            ));
            continue;
        }
        containers.push((
            if source == Source::Answers {
                "answers"
            } else {
                "attributes"
            },
            raw,
        ));
        // Validated as part of the line already: it is an object.
        match serde_json::from_str::<Entries<'a>>(raw.get()) {
            Ok(inner) => {
                all.extend(
                    inner
                        .0
                        .into_iter()
                        .map(|(name, raw)| Flat { source, name, raw }),
                )
            }
            Err(e) => problems.push(RejectedRecord::new(
                line,
                key.as_ref(),
                echo(raw.get()),
                format!("not a JSON object: {e}"),
                RejectionKind::Malformed,
            )),
        }
    }
    let mut kept: Vec<Flat<'a>> = Vec::with_capacity(all.len());
    let mut lookup: HashMap<Cow<'a, str>, usize> = HashMap::new();
    for entry in all {
        if let Some(i) = earlier(&kept, &lookup, &entry.name) {
            let first = &kept[i];
            let reason = if first.source == entry.source {
                let place = match entry.source {
                    Source::TopLevel => "the record".to_string(),
                    other => format!("the {} object", &other.to_string()[6..]),
                };
                format!(
                    "the key {:?} appears more than once in {place} (first value {}); a record \
                     gives each field once",
                    entry.name,
                    echo(first.raw.get())
                )
            } else {
                format!(
                    "{:?} is given both {} (value {}) and {}; a record gives each field once",
                    entry.name,
                    first.source,
                    echo(first.raw.get()),
                    entry.source
                )
            };
            problems.push(problem(&entry.name, entry.raw.get(), reason));
            continue;
        }
        if entry.source == Source::Attributes && schema.scale(&entry.name).is_some() {
            problems.push(RejectedRecord::new(
                line,
                entry.name.as_ref(),
                echo(entry.raw.get()),
                format!(
                    "{:?} is an answer item of the schema, not an attribute; give it under \
                     \"answers\" or at the top level",
                    entry.name
                ),
                RejectionKind::Value,
            ));
            continue;
        }
        kept.push(entry);
        if kept.len() > LINEAR_LOOKUP {
            if lookup.is_empty() {
                lookup.extend(kept.iter().enumerate().map(|(i, f)| (f.name.clone(), i)));
            } else {
                let i = kept.len() - 1;
                lookup.insert(kept[i].name.clone(), i);
            }
        }
    }
    kept
}

/// The records of a JSON Lines source, one line at a time.
pub(super) struct JsonlRecords<R: BufRead> {
    reader: R,
    bytes: Vec<u8>,
    prev_cr: bool,
    line: u64,
    n_blank: u64,
    index: FieldIndex,
    source: String,
}

impl<R: BufRead> JsonlRecords<R> {
    /// The records of `reader` (already decoded to UTF-8).
    pub(super) fn open(reader: R, source: &str) -> Self {
        JsonlRecords {
            reader,
            bytes: Vec::new(),
            prev_cr: false,
            line: 0,
            n_blank: 0,
            index: FieldIndex::default(),
            source: source.to_string(),
        }
    }

    /// The field names, in the order the records first use them (after renaming).
    pub(super) fn fields(&self) -> &[String] {
        &self.index.names
    }

    /// Blank lines so far.
    pub(super) fn n_blank(&self) -> u64 {
        self.n_blank
    }

    /// The next record: its line, and its response or problems; `None` at the end.
    pub(super) fn next_record(
        &mut self,
        options: &ReadOptions,
        notes: &mut Notes,
    ) -> Result<Option<Step>> {
        loop {
            let more = next_line(&mut self.reader, &mut self.bytes, &mut self.prev_cr)
                .map_err(|e| Error::io(self.source.clone(), e))?;
            if !more {
                return Ok(None);
            }
            self.line += 1;
            let line = self.line;
            let whole_record = |value: String, reason: String, kind: RejectionKind| {
                Ok(Some(Step::rejected(
                    line,
                    RejectedRecord::new(line, "", value, reason, kind),
                )))
            };
            let Ok(text) = std::str::from_utf8(&self.bytes) else {
                return whole_record(
                    echo(&String::from_utf8_lossy(&self.bytes)),
                    format!("not valid UTF-8{}", super::encoding_hint(&self.bytes)),
                    RejectionKind::Encoding,
                );
            };
            let text = text.trim_matches(|c| c == ' ' || c == '\t');
            if text.is_empty() {
                self.n_blank += 1;
                continue;
            }
            if !text.starts_with('{') {
                let reason = match serde_json::from_str::<&RawValue>(text) {
                    Ok(_) => "not a JSON object".to_string(),
                    Err(e) => format!("not valid JSON: {e}"),
                };
                return whole_record(echo(text), reason, RejectionKind::Malformed);
            }
            let entries = match serde_json::from_str::<Entries<'_>>(text) {
                Ok(entries) => entries,
                Err(e) => {
                    return whole_record(
                        echo(text),
                        format!("not valid JSON: {e}"),
                        RejectionKind::Malformed,
                    )
                }
            };
            let mut problems = Vec::new();
            let flat = flatten(line, entries, options, &mut problems);
            let mut texts: Vec<(Role, &str, Cow<'_, str>)> = Vec::with_capacity(flat.len());
            for entry in &flat {
                match scalar_text(entry.raw) {
                    Ok(text) => {
                        self.index
                            .note(&entry.name, line, options.max_fields, &self.source)?;
                        texts.push((entry.source.role(), &entry.name, text));
                    }
                    Err(reason) => problems.push(RejectedRecord::new(
                        line,
                        entry.name.as_ref(),
                        echo(entry.raw.get()),
                        reason,
                        RejectionKind::Value,
                    )),
                }
            }
            let fields: Vec<Field<'_>> = texts
                .iter()
                .map(|(role, name, text)| Field {
                    name,
                    text,
                    what: what(*role, name, &options.schema),
                })
                .collect();
            let given = fields.len();
            let result = assemble(line, &fields, options, problems, notes);
            return Ok(Some(Step {
                line,
                result,
                given,
            }));
        }
    }
}
