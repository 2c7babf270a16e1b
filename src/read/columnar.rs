//! Reading a CSV source straight into columns: the records are checked exactly as the streaming
//! reader checks them ([`super::csv_reader::checked`]), but a valid record becomes a row of the
//! columns instead of a [`crate::Response`], so that memory stays a small multiple of the file and
//! no per-response allocation is made. The records are tokenized on the calling thread into
//! batches, which the crate's threads check in parallel; the batches' columns are joined in order.

use std::sync::Mutex;

use super::csv_reader::{checked, CsvRecords, RawBatch};
use super::notes::Notes;
use super::record::{Valid, What};
use super::table::{infer, Column, ResponseTable, TextColumn};
use super::{ReadOptions, ReadOutcome, RejectedRecord};
use crate::error::Result;

/// Records per batch.
const BATCH: usize = 8192;

/// The smallest part of a text read in parallel.
pub(super) const PART_BYTES: usize = 4 << 20;

/// What a column of the header holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    ResponseId,
    RespondentId,
    RecordedAt,
    Touchpoint,
    TouchpointName,
    Channel,
    JourneyStage,
    Intentional,
    Weight,
    Comment,
    /// An answer item of the schema.
    Answer,
    /// A segment attribute (typed from its values at the end).
    Attribute,
}

fn role_of(name: &str, options: &ReadOptions) -> Role {
    match name {
        "response_id" => Role::ResponseId,
        "respondent_id" => Role::RespondentId,
        "recorded_at" => Role::RecordedAt,
        "touchpoint" => Role::Touchpoint,
        "touchpoint_name" => Role::TouchpointName,
        "channel" => Role::Channel,
        "journey_stage" => Role::JourneyStage,
        "intentional" => Role::Intentional,
        "weight" => Role::Weight,
        "comment" => Role::Comment,
        item if options.schema.scale(item).is_some() => Role::Answer,
        _ => Role::Attribute,
    }
}

/// One column being built.
enum Builder {
    Text(TextColumn),
    Time(Vec<i64>),
    Bool(Vec<Option<bool>>),
    Float(Vec<Option<f64>>),
    Integer(Vec<Option<i64>>),
    /// Attribute values, present or not, typed at the end.
    Attribute(TextColumn),
}

/// The columns of one batch, and what else it read.
struct Part {
    columns: Vec<Builder>,
    lines: Vec<u64>,
    rejected: Vec<RejectedRecord>,
    n_rejected: usize,
    n_records: usize,
    notes: Notes,
    /// Whether a record has a quoted field never closed (within the part).
    unclosed: bool,
}

impl Part {
    fn new(roles: &[Role]) -> Part {
        let columns = roles
            .iter()
            .map(|role| match role {
                Role::RecordedAt => Builder::Time(Vec::new()),
                Role::Intentional => Builder::Bool(Vec::new()),
                Role::Weight => Builder::Float(Vec::new()),
                Role::Answer => Builder::Integer(Vec::new()),
                Role::Attribute => Builder::Attribute(TextColumn::new()),
                _ => Builder::Text(TextColumn::new()),
            })
            .collect();
        Part {
            columns,
            lines: Vec::new(),
            rejected: Vec::new(),
            n_rejected: 0,
            n_records: 0,
            notes: Notes::default(),
            unclosed: false,
        }
    }

    /// Appends a valid record as a row: every value as its response would hold it.
    fn push(&mut self, valid: &Valid<'_>, roles: &[Role], header: &[String]) {
        let mut attributes = valid.attributes.iter().peekable();
        for ((column, role), name) in self.columns.iter_mut().zip(roles).zip(header) {
            match (column, role) {
                (Builder::Text(c), Role::ResponseId) => {
                    c.push(valid.response_id.map(str::trim).filter(|s| !s.is_empty()))
                }
                (Builder::Text(c), Role::RespondentId) => c.push(Some(valid.respondent_id.trim())),
                (Builder::Time(c), _) => c.push(valid.recorded_at.unix_nanos()),
                (Builder::Text(c), Role::Touchpoint) => c.push(Some(valid.touchpoint_id.trim())),
                (Builder::Text(c), Role::TouchpointName) => {
                    let name = valid.touchpoint_name.map_or("", str::trim);
                    c.push(Some(if name.is_empty() {
                        valid.touchpoint_id.trim()
                    } else {
                        name
                    }))
                }
                (Builder::Text(c), Role::Channel) => {
                    c.push(valid.channel.as_ref().map(|(ch, _)| ch.as_str()))
                }
                (Builder::Text(c), Role::JourneyStage) => {
                    c.push(valid.stage.as_ref().map(|(s, _)| s.as_str()))
                }
                (Builder::Bool(c), _) => c.push(valid.origin.map(|o| o.is_intentional())),
                (Builder::Float(c), _) => c.push(Some(valid.weight.unwrap_or(1.0))),
                (Builder::Text(c), Role::Comment) => {
                    c.push(valid.comment.filter(|s| !s.trim().is_empty()))
                }
                (Builder::Integer(c), _) => c.push(
                    valid
                        .answers
                        .iter()
                        .find(|(item, _)| *item == name.as_str())
                        .map(|(_, a)| a.value()),
                ),
                (Builder::Attribute(c), _) => {
                    // Attributes come in header order, blank ones left out.
                    match attributes.peek() {
                        Some((key, value)) if *key == name.as_str() => {
                            c.push(Some(value));
                            attributes.next();
                        }
                        _ => c.push(None),
                    }
                }
                (Builder::Text(c), _) => c.push(None),
            }
        }
    }
}

