//! Splitting work between threads: the number of threads to use, and blocks of work claimed by
//! whichever thread is free (the calling thread being one of them).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// The environment variable that sets the number of threads (like `RAYON_NUM_THREADS` or
/// `POLARS_MAX_THREADS`): a positive integer; anything else is ignored.
pub const THREADS_VARIABLE: &str = "CXMETRICS_NUM_THREADS";

/// The most threads a call uses, whatever [`THREADS_VARIABLE`] says: more would only cost thread
/// starts and memory (`CXMETRICS_NUM_THREADS=5000` once made a call fail to spawn its threads).
pub const MAX_THREADS: usize = 256;

/// How many threads the crate's parallel work may use, and where it runs.
///
/// The default ([`Threads::Auto`]) is [`THREADS_VARIABLE`] when it holds a positive integer,
/// otherwise the machine's available parallelism, at most [`MAX_THREADS`]; the crate then starts
/// scoped threads of its own inside a call. A service that has its own pool (rayon, tokio's blocking
/// pool) says so with [`Threads::Pool`], or keeps every call on the calling thread with
/// [`Threads::Count`]`(1)`, so that the crate never oversubscribes the machine.
///
/// Set it for the process with [`set_threads`], or for one piece of work on the calling thread with
/// [`with_threads`] (which wins over the process setting). Results never depend on the setting:
/// every parallel computation combines its parts in a fixed order and seeds resamples per index.
///
/// # Examples
/// ```
/// use cxmetrics::{with_threads, Threads, MissingPolicy, Scale, ScoreCounts};
/// let scores: Vec<u8> = (0..1_000_000u32).map(|i| (i % 11) as u8).collect();
/// let parallel = ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit)?;
/// let one = with_threads(Threads::Count(1), || {
///     ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit)
/// })?;
/// assert_eq!(parallel, one);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Threads {
    /// [`THREADS_VARIABLE`], else the available parallelism (at most [`MAX_THREADS`]).
    #[default]
    Auto,
    /// This many threads (the calling thread included; 1: the calling thread only; at most
    /// [`MAX_THREADS`]).
    Count(usize),
    /// The caller's pool: parallel work is handed to this executor, with as many tasks as it says
    /// it has threads.
    Pool(std::sync::Arc<dyn Executor>),
}

impl std::fmt::Debug for Threads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Threads::Auto => f.write_str("Auto"),
            Threads::Count(n) => write!(f, "Count({n})"),
            Threads::Pool(p) => write!(f, "Pool({} threads)", p.threads()),
        }
    }
}

/// A caller's thread pool, for [`Threads::Pool`].
///
/// # Examples
/// A pool of plain scoped threads (a rayon pool would call `rayon::scope` or `par_iter` instead):
/// ```
/// use std::sync::Arc;
/// use cxmetrics::{set_threads, with_threads, Executor, Threads, MissingPolicy, Scale, ScoreCounts};
///
/// struct Scoped(usize);
/// impl Executor for Scoped {
///     fn threads(&self) -> usize { self.0 }
///     fn run(&self, tasks: usize, task: &(dyn Fn(usize) + Sync)) {
///         std::thread::scope(|s| { for i in 0..tasks { s.spawn(move || task(i)); } });
///     }
/// }
/// let scores: Vec<f64> = (0..500_000).map(|i| (i % 11) as f64).collect();
/// let c = with_threads(Threads::Pool(Arc::new(Scoped(3))), || {
///     ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit)
/// })?;
/// assert_eq!(c.n(), 500_000);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub trait Executor: Send + Sync {
    /// How many tasks the pool runs at once (the crate splits its work into this many parts).
    fn threads(&self) -> usize;
    /// Runs `task(i)` for every `i` in `0..tasks`, concurrently as the pool sees fit, and returns
    /// once all have returned. A task may run on the calling thread.
    fn run(&self, tasks: usize, task: &(dyn Fn(usize) + Sync));
}

static PROCESS_THREADS: std::sync::RwLock<Option<Threads>> = std::sync::RwLock::new(None);

thread_local! {
    /// The setting of [`with_threads`] on this thread, if any.
    static SCOPED_THREADS: RefCell<Option<Threads>> = const { RefCell::new(None) };
}

/// Sets how many threads the crate's parallel work uses in this process (see [`Threads`]); it
/// replaces [`THREADS_VARIABLE`]. [`with_threads`] overrides it on one thread.
pub fn set_threads(threads: Threads) {
    let mut slot = PROCESS_THREADS.write().unwrap_or_else(|e| e.into_inner());
    *slot = Some(threads);
}

