//! Dominance analysis of a logistic model: the Shapley decomposition of a pseudo-R^2 of the logistic
//! regression of a 0/1 outcome (repurchase, churn) on every subset of the drivers (Azen & Traxel
//! 2009, "Using dominance analysis to determine predictor importance in logistic regression",
//! Journal of Educational and Behavioral Statistics 34(3):319-347; R `domir(..., glm, family =
//! binomial)`).
//!
//! Each subset's model is fitted by Newton's method on the log-likelihood `sum w_i [y_i eta_i -
//! log(1 + exp(eta_i))]` (weights as frequency weights), warm-started from the subset without its
//! last player (its coefficients, 0 for the new ones), with step halving when the likelihood falls.
//! It stops when the Newton decrement `g' H^-1 g / 2` (the predicted gain in log-likelihood) is at most
//! `1e-13 |LL|`. A fit that has not converged after [`MAX_ITERATIONS`] steps is reported: as
//! separation when some fitted probability is within `10 eps` of 0 or 1 (R's glm threshold; the
//! likelihood then has no maximum, its supremum is approached), else as not converged; a fit that
//! converges with such a probability is reported as separation too.
//!
//! Methods and sources: `docs/methods.md#logistic-dominance-analysis`.

#![allow(clippy::needless_range_loop)] // index loops read as the matrix formulas

use super::elementary::{exp_nonpositive, ln_1p_unit};
use super::linalg::{cholesky, cholesky_solve, Matrix};

/// The most Newton steps of one fit.
pub(crate) const MAX_ITERATIONS: usize = 100;

crate::names::named_enum! {
    /// The pseudo-R^2 decomposed for a binary outcome.
    pub enum PseudoR2 {
        /// McFadden (1974): `1 - LL / LL0`.
        McFadden = "mcfadden",
        /// Nagelkerke (1991): Cox & Snell's `1 - exp(2 (LL0 - LL) / N)` over its maximum `1 - exp(2 LL0 / N)`.
        Nagelkerke = "nagelkerke",
        /// Estrella (1998): `1 - (LL / LL0)^(-(2 / N) LL0)`.
        Estrella = "estrella",
    }
    unknown = |name| crate::error::Error::UnknownOption { option: "pseudo_r2", name, valid: PseudoR2::NAMES };
}

impl PseudoR2 {
    /// The pseudo-R^2 of a model with log-likelihood `ll`, against the empty model's `ll0`, for a
    /// total weight `total`.
    pub(crate) fn value(self, ll: f64, ll0: f64, total: f64) -> f64 {
        match self {
            PseudoR2::McFadden => 1.0 - ll / ll0,
            PseudoR2::Nagelkerke => {
                (-(2.0 * (ll0 - ll) / total).exp_m1()) / (-(2.0 * ll0 / total).exp_m1())
            }
            PseudoR2::Estrella => 1.0 - (ll / ll0).powf(-(2.0 / total) * ll0),
        }
    }
}

/// What went wrong in one subset's fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FitIssue {
    /// Some fitted probabilities reached 0 or 1: the maximum likelihood estimate does not exist.
    Separation,
    /// No convergence in [`MAX_ITERATIONS`] steps (or a singular information matrix).
    NotConverged,
}

/// The data of the logistic fits: standardised columns (column-major), the 0/1 outcome and the
/// frequency weights.
pub(crate) struct Design {
    pub columns: Vec<Vec<f64>>,
    pub y: Vec<f64>,
    pub weights: Vec<f64>,
}

