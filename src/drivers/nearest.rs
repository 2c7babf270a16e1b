//! The nearest correlation matrix: a pairwise correlation matrix (each entry from different rows)
//! need not be positive definite; this repairs it.
//!
//! Higham's (2002) alternating projections with Dykstra's correction: project alternately onto the
//! positive semi-definite matrices (eigenvalues below `EIGEN_TOLERANCE` times the largest dropped)
//! and onto the unit-diagonal matrices, until the relative change in the infinity norm is at most
//! `CONVERGENCE`. The limit is positive semi-definite but singular, so, as R `Matrix::nearPD` with
//! `do2eigen = TRUE`, eigenvalues below `POSITIVE_FLOOR` times the largest are then raised to that
//! floor and the matrix is rescaled to a unit diagonal. N. J. Higham (2002), "Computing the nearest
//! correlation matrix: a problem from finance", IMA Journal of Numerical Analysis 22(3):329-343.
//!
//! Methods and sources: `docs/methods.md#pairwise-deletion-and-the-nearest-correlation-matrix`.

#![allow(clippy::needless_range_loop)] // index loops read as the matrix formulas

use super::linalg::{symmetric_eigen, Matrix};

/// Eigenvalues at most this fraction of the largest are dropped in the projection (R's `eig.tol`).
const EIGEN_TOLERANCE: f64 = 1e-6;
/// Relative change (infinity norm) at which the projections stop (far below R's default 1e-7).
const CONVERGENCE: f64 = 1e-13;
/// The smallest eigenvalue of the result, as a fraction of the largest (R's `posd.tol`).
pub(crate) const POSITIVE_FLOOR: f64 = 1e-8;
/// The most projection rounds.
const MAX_ROUNDS: usize = 100_000;

fn infinity_norm(m: &Matrix) -> f64 {
    (0..m.n)
        .map(|i| (0..m.n).map(|j| m.at(i, j).abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// `Q diag(values) Q'` over the eigenpairs that `keep` selects.
fn reconstruct(values: &[f64], q: &Matrix, keep: impl Fn(f64) -> bool) -> Matrix {
    let n = q.n;
    let mut out = Matrix::zeros(n);
    for k in 0..n {
        let d = values[k];
        if !keep(d) {
            continue;
        }
        for i in 0..n {
            let qi = q.at(i, k) * d;
            for j in 0..n {
                out.data[i * n + j] += qi * q.at(j, k);
            }
        }
    }
    out
}

/// Whether `r` needs the repair: its smallest eigenvalue is at most [`POSITIVE_FLOOR`] times its
/// largest (not positive definite, or so nearly singular that R^2 would be meaningless).
pub(crate) fn needs_repair(r: &Matrix) -> bool {
    let (values, _) = symmetric_eigen(r);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    min.is_nan() || min <= POSITIVE_FLOOR * max.abs()
}

/// The nearest correlation matrix to the symmetric, unit-diagonal `a`, made positive definite.
pub(crate) fn nearest_correlation(a: &Matrix) -> Matrix {
    let n = a.n;
    let mut x = a.clone();
    let mut correction = Matrix::zeros(n);
    let mut rounds = 0;
    while rounds < MAX_ROUNDS {
        rounds += 1;
        let previous = x.clone();
        // Dykstra: project the corrected matrix, remember what the projection removed.
        let mut r = previous.clone();
        for (v, c) in r.data.iter_mut().zip(&correction.data) {
            *v -= c;
        }
        let (values, q) = symmetric_eigen(&r);
        let largest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let projected = reconstruct(&values, &q, |d| d > EIGEN_TOLERANCE * largest);
        for ((c, p), r) in correction.data.iter_mut().zip(&projected.data).zip(&r.data) {
            *c = p - r;
        }
        x = projected;
        for i in 0..n {
            for j in i + 1..n {
                let v = 0.5 * (x.at(i, j) + x.at(j, i));
                x.set(i, j, v);
                x.set(j, i, v);
            }
            x.set(i, i, 1.0);
        }
        let mut change = previous.clone();
        for (c, v) in change.data.iter_mut().zip(&x.data) {
            *c -= v;
        }
        if infinity_norm(&change) <= CONVERGENCE * infinity_norm(&previous) {
            break;
        }
    }
    // Raise the smallest eigenvalues to the floor and return to a unit diagonal.
    let (mut values, q) = symmetric_eigen(&x);
    let largest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let floor = POSITIVE_FLOOR * largest.abs();
    if values.iter().any(|&d| d < floor) {
        let old_diagonal: Vec<f64> = (0..n).map(|i| x.at(i, i)).collect();
        for d in values.iter_mut() {
            *d = d.max(floor);
        }
        let raised = reconstruct(&values, &q, |_| true);
        let scale: Vec<f64> = (0..n)
            .map(|i| (old_diagonal[i].max(floor) / raised.at(i, i)).sqrt())
            .collect();
        x = raised;
        for i in 0..n {
            for j in 0..n {
                let v = scale[i] * x.at(i, j) * scale[j];
                x.set(i, j, v);
            }
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            let v = 0.5 * (x.at(i, j) + x.at(j, i));
            x.set(i, j, v);
            x.set(j, i, v);
        }
        x.set(i, i, 1.0);
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: &[&[f64]]) -> Matrix {
        let mut m = Matrix::zeros(rows.len());
        for (i, row) in rows.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                m.set(i, j, v);
            }
        }
        m
    }

    #[test]
    fn a_correlation_matrix_is_left_as_it_is_and_a_broken_one_is_repaired() {
        let good = matrix(&[&[1.0, 0.5, 0.2], &[0.5, 1.0, 0.3], &[0.2, 0.3, 1.0]]);
        assert!(!needs_repair(&good));
        // +0.9, +0.9, -0.9: no three variables have these correlations.
        let bad = matrix(&[&[1.0, 0.9, 0.9], &[0.9, 1.0, -0.9], &[0.9, -0.9, 1.0]]);
        assert!(needs_repair(&bad));
        let fixed = nearest_correlation(&bad);
        assert!(
            !needs_repair(&fixed) || {
                // At the floor exactly: positive definite, with the smallest eigenvalue at 1e-8 * max.
                let (v, _) = symmetric_eigen(&fixed);
                v.iter().all(|&d| d > 0.0)
            }
        );
        for i in 0..3 {
            assert_eq!(fixed.at(i, i), 1.0);
            for j in 0..3 {
                assert_eq!(fixed.at(i, j), fixed.at(j, i));
            }
        }
        // Symmetric problem: the two positive entries stay equal; all shrink towards feasibility.
        assert!((fixed.at(0, 1) - fixed.at(0, 2)).abs() < 1e-10);
        assert!(fixed.at(0, 1) < 0.9 && fixed.at(1, 2) > -0.9);
    }
}