/// Runs `work` on the calling thread with `threads` as the crate's thread setting (restored
/// afterwards, even on a panic).
pub fn with_threads<R>(threads: Threads, work: impl FnOnce() -> R) -> R {
    struct Restore(Option<Threads>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            SCOPED_THREADS.with(|s| *s.borrow_mut() = previous);
        }
    }
    let previous = SCOPED_THREADS.with(|s| s.borrow_mut().replace(threads));
    let _restore = Restore(previous);
    work()
}

/// The setting in force on this thread: [`with_threads`], else [`set_threads`], else `Auto`.
fn setting() -> Threads {
    if let Some(t) = SCOPED_THREADS.with(|s| s.borrow().clone()) {
        return t;
    }
    PROCESS_THREADS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_default()
}

/// The pool to hand work to, if the setting is [`Threads::Pool`].
fn executor() -> Option<std::sync::Arc<dyn Executor>> {
    match setting() {
        Threads::Pool(p) => Some(p),
        _ => None,
    }
}

/// The number of threads to use: the [`Threads`] setting in force, at most [`MAX_THREADS`].
pub(crate) fn threads() -> usize {
    match setting() {
        Threads::Auto => auto_threads(),
        Threads::Count(n) => n.clamp(1, MAX_THREADS),
        Threads::Pool(p) => p.threads().clamp(1, MAX_THREADS),
    }
}

/// [`THREADS_VARIABLE`] when it holds a positive integer, otherwise
/// `std::thread::available_parallelism` (which on Linux reads the cgroup limits from files, tens of
/// microseconds per call, hence read once per process); at most [`MAX_THREADS`].
fn auto_threads() -> usize {
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

/// The crate's one parallel primitive: runs `work(&mut state, block)` for every block in
/// `0..blocks` on up to `threads` threads (the calling thread is one of them) and returns the state
/// of each thread, with whether the run was stopped by the interrupt check.
///
/// Blocks are claimed one at a time from a shared counter, so the calling thread starts at once and a
/// thread that starts late (a thread start costs 0.1 ms on some virtual machines) or runs on a busy
/// core simply takes fewer blocks; a thread that cannot be started (the system's limit on threads or
/// memory) is simply not there, and a pool that runs fewer tasks than asked leaves its blocks to the
/// calling thread: every block is run exactly once unless the run is stopped. Which thread handles
/// which block varies from run to run; callers whose result depends on the order (floating-point
/// sums) keep per-block results and combine them in block order ([`map_blocks`]).
///
/// When `interruptible`, the calling thread asks its interrupt check ([`with_interrupt_check`])
/// between its blocks, at most every 20 ms; when it fires, no thread claims another block and the
/// second value is `true`. On the caller's pool ([`Threads::Pool`]) the calling thread may not run
/// any block, so the check is asked once, before the blocks are handed over.
fn run_blocks<S, I, W>(
    blocks: usize,
    threads: usize,
    interruptible: bool,
    init: I,
    work: W,
) -> (Vec<S>, bool)
where
    S: Send,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, usize) + Sync,
{
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let worker = || {
        let mut state = init();
        while !stop.load(Ordering::Relaxed) {
            let block = next.fetch_add(1, Ordering::Relaxed);
            if block >= blocks {
                break;
            }
            work(&mut state, block);
        }
        state
    };
    let polls = interruptible && has_interrupt_check();
    // The calling thread's share of the work: the same loop, asking the interrupt check between
    // blocks.
    let caller = || {
        if !polls {
            return worker();
        }
        let mut state = init();
        let mut asked = Instant::now();
        if interrupted() {
            stop.store(true, Ordering::Relaxed);
        }
        while !stop.load(Ordering::Relaxed) {
            if asked.elapsed() >= POLL {
                if interrupted() {
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                asked = Instant::now();
            }
            let block = next.fetch_add(1, Ordering::Relaxed);
            if block >= blocks {
                break;
            }
            work(&mut state, block);
        }
        state
    };
    let threads = threads.clamp(1, blocks.max(1));
    let mut states = Vec::with_capacity(threads + 1);
    if threads == 1 {
        states.push(caller());
    } else if let Some(pool) = executor() {
        if polls && interrupted() {
            return (states, true);
        }
        let pooled = std::sync::Mutex::new(Vec::with_capacity(threads));
        pool.run(threads, &|_| {
            let state = worker();
            pooled.lock().unwrap_or_else(|e| e.into_inner()).push(state);
        });
        states = pooled.into_inner().unwrap_or_else(|e| e.into_inner());
        // Blocks a pool left unclaimed (it ran fewer tasks than asked) run here.
        if next.load(Ordering::Relaxed) < blocks {
            states.push(caller());
        }
    } else {
        let (worker, caller) = (&worker, &caller);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (1..threads)
                .map_while(|_| std::thread::Builder::new().spawn_scoped(scope, worker).ok())
                .collect();
            states.push(caller());
            states.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
            );
        });
    }
    (states, stop.load(Ordering::Relaxed))
}

