//! The thread setting (issue 17, "a programmatic way to choose the threads"): one thread, a number,
//! or the caller's pool give the same results as the default, every parallel site honours the
//! setting, and the setting is restored after `with_threads`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cxmetrics::drivers::{driver_analysis, DriverOptions};
use cxmetrics::grouping::GroupedCounts;
use cxmetrics::indicator::resampled::weighted_resampled_nps;
use cxmetrics::interval::resampling::{ResamplingMethod, ResamplingOptions};
use cxmetrics::{
    set_threads, with_threads, Confidence, Executor, Indicator, MissingPolicy, Scale, ScoreCounts,
    Threads,
};

/// A pool of scoped threads that counts the tasks it was given.
struct CountingPool {
    threads: usize,
    tasks: AtomicUsize,
}

impl Executor for CountingPool {
    fn threads(&self) -> usize {
        self.threads
    }
    fn run(&self, tasks: usize, task: &(dyn Fn(usize) + Sync)) {
        self.tasks.fetch_add(tasks, Ordering::Relaxed);
        std::thread::scope(|s| {
            for i in 0..tasks {
                s.spawn(move || task(i));
            }
        });
    }
}

fn scores(n: usize) -> Vec<f64> {
    (0..n).map(|i| ((i * 7 + i / 13) % 11) as f64).collect()
}

fn work() -> (ScoreCounts, ScoreCounts, f64, f64, f64) {
    let s = scores(600_000);
    let w: Vec<f64> = (0..s.len()).map(|i| 0.5 + (i % 4) as f64).collect();
    let counts = ScoreCounts::from_scores(&s, Scale::NPS, MissingPolicy::Omit).unwrap();
    let weighted =
        ScoreCounts::from_weighted_scores(&s, &w, Scale::NPS, MissingPolicy::Omit).unwrap();
    let mut options = ResamplingOptions::new(ResamplingMethod::Bootstrap);
    options.n_resamples = 400;
    options.seed = Some(3);
    let boot = weighted_resampled_nps(
        Indicator::Nps,
        &s[..20_000],
        &w[..20_000],
        MissingPolicy::Omit,
        &options,
        Confidence::default(),
    )
    .unwrap();
    let a: Vec<f64> = s.iter().take(5_000).map(|x| x * 0.5).collect();
    let b: Vec<f64> = s.iter().take(5_000).map(|x| (x * 3.0) % 7.0).collect();
    let y: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(p, q)| p + 2.0 * q + (p * q) % 3.0)
        .collect();
    let mut d = DriverOptions::default();
    d.bootstrap = 50;
    d.seed = Some(1);
    let drivers = driver_analysis(("y", &y), &[("a", &a[..]), ("b", &b[..])], None, &d).unwrap();
    (
        counts,
        weighted,
        boot.lower(),
        boot.upper(),
        drivers.drivers[0].lower.unwrap_or(f64::NAN),
    )
}

#[test]
fn every_setting_gives_the_same_results() {
    let reference = work();
    for setting in [
        Threads::Count(1),
        Threads::Count(3),
        Threads::Count(100_000),
    ] {
        let got = with_threads(setting.clone(), work);
        assert_eq!(got.0, reference.0, "{setting:?}");
        assert_eq!(
            got.1, reference.1,
            "{setting:?}: weighted sums in block order"
        );
        assert_eq!((got.2, got.3), (reference.2, reference.3), "{setting:?}");
        assert_eq!(got.4.to_bits(), reference.4.to_bits(), "{setting:?}");
    }
    let pool = Arc::new(CountingPool {
        threads: 3,
        tasks: AtomicUsize::new(0),
    });
    let got = with_threads(Threads::Pool(pool.clone()), work);
    assert_eq!(got.0, reference.0);
    assert_eq!(got.1, reference.1);
    assert_eq!((got.2, got.3), (reference.2, reference.3));
    assert!(
        pool.tasks.load(Ordering::Relaxed) > 0,
        "the parallel sites ran on the caller's pool"
    );
}

