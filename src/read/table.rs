//! Responses as named columns, the shape data frames want.

use std::collections::{HashMap, HashSet};

use crate::response::{Response, Schema, RESERVED_FIELDS};

/// Text values in Arrow's layout: the bytes of every value in one buffer, `len + 1` offsets into
/// it, and a validity flag per value (`false`: missing). Data frames take it without copying
/// value by value.
///
/// # Examples
/// ```
/// use cxmetrics::read::TextColumn;
/// let column: TextColumn = [Some("León"), None, Some("")].into_iter().collect();
/// assert_eq!(column.len(), 3);
/// assert_eq!(column.get(0), Some("León"));
/// assert_eq!(column.get(1), None);
/// assert_eq!(column.offsets(), [0, 5, 5, 5]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextColumn {
    offsets: Vec<i64>,
    bytes: Vec<u8>,
    valid: Vec<bool>,
}

impl Default for TextColumn {
    fn default() -> Self {
        TextColumn {
            offsets: vec![0],
            bytes: Vec::new(),
            valid: Vec::new(),
        }
    }
}

impl TextColumn {
    /// An empty column.
    pub fn new() -> Self {
        TextColumn::default()
    }

    /// Appends a value (`None`: missing).
    pub fn push(&mut self, value: Option<&str>) {
        if let Some(v) = value {
            self.bytes.extend_from_slice(v.as_bytes());
        }
        self.offsets.push(self.bytes.len() as i64);
        self.valid.push(value.is_some());
    }

    /// Reserves room for `values` more values of `bytes` more bytes.
    pub fn reserve(&mut self, values: usize, bytes: usize) {
        self.offsets.reserve(values);
        self.valid.reserve(values);
        self.bytes.reserve(bytes);
    }

    /// Appends every value of `other`.
    pub fn append(&mut self, other: &TextColumn) {
        let base = self.bytes.len() as i64;
        self.bytes.extend_from_slice(&other.bytes);
        self.offsets
            .extend(other.offsets[1..].iter().map(|o| o + base));
        self.valid.extend_from_slice(&other.valid);
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }

    /// Value `i` (`None` when missing or out of range).
    pub fn get(&self, i: usize) -> Option<&str> {
        if !*self.valid.get(i)? {
            return None;
        }
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        // Only whole `&str` values are pushed, so every slice between offsets is UTF-8.
        Some(std::str::from_utf8(&self.bytes[a..b]).expect("values are pushed as str"))
    }

    /// The values in order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The `len + 1` offsets of the values into [`TextColumn::bytes`].
    pub fn offsets(&self) -> &[i64] {
        &self.offsets
    }

    /// The bytes of every value, one after the other (UTF-8).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether each value is present.
    pub fn validity(&self) -> &[bool] {
        &self.valid
    }

    /// The column's parts: offsets, bytes, validity.
    pub fn into_parts(self) -> (Vec<i64>, Vec<u8>, Vec<bool>) {
        (self.offsets, self.bytes, self.valid)
    }
}

impl<'a> FromIterator<Option<&'a str>> for TextColumn {
    fn from_iter<I: IntoIterator<Item = Option<&'a str>>>(values: I) -> Self {
        let mut column = TextColumn::new();
        for v in values {
            column.push(v);
        }
        column
    }
}

/// One column of a [`ResponseTable`]; `None` is a missing value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Column {
    /// Text (identifiers, names, comments, text attributes).
    Text(TextColumn),
    /// Whole numbers (answers, integer attributes).
    Integer(Vec<Option<i64>>),
    /// Real numbers (weights, numeric attributes).
    Float(Vec<Option<f64>>),
    /// Booleans (`intentional`).
    Bool(Vec<Option<bool>>),
    /// Instants in nanoseconds since the Unix epoch, UTC (`recorded_at`).
    TimestampNanos(Vec<i64>),
}

