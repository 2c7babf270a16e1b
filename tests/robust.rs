//! Issue 14 §2, "no panic, no abort, no hang": sizes from arguments are bounded before anything is
//! allocated (a clear `Error::InvalidParameter`), an interrupt check stops long calls, and the
//! public counting, resampling and trend functions return a result or an `Err` on any input.

use std::time::{Duration, Instant};

use cxmetrics::grouping::{GroupedCounts, IndicatorSpec};
use cxmetrics::indicator::resampled::{resampled_nps, resampled_share};
use cxmetrics::interval::resampling::{
    weighted_bootstrap_interval, ResamplingMethod, ResamplingOptions,
};
use cxmetrics::trend::{TrendCells, TrendOptions};
use cxmetrics::{
    with_interrupt_check, Confidence, Error, Indicator, MissingPolicy, NpsMethod, Scale,
    ScoreCounts,
};
use proptest::prelude::*;

fn counts() -> ScoreCounts {
    ScoreCounts::from_counts(Scale::NPS, vec![10, 5, 5, 5, 5, 5, 5, 20, 20, 30, 40], 0).unwrap()
}

fn options(method: ResamplingMethod, n_resamples: usize) -> ResamplingOptions {
    {
        let mut o = ResamplingOptions::new(method);
        o.n_resamples = n_resamples;
        o.seed = Some(1);
        o
    }
}

fn names_parameter<T: std::fmt::Debug>(result: cxmetrics::Result<T>, name: &str) {
    match result {
        Err(Error::InvalidParameter { parameter, .. }) => assert_eq!(parameter, name),
        other => panic!("expected InvalidParameter({name}), got {other:?}"),
    }
}

#[test]
fn resample_counts_are_bounded_before_allocating() {
    let c = counts();
    let scores: Vec<f64> = (0..100).map(|i| (i % 11) as f64).collect();
    let weights = vec![1.0; scores.len()];
    // 10^9 once asked for 8 GB and aborted; 2^62 overflowed the capacity computation.
    for n in [0usize, 1, 10_000_001, 1_000_000_000, 1 << 62, usize::MAX] {
        for method in [ResamplingMethod::Bootstrap, ResamplingMethod::Bayes] {
            names_parameter(
                resampled_nps(
                    Indicator::Nps,
                    &c,
                    &options(method, n),
                    Confidence::default(),
                ),
                "n_resamples",
            );
            names_parameter(
                resampled_share(
                    Indicator::TopBox,
                    &c,
                    9,
                    &options(method, n),
                    Confidence::default(),
                ),
                "n_resamples",
            );
        }
        names_parameter(
            weighted_bootstrap_interval(
                &scores,
                &weights,
                0.0,
                &options(ResamplingMethod::Bootstrap, n),
                Confidence::default(),
            ),
            "n_resamples",
        );
    }
    // The limit itself is accepted: the bound is not off by one.
    let at_limit = options(ResamplingMethod::Bootstrap, 2);
    assert!(resampled_nps(Indicator::Nps, &c, &at_limit, Confidence::default()).is_ok());
}

#[test]
fn grouped_tables_are_bounded_and_checked() {
    let codes = [0u32, 1, 2];
    let scores = [1i32, 9, 10];
    for n_groups in [1usize << 40, usize::MAX / 2, usize::MAX] {
        names_parameter(
            GroupedCounts::from_scores(&codes, n_groups, &scores, Scale::NPS, MissingPolicy::Omit),
            "n_groups",
        );
    }
    assert!(
        GroupedCounts::from_scores(&codes, 3, &scores, Scale::NPS, MissingPolicy::Omit).is_ok()
    );
}

#[test]
fn an_interrupt_check_stops_a_long_bootstrap_quickly() {
    let scores: Vec<f64> = (0..200_000).map(|i| (i % 11) as f64).collect();
    let weights = vec![1.0; scores.len()];
    let opts = options(ResamplingMethod::Bootstrap, 10_000_000);
    let start = Instant::now();
    let deadline = start + Duration::from_millis(100);
    let result = with_interrupt_check(
        move || Instant::now() > deadline,
        || weighted_bootstrap_interval(&scores, &weights, 0.0, &opts, Confidence::default()),
    );
    let elapsed = start.elapsed();
    assert_eq!(result, Err(Error::Interrupted));
    assert!(
        elapsed < Duration::from_secs(2),
        "stopped after {elapsed:?}"
    );
    // Without a check (or a check that never fires) the call runs to the end.
    let short = options(ResamplingMethod::Bootstrap, 50);
    let s: Vec<f64> = (0..1000).map(|i| (i % 11) as f64).collect();
    let w = vec![1.0; s.len()];
    let r = with_interrupt_check(
        || false,
        || weighted_bootstrap_interval(&s, &w, 0.0, &short, Confidence::default()),
    );
    assert!(r.is_ok(), "{r:?}");
}

fn driver_data(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut rng = cxmetrics::random::Rng::new(7);
    let a: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    let b: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    let y: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(x, z)| 2.0 * x + z + rng.uniform())
        .collect();
    (a, b, y)
}

