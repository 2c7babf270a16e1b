//! Small dense linear algebra for correlation matrices (p up to a few hundred): Cholesky solves and
//! the Jacobi eigen-decomposition of a symmetric matrix.

#![allow(clippy::needless_range_loop)] // index loops read as the matrix formulas

/// A square matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Matrix {
    pub n: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(n: usize) -> Self {
        Matrix {
            n,
            data: vec![0.0; n * n],
        }
    }

    #[inline]
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    #[inline]
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.n + j] = v;
    }
}

/// The Cholesky factor `L` (row-major, lower) of a symmetric positive-definite matrix, or the index
/// of the first pivot whose squared value is at most `tolerance` (that variable is a linear
/// combination of the earlier ones).
pub(crate) fn cholesky(a: &Matrix, tolerance: f64) -> Result<Matrix, usize> {
    let n = a.n;
    let mut l = Matrix::zeros(n);
    for i in 0..n {
        for j in 0..=i {
            let mut s = a.at(i, j);
            for k in 0..j {
                s -= l.at(i, k) * l.at(j, k);
            }
            if i == j {
                if s <= tolerance {
                    return Err(i);
                }
                l.set(i, i, s.sqrt());
            } else {
                l.set(i, j, s / l.at(j, j));
            }
        }
    }
    Ok(l)
}

/// Solves `L L' x = b` for the Cholesky factor `L`.
pub(crate) fn cholesky_solve(l: &Matrix, b: &[f64]) -> Vec<f64> {
    let n = l.n;
    let mut y = b.to_vec();
    for i in 0..n {
        for k in 0..i {
            y[i] -= l.at(i, k) * y[k];
        }
        y[i] /= l.at(i, i);
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            y[i] -= l.at(k, i) * y[k];
        }
        y[i] /= l.at(i, i);
    }
    y
}

/// Eigenvalues and eigenvectors (columns of the returned matrix) of a symmetric matrix by the cyclic
/// Jacobi method (Golub & Van Loan, *Matrix Computations*, 4th ed., section 8.5), to full double
/// precision.
pub(crate) fn symmetric_eigen(a: &Matrix) -> (Vec<f64>, Matrix) {
    let n = a.n;
    let mut m = a.clone();
    let mut v = Matrix::zeros(n);
    for i in 0..n {
        v.set(i, i, 1.0);
    }
    let norm: f64 = m.data.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m.at(i, j).powi(2))
            .sum::<f64>()
            .sqrt();
        if off <= 1e-15 * norm.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = m.at(p, q);
                if apq == 0.0 {
                    continue;
                }
                let (app, aqq) = (m.at(p, p), m.at(q, q));
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m.at(k, p), m.at(k, q));
                    m.set(k, p, c * mkp - s * mkq);
                    m.set(k, q, s * mkp + c * mkq);
                }
                for k in 0..n {
                    let (mpk, mqk) = (m.at(p, k), m.at(q, k));
                    m.set(p, k, c * mpk - s * mqk);
                    m.set(q, k, s * mpk + c * mqk);
                }
                for k in 0..n {
                    let (vkp, vkq) = (v.at(k, p), v.at(k, q));
                    v.set(k, p, c * vkp - s * vkq);
                    v.set(k, q, s * vkp + c * vkq);
                }
            }
        }
    }
    ((0..n).map(|i| m.at(i, i)).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_reconstructs_the_matrix() {
        let mut a = Matrix::zeros(3);
        let values = [[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]];
        for i in 0..3 {
            for j in 0..3 {
                a.set(i, j, values[i][j]);
            }
        }
        let (l, q) = symmetric_eigen(&a);
        for i in 0..3 {
            for j in 0..3 {
                let r: f64 = (0..3).map(|k| q.at(i, k) * l[k] * q.at(j, k)).sum();
                assert!((r - a.at(i, j)).abs() < 1e-13);
            }
        }
        let chol = cholesky(&a, 1e-12).unwrap();
        let x = cholesky_solve(&chol, &[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let r: f64 = (0..3).map(|j| a.at(i, j) * x[j]).sum();
            assert!((r - [1.0, 2.0, 3.0][i]).abs() < 1e-13);
        }
    }
}