/// Responses as columns, one per field, in the order given: what a data frame is built from.
///
/// Answers are integer columns; `intentional` is boolean; `recorded_at` is UTC nanoseconds (the
/// original UTC offsets are not kept); `channel` falls back to the touchpoint's. Identifiers
/// (`respondent_id`, `response_id`, `touchpoint`) are text, kept exactly as written.
///
/// A segment attribute is typed from the text of its present values (surrounding spaces aside):
/// - an integer column when every value is an integer literal that round-trips through `i64`
///   (`-12`, `0`, `9223372036854775807`, but not `007`, `+5` or `12345678901234567890`);
/// - else a float column when every value is a finite decimal number (`1.5`, `2`, `-3e2`) and none
///   is an integer literal that does not round-trip (so `12345678901234567890` or a zip code
///   `007` keeps the column as text, never `1.2345678901234567e19` or `7.0`; `nan` and `inf` are
///   not numbers here);
/// - text otherwise, every value as written.
///
/// Attribute columns are gathered in one pass over the responses, in memory proportional to the
/// values present, before the dense columns are built.
///
/// # Examples
/// ```
/// use cxmetrics::read::{read_csv_from, Column, ReadOptions, ResponseTable};
/// let data = "respondent_id,recorded_at,touchpoint,nps,bought_again,account\n\
///             C1,2025-01-02T09:00:00Z,store,9,1,12345678901234567890\n\
///             C2,2025-01-03T09:00:00Z,store,,0,7\n";
/// let read = read_csv_from(data.as_bytes(), "inline", &ReadOptions::default())?;
/// let table = ResponseTable::new(&read.responses, &read.fields, &ReadOptions::default().schema);
/// assert_eq!(table.column("nps"), Some(&Column::Integer(vec![Some(9), None])));
/// assert_eq!(table.column("bought_again"), Some(&Column::Integer(vec![Some(1), Some(0)])));
/// let account = [Some("12345678901234567890"), Some("7")].into_iter().collect();
/// assert_eq!(table.column("account"), Some(&Column::Text(account)));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTable {
    columns: Vec<(String, Column)>,
}

