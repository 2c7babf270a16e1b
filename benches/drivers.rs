//! Key driver analysis: exact Shapley (LMG) with 15 drivers on 10^5 respondents (correlation matrix
//! plus 2^15 subsets), Johnson's relative weights on the same data, and logistic dominance of a 0/1
//! outcome with 12 drivers on 2 x 10^4 respondents (4096 logistic fits; `python benches/peers.py`
//! times 10^5 respondents against statsmodels, and the linear case with 20 drivers).
//!
//! Run: `cargo bench --bench drivers`. The NumPy comparison is `python benches/peers.py`.

use criterion::{criterion_group, criterion_main, Criterion};
use cxmetrics::drivers::{driver_analysis, DriverMethod, DriverOptions};

const N: usize = 100_000;
const P: usize = 15;

fn data() -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut state = 3u64;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let factor: Vec<f64> = (0..N).map(|_| uniform()).collect();
    let drivers: Vec<Vec<f64>> = (0..P)
        .map(|k| {
            factor
                .iter()
                .map(|f| (1.0 + 10.0 * (0.3 * f + 0.7 * uniform())).floor() + k as f64 * 0.0)
                .collect()
        })
        .collect();
    let outcome = (0..N)
        .map(|i| {
            drivers
                .iter()
                .enumerate()
                .map(|(k, d)| d[i] * (k as f64 + 1.0) / P as f64)
                .sum::<f64>()
                + 5.0 * uniform()
        })
        .collect();
    (outcome, drivers)
}

fn bench_drivers(c: &mut Criterion) {
    let (outcome, drivers) = data();
    let names: Vec<String> = (0..P).map(|k| format!("touchpoint_{k}")).collect();
    let columns: Vec<(&str, &[f64])> = names
        .iter()
        .map(|s| s.as_str())
        .zip(drivers.iter().map(|d| &d[..]))
        .collect();
    let mut group = c.benchmark_group("drivers_15_on_1e5");
    group.sample_size(10);
    for method in [DriverMethod::Shapley, DriverMethod::RelativeWeights] {
        let options = {
            let mut o = DriverOptions::default();
            o.method = method;
            o
        };
        group.bench_function(method.as_str(), |b| {
            b.iter(|| driver_analysis(("overall", &outcome), &columns, None, &options).unwrap())
        });
    }
    group.finish();

    // Logistic dominance: a 0/1 outcome from the first 6 of 12 ratings.
    const LOGISTIC_N: usize = 20_000;
    const LOGISTIC_P: usize = 12;
    let binary: Vec<f64> = (0..LOGISTIC_N)
        .map(|i| {
            let s: f64 = drivers[..6].iter().map(|d| d[i] - 6.0).sum();
            f64::from(u8::from(
                s + 40.0 * (outcome[i] - outcome[i].floor() - 0.5) > 0.0,
            ))
        })
        .collect();
    let columns: Vec<(&str, &[f64])> = names[..LOGISTIC_P]
        .iter()
        .map(|s| s.as_str())
        .zip(drivers.iter().map(|d| &d[..LOGISTIC_N]))
        .collect();
    let mut group = c.benchmark_group("logistic_12_on_2e4");
    group.sample_size(10);
    group.bench_function("mcfadden", |b| {
        b.iter(|| {
            let a = driver_analysis(
                ("repurchase", &binary),
                &columns,
                None,
                &DriverOptions::default(),
            )
            .unwrap();
            assert!(a.fit_issues.is_empty());
            a
        })
    });
    group.finish();
}

criterion_group!(benches, bench_drivers);
criterion_main!(benches);
