//! Johnson's (2000) relative weights: R^2 split through the orthogonal counterparts of the drivers.
//!
//! With `Rxx = Q diag(L) Q'`, `Lambda = Q diag(sqrt(L)) Q'` (the symmetric square root, which links
//! the drivers to their closest orthonormal counterparts), `beta = Lambda^-1 r_xy` (the regression of
//! the outcome on the counterparts) and `raw_j = sum_k Lambda_jk^2 beta_k^2`; the raw weights sum to
//! R^2. J. W. Johnson (2000), "A heuristic method for estimating the relative weight of predictor
//! variables in multiple regression", Multivariate Behavioral Research 35(1):1-19; R `rwa`; equal to
//! `relaimpo`'s "genizi" (Groemping 2006).

#![allow(clippy::needless_range_loop)] // index loops read as the matrix formulas

use super::linalg::{symmetric_eigen, Matrix};

/// The raw relative weights.
pub(crate) fn relative_weights(rxx: &Matrix, rxy: &[f64]) -> Vec<f64> {
    let p = rxx.n;
    let (values, q) = symmetric_eigen(rxx);
    let root: Vec<f64> = values.iter().map(|&v| v.max(0.0).sqrt()).collect();
    // Lambda and its inverse share Q.
    let mut lambda = Matrix::zeros(p);
    let mut lambda_inv = Matrix::zeros(p);
    for i in 0..p {
        for j in 0..p {
            let (mut a, mut b) = (0.0, 0.0);
            for k in 0..p {
                let qq = q.at(i, k) * q.at(j, k);
                a += qq * root[k];
                b += qq / root[k];
            }
            lambda.set(i, j, a);
            lambda_inv.set(i, j, b);
        }
    }
    let beta: Vec<f64> = (0..p)
        .map(|i| (0..p).map(|j| lambda_inv.at(i, j) * rxy[j]).sum())
        .collect();
    (0..p)
        .map(|j| {
            (0..p)
                .map(|k| lambda.at(j, k).powi(2) * beta[k].powi(2))
                .sum()
        })
        .collect()
}
