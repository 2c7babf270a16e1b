//! Splitting work between threads: the number of threads to use, and blocks of work claimed by
//! whichever thread is free (the calling thread being one of them).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use crate::error::{Error, Result};

/// The environment variable that sets the number of threads (like `RAYON_NUM_THREADS` or
/// `POLARS_MAX_THREADS`): a positive integer; anything else is ignored.
pub const THREADS_VARIABLE: &str = "CXMETRICS_NUM_THREADS";

/// The most threads a call uses, whatever [`THREADS_VARIABLE`] says: more would only cost thread
/// starts and memory (`CXMETRICS_NUM_THREADS=5000` once made a call fail to spawn its threads).
pub const MAX_THREADS: usize = 256;

/// The number of threads to use, read once per process: [`THREADS_VARIABLE`] when it holds a positive
/// integer, otherwise `std::thread::available_parallelism` (which on Linux reads the cgroup limits
/// from files, tens of microseconds per call, hence read once); at most [`MAX_THREADS`].
pub(crate) fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        threads_from(std::env::var(THREADS_VARIABLE).ok().as_deref())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .min(MAX_THREADS)
    })
}

/// The thread count a value of [`THREADS_VARIABLE`] asks for, if it is a positive integer.
fn threads_from(value: Option<&str>) -> Option<usize> {
    value
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
}

/// Runs `work(&mut state, block)` for every block in `0..blocks`, on `threads` threads (the calling
/// thread is one of them), and returns the state of each thread.
///
/// Blocks are claimed one at a time from a shared counter, so the calling thread starts at once and a
/// thread that starts late (a thread start costs 0.1 ms on some virtual machines) or runs on a busy
/// core simply takes fewer blocks. Which thread handles which block varies from run to run; callers
/// whose result depends on the order (floating-point sums) keep per-block results and combine them in
/// block order.
pub(crate) fn for_each_block<S, I, W>(blocks: usize, threads: usize, init: I, work: W) -> Vec<S>
where
    S: Send,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, usize) + Sync,
{
    let next = AtomicUsize::new(0);
    let run = || {
        let mut state = init();
        loop {
            let block = next.fetch_add(1, Ordering::Relaxed);
            if block >= blocks {
                return state;
            }
            work(&mut state, block);
        }
    };
    let threads = threads.clamp(1, blocks.max(1));
    if threads == 1 {
        return vec![run()];
    }
    let run = &run;
    std::thread::scope(|scope| {
        // A thread that cannot be started (the system's limit on threads or memory) is simply not
        // there: the blocks are claimed by the threads that are.
        let handles: Vec<_> = (1..threads)
            .map_while(|_| std::thread::Builder::new().spawn_scoped(scope, run).ok())
            .collect();
        let mut states = Vec::with_capacity(threads);
        states.push(run());
        states.extend(
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
        );
        states
    })
}

type InterruptCheck = Box<dyn Fn() -> bool>;

thread_local! {
    /// The interrupt check installed on this thread by [`with_interrupt_check`], if any.
    static INTERRUPT: RefCell<Option<InterruptCheck>> = const { RefCell::new(None) };
}