#[test]
fn the_grouped_counts_honour_the_setting() {
    let s = scores(400_000);
    let codes: Vec<u32> = (0..s.len() as u32).map(|i| i % 37).collect();
    let all = GroupedCounts::from_scores(&codes, 37, &s, Scale::NPS, MissingPolicy::Omit).unwrap();
    let one = with_threads(Threads::Count(1), || {
        GroupedCounts::from_scores(&codes, 37, &s, Scale::NPS, MissingPolicy::Omit)
    })
    .unwrap();
    assert_eq!(all, one);
}

#[test]
fn weighted_groups_and_many_drivers_do_not_depend_on_the_threads() {
    use cxmetrics::grouping::{group_columns, GroupKeys, ScoreColumn};
    let s = scores(700_000);
    let w: Vec<f64> = (0..s.len()).map(|i| 0.1 + (i % 7) as f64 / 3.0).collect();
    let keys: Vec<i64> = (0..s.len() as i64).map(|i| (i * 31) % 1000).collect();
    let grouped = || {
        group_columns(
            GroupKeys::Integers(&keys),
            &[(ScoreColumn::F64(&s), Scale::NPS)],
            Some(&w),
            MissingPolicy::Omit,
        )
        .unwrap()
    };
    // Nine drivers: the subset regressions are split into blocks.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let x: Vec<Vec<f64>> = (0..9)
        .map(|_| (0..3_000).map(|_| (uniform() * 11.0).floor()).collect())
        .collect();
    let y: Vec<f64> = (0..3_000)
        .map(|i| x.iter().map(|c| c[i]).sum::<f64>() + (i % 7) as f64)
        .collect();
    let names: Vec<String> = (0..9).map(|j| format!("x{j}")).collect();
    let drivers = || {
        let columns: Vec<(&str, &[f64])> = names
            .iter()
            .map(String::as_str)
            .zip(x.iter().map(Vec::as_slice))
            .collect();
        let analysis =
            driver_analysis(("y", &y), &columns, None, &DriverOptions::default()).unwrap();
        analysis
            .drivers
            .iter()
            .map(|d| d.importance.to_bits())
            .collect::<Vec<u64>>()
    };
    let reference = (grouped(), drivers());
    for setting in [Threads::Count(1), Threads::Count(2), Threads::Count(5)] {
        let got = with_threads(setting.clone(), || (grouped(), drivers()));
        let (a, b) = (&got.0.columns[0], &reference.0.columns[0]);
        assert_eq!(a.n_groups(), 1000);
        for g in 0..a.n_groups() {
            assert_eq!(
                a.group(g),
                b.group(g),
                "{setting:?}: weighted sums in range order"
            );
        }
        assert_eq!(got.1, reference.1, "{setting:?}: the same R^2 paths");
    }
}

#[test]
fn with_threads_restores_the_setting_and_set_threads_applies() {
    let pool = Arc::new(CountingPool {
        threads: 2,
        tasks: AtomicUsize::new(0),
    });
    let s = scores(2_000_000);
    with_threads(Threads::Pool(pool.clone()), || {
        ScoreCounts::from_scores(&s, Scale::NPS, MissingPolicy::Omit).unwrap()
    });
    let after_scope = pool.tasks.load(Ordering::Relaxed);
    assert!(after_scope > 0);
    ScoreCounts::from_scores(&s, Scale::NPS, MissingPolicy::Omit).unwrap();
    assert_eq!(
        pool.tasks.load(Ordering::Relaxed),
        after_scope,
        "outside with_threads the pool is not used"
    );
    // The process setting (results do not depend on it, so other tests are unaffected).
    set_threads(Threads::Pool(pool.clone()));
    ScoreCounts::from_scores(&s, Scale::NPS, MissingPolicy::Omit).unwrap();
    set_threads(Threads::Auto);
    assert!(pool.tasks.load(Ordering::Relaxed) > after_scope);
    // A panic inside with_threads restores the previous setting.
    let r = std::panic::catch_unwind(|| with_threads(Threads::Count(1), || panic!("boom")));
    assert!(r.is_err());
}