impl Design {
    /// The design from row-major rows (outcome first, then the columns); columns are centred and
    /// scaled (the likelihood does not change), weights default to 1 and are multiplied by the
    /// rows' multiplicities in a bootstrap resample (frequency weights).
    pub(crate) fn from_rows(
        values: &[f64],
        width: usize,
        weights: Option<&[f64]>,
        multiplicity: Option<&[u32]>,
    ) -> Self {
        let n = values.len() / width;
        let weights: Vec<f64> = (0..n)
            .map(|i| weights.map_or(1.0, |w| w[i]) * multiplicity.map_or(1.0, |m| f64::from(m[i])))
            .collect();
        let y: Vec<f64> = values.chunks_exact(width).map(|r| r[0]).collect();
        let columns = (1..width)
            .map(|c| {
                let x: Vec<f64> = values.chunks_exact(width).map(|r| r[c]).collect();
                let total: f64 = weights.iter().sum();
                let mean = x.iter().zip(&weights).map(|(x, w)| w * x).sum::<f64>() / total;
                let var = x
                    .iter()
                    .zip(&weights)
                    .map(|(x, w)| w * (x - mean) * (x - mean))
                    .sum::<f64>()
                    / total;
                let sd = if var > 0.0 { var.sqrt() } else { 1.0 };
                x.iter().map(|x| (x - mean) / sd).collect()
            })
            .collect();
        Design {
            columns,
            y,
            weights,
        }
    }

    /// The empty model's log-likelihood and the total weight, or `None` when the outcome is constant.
    pub(crate) fn null_log_likelihood(&self) -> Option<(f64, f64)> {
        let (mut total, mut ones) = (0.0, 0.0);
        for i in 0..self.y.len() {
            let w = self.weights[i];
            total += w;
            ones += w * self.y[i];
        }
        let share = ones / total;
        if !(share > 0.0 && share < 1.0) {
            return None;
        }
        Some((ones * share.ln() + (total - ones) * (-share).ln_1p(), total))
    }
}

/// One fit's result.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    /// Intercept first, then one coefficient per column of the subset.
    pub beta: Vec<f64>,
    pub log_likelihood: f64,
    pub issue: Option<FitIssue>,
}

/// Rows per block of the passes over the data (the linear predictors of a block stay in cache).
const BLOCK: usize = 512;
/// A fitted probability within this of 0 or 1 (`p (1 - p)` below it) counts as 0 or 1: R's glm
/// threshold, `10 * .Machine$double.eps`.
const EXTREME: f64 = 10.0 * f64::EPSILON;
/// A block of ones (the intercept's column).
const ONES: [f64; BLOCK] = [1.0; BLOCK];

/// Lanes of the running sums of [`dot`].
const LANES: usize = 4;

