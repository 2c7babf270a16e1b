//! What a driver analysis does with missing ratings: listwise deletion, pairwise deletion, or mean
//! imputation with missing-value indicators.
//!
//! Customers rate only the touchpoints they used, so a customer-by-touchpoint table is mostly empty
//! and listwise deletion can leave almost no rows. Pairwise deletion computes each correlation from
//! the rows where both variables are present (R `cor(use = "pairwise.complete.obs")`; weighted, each
//! pair's weighted correlation as `cov.wt` on those rows); the matrix is then repaired to the nearest
//! positive-definite correlation matrix when needed ([`super::nearest`]). Mean imputation replaces a
//! missing rating by the driver's (weighted) mean and adds an indicator of the missing value, which
//! counts with its driver (Cohen & Cohen 1983, section 7.4; an approximation: it assumes the
//! indicator captures how those who skipped differ).
//!
//! Methods and sources: `docs/methods.md#pairwise-deletion-and-the-nearest-correlation-matrix`,
//! `docs/methods.md#mean-imputation-with-missing-indicators`.

#![allow(clippy::needless_range_loop)] // index loops read as the matrix formulas

use super::linalg::Matrix;
use crate::error::{Error, Result};

crate::names::named_enum! {
    /// How rows with a missing outcome or driver are used.
    pub enum MissingRule {
        /// Listwise deletion: only rows where the outcome and every driver are present.
        Complete = "complete",
        /// Pairwise deletion: each correlation from the rows where both variables are present.
        Pairwise = "pairwise",
        /// Mean imputation of each driver, with an indicator of the missing value counted with it.
        Impute = "impute",
    }
    unknown = |name| Error::UnknownOption { option: "missing", name, valid: MissingRule::NAMES };
}

/// The fewest rows behind one pairwise correlation.
pub const MIN_PAIR_ROWS: u64 = 3;

/// The columns (outcome first), each possibly with NaN, and the row weights: pairwise deletion works
/// on them directly.
pub(crate) struct Columns {
    pub values: Vec<Vec<f64>>,
    pub weights: Option<Vec<f64>>,
}

/// A pairwise correlation matrix: each entry from the rows where both variables are present.
pub(crate) struct Pairwise {
    pub r: Matrix,
    /// Rows behind each entry (row-major, `width x width`; the diagonal: rows where it is present).
    pub pair_n: Vec<u64>,
    /// Each column's (weighted) mean over the rows where it is present.
    pub means: Vec<f64>,
}

/// The (weighted) pairwise correlations of `columns`, each row counted `multiplicity[i]` times when
/// given (a bootstrap replicate). `names` (outcome first) name a pair that has fewer than
/// [`MIN_PAIR_ROWS`] rows, or a variable constant on the rows of a pair.
pub(crate) fn pairwise(
    columns: &Columns,
    multiplicity: Option<&[u32]>,
    names: &[&str],
) -> Result<Pairwise> {
    let width = columns.values.len();
    let n = columns.values.first().map_or(0, Vec::len);
    let weight = |i: usize| -> f64 {
        let w = columns.weights.as_ref().map_or(1.0, |w| w[i]);
        multiplicity.map_or(w, |m| w * f64::from(m[i]))
    };
    let mut r = Matrix::zeros(width);
    let mut pair_n = vec![0u64; width * width];
    let mut means = vec![f64::NAN; width];
    for a in 0..width {
        let xa = &columns.values[a];
        // The column's own mean and count.
        let (mut total, mut sum, mut count) = (0.0, 0.0, 0u64);
        for i in 0..n {
            if !xa[i].is_nan() {
                let w = weight(i);
                total += w;
                sum += w * xa[i];
                count += 1;
            }
        }
        means[a] = sum / total;
        pair_n[a * width + a] = count;
        r.set(a, a, 1.0);
        for b in a + 1..width {
            let xb = &columns.values[b];
            let (mut total, mut sa, mut sb, mut count) = (0.0, 0.0, 0.0, 0u64);
            for i in 0..n {
                if !(xa[i].is_nan() || xb[i].is_nan()) {
                    let w = weight(i);
                    total += w;
                    sa += w * xa[i];
                    sb += w * xb[i];
                    count += 1;
                }
            }
            pair_n[a * width + b] = count;
            pair_n[b * width + a] = count;
            if count < MIN_PAIR_ROWS || total.is_nan() || total <= 0.0 {
                return Err(Error::invalid_parameter(
                    "missing",
                    "\"pairwise\"",
                    format!(
                        "{} and {} are both present in {count} rows (with weight); a pairwise \
                         correlation needs at least {MIN_PAIR_ROWS}",
                        names[a], names[b]
                    ),
                ));
            }
            let (ma, mb) = (sa / total, sb / total);
            let (mut caa, mut cbb, mut cab) = (0.0, 0.0, 0.0);
            for i in 0..n {
                if !(xa[i].is_nan() || xb[i].is_nan()) {
                    let w = weight(i);
                    let (da, db) = (xa[i] - ma, xb[i] - mb);
                    caa += w * da * da;
                    cbb += w * db * db;
                    cab += w * da * db;
                }
            }
            for (variance, mean, name, other) in
                [(caa, ma, names[a], names[b]), (cbb, mb, names[b], names[a])]
            {
                let scale = mean.abs().max(1.0);
                if variance.is_nan() || variance <= 1e-24 * scale * scale * total {
                    return Err(Error::ConstantDriver {
                        name: format!("{name} (on the rows where {other} is also present)"),
                    });
                }
            }
            let v = (cab / (caa * cbb).sqrt()).clamp(-1.0, 1.0);
            r.set(a, b, v);
            r.set(b, a, v);
        }
    }
    Ok(Pairwise { r, pair_n, means })
}

/// Mean imputation: `rows` (row-major, outcome first, then the drivers, NaN where missing) with each
/// NaN of column `c` replaced by `fill[c]`.
pub(crate) fn fill_missing(values: &mut [f64], width: usize, fill: &[f64]) {
    for row in values.chunks_exact_mut(width) {
        for (x, &f) in row.iter_mut().zip(fill) {
            if x.is_nan() {
                *x = f;
            }
        }
    }
}

/// The (weighted) mean of the present values of each column of `values` (row-major, `width` wide),
/// each row counted `multiplicity[i]` times when given; NaN for a column with no present value.
pub(crate) fn present_means(
    values: &[f64],
    width: usize,
    weights: Option<&[f64]>,
    multiplicity: Option<&[u32]>,
) -> Vec<f64> {
    let mut sums = vec![0.0; width];
    let mut totals = vec![0.0; width];
    for (i, row) in values.chunks_exact(width).enumerate() {
        let w = weights.map_or(1.0, |w| w[i]) * multiplicity.map_or(1.0, |m| f64::from(m[i]));
        if w == 0.0 {
            continue;
        }
        for ((s, t), &x) in sums.iter_mut().zip(totals.iter_mut()).zip(row) {
            if !x.is_nan() {
                *s += w * x;
                *t += w;
            }
        }
    }
    sums.iter()
        .zip(&totals)
        .map(|(s, t)| if *t > 0.0 { s / t } else { f64::NAN })
        .collect()
}
