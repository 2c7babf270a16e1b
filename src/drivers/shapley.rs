//! Shapley value (LMG) decomposition of R^2 from the correlation matrix.
//!
//! `phi_j = sum over subsets S of the other drivers of |S|! (p - |S| - 1)! / p! [R2(S u j) - R2(S)]`
//! (Lipovetsky & Conklin 2001, Applied Stochastic Models in Business and Industry 17:319-330;
//! Groemping 2006, Journal of Statistical Software 17(1), R `relaimpo` "lmg"), with
//! `R2(S) = r_S' R_SS^-1 r_S`. Every subset's R^2 comes from a depth-first walk that extends a
//! Cholesky factor by one row per added driver: `O(|S|^2)` per subset, no refits.
//!
//! Methods and sources: `docs/methods.md#shapley-decomposition-lmg`, `docs/methods.md#sampled-shapley-values`.

#![allow(clippy::needless_range_loop)] // index loops read as the matrix formulas

use super::linalg::Matrix;
use crate::random::Rng;

/// Drivers above this count use the sampling estimate (2^p subsets of R^2 at 8 bytes each).
pub const MAX_EXACT_DRIVERS: usize = 20;

/// Work shared by the walk: the driver correlations, driver-outcome correlations, and the columns
/// of each player (one column per driver; a driver and its missing-value indicator under
/// `missing="impute"`).
struct Problem<'a> {
    rxx: &'a Matrix,
    rxy: &'a [f64],
    groups: &'a [Vec<usize>],
}

/// Incremental Cholesky state of the current subset: factor rows (row-major, `p` wide), `z =
/// L^-1 r_S` and the members.
struct State {
    l: Vec<f64>,
    z: Vec<f64>,
    vars: Vec<usize>,
}

impl State {
    fn new(columns: usize) -> Self {
        State {
            l: vec![0.0; columns * columns],
            z: vec![0.0; columns],
            vars: vec![0; columns],
        }
    }
}

impl Problem<'_> {
    /// Adds driver `j` as member number `depth`; returns the gain in R^2.
    #[inline]
    fn extend(&self, state: &mut State, depth: usize, j: usize) -> f64 {
        let p = self.rxx.n;
        let (done, row) = state.l.split_at_mut(depth * p);
        let row = &mut row[..p];
        for i in 0..depth {
            let li = &done[i * p..i * p + i + 1];
            let mut s = self.rxx.at(state.vars[i], j);
            for q in 0..i {
                s -= row[q] * li[q];
            }
            row[i] = s / li[i];
        }
        let ll: f64 = row[..depth].iter().map(|x| x * x).sum();
        // Clamped: a subset of a positive-definite matrix is positive-definite; rounding aside.
        let d = (1.0 - ll).max(1e-300).sqrt();
        row[depth] = d;
        let lz: f64 = row[..depth]
            .iter()
            .zip(&state.z[..depth])
            .map(|(a, b)| a * b)
            .sum();
        let zj = (self.rxy[j] - lz) / d;
        state.z[depth] = zj;
        state.vars[depth] = j;
        zj * zj
    }

    /// Adds every column of player `player` from member number `depth` on; returns the gain in R^2
    /// and the new number of members.
    #[inline]
    fn extend_player(&self, state: &mut State, depth: usize, player: usize) -> (f64, usize) {
        let mut gain = 0.0;
        let mut depth = depth;
        for &column in &self.groups[player] {
            gain += self.extend(state, depth, column);
            depth += 1;
        }
        (gain, depth)
    }

    /// Writes R^2 of `base | subset` for every subset of players `start..m` into `out` (indexed by
    /// the low `m` bits of the mask).
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        state: &mut State,
        depth: usize,
        start: usize,
        m: usize,
        low_mask: usize,
        r2: f64,
        out: &mut [f64],
    ) {
        out[low_mask] = r2;
        for j in start..m {
            let (gain, next_depth) = self.extend_player(state, depth, j);
            self.walk(
                state,
                next_depth,
                j + 1,
                m,
                low_mask | (1 << j),
                r2 + gain,
                out,
            );
        }
    }
}