/// `sum x_i y_i` with [`LANES`] running sums, so that the additions do not wait on each other and
/// vectorise; a fixed order (lanes, then pairs of lanes), the same on every machine.
#[inline(always)]
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = [0.0f64; LANES];
    let (xc, yc) = (x.chunks_exact(LANES), y.chunks_exact(LANES));
    let (xr, yr) = (xc.remainder(), yc.remainder());
    for (xs, ys) in xc.zip(yc) {
        for l in 0..LANES {
            acc[l] += xs[l] * ys[l];
        }
    }
    for (l, (a, b)) in xr.iter().zip(yr).enumerate() {
        acc[l] += a * b;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// `[sum w_i x0_i, ..., sum w_i x3_i]`: four of [`dot`]'s sums at once, each with its own four
/// running sums (each `w` loaded once for four columns), in the same order as [`dot`].
#[inline(always)]
fn dot4(w: &[f64], x: [&[f64]; 4]) -> [f64; 4] {
    let mut acc = [[0.0f64; LANES]; 4];
    let n = w.len() - w.len() % LANES;
    let (x0, x1, x2, x3) = (
        &x[0][..w.len()],
        &x[1][..w.len()],
        &x[2][..w.len()],
        &x[3][..w.len()],
    );
    for i in (0..n).step_by(LANES) {
        let ws = &w[i..i + LANES];
        let (c0, c1, c2, c3) = (
            &x0[i..i + LANES],
            &x1[i..i + LANES],
            &x2[i..i + LANES],
            &x3[i..i + LANES],
        );
        for l in 0..LANES {
            acc[0][l] += ws[l] * c0[l];
            acc[1][l] += ws[l] * c1[l];
            acc[2][l] += ws[l] * c2[l];
            acc[3][l] += ws[l] * c3[l];
        }
    }
    for (l, i) in (n..w.len()).enumerate() {
        acc[0][l] += w[i] * x0[i];
        acc[1][l] += w[i] * x1[i];
        acc[2][l] += w[i] * x2[i];
        acc[3][l] += w[i] * x3[i];
    }
    acc.map(|a| (a[0] + a[1]) + (a[2] + a[3]))
}

/// [`dot`] with AVX2 and FMA: four vector running sums over 16 rows a step (a different but fixed
/// order of additions).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
// SAFETY: called only from code compiled for, and run on, CPUs with AVX2 and FMA.
unsafe fn dot_avx2(x: &[f64], y: &[f64]) -> f64 {
    use std::arch::x86_64::*;
    let n = x.len().min(y.len());
    let whole = n - n % 16;
    let (px, py) = (x.as_ptr(), y.as_ptr());
    let mut acc = [_mm256_setzero_pd(); 4];
    let mut i = 0;
    while i < whole {
        for (j, a) in acc.iter_mut().enumerate() {
            // SAFETY: i + 4 j + 4 <= whole <= n, within both slices.
            let (vx, vy) = unsafe {
                (
                    _mm256_loadu_pd(px.add(i + 4 * j)),
                    _mm256_loadu_pd(py.add(i + 4 * j)),
                )
            };
            *a = _mm256_fmadd_pd(vx, vy, *a);
        }
        i += 16;
    }
    let sum = _mm256_add_pd(_mm256_add_pd(acc[0], acc[1]), _mm256_add_pd(acc[2], acc[3]));
    let mut lanes = [0.0f64; 4];
    // SAFETY: `lanes` has room for four doubles.
    unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), sum) };
    let mut total = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for k in whole..n {
        total += x[k] * y[k];
    }
    total
}

/// [`dot4`] with AVX2 and FMA: for each column two vector running sums over 8 rows a step.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
// SAFETY: called only from code compiled for, and run on, CPUs with AVX2 and FMA.
unsafe fn dot4_avx2(w: &[f64], x: [&[f64]; 4]) -> [f64; 4] {
    use std::arch::x86_64::*;
    let n = w.len();
    assert!(x.iter().all(|c| c.len() >= n));
    let whole = n - n % 8;
    let pw = w.as_ptr();
    let px = x.map(<[f64]>::as_ptr);
    let mut acc = [[_mm256_setzero_pd(); 2]; 4];
    let mut i = 0;
    while i < whole {
        // SAFETY: i + 8 <= whole <= n, within `w` and every column.
        unsafe {
            let (w0, w1) = (_mm256_loadu_pd(pw.add(i)), _mm256_loadu_pd(pw.add(i + 4)));
            for (c, a) in acc.iter_mut().enumerate() {
                a[0] = _mm256_fmadd_pd(w0, _mm256_loadu_pd(px[c].add(i)), a[0]);
                a[1] = _mm256_fmadd_pd(w1, _mm256_loadu_pd(px[c].add(i + 4)), a[1]);
            }
        }
        i += 8;
    }
    let mut out = [0.0f64; 4];
    for (c, a) in acc.iter().enumerate() {
        let mut lanes = [0.0f64; 4];
        // SAFETY: `lanes` has room for four doubles.
        unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), _mm256_add_pd(a[0], a[1])) };
        let mut total = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        for k in whole..n {
            total += w[k] * x[c][k];
        }
        out[c] = total;
    }
    out
}

/// [`dot`], with AVX2 when `AVX` (only in code compiled for it).
#[inline(always)]
fn dot_with<const AVX: bool>(x: &[f64], y: &[f64]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if AVX {
        // SAFETY: AVX is true only in `pass_avx2`, run on CPUs with AVX2 and FMA.
        return unsafe { dot_avx2(x, y) };
    }
    dot(x, y)
}

