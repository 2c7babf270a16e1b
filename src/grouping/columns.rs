//! Several score columns grouped by one key column, in one multi-threaded pass over the rows.
//!
//! The rows are processed in blocks: each block's keys are turned into group indexes once, then
//! every score column of the block is counted into its own (group x scale point) table, so the keys
//! are read once whatever the number of indicators. Above [`PARALLEL_ROWS`] rows the rows are
//! split into ranges fixed by the data (never by the thread setting), each counted into its own
//! tables by whichever thread is free, and the tables are added in range order: weighted sums are
//! the same whatever the threads.

use super::{factorize_integers, GroupedCounts};
use crate::counts::{MissingPolicy, ScoreCounts, ScoreValue, WeightSums};
use crate::error::{Error, Result};
use crate::scale::Scale;

/// Rows per block: the block's group indexes stay in L1 cache while each column is counted.
const BLOCK: usize = 2048;
/// Inputs at least this long are counted on several threads.
pub const PARALLEL_ROWS: usize = 1 << 18;
/// Per-thread tables above this many bytes disable threading (the tables would not stay in cache).
const MAX_THREAD_TABLE_BYTES: usize = 1 << 24;

/// A borrowed column of scores of any supported numeric type.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ScoreColumn<'a> {
    /// `i8` scores.
    I8(&'a [i8]),
    /// `i16` scores.
    I16(&'a [i16]),
    /// `i32` scores.
    I32(&'a [i32]),
    /// `i64` scores.
    I64(&'a [i64]),
    /// `u8` scores.
    U8(&'a [u8]),
    /// `u16` scores.
    U16(&'a [u16]),
    /// `u32` scores.
    U32(&'a [u32]),
    /// `u64` scores.
    U64(&'a [u64]),
    /// `f32` scores (NaN = missing).
    F32(&'a [f32]),
    /// `f64` scores (NaN = missing).
    F64(&'a [f64]),
}

macro_rules! dispatch {
    ($column:expr, $s:ident => $body:expr) => {
        match $column {
            ScoreColumn::I8($s) => $body,
            ScoreColumn::I16($s) => $body,
            ScoreColumn::I32($s) => $body,
            ScoreColumn::I64($s) => $body,
            ScoreColumn::U8($s) => $body,
            ScoreColumn::U16($s) => $body,
            ScoreColumn::U32($s) => $body,
            ScoreColumn::U64($s) => $body,
            ScoreColumn::F32($s) => $body,
            ScoreColumn::F64($s) => $body,
        }
    };
}

impl ScoreColumn<'_> {
    /// The number of scores.
    pub fn len(&self) -> usize {
        dispatch!(*self, s => s.len())
    }

    /// Whether the column is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first score that is invalid on `scale` (or missing, under [`MissingPolicy::Raise`]).
    fn first_problem(&self, scale: Scale, policy: MissingPolicy) -> Option<Error> {
        dispatch!(*self, s => crate::counts::first_problem(s, scale, policy))
    }
}

/// The group of every row.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum GroupKeys<'a> {
    /// Group codes `0..n_groups`, e.g. from a data frame's `groupby().ngroup()`.
    Codes {
        /// One code per row.
        codes: &'a [u32],
        /// The number of groups.
        n_groups: usize,
    },
    /// Integer keys (touchpoint ids, store numbers...): the groups are the distinct keys, in
    /// increasing order. A dense range of keys is indexed directly, without factorizing.
    Integers(&'a [i64]),
}

impl GroupKeys<'_> {
    fn len(&self) -> usize {
        match self {
            GroupKeys::Codes { codes, .. } => codes.len(),
            GroupKeys::Integers(keys) => keys.len(),
        }
    }
}

/// Per-column grouped counts, and the integer key of each group (for [`GroupKeys::Integers`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedColumns {
    /// The key of each group, increasing (empty for [`GroupKeys::Codes`], whose groups are the
    /// codes themselves).
    pub keys: Vec<i64>,
    /// One [`GroupedCounts`] per score column, all with the same groups.
    pub columns: Vec<GroupedCounts>,
}

/// How rows map to table rows: `slot = key - offset` for `0 <= slot < slots`.
enum Mapping<'a> {
    Codes(&'a [u32]),
    Offset(&'a [i64], i64),
}

impl Mapping<'_> {
    /// Fills `out` with the table row of rows `start..start + out.len()`.
    #[inline]
    fn fill(&self, start: usize, out: &mut [u32]) {
        match *self {
            Mapping::Codes(codes) => out.copy_from_slice(&codes[start..start + out.len()]),
            Mapping::Offset(keys, offset) => {
                let len = out.len();
                for (o, &k) in out.iter_mut().zip(&keys[start..start + len]) {
                    *o = k.wrapping_sub(offset) as u32;
                }
            }
        }
    }
}

/// Counts of one thread: per column, `slots * stride` cells (stride = points + 2: the points, an
/// invalid bin and a missing bin), plus the weight sums when weighted.
struct Tables {
    counts: Vec<Vec<u64>>,
    sums: Vec<Vec<f64>>,
    sums_sq: Vec<Vec<f64>>,
}

/// Unweighted counting goes through `u16` tables (a quarter of the cache of `u64`: 1000 groups of
/// NPS fit in L1), added into the `u64` totals every [`FLUSH_ROWS`] rows, before any cell can
/// overflow.
const FLUSH_ROWS: usize = (u16::MAX as usize / BLOCK) * BLOCK;

fn count_block<T: ScoreValue>(
    scores: &[T],
    rows: &[u32],
    table: &mut [u16],
    stride: usize,
    min: i64,
    points: u64,
    codes: &mut [u8],
) {
    debug_assert!(rows
        .iter()
        .all(|&g| (g as usize + 1) * stride <= table.len()));
    let codes = &mut codes[..scores.len()];
    if crate::counts::narrow_codes(scores, min, points as usize, codes) {
        // The bins of the block computed 32 at a time (scales of at most 16 points).
        for (&c, &g) in codes.iter().zip(rows) {
            let idx = g as usize * stride + c as usize;
            // SAFETY: as below; a code is at most points + 1 < stride.
            unsafe { *table.get_unchecked_mut(idx) += 1 };
        }
        return;
    }
    for (&s, &g) in scores.iter().zip(rows) {
        let idx = g as usize * stride + s.bin(min, points);
        // SAFETY: `g` is below the number of table rows (codes are checked against `n_groups`,
        // integer keys lie in [min, max] of the keys, factorized codes index the distinct keys),
        // and `bin <= points + 1 < stride`.
        unsafe { *table.get_unchecked_mut(idx) += 1 };
    }
}

#[allow(clippy::too_many_arguments)]
fn count_block_weighted<T: ScoreValue>(
    scores: &[T],
    weights: &[f64],
    rows: &[u32],
    n: &mut [u64],
    sw: &mut [f64],
    sw2: &mut [f64],
    stride: usize,
    min: i64,
    points: u64,
    codes: &mut [u8],
) {
    let codes = &mut codes[..scores.len()];
    if crate::counts::narrow_codes(scores, min, points as usize, codes) {
        for ((&c, &w), &g) in codes.iter().zip(weights).zip(rows) {
            let idx = g as usize * stride + c as usize;
            n[idx] += 1;
            sw[idx] += w;
            sw2[idx] += w * w;
        }
        return;
    }
    for ((&s, &w), &g) in scores.iter().zip(weights).zip(rows) {
        let idx = g as usize * stride + s.bin(min, points);
        n[idx] += 1;
        sw[idx] += w;
        sw2[idx] += w * w;
    }
}

fn count_range(
    mapping: &Mapping<'_>,
    columns: &[(ScoreColumn<'_>, Scale)],
    weights: Option<&[f64]>,
    slots: usize,
    range: std::ops::Range<usize>,
) -> Tables {
    let cells = |scale: &Scale| slots * (scale.points() + 2);
    let mut tables = Tables {
        counts: columns.iter().map(|(_, s)| vec![0u64; cells(s)]).collect(),
        sums: Vec::new(),
        sums_sq: Vec::new(),
    };
    if weights.is_some() {
        tables.sums = columns.iter().map(|(_, s)| vec![0.0; cells(s)]).collect();
        tables.sums_sq = tables.sums.clone();
    }
    let mut small: Vec<Vec<u16>> = match weights {
        None => columns.iter().map(|(_, s)| vec![0u16; cells(s)]).collect(),
        Some(_) => Vec::new(),
    };
    let flush = |small: &mut Vec<Vec<u16>>, totals: &mut Vec<Vec<u64>>| {
        for (s, t) in small.iter_mut().zip(totals.iter_mut()) {
            for (x, y) in s.iter_mut().zip(t.iter_mut()) {
                *y += u64::from(*x);
                *x = 0;
            }
        }
    };
    let mut rows = vec![0u32; BLOCK];
    let mut codes = vec![0u8; BLOCK];
    let mut start = range.start;
    let mut since_flush = 0;
    while start < range.end {
        let end = (start + BLOCK).min(range.end);
        let rows = &mut rows[..end - start];
        mapping.fill(start, rows);
        if since_flush == FLUSH_ROWS {
            flush(&mut small, &mut tables.counts);
            since_flush = 0;
        }
        since_flush += end - start;
        for (c, (column, scale)) in columns.iter().enumerate() {
            let (min, points) = (scale.min(), scale.points() as u64);
            let stride = scale.points() + 2;
            match weights {
                None => {
                    let table = &mut small[c];
                    dispatch!(*column, s => count_block(&s[start..end], rows, table, stride, min, points, &mut codes));
                }
                Some(w) => {
                    let (n, sw, sw2) = (
                        &mut tables.counts[c],
                        &mut tables.sums[c],
                        &mut tables.sums_sq[c],
                    );
                    dispatch!(*column, s => count_block_weighted(&s[start..end], &w[start..end], rows, n, sw, sw2, stride, min, points, &mut codes));
                }
            }
        }
        start = end;
    }
    flush(&mut small, &mut tables.counts);
    tables
}

fn add_into<T: Copy + std::ops::AddAssign>(into: &mut [Vec<T>], from: Vec<Vec<T>>) {
    for (a, b) in into.iter_mut().zip(from) {
        for (x, y) in a.iter_mut().zip(b) {
            *x += y;
        }
    }
}

/// The most row ranges a count is split into (each with its own tables).
const MAX_PARTS: usize = 16;
/// The most bytes the tables of all row ranges take together.
const MAX_PARTS_TABLE_BYTES: usize = 1 << 26;

/// How many row ranges to count separately (each with its own tables, added in range order). It
/// depends on the data alone, never on the thread setting, so weighted sums are added in the same
/// order whatever the threads; the threads only decide who counts which range.
fn parts_for(n_rows: usize, table_bytes: usize) -> usize {
    if n_rows < PARALLEL_ROWS || table_bytes > MAX_THREAD_TABLE_BYTES {
        return 1;
    }
    (n_rows / (PARALLEL_ROWS / 2))
        .min(MAX_PARTS)
        .min(MAX_PARTS_TABLE_BYTES / table_bytes.max(1))
        .max(1)
}

/// The minimum and maximum, in 8 independent lanes the compiler can vectorise.
#[inline(always)]
fn min_max_lanes(keys: &[i64]) -> (i64, i64) {
    let (mut lo, mut hi) = ([i64::MAX; 8], [i64::MIN; 8]);
    let chunks = keys.chunks_exact(8);
    let tail = chunks.remainder();
    for chunk in chunks {
        for j in 0..8 {
            lo[j] = lo[j].min(chunk[j]);
            hi[j] = hi[j].max(chunk[j]);
        }
    }
    let lanes = (
        *lo.iter().min().expect("8 lanes"),
        *hi.iter().max().expect("8 lanes"),
    );
    tail.iter()
        .fold(lanes, |(lo, hi), &x| (lo.min(x), hi.max(x)))
}

/// [`min_max_lanes`] compiled for AVX2, whose 64-bit compares vectorise (SSE2 has none).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn min_max_avx2(keys: &[i64]) -> (i64, i64) {
    min_max_lanes(keys)
}

fn min_max(keys: &[i64]) -> (i64, i64) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above).
        return unsafe { min_max_avx2(keys) };
    }
    min_max_lanes(keys)
}

/// The minimum and maximum of the keys, in `parts` ranges counted on the threads of the setting.
fn key_range(keys: &[i64], parts: usize) -> (i64, i64) {
    if parts <= 1 {
        return min_max(keys);
    }
    let chunk = keys.len().div_ceil(parts);
    crate::parallel::map_blocks_in_order(
        keys.len().div_ceil(chunk),
        crate::parallel::threads(),
        |b| min_max(&keys[b * chunk..((b + 1) * chunk).min(keys.len())]),
    )
    .into_iter()
    .fold((i64::MAX, i64::MIN), |(lo, hi), (a, b)| {
        (lo.min(a), hi.max(b))
    })
}

/// Counts every score column by group, in one pass over the rows (multi-threaded above
/// [`PARALLEL_ROWS`] rows), weighted when `weights` are given.
///
/// Groups are the codes `0..n_groups` ([`GroupKeys::Codes`]; a code without rows is an empty
/// group), or the distinct integer keys in increasing order ([`GroupKeys::Integers`]). Missing
/// scores (NaN) follow `policy`; the figures of every group are exactly those of
/// [`ScoreCounts::from_scores`] on that group's rows.
///
/// # Errors
/// [`Error::LengthMismatch`] when a column or the weights do not have one value per key;
/// [`Error::InvalidGroupCode`]; the first invalid score of a column ([`Error::ScoreOutOfRange`],
/// [`Error::NonIntegerScore`], or [`Error::MissingValue`] under [`MissingPolicy::Raise`]) named by
/// [`Error::InColumn`] with the column's index; [`Error::InvalidWeight`].
///
/// # Examples
///
/// ```
/// use cxmetrics::grouping::{group_columns, GroupKeys, ScoreColumn};
/// use cxmetrics::{MissingPolicy, Scale};
///
/// let touchpoint = [7i64, 3, 7, 3, 3];
/// let ltr = [10u8, 0, 9, 7, 10];
/// let sat = [5.0, 4.0, f64::NAN, 2.0, 5.0];
/// let grouped = group_columns(
///     GroupKeys::Integers(&touchpoint),
///     &[(ScoreColumn::U8(&ltr), Scale::NPS), (ScoreColumn::F64(&sat), Scale::LIKERT_5)],
///     None,
///     MissingPolicy::Omit,
/// )?;
/// assert_eq!(grouped.keys, [3, 7]);
/// assert_eq!(grouped.columns[0].group(1).n(), 2); // touchpoint 7: two NPS answers
/// assert_eq!(grouped.columns[1].group(1).n_missing(), 1);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn group_columns(
    keys: GroupKeys<'_>,
    columns: &[(ScoreColumn<'_>, Scale)],
    weights: Option<&[f64]>,
    policy: MissingPolicy,
) -> Result<GroupedColumns> {
    let n_rows = keys.len();
    for (c, (column, _)) in columns.iter().enumerate() {
        if column.len() != n_rows {
            return Err(Error::LengthMismatch {
                left_name: "group keys",
                left: n_rows,
                right_name: "scores",
                right: column.len(),
            }
            .in_column(&c.to_string()));
        }
    }
    crate::counts::check_weights(weights, n_rows, "group keys")?;
    let bytes_per_slot: usize = columns
        .iter()
        .map(|(_, s)| (s.points() + 2) * 8)
        .sum::<usize>()
        * if weights.is_some() { 3 } else { 1 };
    let mut parts = parts_for(n_rows, 0);
    // The table rows: codes as given, dense integer keys directly, sparse ones factorized.
    let (mapping, slots, keys_out, factorized);
    match keys {
        GroupKeys::Codes { codes, n_groups } => {
            if let Some(position) = codes.iter().position(|&c| c as usize >= n_groups) {
                return Err(Error::InvalidGroupCode {
                    code: u64::from(codes[position]),
                    position,
                    n_groups,
                });
            }
            mapping = Mapping::Codes(codes);
            slots = n_groups;
            keys_out = None;
        }
        GroupKeys::Integers([]) => {
            mapping = Mapping::Codes(&[]);
            slots = 0;
            keys_out = Some((0, Vec::new()));
        }
        GroupKeys::Integers(keys) => {
            let (min, max) = key_range(keys, parts);
            let span = (i128::from(max) - i128::from(min) + 1) as u128;
            if span <= (2 * n_rows as u128).max(1 << 16) && span < u128::from(u32::MAX) {
                mapping = Mapping::Offset(keys, min);
                slots = span as usize;
                keys_out = Some((min, Vec::new()));
            } else {
                let (codes, uniques) = factorize_integers(keys);
                factorized = codes;
                slots = uniques.len();
                mapping = Mapping::Codes(&factorized);
                keys_out = Some((0, uniques));
            }
        }
    }
    for (_, scale) in columns {
        super::check_n_groups(slots, *scale, weights.is_some())?;
    }
    parts = parts.min(parts_for(n_rows, slots * bytes_per_slot));
    let tables = if parts <= 1 {
        count_range(&mapping, columns, weights, slots, 0..n_rows)
    } else {
        let chunk = n_rows.div_ceil(parts);
        let mapping = &mapping;
        let counted = crate::parallel::map_blocks_in_order(
            n_rows.div_ceil(chunk),
            crate::parallel::threads(),
            |b| {
                count_range(
                    mapping,
                    columns,
                    weights,
                    slots,
                    b * chunk..((b + 1) * chunk).min(n_rows),
                )
            },
        );
        let mut counted = counted.into_iter();
        let mut total = counted.next().expect("at least one range");
        for part in counted {
            add_into(&mut total.counts, part.counts);
            add_into(&mut total.sums, part.sums);
            add_into(&mut total.sums_sq, part.sums_sq);
        }
        total
    };
    // Problems: invalid scores (any group), or missing ones under `Raise`.
    for (c, (column, scale)) in columns.iter().enumerate() {
        let points = scale.points();
        let stride = points + 2;
        let table = &tables.counts[c];
        let invalid = (0..slots).any(|g| table[g * stride + points] > 0);
        let missing = (0..slots).any(|g| table[g * stride + points + 1] > 0);
        if invalid || (missing && policy == MissingPolicy::Raise) {
            let err = column
                .first_problem(*scale, policy)
                .unwrap_or(Error::InputChanged { what: "scores" });
            return Err(err.in_column(&c.to_string()));
        }
    }
    // Integer keys: keep the slots that have rows (every column counts every row).
    let present: Vec<usize> = match (&keys_out, columns.first()) {
        (Some((_, uniques)), _) if !uniques.is_empty() => (0..slots).collect(),
        (Some(_), Some((_, scale))) => {
            let stride = scale.points() + 2;
            let table = &tables.counts[0];
            (0..slots)
                .filter(|&g| table[g * stride..(g + 1) * stride].iter().any(|&x| x > 0))
                .collect()
        }
        (Some(_), None) => {
            // No columns: find the present keys from the keys themselves.
            let mut seen = vec![false; slots];
            let mut rows = vec![0u32; BLOCK];
            for start in (0..n_rows).step_by(BLOCK) {
                let rows = &mut rows[..(start + BLOCK).min(n_rows) - start];
                mapping.fill(start, rows);
                for &g in rows.iter() {
                    seen[g as usize] = true;
                }
            }
            (0..slots).filter(|&g| seen[g]).collect()
        }
        (None, _) => (0..slots).collect(),
    };
    let keys = match keys_out {
        None => Vec::new(),
        Some((_, uniques)) if !uniques.is_empty() => uniques,
        Some((min, _)) => present.iter().map(|&g| min + g as i64).collect(),
    };
    let weighted = weights.is_some();
    let columns = columns
        .iter()
        .enumerate()
        .map(|(c, (_, scale))| {
            let points = scale.points();
            let stride = points + 2;
            let groups = present
                .iter()
                .map(|&g| {
                    let r = g * stride..g * stride + points;
                    let n_missing = tables.counts[c][g * stride + points + 1];
                    if weighted {
                        ScoreCounts::from_weighted_parts(
                            *scale,
                            tables.counts[c][r.clone()].to_vec(),
                            WeightSums {
                                sum: tables.sums[c][r.clone()].to_vec(),
                                sum_sq: tables.sums_sq[c][r].to_vec(),
                            },
                            n_missing,
                        )
                    } else {
                        ScoreCounts::from_counts(*scale, tables.counts[c][r].to_vec(), n_missing)
                            .expect("counts of a valid scale")
                    }
                })
                .collect();
            GroupedCounts::new(*scale, groups, weighted)
        })
        .collect();
    Ok(GroupedColumns { keys, columns })
}