/// R^2 of every subset of the players (`groups`: the columns of `rxx` of each), indexed by bit mask,
/// computed on `threads` threads.
pub(crate) fn all_subsets_r2(
    rxx: &Matrix,
    rxy: &[f64],
    groups: &[Vec<usize>],
    threads: usize,
) -> Vec<f64> {
    let p = groups.len();
    let columns = rxx.n;
    let problem = Problem { rxx, rxy, groups };
    // The top `d` drivers form a prefix fixed per block: 2^d equal, contiguous blocks of masks. `d`
    // depends on `p` alone, so every subset's R^2 is reached along the same path (the same
    // floating-point operations) whatever the threads.
    let d = if p >= 8 { 4.min(p - 4) } else { 0 };
    let m = p - d;
    let block = 1usize << m;
    let mut r2 = vec![0.0; 1usize << p];
    let run = |prefix: usize, out: &mut [f64]| {
        let mut state = State::new(columns);
        let mut depth = 0;
        let mut base = 0.0;
        for k in 0..d {
            if prefix & (1 << k) != 0 {
                let (gain, next_depth) = problem.extend_player(&mut state, depth, m + k);
                base += gain;
                depth = next_depth;
            }
        }
        problem.walk(&mut state, depth, 0, m, 0, base, out);
    };
    if d == 0 {
        run(0, &mut r2);
        return r2;
    }
    // Each block's slice of the output, taken by the thread that claims the block.
    let slices: Vec<std::sync::Mutex<Option<&mut [f64]>>> = r2
        .chunks_mut(block)
        .map(|out| std::sync::Mutex::new(Some(out)))
        .collect();
    crate::parallel::for_each_block(
        slices.len(),
        threads,
        || (),
        |_, prefix| {
            let out = slices[prefix]
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("each block is claimed once");
            run(prefix, out);
        },
    );
    drop(slices);
    r2
}

/// The exact Shapley values from the R^2 of every subset.
pub(crate) fn shapley_from_subsets(r2: &[f64], p: usize, threads: usize) -> Vec<f64> {
    // weight(s) = s! (p - s - 1)! / p! = 1 / (p * C(p - 1, s)).
    let mut weight = vec![0.0; p];
    let mut binom = 1.0f64;
    for (s, w) in weight.iter_mut().enumerate() {
        *w = 1.0 / (p as f64 * binom);
        binom = binom * (p - 1 - s) as f64 / (s + 1) as f64;
    }
    let accumulate = |masks: std::ops::Range<usize>| {
        let mut phi = vec![0.0; p];
        for mask in masks {
            let w = weight[(mask.count_ones() as usize).min(p - 1)];
            let base = r2[mask];
            for (j, phi_j) in phi.iter_mut().enumerate() {
                if mask & (1 << j) == 0 {
                    *phi_j += w * (r2[mask | (1 << j)] - base);
                }
            }
        }
        phi
    };
    // Blocks of masks fixed by `p` alone, added in block order: the same sums whatever the threads.
    const MASKS_PER_BLOCK: usize = 1 << 12;
    let total = 1usize << p;
    let blocks = total.div_ceil(MASKS_PER_BLOCK);
    let threads = if blocks > 1 { threads } else { 1 };
    crate::parallel::map_blocks_in_order(blocks, threads, |b| {
        accumulate(b * MASKS_PER_BLOCK..((b + 1) * MASKS_PER_BLOCK).min(total))
    })
    .into_iter()
    .fold(vec![0.0; p], |mut acc, part| {
        for (a, b) in acc.iter_mut().zip(part) {
            *a += b;
        }
        acc
    })
}

/// The Shapley values estimated from `permutations` random orders of the drivers (each driver's
/// marginal R^2 gain when added in that order, averaged), with each estimate's Monte Carlo standard
/// error (standard deviation of the gains over orders / sqrt(permutations)). Castro, Gomez & Tejada
/// (2009), "Polynomial calculation of the Shapley value based on sampling", Computers & Operations
/// Research 36(5).
pub(crate) fn shapley_sampled(
    rxx: &Matrix,
    rxy: &[f64],
    groups: &[Vec<usize>],
    permutations: usize,
    seed: u64,
) -> (Vec<f64>, Vec<f64>) {
    let p = groups.len();
    let problem = Problem { rxx, rxy, groups };
    let mut state = State::new(rxx.n);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..p).collect();
    let (mut sum, mut sum_sq) = (vec![0.0; p], vec![0.0; p]);
    for _ in 0..permutations {
        for i in (1..p).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let mut depth = 0;
        for &j in &order {
            let (gain, next_depth) = problem.extend_player(&mut state, depth, j);
            depth = next_depth;
            sum[j] += gain;
            sum_sq[j] += gain * gain;
        }
    }
    mean_and_error(&sum, &sum_sq, permutations)
}

/// Each player's mean gain over `permutations` random orders (from the sums of its gains and of
/// their squares) and its Monte Carlo standard error: the standard deviation of the gains (divisor
/// `m - 1`) over `sqrt(m)`.
pub(crate) fn mean_and_error(
    sum: &[f64],
    sum_sq: &[f64],
    permutations: usize,
) -> (Vec<f64>, Vec<f64>) {
    let m = permutations as f64;
    let mean: Vec<f64> = sum.iter().map(|s| s / m).collect();
    let error = sum_sq
        .iter()
        .zip(&mean)
        .map(|(s2, mu)| ((s2 / m - mu * mu).max(0.0) * m / (m - 1.0).max(1.0) / m).sqrt())
        .collect();
    (mean, error)
}