/// [`dot4`], with AVX2 when `AVX` (only in code compiled for it).
#[inline(always)]
fn dot4_with<const AVX: bool>(w: &[f64], x: [&[f64]; 4]) -> [f64; 4] {
    #[cfg(target_arch = "x86_64")]
    if AVX {
        // SAFETY: AVX is true only in `pass_avx2`, run on CPUs with AVX2 and FMA.
        return unsafe { dot4_avx2(w, x) };
    }
    dot4(w, x)
}

/// What one pass over the data gives at a coefficient vector.
struct PassResult {
    /// Gradient of the log-likelihood (intercept first).
    gradient: Vec<f64>,
    /// Information matrix `X' W X` (full, symmetric).
    information: Matrix,
    /// Whether some fitted probability is within [`EXTREME`] of 0 or 1.
    extreme: bool,
}

/// The linear predictors of rows `start..start + eta.len()`.
#[inline(always)]
fn predictors(design: &Design, cols: &[usize], beta: &[f64], start: usize, eta: &mut [f64]) {
    eta.fill(beta[0]);
    for (c, &col) in cols.iter().enumerate() {
        let b = beta[c + 1];
        let x = &design.columns[col][start..start + eta.len()];
        for (e, x) in eta.iter_mut().zip(x) {
            *e += b * x;
        }
    }
}

/// Gradient and information matrix at `beta` for the columns `cols` (plus the intercept).
#[inline(always)]
fn pass_body<const AVX: bool>(design: &Design, cols: &[usize], beta: &[f64]) -> PassResult {
    let k = cols.len() + 1;
    let n = design.y.len();
    let mut g = vec![0.0; k];
    let mut h = Matrix::zeros(k);
    let mut extreme = false;
    let mut eta = [0.0f64; BLOCK];
    let mut resid = [0.0f64; BLOCK];
    let mut info = [0.0f64; BLOCK];
    let mut weighted = [0.0f64; BLOCK];
    let mut start = 0;
    while start < n {
        let len = BLOCK.min(n - start);
        predictors(design, cols, beta, start, &mut eta[..len]);
        // Elementwise over the block, without branches or calls, so that it vectorises.
        let (w, y) = (
            &design.weights[start..start + len],
            &design.y[start..start + len],
        );
        let mut extremes = 0u32;
        for i in 0..len {
            let e = eta[i];
            // p = 1 / (1 + exp(-e)), from exp(-|e|) so that nothing overflows.
            let z = exp_nonpositive(-e.abs());
            let inverse = 1.0 / (1.0 + z);
            let p = if e >= 0.0 { inverse } else { z * inverse };
            resid[i] = w[i] * (y[i] - p);
            let q = p * (1.0 - p);
            info[i] = w[i] * q;
            extremes += u32::from(w[i] > 0.0 && q < EXTREME);
        }
        extreme |= extremes > 0;
        let (resid, info) = (&resid[..len], &info[..len]);
        let ones = &ONES[..len];
        g[0] += dot_with::<AVX>(resid, ones);
        h.data[0] += dot_with::<AVX>(info, ones);
        for (a, &ca) in cols.iter().enumerate() {
            let xa = &design.columns[ca][start..start + len];
            g[a + 1] += dot_with::<AVX>(xa, resid);
            // The information-weighted column, once, for the row of the matrix.
            for ((t, x), q) in weighted.iter_mut().zip(xa).zip(info) {
                *t = x * q;
            }
            let weighted = &weighted[..len];
            h.data[a + 1] += dot_with::<AVX>(weighted, ones);
            let column = |b: usize| &design.columns[cols[b]][start..start + len];
            let mut b = a;
            while b + 4 <= cols.len() {
                let sums = dot4_with::<AVX>(
                    weighted,
                    [column(b), column(b + 1), column(b + 2), column(b + 3)],
                );
                for (j, v) in sums.into_iter().enumerate() {
                    h.data[(a + 1) * k + b + j + 1] += v;
                }
                b += 4;
            }
            for b in b..cols.len() {
                h.data[(a + 1) * k + b + 1] += dot_with::<AVX>(weighted, column(b));
            }
        }
        start += len;
    }
    for a in 0..k {
        for b in a + 1..k {
            let v = h.at(a, b);
            h.set(b, a, v);
        }
    }
    PassResult {
        gradient: g,
        information: h,
        extreme,
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
// SAFETY: called only when the CPU has AVX2 and FMA (checked in `pass`).
unsafe fn pass_avx2(design: &Design, cols: &[usize], beta: &[f64]) -> PassResult {
    pass_body::<true>(design, cols, beta)
}

/// [`pass_body`], compiled for AVX2 and FMA when the CPU has them (the same operations in the same
/// order; FMA only fuses a multiply and an add, so results can differ in the last bits).
fn pass(design: &Design, cols: &[usize], beta: &[f64]) -> PassResult {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has AVX2 and FMA.
            return unsafe { pass_avx2(design, cols, beta) };
        }
    }
    pass_body::<false>(design, cols, beta)
}