/// `text` is an integer literal: an optional sign and digits.
fn is_integer_literal(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The integer of `text` when it is one and writes back to the same text.
fn round_trip_integer(text: &str) -> Option<i64> {
    let n: i64 = text.parse().ok()?;
    (n.to_string() == text).then_some(n)
}

/// The number of `text` when it is a finite decimal number (no `nan`, `inf`, hex).
fn decimal(text: &str) -> Option<f64> {
    let plausible = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit());
    if !plausible {
        return None;
    }
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// The column of an attribute from its present values `(row, text)`, in row order.
pub(crate) fn infer(n_rows: usize, present: &[(usize, &str)]) -> Column {
    let trimmed = |v: &str| {
        v.trim_matches(|c: char| c.is_ascii_whitespace())
            .to_string()
    };
    let values = || {
        present
            .iter()
            .map(|(_, v)| v.trim_matches(|c: char| c.is_ascii_whitespace()))
    };
    if values().all(|v| round_trip_integer(v).is_some()) {
        let mut column = vec![None; n_rows];
        for (row, v) in present {
            column[*row] = round_trip_integer(&trimmed(v));
        }
        return Column::Integer(column);
    }
    if values().all(|v| {
        decimal(v).is_some() && (!is_integer_literal(v) || round_trip_integer(v).is_some())
    }) {
        let mut column = vec![None; n_rows];
        for (row, v) in present {
            column[*row] = decimal(&trimmed(v));
        }
        return Column::Float(column);
    }
    let mut column = TextColumn::new();
    let mut next = 0;
    for (row, v) in present {
        for _ in next..*row {
            column.push(None);
        }
        column.push(Some(v));
        next = row + 1;
    }
    for _ in next..n_rows {
        column.push(None);
    }
    Column::Text(column)
}

impl ResponseTable {
    /// The columns named in `fields` (as [`super::ReadOutcome::fields`] lists them); the required
    /// fields come first when `fields` lacks them.
    pub fn new(responses: &[Response], fields: &[String], schema: &Schema) -> Self {
        let mut names: Vec<&str> = ["respondent_id", "recorded_at", "touchpoint"]
            .into_iter()
            .filter(|r| !fields.iter().any(|f| f == r))
            .collect();
        names.extend(fields.iter().map(String::as_str));
        let text =
            |f: &dyn Fn(&Response) -> Option<&str>| Column::Text(responses.iter().map(f).collect());
        let names: Vec<&str> = names
            .into_iter()
            .filter(|name| !matches!(*name, "answers" | "attributes"))
            .collect();
        // The attribute columns, gathered sparse in one pass: (row, text) per present value.
        let is_attribute =
            |name: &str| !RESERVED_FIELDS.contains(&name) && schema.scale(name).is_none();
        let mut slots: HashMap<&str, usize> = HashMap::new();
        for name in names.iter().filter(|name| is_attribute(name)) {
            let next = slots.len();
            slots.entry(name).or_insert(next);
        }
        let mut present: Vec<Vec<(usize, &str)>> = vec![Vec::new(); slots.len()];
        for (row, r) in responses.iter().enumerate() {
            for (key, value) in r.attributes() {
                if let Some(&slot) = slots.get(key.as_str()) {
                    present[slot].push((row, value.as_str()));
                }
            }
        }
        let columns = names
            .into_iter()
            .map(|name| {
                let column = match name {
                    "response_id" => text(&|r| r.response_id()),
                    "respondent_id" => text(&|r| Some(r.respondent_id())),
                    "recorded_at" => Column::TimestampNanos(
                        responses
                            .iter()
                            .map(|r| r.recorded_at().unix_nanos())
                            .collect(),
                    ),
                    "touchpoint" => text(&|r| Some(r.touchpoint().id())),
                    "touchpoint_name" => text(&|r| Some(r.touchpoint().name())),
                    "channel" => text(&|r| r.channel().map(|c| c.as_str())),
                    "journey_stage" => text(&|r| r.touchpoint().stage().map(|s| s.as_str())),
                    "intentional" => Column::Bool(
                        responses
                            .iter()
                            .map(|r| r.touchpoint().origin().map(|o| o.is_intentional()))
                            .collect(),
                    ),
                    "weight" => Column::Float(responses.iter().map(|r| Some(r.weight())).collect()),
                    "comment" => text(&|r| r.comment()),
                    item if schema.scale(item).is_some() => Column::Integer(
                        responses
                            .iter()
                            .map(|r| r.answer(item).map(|a| a.value()))
                            .collect(),
                    ),
                    key => infer(responses.len(), &present[slots[key]]),
                };
                (name.to_string(), column)
            })
            .collect();
        ResponseTable { columns }
    }

    /// The table of responses built in code: the standard fields, every answered item and every
    /// attribute.
    pub fn from_responses(responses: &[Response], schema: &Schema) -> Self {
        let mut fields: Vec<String> = RESERVED_FIELDS
            .iter()
            .filter(|f| !matches!(**f, "answers" | "attributes"))
            .map(|f| f.to_string())
            .collect();
        let mut seen: HashSet<String> = fields.iter().cloned().collect();
        for r in responses {
            for key in r.answers().keys().chain(r.attributes().keys()) {
                if seen.insert(key.clone()) {
                    fields.push(key.clone());
                }
            }
        }
        Self::new(responses, &fields, schema)
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[(String, Column)] {
        &self.columns
    }

    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// A table of these columns.
    pub(crate) fn from_columns(columns: Vec<(String, Column)>) -> Self {
        ResponseTable { columns }
    }

    /// Consumes the table, giving its columns.
    pub fn into_columns(self) -> Vec<(String, Column)> {
        self.columns
    }
}