/// Reads every record of a CSV source (its header already read by `records`) into columns.
pub(super) fn read_columns<R: std::io::BufRead>(
    mut records: CsvRecords<R>,
    options: &ReadOptions,
    source: &str,
) -> Result<(ResponseTable, ReadOutcome)> {
    let (header, delimiter) = records.header();
    let (header, delimiter) = (header.to_vec(), delimiter);
    let whats = records.whats().to_vec();
    let roles: Vec<Role> = header.iter().map(|name| role_of(name, options)).collect();
    // Tokenize on this thread: batches of raw records.
    let mut batches: Vec<Mutex<Option<RawBatch>>> = Vec::new();
    loop {
        let mut batch = RawBatch::default();
        if records.fill_batch(&mut batch, BATCH)? == 0 {
            break;
        }
        batches.push(Mutex::new(Some(batch)));
    }
    let n_blank = records.n_blank();
    let fields = records.fields().to_vec();
    let threads = if batches.len() > 1 {
        crate::parallel::threads()
    } else {
        1
    };
    let parts = crate::parallel::map_blocks_in_order(batches.len(), threads, |b| {
        let batch = batches[b]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("each batch is checked once");
        let mut part = Part::new(&roles);
        check_batch(
            &batch, &mut part, &roles, &header, &whats, delimiter, options,
        );
        part
    });
    join(
        parts, header, roles, fields, n_blank, delimiter, options, source,
    )
}

/// Checks every record of `batch` into `part`.
#[allow(clippy::too_many_arguments)]
fn check_batch(
    batch: &RawBatch,
    part: &mut Part,
    roles: &[Role],
    header: &[String],
    whats: &[What],
    delimiter: u8,
    options: &ReadOptions,
) {
    let mut raw = Vec::with_capacity(header.len());
    for i in 0..batch.len() {
        let (line, unclosed) = batch.record(i, &mut raw);
        let record = part.n_records as u64;
        part.n_records += 1;
        part.unclosed |= unclosed.is_some();
        let result = checked(
            line,
            unclosed,
            &raw,
            header,
            whats,
            delimiter,
            options,
            |valid| {
                valid.note(&mut part.notes);
                part.push(&valid, roles, header);
                Ok(())
            },
        );
        match result {
            Ok(()) => part.lines.push(line),
            Err(problems) => {
                part.n_rejected += 1;
                part.rejected.extend(problems.into_iter().map(|mut p| {
                    p.record = record;
                    p
                }));
            }
        }
    }
}

/// Reads a whole CSV text (decoded) into columns, its parts tokenized and checked in parallel:
/// the text is cut after line ends, each part is tokenized as if a record started there, and
/// the cut is kept when the part before it ends outside any quoted field (which makes the guess
/// right). A quoted field that spans a cut, or one never closed, sends the whole text to the
/// sequential tokenizer instead, so the result is always that of reading it in one pass.
pub(super) fn read_text(
    text: Vec<u8>,
    source: &str,
    options: &ReadOptions,
    part_bytes: usize,
) -> Result<(ResponseTable, ReadOutcome)> {
    let delimiter = match options.delimiter {
        Some(d) => d,
        None => super::sniff_delimiter(&text[..text.len().min(1 << 16)]),
    };
    let first = CsvRecords::open(&text[..], delimiter, source, options)?;
    let header = first.header().0.to_vec();
    let whats = first.whats().to_vec();
    let fields = first.fields().to_vec();
    let roles: Vec<Role> = header.iter().map(|name| role_of(name, options)).collect();
    let threads = crate::parallel::threads();
    // Parts of at least `part_bytes`, a few per thread; cut after a line feed.
    let n_parts = (text.len() / part_bytes.max(1)).clamp(1, 4 * threads.max(1));
    let mut cuts = vec![0usize];
    for k in 1..n_parts {
        let at = (k * text.len() / n_parts).max(*cuts.last().expect("not empty"));
        match memchr::memchr(b'\n', &text[at..]) {
            Some(i) if at + i + 1 < text.len() => cuts.push(at + i + 1),
            _ => break,
        }
    }
    cuts.dedup();
    cuts.push(text.len());
    let n_parts = cuts.len() - 1;
    drop(first);
    let results =
        crate::parallel::map_blocks_in_order(n_parts, threads, |k| -> Result<(Part, u64, u64)> {
            let slice = &text[cuts[k]..cuts[k + 1]];
            // The first part starts with the header, read again here (one line).
            let mut records = if k == 0 {
                CsvRecords::open(slice, delimiter, source, options)?
            } else {
                CsvRecords::continuing(slice, header.clone(), delimiter, source, options)
            };
            let mut part = Part::new(&roles);
            let mut batch = RawBatch::default();
            loop {
                batch.clear();
                if records.fill_batch(&mut batch, BATCH)? == 0 {
                    break;
                }
                check_batch(
                    &batch, &mut part, &roles, &header, &whats, delimiter, options,
                );
            }
            Ok((part, records.line() - 1, records.n_blank()))
        });
    let mut parts = Vec::with_capacity(n_parts);
    let (mut line_offset, mut n_blank) = (0u64, 0u64);
    for result in results {
        let (mut part, lines, blank) = result?;
        if part.unclosed {
            // A quoted field open at a cut or at the end: read it all in one pass.
            let records = CsvRecords::open(&text[..], delimiter, source, options)?;
            return read_columns(records, options, source);
        }
        for line in &mut part.lines {
            *line += line_offset;
        }
        for p in &mut part.rejected {
            p.line += line_offset;
        }
        line_offset += lines;
        n_blank += blank;
        parts.push(part);
    }
    join(
        parts, header, roles, fields, n_blank, delimiter, options, source,
    )
}