/// The log-likelihood at `beta`: `sum w [y eta - log(1 + exp(eta))]`; compiled for AVX2 and FMA
/// when the CPU has them.
fn log_likelihood(design: &Design, cols: &[usize], beta: &[f64]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has AVX2 and FMA.
            return unsafe { log_likelihood_avx2(design, cols, beta) };
        }
    }
    log_likelihood_body(design, cols, beta)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
// SAFETY: called only when the CPU has AVX2 and FMA (checked in `log_likelihood`).
unsafe fn log_likelihood_avx2(design: &Design, cols: &[usize], beta: &[f64]) -> f64 {
    log_likelihood_body(design, cols, beta)
}

#[inline(always)]
fn log_likelihood_body(design: &Design, cols: &[usize], beta: &[f64]) -> f64 {
    let n = design.y.len();
    let mut eta = [0.0f64; BLOCK];
    let mut ll = 0.0;
    let mut start = 0;
    while start < n {
        let len = BLOCK.min(n - start);
        predictors(design, cols, beta, start, &mut eta[..len]);
        let (w, y) = (
            &design.weights[start..start + len],
            &design.y[start..start + len],
        );
        let mut terms = [0.0f64; BLOCK];
        for i in 0..len {
            let e = eta[i];
            // log(1 + exp(e)) = max(e, 0) + log1p(exp(-|e|)).
            let softplus = e.max(0.0) + ln_1p_unit(exp_nonpositive(-e.abs()));
            terms[i] = w[i] * (y[i] * e - softplus);
        }
        ll += dot(&terms[..len], &ONES[..len]);
        start += len;
    }
    ll
}

