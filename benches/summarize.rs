//! Grouped report (`cx.summarize`'s core): NPS and CSAT with 1000 groups on 10^7 rows, one pass over
//! integer keys, then every group's estimates, group-versus-rest tests and Holm adjustment.
//!
//! Run: `cargo bench --bench summarize`. The pandas/polars comparison (same data, same process) is
//! `python benches/peers.py`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use cxmetrics::compare::PAdjust;
use cxmetrics::grouping::{group_columns, report_columns, GroupKeys, IndicatorSpec, ScoreColumn};
use cxmetrics::{Confidence, Indicator, MissingPolicy, NpsMethod, ProportionMethod, Scale};

const N: usize = 10_000_000;
const GROUPS: u64 = 1000;

/// A reproducible pseudo-random sequence: the crate's own generator.
fn lcg(seed: u64) -> impl FnMut() -> u64 {
    let mut rng = cxmetrics::random::Rng::new(seed);
    move || rng.next_u64() >> 33
}

fn bench_summarize(c: &mut Criterion) {
    let mut next = lcg(7);
    let keys: Vec<i64> = (0..N).map(|_| (next() % GROUPS) as i64).collect();
    let ltr: Vec<i64> = (0..N).map(|_| (next() % 11) as i64).collect();
    let sat: Vec<i64> = (0..N).map(|_| (next() % 5 + 1) as i64).collect();
    let specs = [
        IndicatorSpec::Nps {
            indicator: Indicator::Nps,
            method: NpsMethod::AdjustedWald,
        },
        IndicatorSpec::Share {
            indicator: Indicator::Csat,
            top: 2,
            method: ProportionMethod::Wilson,
        },
    ];
    let mut group = c.benchmark_group("summarize_1e7_rows_1000_groups");
    group.sample_size(20);
    group.throughput(Throughput::Elements(N as u64));
    let run = |columns: &[(ScoreColumn<'_>, Scale)]| {
        let grouped = group_columns(
            GroupKeys::Integers(&keys),
            columns,
            None,
            MissingPolicy::Omit,
        )
        .unwrap();
        let reports: Vec<_> = grouped
            .columns
            .iter()
            .zip(specs)
            .map(|(g, spec)| report_columns(g, spec, Confidence::default(), PAdjust::Holm).unwrap())
            .collect();
        assert_eq!(reports[0].n.len(), GROUPS as usize + 1);
        reports
    };
    group.bench_function("nps_csat_i64", |b| {
        b.iter(|| {
            run(&[
                (ScoreColumn::I64(&ltr), Scale::NPS),
                (ScoreColumn::I64(&sat), Scale::LIKERT_5),
            ])
        })
    });
    let ltr8: Vec<u8> = ltr.iter().map(|&x| x as u8).collect();
    let sat8: Vec<u8> = sat.iter().map(|&x| x as u8).collect();
    group.bench_function("nps_csat_u8", |b| {
        b.iter(|| {
            run(&[
                (ScoreColumn::U8(&ltr8), Scale::NPS),
                (ScoreColumn::U8(&sat8), Scale::LIKERT_5),
            ])
        })
    });
    group.finish();
}

criterion_group!(benches, bench_summarize);
criterion_main!(benches);