#[test]
fn driver_bootstrap_sizes_are_bounded() {
    use cxmetrics::drivers::{driver_analysis, DriverOptions, MAX_BOOTSTRAP, MAX_PERMUTATIONS};
    let (a, b, y) = driver_data(100);
    let drivers = [("a", &a[..]), ("b", &b[..])];
    for bootstrap in [MAX_BOOTSTRAP + 1, usize::MAX / 2, usize::MAX] {
        let opts = {
            let mut o = DriverOptions::default();
            o.bootstrap = bootstrap;
            o
        };
        names_parameter(
            driver_analysis(("y", &y), &drivers, None, &opts),
            "bootstrap",
        );
    }
    for permutations in [0, MAX_PERMUTATIONS + 1, usize::MAX] {
        let opts = {
            let mut o = DriverOptions::default();
            o.permutations = permutations;
            o
        };
        names_parameter(
            driver_analysis(("y", &y), &drivers, None, &opts),
            "permutations",
        );
    }
}

#[test]
fn an_interrupt_check_stops_a_long_driver_bootstrap_quickly() {
    use cxmetrics::drivers::{driver_analysis, DriverOptions, MAX_BOOTSTRAP};
    let (a, b, y) = driver_data(50_000);
    let opts = {
        let mut o = DriverOptions::default();
        o.bootstrap = MAX_BOOTSTRAP;
        o.seed = Some(1);
        o
    };
    let start = Instant::now();
    let deadline = start + Duration::from_millis(100);
    let result = with_interrupt_check(
        move || Instant::now() > deadline,
        || driver_analysis(("y", &y), &[("a", &a[..]), ("b", &b[..])], None, &opts),
    );
    let elapsed = start.elapsed();
    assert_eq!(result.err(), Some(Error::Interrupted));
    assert!(
        elapsed < Duration::from_secs(2),
        "stopped after {elapsed:?}"
    );
}

fn any_method() -> impl Strategy<Value = ResamplingMethod> {
    prop_oneof![
        Just(ResamplingMethod::Bootstrap),
        Just(ResamplingMethod::Bayes)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Counting: any scores (NaN, infinities, huge values, out of scale), any scale bounds, any
    /// policy: a result or an `Err`, never a panic.
    #[test]
    fn counting_never_panics(
        scores in prop::collection::vec(prop_oneof![
            any::<f64>(), (-3i64..14).prop_map(|v| v as f64), Just(f64::NAN)], 0..200),
        ints in prop::collection::vec(any::<i64>(), 0..50),
        min in -5i64..5, width in 0i64..20, raise in any::<bool>(),
        weights in prop::collection::vec(any::<f64>(), 0..200),
    ) {
        let policy = if raise { MissingPolicy::Raise } else { MissingPolicy::Omit };
        if let Ok(scale) = Scale::new(min, min.saturating_add(width)) {
            let _ = ScoreCounts::from_scores(&scores, scale, policy);
            let _ = ScoreCounts::from_scores(&ints, scale, policy);
            let _ = ScoreCounts::from_weighted_scores(&scores, &weights, scale, policy);
            let codes: Vec<u32> = (0..scores.len() as u32).map(|i| i % 4).collect();
            let _ = GroupedCounts::from_scores(&codes, 4, &scores, scale, policy);
            let _ = GroupedCounts::from_scores(&codes, 2, &scores, scale, policy);
        }
    }

    /// Resampling: any counts, any number of resamples (small enough to run, or absurd), any
    /// method, seed and prior: a result or an `Err`.
    #[test]
    fn resampling_never_panics(
        cs in prop::collection::vec(prop_oneof![0u64..50, Just(100_000u64), Just(0u64)], 11),
        n in prop_oneof![0usize..40, Just(usize::MAX), Just(1usize << 62), Just(1_000_000_000)],
        method in any_method(), seed in any::<u64>(),
        prior in prop_oneof![any::<f64>(), Just(0.5)], top in any::<u32>(),
    ) {
        if let Ok(c) = ScoreCounts::from_counts(Scale::NPS, cs, 0) {
            let o = {
let mut o = ResamplingOptions::default();
o.method = method;
o.n_resamples = n;
o.seed = Some(seed);
o.prior = prior;
o
};
            let _ = resampled_nps(Indicator::Nps, &c, &o, Confidence::default());
            let _ = resampled_share(Indicator::TopBox, &c, top, &o, Confidence::default());
        }
    }

    /// Trend: any cell table (including one that does not match the groups x periods given), any
    /// window: a result or an `Err`.
    #[test]
    fn trend_never_panics(
        n_groups in 0usize..4, n_periods in 0usize..6, window in 0usize..8, extra in 0usize..2,
        scores in prop::collection::vec(0i32..11, 0..100),
    ) {
        let cells = (n_groups * n_periods + extra).max(1);
        let codes: Vec<u32> = (0..scores.len()).map(|i| (i % cells) as u32).collect();
        if let Ok(g) = GroupedCounts::from_scores(&codes, cells, &scores, Scale::NPS, MissingPolicy::Omit) {
            let spec = IndicatorSpec::Nps { indicator: Indicator::Nps, method: NpsMethod::AdjustedWald };
            if let (Ok(cells), Ok(options)) = (TrendCells::new(g, n_groups, n_periods), TrendOptions::default().with_window(window)) {
                let _ = cells.trend(spec, options);
            }
        }
    }
}