/// The maximum-likelihood fit of the logistic model on `cols`, from `start` (intercept first).
///
/// Newton steps need only the gradient and the information matrix; the log-likelihood (which costs a
/// logarithm per row) is computed at the end, and during the iterations only when a step fails to
/// shrink the Newton decrement, to halve it until the likelihood rises. The fit stops when the
/// decrement is at most `1e-14` times the total weight, or, once convergence is quadratic, when the
/// decrement after the step (`kappa d^2`, `kappa` from the last two decrements) is predicted below
/// `1e-17` times it.
pub(crate) fn fit(design: &Design, cols: &[usize], start: Vec<f64>) -> Fit {
    let total: f64 = design.weights.iter().sum();
    let mut beta = start;
    let mut at = pass(design, cols, &beta);
    let mut previous_decrement = f64::INFINITY;
    let finish = |beta: Vec<f64>, issue: Option<FitIssue>| Fit {
        log_likelihood: log_likelihood(design, cols, &beta),
        beta,
        issue,
    };
    for _ in 0..MAX_ITERATIONS {
        let Ok(l) = cholesky(&at.information, 0.0) else {
            let issue = if at.extreme {
                FitIssue::Separation
            } else {
                FitIssue::NotConverged
            };
            return finish(beta, Some(issue));
        };
        let step = cholesky_solve(&l, &at.gradient);
        let decrement: f64 = step.iter().zip(&at.gradient).map(|(s, g)| s * g).sum();
        if !decrement.is_finite() {
            return finish(beta, Some(FitIssue::NotConverged));
        }
        // The decrement / 2 predicts the remaining gain in log-likelihood, |LL| <= total log 2.
        if decrement * 0.5 <= 1e-14 * total {
            // Converged; with a fitted probability at 0 or 1 the maximum is only approached (R's
            // glm warns "fitted probabilities numerically 0 or 1 occurred" on the same condition).
            let issue = at.extreme.then_some(FitIssue::Separation);
            return finish(beta, issue);
        }
        let mut trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
        if decrement > previous_decrement {
            // Not converging quadratically: make sure the step raises the likelihood.
            let ll = log_likelihood(design, cols, &beta);
            let mut scale = 1.0;
            while log_likelihood(design, cols, &trial) < ll - 1e-12 * ll.abs() && scale > 1e-6 {
                scale *= 0.5;
                trial = beta.iter().zip(&step).map(|(b, s)| b + scale * s).collect();
            }
        }
        // Quadratic convergence: the next decrement is about kappa d^2, with kappa estimated from the
        // last two. When that is far below the tolerance, the step is taken without another pass.
        if previous_decrement.is_finite() && decrement < previous_decrement {
            let kappa = decrement / (previous_decrement * previous_decrement);
            if kappa * decrement * decrement * 0.5 <= 1e-17 * total {
                return finish(trial, at.extreme.then_some(FitIssue::Separation));
            }
        }
        previous_decrement = decrement;
        beta = trial;
        at = pass(design, cols, &beta);
    }
    let issue = if at.extreme {
        FitIssue::Separation
    } else {
        FitIssue::NotConverged
    };
    finish(beta, Some(issue))
}

/// Every subset's log-likelihood (by bit mask) and the subsets whose fit had an issue.
pub(crate) type SubsetFits = (Vec<f64>, Vec<(usize, FitIssue)>);

/// The most distinct values a column may have for its rows to be grouped into patterns.
const MAX_CODES: usize = 64;

/// A column's values as dense codes `0..values` (when it has at most [`MAX_CODES`] distinct values).
struct Codes {
    code: Vec<u16>,
    values: usize,
}

impl Codes {
    fn of(column: &[f64]) -> Option<Codes> {
        let mut seen: std::collections::HashMap<u64, u16> = std::collections::HashMap::new();
        let mut code = Vec::with_capacity(column.len());
        for &x in column {
            let next = seen.len() as u16;
            let c = *seen.entry(x.to_bits()).or_insert(next);
            if seen.len() > MAX_CODES {
                return None;
            }
            code.push(c);
        }
        Some(Codes {
            code,
            values: seen.len(),
        })
    }
}

/// The rows grouped by their values on a set of columns: each row's pattern, and the number of
/// patterns.
struct Patterns {
    id: Vec<u32>,
    count: usize,
}

impl Patterns {
    fn one(n: usize) -> Patterns {
        Patterns {
            id: vec![0; n],
            count: 1,
        }
    }

