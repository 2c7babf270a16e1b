//! Integer group keys to dense codes `0..k` in sorted key order, in one or two passes.

use std::collections::HashMap;

/// Dense codes for integer keys: `codes[i]` is the rank of `keys[i]` among the distinct keys, and
/// `uniques` lists the distinct keys in ascending order (so `uniques[codes[i]] == keys[i]`).
///
/// Keys spanning a range of at most `max(4 n, 2^20)` values use a direct table (two linear passes);
/// wider ones a hash map plus a sort of the distinct keys.
///
/// # Examples
///
/// ```
/// use cxmetrics::grouping::factorize_integers;
///
/// let (codes, uniques) = factorize_integers(&[30, 10, 30, 20]);
/// assert_eq!(codes, vec![2, 0, 2, 1]);
/// assert_eq!(uniques, vec![10, 20, 30]);
/// ```
pub fn factorize_integers(keys: &[i64]) -> (Vec<u32>, Vec<i64>) {
    let (Some(&min), Some(&max)) = (keys.iter().min(), keys.iter().max()) else {
        return (Vec::new(), Vec::new());
    };
    let span = (max as i128 - min as i128 + 1) as u128;
    if span <= (4 * keys.len() as u128).max(1 << 20) {
        let mut table = vec![u32::MAX; span as usize];
        for &k in keys {
            table[(k - min) as usize] = 0;
        }
        let mut uniques = Vec::new();
        for (offset, slot) in table.iter_mut().enumerate() {
            if *slot == 0 {
                *slot = uniques.len() as u32;
                uniques.push(min + offset as i64);
            }
        }
        let codes = keys.iter().map(|&k| table[(k - min) as usize]).collect();
        (codes, uniques)
    } else {
        let mut seen: HashMap<i64, u32> = HashMap::new();
        for &k in keys {
            seen.entry(k).or_insert(0);
        }
        let mut uniques: Vec<i64> = seen.keys().copied().collect();
        uniques.sort_unstable();
        for (code, k) in uniques.iter().enumerate() {
            seen.insert(*k, code as u32);
        }
        let codes = keys.iter().map(|k| seen[k]).collect();
        (codes, uniques)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_keys_give_sorted_dense_codes() {
        for keys in [
            vec![5i64, -3, 5, 7, -3],
            vec![i64::MIN, i64::MAX, 0, i64::MAX],
        ] {
            let (codes, uniques) = factorize_integers(&keys);
            let mut expected: Vec<i64> = keys.clone();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(uniques, expected);
            for (k, c) in keys.iter().zip(&codes) {
                assert_eq!(uniques[*c as usize], *k);
            }
        }
        assert_eq!(factorize_integers(&[]), (vec![], vec![]));
    }
}
