//! A small service on the crate's public API: reads survey responses as JSON Lines from stdin,
//! counts NPS and CSAT answers per touchpoint on several threads (one accumulator per thread,
//! merged at the end), and prints a JSON report with each touchpoint's NPS and CSAT and their 95%
//! intervals, the counts, and the rejected records by kind.
//!
//! ```sh
//! cargo run --release --example service < responses.jsonl
//! CXMETRICS_EXAMPLE_THREADS=4 cargo run --release --example service < responses.jsonl
//! ```
//!
//! Every record is accounted for: `n_records = n_responses + n_rejected`, and each rejected record
//! is listed once (with its physical line) in `rejected`, up to 20, and counted by the field that
//! was wrong in `rejected_by_field` (`"(record)"` for a line that is not a JSON object).

use std::collections::BTreeMap;
use std::io::Read;
use std::process::ExitCode;

use cxmetrics::grouping::{KeyedCounts, KeyedEstimate};
use cxmetrics::indicator::spec::IndicatorSpec;
use cxmetrics::read::{read_jsonl_from, ReadOptions, RejectedRecord};
use cxmetrics::{Confidence, Error, Response, Scale, Threads};
use serde::Serialize;

/// What one thread accumulates from its share of the input.
struct Accumulator {
    nps: KeyedCounts,
    csat: KeyedCounts,
    n_responses: usize,
    n_rejected: usize,
    n_blank: u64,
    rejected: Vec<RejectedRecord>,
}

impl Accumulator {
    fn new() -> Self {
        Accumulator {
            nps: KeyedCounts::new(Scale::NPS),
            csat: KeyedCounts::new(Scale::LIKERT_5),
            n_responses: 0,
            n_rejected: 0,
            n_blank: 0,
            rejected: Vec::new(),
        }
    }

    /// Reads `chunk` (whole lines; its first line is line `first_line` of the input).
    fn read(&mut self, chunk: &[u8], first_line: u64) -> Result<(), Error> {
        let outcome = read_jsonl_from(chunk, "stdin", &ReadOptions::default())?;
        let touchpoint = |r: &Response| r.touchpoint().id().to_string();
        self.nps
            .add_responses(&outcome.responses, touchpoint, "nps")?;
        self.csat
            .add_responses(&outcome.responses, touchpoint, "csat")?;
        self.n_responses += outcome.responses.len();
        self.n_rejected += outcome.n_rejected;
        self.n_blank += outcome.n_blank;
        self.rejected
            .extend(outcome.rejected.into_iter().map(|mut r| {
                r.line += first_line - 1;
                r
            }));
        Ok(())
    }

    fn merge(&mut self, other: Accumulator) -> Result<(), Error> {
        self.nps.merge(&other.nps)?;
        self.csat.merge(&other.csat)?;
        self.n_responses += other.n_responses;
        self.n_rejected += other.n_rejected;
        self.n_blank += other.n_blank;
        self.rejected.extend(other.rejected);
        Ok(())
    }
}

#[derive(Serialize)]
struct TouchpointRow {
    touchpoint: String,
    nps: KeyedEstimate,
    csat: KeyedEstimate,
}

#[derive(Serialize)]
struct RejectedLine {
    line: u64,
    field: String,
    reason: String,
}

#[derive(Serialize)]
struct Report {
    n_records: usize,
    n_responses: usize,
    n_rejected: usize,
    n_blank: u64,
    threads: usize,
    rejected_by_field: BTreeMap<String, usize>,
    rejected: Vec<RejectedLine>,
    touchpoints: Vec<TouchpointRow>,
}

/// Splits `input` into about `parts` pieces at line ends; each piece with the number of its first
/// line. A CR or CRLF line end counts like LF, as the reader counts them.
fn split_lines(input: &[u8], parts: usize) -> Vec<(&[u8], u64)> {
    let target = input.len().div_ceil(parts.max(1)).max(1);
    let mut pieces = Vec::new();
    let (mut start, mut line) = (0usize, 1u64);
    while start < input.len() {
        let mut end = (start + target).min(input.len());
        while end < input.len() && input[end - 1] != b'\n' {
            end += 1;
        }
        let piece = &input[start..end];
        pieces.push((piece, line));
        line += piece
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && piece.get(i + 1) != Some(&b'\n')))
            .count() as u64;
        start = end;
    }
    pieces
}

fn run() -> Result<Report, Box<dyn std::error::Error>> {
    let threads: usize = std::env::var("CXMETRICS_EXAMPLE_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .filter(|&t| t > 0)
        .unwrap_or(2);
    let mut input = Vec::new();
    std::io::stdin().lock().read_to_end(&mut input)?;
    // Our threads do the parallel work: the crate's own calls stay on the calling thread.
    cxmetrics::set_threads(Threads::Count(1));
    let pieces = split_lines(&input, threads);
    let accumulators: Vec<Result<Accumulator, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .iter()
            .map(|&(piece, first_line)| {
                scope.spawn(move || {
                    let mut acc = Accumulator::new();
                    acc.read(piece, first_line).map(|()| acc)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a reader thread panicked"))
            .collect()
    });
    let mut total = Accumulator::new();
    for acc in accumulators {
        total.merge(acc?)?;
    }
    total.rejected.sort_by_key(|r| r.line);

    let confidence = Confidence::default();
    let nps = total.nps.report(
        &IndicatorSpec::parse("nps", None, None, Scale::NPS, false)?,
        confidence,
    );
    let csat = total.csat.report(
        &IndicatorSpec::parse("csat", None, None, Scale::LIKERT_5, false)?,
        confidence,
    );
    let touchpoints = nps
        .into_iter()
        .zip(csat)
        .map(|(nps, csat)| TouchpointRow {
            touchpoint: nps.key.clone(),
            nps,
            csat,
        })
        .collect();
    let mut rejected_by_field = BTreeMap::new();
    let mut rejected = Vec::new();
    let mut last_line = 0;
    for r in &total.rejected {
        let field = if r.field.is_empty() {
            "(record)".to_string()
        } else {
            r.field.clone()
        };
        *rejected_by_field.entry(field).or_insert(0) += 1;
        if r.line != last_line && rejected.len() < 20 {
            rejected.push(RejectedLine {
                line: r.line,
                field: r.field.clone(),
                reason: r.reason.clone(),
            });
        }
        last_line = r.line;
    }
    Ok(Report {
        n_records: total.n_responses + total.n_rejected,
        n_responses: total.n_responses,
        n_rejected: total.n_rejected,
        n_blank: total.n_blank,
        threads: pieces.len(),
        rejected_by_field,
        rejected,
        touchpoints,
    })
}

fn main() -> ExitCode {
    match run() {
        Ok(report) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).expect("the report serialises")
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
