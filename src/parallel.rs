//! Splitting work between threads: the number of threads to use, and blocks of work claimed by
//! whichever thread is free (the calling thread being one of them).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The environment variable that sets the number of threads (like `RAYON_NUM_THREADS` or
/// `POLARS_MAX_THREADS`): a positive integer; anything else is ignored.
pub const THREADS_VARIABLE: &str = "CXMETRICS_NUM_THREADS";

/// The number of threads to use, read once per process: [`THREADS_VARIABLE`] when it holds a positive
/// integer, otherwise `std::thread::available_parallelism` (which on Linux reads the cgroup limits
/// from files, tens of microseconds per call, hence read once).
pub(crate) fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        threads_from(std::env::var(THREADS_VARIABLE).ok().as_deref())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
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
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(run)).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_sets_a_positive_count() {
        assert_eq!(threads_from(Some("3")), Some(3));
        assert_eq!(threads_from(Some(" 1 ")), Some(1));
        for ignored in [None, Some("0"), Some("-2"), Some("all"), Some("")] {
            assert_eq!(threads_from(ignored), None, "{ignored:?}");
        }
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
