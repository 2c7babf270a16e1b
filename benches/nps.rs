//! NPS with its interval on 10^7 scores (u8, i64 and f64 input, unweighted and weighted), and the
//! memory floor: a plain multi-threaded sum of the same bytes.
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
    let f64_weighted = f64_scores.clone();
    group.bench_function("f64_weighted", |b| {
        b.iter(|| {
            let counts = ScoreCounts::from_weighted_scores(
                &f64_weighted,
                &weights,
                Scale::NPS,
                MissingPolicy::Omit,
            )
            .unwrap();
            nps(&counts, NpsMethod::Wald, Confidence::default()).unwrap()
        })
    });
    // The memory floor: a plain sum of the same bytes on every core (thread starts included, as in
    // the counting), which no pass over the scores can beat.
    group.bench_function("read_floor_i64", |b| b.iter(|| plain_sum(&i64_scores)));
    group.finish();
}

/// The wrapping sum of `values` (as integers) split between all cores.
fn plain_sum<T: Copy + Into<i64> + Sync>(values: &[T]) -> i64 {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = values.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = values
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().fold(0i64, |acc, &v| acc.wrapping_add(v.into())))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

criterion_group!(benches, bench_nps);
criterion_main!(benches);