    /// The patterns on one column more, or `None` when that column has too many values or the
    /// patterns could outnumber the rows.
    fn refine(&self, codes: Option<&Codes>) -> Option<Patterns> {
        let codes = codes?;
        let n = self.id.len();
        let size = self.count.checked_mul(codes.values)?;
        if size > n {
            return None;
        }
        let mut table = vec![u32::MAX; size];
        let mut count = 0u32;
        let id = self
            .id
            .iter()
            .zip(&codes.code)
            .map(|(&p, &c)| {
                let slot = &mut table[p as usize * codes.values + c as usize];
                if *slot == u32::MAX {
                    *slot = count;
                    count += 1;
                }
                *slot
            })
            .collect();
        Some(Patterns {
            id,
            count: count as usize,
        })
    }

    /// The design with one row per pattern: its total weight, its weighted share of ones as the
    /// outcome, and its values on `cols` (the likelihood is the same: `sum_i w_i [y_i eta - s(eta)]`
    /// is `W [(S / W) eta - s(eta)]` per pattern).
    fn compress(&self, design: &Design, cols: &[usize]) -> Design {
        let mut weights = vec![0.0; self.count];
        let mut ones = vec![0.0; self.count];
        let mut first = vec![usize::MAX; self.count];
        for (i, &p) in self.id.iter().enumerate() {
            let p = p as usize;
            weights[p] += design.weights[i];
            ones[p] += design.weights[i] * design.y[i];
            if first[p] == usize::MAX {
                first[p] = i;
            }
        }
        let mut columns = vec![Vec::new(); design.columns.len()];
        for &c in cols {
            columns[c] = first.iter().map(|&i| design.columns[c][i]).collect();
        }
        let y = ones
            .iter()
            .zip(&weights)
            .map(|(s, w)| if *w > 0.0 { s / w } else { 0.0 })
            .collect();
        Design {
            columns,
            y,
            weights,
        }
    }
}

/// The log-likelihood of every subset of the players (`groups`: each player's columns), indexed by
/// bit mask, and the subsets whose fit had an issue; on `threads` threads. Each subset's fit starts
/// from its parent's (the subset without its highest player). Ratings take few values, so on small
/// subsets many respondents share a pattern of answers: while the patterns are at most half the rows,
/// the model is fitted on one weighted row per pattern (the same likelihood, in fewer terms).
pub(crate) fn all_subsets(
    design: &Design,
    groups: &[Vec<usize>],
    threads: usize,
) -> crate::error::Result<SubsetFits> {
    let p = groups.len();
    let n = design.y.len();
    // 2^d blocks of subsets, shared between the threads and interruptible between blocks: 32 blocks
    // up to 12 players (each block's first fit starts cold, so fewer blocks are faster), then blocks
    // of 64 subsets, at most 1024 (a block of 16 drivers on 2e5 rows takes under a second).
    let d = if p >= 13 {
        10.min(p - 6)
    } else if p >= 6 {
        5.min(p - 4)
    } else {
        0
    };
    let m = p - d;
    let block = 1usize << m;
    let codes: Vec<Option<Codes>> = design.columns.iter().map(|c| Codes::of(c)).collect();
    let refine = |patterns: Option<&Patterns>, cols: &[usize]| -> Option<Patterns> {
        let mut current: Option<Patterns> = None;
        for &c in cols {
            let from = current.as_ref().or(patterns)?;
            current = Some(from.refine(codes[c].as_ref())?);
        }
        current.filter(|found| 2 * found.count <= n)
    };
    let fit_on = |patterns: Option<&Patterns>, cols: &[usize], start: Vec<f64>| -> Fit {
        match patterns {
            Some(found) => fit(&found.compress(design, cols), cols, start),
            None => fit(design, cols, start),
        }
    };
    // Each block: the players m..p of `prefix` fixed, every subset of players 0..m added to them.
    let run = |prefix: usize| -> (Vec<f64>, Vec<(usize, FitIssue)>) {
        let mut out = vec![0.0; block];
        let mut issues = Vec::new();
        let base_cols: Vec<usize> = (0..d)
            .filter(|k| prefix & (1 << k) != 0)
            .flat_map(|k| groups[m + k].iter().copied())
            .collect();
        let root = Patterns::one(n);
        let base_patterns = if base_cols.is_empty() {
            Some(root)
        } else {
            refine(Some(&root), &base_cols)
        };
        let base = fit_on(
            base_patterns.as_ref(),
            &base_cols,
            vec![0.0; base_cols.len() + 1],
        );
        let mut stack = vec![(0usize, 0usize, base_cols, base, base_patterns)];
        while let Some((low_mask, next, cols, parent, patterns)) = stack.pop() {
            out[low_mask] = parent.log_likelihood;
            if let Some(issue) = parent.issue {
                issues.push((low_mask | (prefix << m), issue));
            }
            for j in next..m {
                let mut child_cols = cols.clone();
                child_cols.extend(groups[j].iter().copied());
                let mut start = parent.beta.clone();
                start.resize(child_cols.len() + 1, 0.0);
                let child_patterns = refine(patterns.as_ref(), &groups[j]);
                let child = fit_on(child_patterns.as_ref(), &child_cols, start);
                stack.push((
                    low_mask | (1 << j),
                    j + 1,
                    child_cols,
                    child,
                    child_patterns,
                ));
            }
        }
        (out, issues)
    };
    // The blocks with more fixed players (larger models, fewer shared patterns) are the longest:
    // they are claimed first, then the parts are put back in block order.
    let blocks = 1usize << d;
    let mut parts = crate::parallel::map_blocks(blocks, threads, |b| run(blocks - 1 - b))?;
    parts.reverse();
    let mut ll = Vec::with_capacity(1 << p);
    let mut issues = Vec::new();
    for (values, found) in parts {
        ll.extend(values);
        issues.extend(found);
    }
    issues.sort_unstable_by_key(|(mask, _)| *mask);
    Ok((ll, issues))
}