/// Runs `work(&mut state, block)` for every block in `0..blocks` on up to `threads` threads (see
/// [`run_blocks`]) and returns the state of each thread. Not interruptible: for the counting
/// kernels, whose blocks take microseconds and whose whole run takes at most a fraction of a second.
pub(crate) fn for_each_block<S, I, W>(blocks: usize, threads: usize, init: I, work: W) -> Vec<S>
where
    S: Send,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, usize) + Sync,
{
    run_blocks(blocks, threads, false, init, work).0
}

/// `work(block)` for every block in `0..blocks` on up to `threads` threads (see [`run_blocks`]),
/// in block order whatever thread ran each, and whether the interrupt check stopped the run.
fn blocks_in_order<R, W>(
    blocks: usize,
    threads: usize,
    interruptible: bool,
    work: W,
) -> (Vec<R>, bool)
where
    R: Send,
    W: Fn(usize) -> R + Sync,
{
    let (states, stopped) = run_blocks(blocks, threads, interruptible, Vec::new, |done, block| {
        done.push((block, work(block)));
    });
    let mut done: Vec<(usize, R)> = states.into_iter().flatten().collect();
    done.sort_unstable_by_key(|(block, _)| *block);
    (done.into_iter().map(|(_, r)| r).collect(), stopped)
}

/// `work(block)` for every block in `0..blocks` on up to `threads` threads (see [`run_blocks`]),
/// in block order whatever thread ran each. Not interruptible: for short computations (counting,
/// scanning, subset regressions) whose callers combine the parts in block order, so that the result
/// does not depend on the threads when the blocks are fixed by the data alone.
pub(crate) fn map_blocks_in_order<R, W>(blocks: usize, threads: usize, work: W) -> Vec<R>
where
    R: Send,
    W: Fn(usize) -> R + Sync,
{
    blocks_in_order(blocks, threads, false, work).0
}

/// `work(block)` for every block in `0..blocks` on up to `threads` threads (see [`run_blocks`]),
/// in block order whatever thread ran each: for long computations (resamples, bootstrap
/// replicates), which the interrupt check can stop between blocks.
///
/// # Errors
/// [`Error::Interrupted`] when the interrupt check of the calling thread fires.
pub(crate) fn map_blocks<R, W>(blocks: usize, threads: usize, work: W) -> Result<Vec<R>>
where
    R: Send,
    W: Fn(usize) -> R + Sync,
{
    match blocks_in_order(blocks, threads, true, work) {
        (_, true) => Err(Error::Interrupted),
        (done, false) => Ok(done),
    }
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
    fn mapped_blocks_come_in_order_and_stop_on_an_interrupt() {
        for threads in [1, 2, 7] {
            let out = map_blocks(1000, threads, |b| b * 10).unwrap();
            assert_eq!(out, (0..1000).map(|b| b * 10).collect::<Vec<_>>());
        }
        let ran = AtomicUsize::new(0);
        let stopped = with_interrupt_check(
            || true,
            || {
                map_blocks(1_000_000, 2, |_| {
                    ran.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_micros(50));
                })
            },
        );
        assert_eq!(stopped, Err(Error::Interrupted));
        assert!(ran.load(Ordering::Relaxed) < 1_000_000, "stopped early");
        assert!(!has_interrupt_check(), "the check is removed afterwards");
        // Without an interrupt check nothing stops.
        assert_eq!(map_blocks(3, 2, |b| b).unwrap(), [0, 1, 2]);
    }

    /// A pool that runs none of the tasks it is given: the calling thread runs the blocks it left.
    struct Lazy;
    impl Executor for Lazy {
        fn threads(&self) -> usize {
            4
        }
        fn run(&self, _tasks: usize, _task: &(dyn Fn(usize) + Sync)) {}
    }

    #[test]
    fn a_pool_that_skips_tasks_loses_no_block() {
        let pool = Threads::Pool(std::sync::Arc::new(Lazy));
        let out = with_threads(pool.clone(), || map_blocks(100, 4, |b| b).unwrap());
        assert_eq!(out, (0..100).collect::<Vec<_>>());
        let states = with_threads(pool, || for_each_block(100, 4, || 0usize, |n, _| *n += 1));
        assert_eq!(states.iter().sum::<usize>(), 100);
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
