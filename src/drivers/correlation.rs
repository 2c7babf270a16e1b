//! The (weighted) correlation matrix of the outcome and the drivers over complete rows.
//!
//! Methods and sources: `docs/methods.md#correlation-matrix`.

#![allow(clippy::needless_range_loop)] // index loops read as the matrix formulas

use super::linalg::Matrix;

/// The complete rows (outcome and every driver present), gathered row-major: column 0 is the
/// outcome, columns `1..=p` the drivers.
#[derive(Debug, Clone)]
pub(crate) struct Rows {
    pub width: usize,
    pub values: Vec<f64>,
    pub weights: Option<Vec<f64>>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.values.len() / self.width
    }
}

/// Divides each column of `rows` by its largest absolute value (when positive) and returns those
/// factors. Correlations, and so every importance, do not depend on a column's scale, but its
/// moments in floating point do: a driver in units of 1e200 would overflow its variance and look
/// constant. Means computed afterwards are multiplied back by the factors.
pub(crate) fn rescale(rows: &mut Rows) -> Vec<f64> {
    let width = rows.width;
    let mut factors = vec![0.0f64; width];
    for row in rows.values.chunks_exact(width) {
        for (f, x) in factors.iter_mut().zip(row) {
            *f = f.max(x.abs());
        }
    }
    for f in factors.iter_mut() {
        *f = usable_factor(*f);
    }
    for row in rows.values.chunks_exact_mut(width) {
        for (x, f) in row.iter_mut().zip(&factors) {
            *x /= f;
        }
    }
    factors
}

/// A column's largest magnitude as its scale factor, or 1 when that is 0 or not finite.
pub(crate) fn usable_factor(largest: f64) -> f64 {
    if largest.is_finite() && largest > 0.0 {
        largest
    } else {
        1.0
    }
}

/// Gathers the rows where the outcome and every driver are present (listwise deletion); returns
/// them and the number of rows dropped.
pub(crate) fn complete_rows(
    outcome: &[f64],
    drivers: &[&[f64]],
    weights: Option<&[f64]>,
) -> (Rows, u64) {
    let width = drivers.len() + 1;
    let n = outcome.len();
    let mut values = Vec::with_capacity(n * width);
    let mut kept_weights = weights.map(|_| Vec::with_capacity(n));
    let mut dropped = 0u64;
    for i in 0..n {
        if outcome[i].is_nan() || drivers.iter().any(|d| d[i].is_nan()) {
            dropped += 1;
            continue;
        }
        values.push(outcome[i]);
        values.extend(drivers.iter().map(|d| d[i]));
        if let (Some(kept), Some(w)) = (kept_weights.as_mut(), weights) {
            kept.push(w[i]);
        }
    }
    (
        Rows {
            width,
            values,
            weights: kept_weights,
        },
        dropped,
    )
}

/// Weighted means and the weighted covariance matrix (divisor: the total weight) of the rows, each
/// row counted `multiplicity[i]` times when given (a bootstrap replicate). Two passes (means, then
/// centred cross-products) for accuracy.
pub(crate) fn moments(rows: &Rows, multiplicity: Option<&[u32]>) -> (Vec<f64>, Matrix, f64) {
    let width = rows.width;
    let weight = |i: usize| -> f64 {
        let w = rows.weights.as_ref().map_or(1.0, |w| w[i]);
        multiplicity.map_or(w, |m| w * f64::from(m[i]))
    };
    let mut total = 0.0;
    let mut means = vec![0.0; width];
    for (i, row) in rows.values.chunks_exact(width).enumerate() {
        let w = weight(i);
        if w == 0.0 {
            continue;
        }
        total += w;
        for (m, &x) in means.iter_mut().zip(row) {
            *m += w * x;
        }
    }
    for m in &mut means {
        *m /= total;
    }
    let mut cov = Matrix::zeros(width);
    let mut centred = vec![0.0; width];
    for (i, row) in rows.values.chunks_exact(width).enumerate() {
        let w = weight(i);
        if w == 0.0 {
            continue;
        }
        for ((c, &x), &m) in centred.iter_mut().zip(row).zip(&means) {
            *c = x - m;
        }
        for a in 0..width {
            let wa = w * centred[a];
            let row_a = &mut cov.data[a * width..a * width + width];
            for b in a..width {
                row_a[b] += wa * centred[b];
            }
        }
    }
    for a in 0..width {
        for b in a..width {
            let v = cov.at(a, b) / total;
            cov.set(a, b, v);
            cov.set(b, a, v);
        }
    }
    (means, cov, total)
}

/// The correlation matrix of a covariance matrix, or the index of a column with no variance
/// (relative to its scale).
pub(crate) fn correlation(cov: &Matrix, means: &[f64]) -> Result<Matrix, usize> {
    let n = cov.n;
    for a in 0..n {
        let scale = means[a].abs().max(1.0);
        let variance = cov.at(a, a);
        if variance.is_nan() || variance <= 1e-24 * scale * scale {
            return Err(a);
        }
    }
    let mut r = Matrix::zeros(n);
    for a in 0..n {
        for b in 0..n {
            let v = if a == b {
                1.0
            } else {
                cov.at(a, b) / (cov.at(a, a) * cov.at(b, b)).sqrt()
            };
            r.set(a, b, v);
        }
    }
    Ok(r)
}