/// Shapley values of a pseudo-R^2 estimated from `permutations` random orders of the players, each
/// model fitted once (cached by subset) and warm-started from the previous one in the order; with
/// each estimate's Monte Carlo standard error, as the linear sampling estimate.
pub(crate) fn sampled(
    design: &Design,
    groups: &[Vec<usize>],
    value: impl Fn(f64) -> f64,
    permutations: usize,
    seed: u64,
) -> (Vec<f64>, Vec<f64>, Vec<(usize, FitIssue)>) {
    let p = groups.len();
    let mut rng = crate::random::Rng::new(seed);
    let mut order: Vec<usize> = (0..p).collect();
    let mut cache: std::collections::HashMap<usize, (f64, Vec<f64>, Vec<usize>)> =
        std::collections::HashMap::new();
    let mut issues = std::collections::BTreeMap::new();
    let empty = fit(design, &[], vec![0.0]);
    let (mut sum, mut sum_sq) = (vec![0.0; p], vec![0.0; p]);
    for _ in 0..permutations {
        for i in (1..p).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let (mut mask, mut previous) = (0usize, value(empty.log_likelihood));
        let (mut beta, mut cols) = (empty.beta.clone(), Vec::new());
        for &j in &order {
            mask |= 1 << j;
            let entry = cache.entry(mask).or_insert_with(|| {
                let mut child_cols = cols.clone();
                child_cols.extend(groups[j].iter().copied());
                let mut start = beta.clone();
                start.resize(child_cols.len() + 1, 0.0);
                let f = fit(design, &child_cols, start);
                if let Some(issue) = f.issue {
                    issues.insert(mask, issue);
                }
                (f.log_likelihood, f.beta, child_cols)
            });
            let v = value(entry.0);
            beta.clone_from(&entry.1);
            cols.clone_from(&entry.2);
            let gain = v - previous;
            previous = v;
            sum[j] += gain;
            sum_sq[j] += gain * gain;
        }
    }
    let (mean, error) = super::shapley::mean_and_error(&sum, &sum_sq, permutations);
    (mean, error, issues.into_iter().collect())
}
