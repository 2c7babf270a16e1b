//! NPS with its interval on 10^7 scores (u8, i64 and f64 input), and the counting kernel alone.
//!
//! Run: `cargo bench --bench nps`. The NumPy comparison (same data, same process) is
//! `python benches/peers.py`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use cxmetrics::{nps, Confidence, MissingPolicy, NpsMethod, Scale, ScoreCounts};

const N: usize = 10_000_000;

fn scores() -> Vec<u8> {
    // A fixed linear congruential sequence: reproducible, no extra dependency.
    let mut state = 42u64;
    (0..N)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % 11) as u8
        })
        .collect()
}

fn bench_nps(c: &mut Criterion) {
    let u8_scores = scores();
    let i64_scores: Vec<i64> = u8_scores.iter().map(|&s| s as i64).collect();
    let f64_scores: Vec<f64> = u8_scores.iter().map(|&s| s as f64).collect();
    let mut group = c.benchmark_group("nps_1e7");
    group.sample_size(20);
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("u8", |b| {
        b.iter(|| {
            let counts =
                ScoreCounts::from_scores(&u8_scores, Scale::NPS, MissingPolicy::Omit).unwrap();
            nps(&counts, NpsMethod::AdjustedWald, Confidence::default()).unwrap()
        })
    });
    group.bench_function("i64", |b| {
        b.iter(|| {
            let counts =
                ScoreCounts::from_scores(&i64_scores, Scale::NPS, MissingPolicy::Omit).unwrap();
            nps(&counts, NpsMethod::AdjustedWald, Confidence::default()).unwrap()
        })
    });
    group.bench_function("f64", |b| {
        b.iter(|| {
            let counts =
                ScoreCounts::from_scores(&f64_scores, Scale::NPS, MissingPolicy::Omit).unwrap();
            nps(&counts, NpsMethod::AdjustedWald, Confidence::default()).unwrap()
        })
    });
    let weights: Vec<f64> = u8_scores.iter().map(|&s| 0.5 + s as f64 / 10.0).collect();
    group.bench_function("u8_weighted", |b| {
        b.iter(|| {
            let counts = ScoreCounts::from_weighted_scores(
                &u8_scores,
                &weights,
                Scale::NPS,
                MissingPolicy::Omit,
            )
            .unwrap();
            nps(&counts, NpsMethod::Wald, Confidence::default()).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_nps);
criterion_main!(benches);