/// Joins the parts' columns and outcomes in order.
#[allow(clippy::too_many_arguments)]
fn join(
    parts: Vec<Part>,
    header: Vec<String>,
    roles: Vec<Role>,
    fields: Vec<String>,
    n_blank: u64,
    delimiter: u8,
    options: &ReadOptions,
    source: &str,
) -> Result<(ResponseTable, ReadOutcome)> {
    // Join the parts in order.
    let mut outcome = ReadOutcome {
        n_blank,
        fields: fields.clone(),
        delimiter: Some(delimiter),
        ..ReadOutcome::default()
    };
    let mut columns: Vec<Builder> = Part::new(&roles).columns;
    // The joined columns' sizes, reserved at once (no growth by doubling).
    let rows: usize = parts.iter().map(|p| p.lines.len()).sum();
    for (j, column) in columns.iter_mut().enumerate() {
        match column {
            Builder::Text(c) | Builder::Attribute(c) => {
                let bytes = parts
                    .iter()
                    .map(|p| match &p.columns[j] {
                        Builder::Text(t) | Builder::Attribute(t) => t.bytes().len(),
                        _ => 0,
                    })
                    .sum();
                c.reserve(rows, bytes);
            }
            Builder::Time(c) => c.reserve(rows),
            Builder::Bool(c) => c.reserve(rows),
            Builder::Float(c) => c.reserve(rows),
            Builder::Integer(c) => c.reserve(rows),
        }
    }
    let mut notes = Notes::default();
    let mut first_record = 0u64;
    for part in parts {
        if options.strict {
            if let Some(first) = part.rejected.into_iter().next() {
                return Err(first.into_error());
            }
        } else {
            outcome
                .rejected
                .extend(part.rejected.into_iter().map(|mut p| {
                    p.record += first_record;
                    p
                }));
        }
        outcome.lines.extend(part.lines);
        outcome.n_rejected += part.n_rejected;
        first_record += part.n_records as u64;
        notes.merge(part.notes);
        for (all, more) in columns.iter_mut().zip(part.columns) {
            match (all, more) {
                (Builder::Text(a), Builder::Text(b))
                | (Builder::Attribute(a), Builder::Attribute(b)) => a.append(&b),
                (Builder::Time(a), Builder::Time(b)) => a.extend(b),
                (Builder::Bool(a), Builder::Bool(b)) => a.extend(b),
                (Builder::Float(a), Builder::Float(b)) => a.extend(b),
                (Builder::Integer(a), Builder::Integer(b)) => a.extend(b),
                _ => unreachable!("the parts have the same roles"),
            }
        }
    }
    outcome.mappings = notes.mappings();
    outcome.name_conflicts = notes.name_conflicts();
    let n_rows = outcome.lines.len();
    let table_columns = header
        .iter()
        .zip(columns)
        .filter(|(name, _)| !matches!(name.as_str(), "answers" | "attributes"))
        .map(|(name, builder)| {
            let column = match builder {
                Builder::Text(c) => Column::Text(c),
                Builder::Time(c) => Column::TimestampNanos(c),
                Builder::Bool(c) => Column::Bool(c),
                Builder::Float(c) => Column::Float(c),
                Builder::Integer(c) => Column::Integer(c),
                Builder::Attribute(c) => {
                    let present: Vec<(usize, &str)> = c
                        .iter()
                        .enumerate()
                        .filter_map(|(row, v)| v.map(|v| (row, v)))
                        .collect();
                    infer(n_rows, &present)
                }
            };
            (name.clone(), column)
        })
        .collect();
    super::check_cells(&outcome, usize::MAX, options, source)?;
    Ok((ResponseTable::from_columns(table_columns), outcome))
}
