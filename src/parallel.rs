//! Splitting work between threads: the number of threads to use, and a scoped map over the parts of
//! a slice that runs the first part on the calling thread.

use std::sync::OnceLock;

/// The number of threads to use: `std::thread::available_parallelism`, read once per process (on
/// Linux it reads the cgroup limits from files, tens of microseconds per call).
pub(crate) fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `f` of each of `parts` contiguous parts of `items` (equal but for the last), in order. The first
/// part runs on the calling thread and the others on scoped threads, so that `parts = 2` costs one
/// thread start, not two.
pub(crate) fn map_parts<T, R, F>(items: &[T], parts: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let chunk = items.len().div_ceil(parts.max(1)).max(1);
    if parts <= 1 || items.len() <= chunk {
        return vec![f(items)];
    }
    let f = &f;
    std::thread::scope(|scope| {
        let mut pieces = items.chunks(chunk);
        let first = pieces.next().expect("at least two parts");
        let handles: Vec<_> = pieces.map(|part| scope.spawn(move || f(part))).collect();
        let mut results = Vec::with_capacity(handles.len() + 1);
        results.push(f(first));
        results.extend(
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
        );
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_the_slice_in_order() {
        let items: Vec<u32> = (0..1001).collect();
        for parts in [0, 1, 2, 3, 7, 2000] {
            let sums = map_parts(&items, parts, |p| (p[0], p.len()));
            let total: usize = sums.iter().map(|s| s.1).sum();
            assert_eq!(total, items.len(), "{parts} parts");
            assert_eq!(sums[0].0, 0);
            assert!(sums.windows(2).all(|w| w[0].0 < w[1].0));
            assert!(sums.len() <= parts.max(1));
        }
        assert_eq!(map_parts(&[] as &[u32], 2, |p| p.len()), vec![0]);
        assert!(threads() >= 1);
    }
}
