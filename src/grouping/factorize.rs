//! Group keys (integers, or strings in Arrow layout) to dense codes `0..k` in sorted key order.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::hash::FxMap;

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

/// Rows per thread from which [`factorize_strings`] splits the rows between threads.
const PARALLEL_STRINGS: usize = 1 << 18;

/// Dense codes for string keys given in Arrow's layout (`offsets[i]..offsets[i + 1]` are the bytes
/// of row `i` in `data`, as in a `large_string` array): `codes[i]` is the rank of row `i`'s key among
/// the distinct keys in byte order (which is code point order for UTF-8), and `first_rows[c]` is the
/// first row holding the key of code `c`.
///
/// One hash-map pass per thread over its rows, the distinct keys merged and sorted, then the codes
/// renumbered. Keys are compared byte for byte, so there are no hash collisions to fear.
///
/// # Errors
/// [`Error::InvalidField`] when the offsets are not `n + 1` non-decreasing positions within `data`.
///
/// # Examples
///
/// ```
/// use cxmetrics::grouping::factorize_strings;
///
/// let data = b"webstoreweb";
/// let (codes, first_rows) = factorize_strings(&[0, 3, 8, 11], data)?;
/// assert_eq!(codes, vec![1, 0, 1]); // "store" < "web"
/// assert_eq!(first_rows, vec![1, 0]);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn factorize_strings(offsets: &[i64], data: &[u8]) -> Result<(Vec<u32>, Vec<usize>)> {
    let bad = |reason: String| Error::InvalidField {
        field: "offsets".to_owned(),
        value: format!("{} offsets for {} bytes", offsets.len(), data.len()),
        reason,
    };
    let Some(rows) = offsets.len().checked_sub(1) else {
        return Err(bad("there must be one more offset than rows".to_owned()));
    };
    if let Some(at) = (0..rows).find(|&i| offsets[i] > offsets[i + 1]) {
        return Err(bad(format!("offset {at} is above the next one")));
    }
    if offsets[0] < 0 || offsets[rows] as u128 > data.len() as u128 {
        return Err(bad("the offsets go outside the data".to_owned()));
    }
    if rows > u32::MAX as usize {
        return Err(bad("more than 2^32 - 1 rows".to_owned()));
    }
    let key = |i: usize| &data[offsets[i] as usize..offsets[i + 1] as usize];
    // Per thread: local codes in order of first appearance, and the first row of each.
    let threads = crate::parallel::threads()
        .min(rows / PARALLEL_STRINGS)
        .max(1);
    let chunk = rows.div_ceil(threads).max(1);
    let parts = crate::parallel::for_each_block(
        rows.div_ceil(chunk),
        threads,
        Vec::new,
        |done: &mut Vec<(usize, Vec<u32>, Vec<usize>)>, b| {
            let range = b * chunk..((b + 1) * chunk).min(rows);
            let mut ids: FxMap<&[u8], u32> = FxMap::default();
            let mut firsts = Vec::new();
            let codes = range
                .clone()
                .map(|i| {
                    *ids.entry(key(i)).or_insert_with(|| {
                        firsts.push(i);
                        firsts.len() as u32 - 1
                    })
                })
                .collect();
            done.push((b, codes, firsts));
        },
    );
    let mut parts: Vec<(usize, Vec<u32>, Vec<usize>)> = parts.into_iter().flatten().collect();
    parts.sort_unstable_by_key(|p| p.0);
    // The distinct keys of all parts (first rows in row order), sorted.
    let mut global: FxMap<&[u8], usize> = FxMap::default();
    for (_, _, firsts) in &parts {
        for &row in firsts {
            global.entry(key(row)).or_insert(row);
        }
    }
    let mut first_rows: Vec<usize> = global.into_values().collect();
    first_rows.sort_unstable_by(|&a, &b| key(a).cmp(key(b)));
    let rank: FxMap<&[u8], u32> = first_rows
        .iter()
        .enumerate()
        .map(|(code, &row)| (key(row), code as u32))
        .collect();
    let mut codes = Vec::with_capacity(rows);
    for (_, local, firsts) in parts {
        let to_global: Vec<u32> = firsts.iter().map(|&row| rank[key(row)]).collect();
        codes.extend(local.into_iter().map(|c| to_global[c as usize]));
    }
    Ok((codes, first_rows))
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

    /// Arrow layout of `keys`.
    fn layout(keys: &[&str]) -> (Vec<i64>, Vec<u8>) {
        let mut offsets = vec![0i64];
        let mut data = Vec::new();
        for k in keys {
            data.extend_from_slice(k.as_bytes());
            offsets.push(data.len() as i64);
        }
        (offsets, data)
    }

    #[test]
    fn string_keys_give_sorted_dense_codes() {
        let words = [
            "web", "", "tienda", "app", "Tienda", "ñu", "zoo", "web2", "we",
        ];
        let mut state = 9u64;
        for n in [0usize, 1, 7, 1000, 4 * PARALLEL_STRINGS + 3] {
            let keys: Vec<&str> = (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    words[(state >> 33) as usize % words.len()]
                })
                .collect();
            let (offsets, data) = layout(&keys);
            let (codes, first_rows) = factorize_strings(&offsets, &data).unwrap();
            let mut expected: Vec<&str> = keys.clone();
            expected.sort_unstable();
            expected.dedup();
            let uniques: Vec<&str> = first_rows.iter().map(|&r| keys[r]).collect();
            assert_eq!(uniques, expected, "n {n}");
            for (i, (k, c)) in keys.iter().zip(&codes).enumerate() {
                assert_eq!(uniques[*c as usize], *k);
                assert!(first_rows[*c as usize] <= i, "first row of {k}");
            }
        }
    }

    #[test]
    fn malformed_offsets_are_errors() {
        let data = b"abc";
        for offsets in [&[][..], &[0, 2, 1][..], &[0, 4][..], &[-1, 2][..]] {
            assert!(matches!(
                factorize_strings(offsets, data),
                Err(Error::InvalidField { .. })
            ));
        }
        assert_eq!(
            factorize_strings(&[1, 1, 3], data).unwrap(),
            (vec![0, 1], vec![0, 1])
        );
    }
}
