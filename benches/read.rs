//! The readers (issue 15): the streaming JSON Lines reader against a plain typed serde parse of
//! the same records with the same checks (required fields, scales, weight, RFC 3339 time), and
//! the columnar CSV reader against the streaming reader on the same rows.
//!
//! `cargo bench --bench read`; figures in README.md ("Performance").

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use cxmetrics::random::Rng;
use cxmetrics::read::{read_table_from, Format, ReadOptions, ResponseReader};
use cxmetrics::Timestamp;
use serde::Deserialize;
use std::hint::black_box;

const ROWS: usize = 100_000;

fn rows() -> Vec<[String; 10]> {
    let mut rng = Rng::new(7);
    let pick = |rng: &mut Rng, xs: &[&str]| xs[rng.below(xs.len() as u64) as usize].to_string();
    (0..ROWS)
        .map(|i| {
            [
                format!("C{i:07}"),
                format!(
                    "2025-{:02}-{:02}T{:02}:{:02}:00Z",
                    1 + rng.below(12),
                    1 + rng.below(28),
                    rng.below(24),
                    rng.below(60)
                ),
                pick(
                    &mut rng,
                    &["delivery", "web", "app", "store", "contact_center"],
                ),
                pick(&mut rng, &["web", "app", "store", "email"]),
                pick(&mut rng, &["vip", "standard", "new"]),
                format!("{:.3}", 0.5 + rng.uniform() * 1.5),
                rng.below(11).to_string(),
                (1 + rng.below(5)).to_string(),
                (1 + rng.below(7)).to_string(),
                pick(
                    &mut rng,
                    &[
                        "great service",
                        "late delivery, again",
                        "",
                        "friendly staff",
                    ],
                ),
            ]
        })
        .collect()
}

const NAMES: [&str; 10] = [
    "respondent_id",
    "recorded_at",
    "touchpoint",
    "channel",
    "segment",
    "weight",
    "nps",
    "csat",
    "ces",
    "comment",
];

fn csv(rows: &[[String; 10]]) -> String {
    let mut out = NAMES.join(",") + "\n";
    for r in rows {
        let comment = if r[9].contains(',') {
            format!("\"{}\"", r[9])
        } else {
            r[9].clone()
        };
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], comment
        ));
    }
    out
}

fn jsonl(rows: &[[String; 10]]) -> String {
    let mut out = String::new();
    for r in rows {
        out.push_str(&format!(
            "{{\"respondent_id\":\"{}\",\"recorded_at\":\"{}\",\"touchpoint\":\"{}\",\"channel\":\"{}\",\"segment\":\"{}\",\"weight\":{},\"nps\":{},\"csat\":{},\"ces\":{},\"comment\":\"{}\"}}\n",
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]
        ));
    }
    out
}

/// The plain typed record a service would parse by hand.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Plain {
    respondent_id: String,
    recorded_at: String,
    touchpoint: String,
    channel: Option<String>,
    segment: Option<String>,
    weight: f64,
    nps: Option<i64>,
    csat: Option<i64>,
    ces: Option<i64>,
    comment: Option<String>,
}

/// The same checks by hand: required fields, scales, weight, an RFC 3339 instant.
fn plain_checks(p: &Plain) -> bool {
    !p.respondent_id.trim().is_empty()
        && !p.touchpoint.trim().is_empty()
        && Timestamp::parse(&p.recorded_at).is_ok()
        && p.weight.is_finite()
        && p.weight >= 0.0
        && p.nps.is_none_or(|v| (0..=10).contains(&v))
        && p.csat.is_none_or(|v| (1..=5).contains(&v))
        && p.ces.is_none_or(|v| (1..=7).contains(&v))
}

fn bench(c: &mut Criterion) {
    let rows = rows();
    let (csv, jsonl) = (csv(&rows), jsonl(&rows));
    let options = ReadOptions::default();
    let mut group = c.benchmark_group("read_100k");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("jsonl_stream", |b| {
        b.iter(|| {
            let reader = ResponseReader::jsonl(jsonl.as_bytes(), "bench", options.clone()).unwrap();
            black_box(reader.filter(Result::is_ok).count())
        })
    });
    group.bench_function("jsonl_plain_serde", |b| {
        b.iter(|| {
            black_box(
                jsonl
                    .lines()
                    .filter_map(|l| serde_json::from_str::<Plain>(l).ok())
                    .filter(plain_checks)
                    .count(),
            )
        })
    });
    group.bench_function("csv_stream", |b| {
        b.iter(|| {
            let reader = ResponseReader::csv(csv.as_bytes(), "bench", options.clone()).unwrap();
            black_box(reader.filter(Result::is_ok).count())
        })
    });
    group.bench_function("csv_table", |b| {
        b.iter(|| {
            black_box(
                read_table_from(csv.as_bytes(), Format::Csv, "bench", &options)
                    .unwrap()
                    .1
                    .lines
                    .len(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