/// Runs `work` with `check` installed as the interrupt check of this thread: the long computations
/// of the crate (bootstrap and resampled intervals, driver bootstraps) call it every few
/// milliseconds from the calling thread while their worker threads run, and when it returns `true`
/// they stop their workers and return [`Error::Interrupted`]. The Python binding installs a check
/// of Python's signal handlers, so Ctrl-C stops a long call; a service can install a deadline or a
/// cancellation flag. The previous check (if any) is restored afterwards, even on a panic.
///
/// # Examples
/// ```
/// use std::time::{Duration, Instant};
/// use cxmetrics::interval::resampling::{weighted_bootstrap_interval, ResamplingMethod,
///     ResamplingOptions};
/// use cxmetrics::{with_interrupt_check, Confidence, Error};
///
/// let scores: Vec<f64> = (0..100_000).map(|i| (i % 11) as f64).collect();
/// let weights = vec![1.0; scores.len()];
/// let mut options = ResamplingOptions::new(ResamplingMethod::Bootstrap);
/// options.n_resamples = 1_000_000; // far longer than the deadline
/// let deadline = Instant::now() + Duration::from_millis(50);
/// let result = with_interrupt_check(move || Instant::now() > deadline, || {
///     weighted_bootstrap_interval(&scores, &weights, 0.0, &options,
///         Confidence::default())
/// });
/// assert_eq!(result, Err(Error::Interrupted));
/// ```
pub fn with_interrupt_check<R>(check: impl Fn() -> bool + 'static, work: impl FnOnce() -> R) -> R {
    struct Restore(Option<InterruptCheck>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            INTERRUPT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let previous = INTERRUPT.with(|c| c.borrow_mut().replace(Box::new(check)));
    let _restore = Restore(previous);
    work()
}

/// Whether the interrupt check of this thread (if any) asks to stop.
fn interrupted() -> bool {
    INTERRUPT.with(|c| c.borrow().as_ref().is_some_and(|check| check()))
}

/// Whether this thread has an interrupt check installed.
fn has_interrupt_check() -> bool {
    INTERRUPT.with(|c| c.borrow().is_some())
}

/// How often the calling thread asks its interrupt check while workers run.
const POLL: Duration = Duration::from_millis(20);

/// Runs `work(part, stop)` for every part in `0..parts`, each on a thread of its own, and returns
/// the results in part order. Workers should return early once `stop` is set (checking it between
/// units of work, with a relaxed load). While they run, the calling thread asks its interrupt check
/// (see [`with_interrupt_check`]) every 20 ms; when it fires, `stop` is set and the call returns
/// [`Error::Interrupted`]. A part whose thread cannot be started runs on the calling thread.
pub(crate) fn run_parts<R, W>(parts: usize, work: W) -> Result<Vec<R>>
where
    R: Send,
    W: Fn(usize, &AtomicBool) -> R + Sync,
{
    let stop = AtomicBool::new(false);
    let (work, stop_ref) = (&work, &stop);
    let results = std::thread::scope(|scope| {
        let mut inline = Vec::new();
        let handles: Vec<_> = (0..parts)
            .map(|part| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || work(part, stop_ref))
                    .map_err(|_| part)
            })
            .collect();
        if has_interrupt_check() {
            while !handles
                .iter()
                .all(|h| h.as_ref().map_or(true, |h| h.is_finished()))
            {
                if interrupted() {
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                std::thread::sleep(POLL);
            }
        }
        for h in &handles {
            if let Err(part) = h {
                if !stop.load(Ordering::Relaxed) {
                    inline.push((*part, work(*part, stop_ref)));
                }
            }
        }
        let mut results: Vec<Option<R>> = (0..parts).map(|_| None).collect();
        for (part, h) in handles.into_iter().enumerate() {
            if let Ok(h) = h {
                results[part] = Some(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
        }
        for (part, r) in inline {
            results[part] = Some(r);
        }
        results
    });
    if stop.load(Ordering::Relaxed) {
        return Err(Error::Interrupted);
    }
    Ok(results.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_sets_a_positive_count() {
        assert_eq!(threads_from(Some("3")), Some(3));
        assert_eq!(threads_from(Some(" 1 ")), Some(1));
        assert_eq!(
            threads_from(Some("5000")),
            Some(5000),
            "capped by threads(), not here"
        );
        for ignored in [None, Some("0"), Some("-2"), Some("all"), Some("")] {
            assert_eq!(threads_from(ignored), None, "{ignored:?}");
        }
    }

    #[test]
    fn parts_run_once_in_order_and_stop_on_an_interrupt() {
        let out = run_parts(5, |p, _| p * 10).unwrap();
        assert_eq!(out, [0, 10, 20, 30, 40]);
        let stopped = with_interrupt_check(
            || true,
            || {
                run_parts(2, |_, stop| {
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::yield_now();
                    }
                })
            },
        );
        assert_eq!(stopped, Err(Error::Interrupted));
        assert!(!has_interrupt_check(), "the check is removed afterwards");
    }

    #[test]
    fn every_block_is_run_once() {
        assert!(threads() >= 1);
        for (blocks, threads) in [(0, 2), (1, 2), (5, 1), (1000, 2), (1000, 7)] {
            let states = for_each_block(blocks, threads, Vec::new, |seen, b| seen.push(b));
            assert!(!states.is_empty() && states.len() <= threads.max(1));
            let mut all: Vec<usize> = states.into_iter().flatten().collect();
            all.sort_unstable();
            assert_eq!(all, (0..blocks).collect::<Vec<_>>(), "every block once");
        }
        assert!(threads() >= 1);
    }
}
