//! The weighted bootstrap (the parallel resampling site): 9,999 resamples of a small sample (where
//! thread starts and the claiming of work dominate) and 999 resamples of 10^5 responses (where the
//! draws dominate), on the threads the crate chooses and on one thread.
//!
//! Run: `cargo bench --bench resampling`.

use criterion::{criterion_group, criterion_main, Criterion};
use cxmetrics::interval::resampling::{
    weighted_bootstrap_interval, ResamplingMethod, ResamplingOptions,
};
use cxmetrics::random::Rng;
use cxmetrics::{with_threads, Confidence, Threads};

fn sample(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Rng::new(7);
    let values = (0..n).map(|_| rng.below(11) as f64).collect();
    let weights = (0..n).map(|_| 0.5 + rng.uniform()).collect();
    (values, weights)
}

fn bench_resampling(c: &mut Criterion) {
    let mut group = c.benchmark_group("weighted_bootstrap");
    group.sample_size(10);
    for (n, resamples) in [(100usize, 9_999usize), (100_000, 999)] {
        let (values, weights) = sample(n);
        let mut options = ResamplingOptions::new(ResamplingMethod::Bootstrap);
        options.n_resamples = resamples;
        options.seed = Some(1);
        for (label, threads) in [("auto", Threads::Auto), ("one", Threads::Count(1))] {
            group.bench_function(format!("n{n}_r{resamples}_{label}"), |b| {
                b.iter(|| {
                    with_threads(threads.clone(), || {
                        weighted_bootstrap_interval(
                            &values,
                            &weights,
                            5.0,
                            &options,
                            Confidence::default(),
                        )
                        .unwrap()
                    })
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_resampling);
criterion_main!(benches);
