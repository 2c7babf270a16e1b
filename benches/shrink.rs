//! Empirical-Bayes shrinkage of many small groups (`cx.shrink`'s core): 10^5 agents with about 100
//! answers each (10^7 responses in all), NPS by the Dirichlet-multinomial model with its exact
//! posterior intervals, and a top-box share by the beta-binomial model. The counting pass is
//! `benches/summarize.rs`; the end-to-end figure from a pandas frame is `python benches/peers.py`.
//!
//! Run: `cargo bench --bench shrink`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use cxmetrics::shrink::{shrink_nps, shrink_shares};
use cxmetrics::Confidence;

const GROUPS: usize = 100_000;

fn bench_shrink(c: &mut Criterion) {
    let mut rng = cxmetrics::random::Rng::new(18);
    let mut uniform = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    // Each agent's promoter share from a spread-out population; 15% passives; 60-140 answers.
    let mut counts = Vec::with_capacity(GROUPS);
    let (mut successes, mut trials) = (Vec::new(), Vec::new());
    for _ in 0..GROUPS {
        let p = 0.3 + 0.55 * uniform();
        let n = 60 + (uniform() * 81.0) as usize;
        let mut c = [0.0; 3];
        for _ in 0..n {
            let u = uniform();
            c[if u < p {
                2
            } else if u < p + 0.15 {
                1
            } else {
                0
            }] += 1.0;
        }
        counts.push(c);
        successes.push(c[2]);
        trials.push(n as f64);
    }
    let mut group = c.benchmark_group("shrink_1e5_groups");
    group.sample_size(10);
    group.throughput(Throughput::Elements(GROUPS as u64));
    group.bench_function("nps_dirichlet_multinomial", |b| {
        b.iter(|| shrink_nps(&counts, Confidence::default()).unwrap())
    });
    group.bench_function("share_beta_binomial", |b| {
        b.iter(|| shrink_shares(&successes, &trials, Confidence::default()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench_shrink);
criterion_main!(benches);
