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
//! separation when some fitted probability is within `1e-12` of 0 or 1 (the likelihood then has no
//! maximum; its supremum is approached, as R's `glm` reports its last iterate), else as not converged.
//!
//! Methods and sources: `docs/methods.md#logistic-dominance-analysis`.

#![allow(clippy::needless_range_loop)] // index loops read as the matrix formulas

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
    /// scaled (the likelihood does not change), weights default to 1.
    pub(crate) fn from_rows(values: &[f64], width: usize, weights: Option<&[f64]>) -> Self {
        let n = values.len() / width;
        let weights: Vec<f64> = weights.map_or_else(|| vec![1.0; n], <[f64]>::to_vec);
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
    pub(crate) fn null_log_likelihood(&self, multiplicity: Option<&[u32]>) -> Option<(f64, f64)> {
        let (mut total, mut ones) = (0.0, 0.0);
        for i in 0..self.y.len() {
            let w = self.weight(i, multiplicity);
            total += w;
            ones += w * self.y[i];
        }
        let share = ones / total;
        if !(share > 0.0 && share < 1.0) {
            return None;
        }
        Some((ones * share.ln() + (total - ones) * (-share).ln_1p(), total))
    }

    #[inline]
    fn weight(&self, i: usize, multiplicity: Option<&[u32]>) -> f64 {
        self.weights[i] * multiplicity.map_or(1.0, |m| f64::from(m[i]))
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

/// Log-likelihood, gradient and information matrix (upper triangle, `k x k`) at `beta` for the
/// columns `cols` (plus the intercept); also whether some fitted probability is within 1e-12 of 0 or 1.
fn pass(
    design: &Design,
    cols: &[usize],
    beta: &[f64],
    multiplicity: Option<&[u32]>,
    with_information: bool,
) -> (f64, Vec<f64>, Matrix, bool) {
    let k = cols.len() + 1;
    let n = design.y.len();
    let mut ll = 0.0;
    let mut g = vec![0.0; k];
    let mut h = Matrix::zeros(k);
    let mut extreme = false;
    let mut eta = [0.0f64; BLOCK];
    let mut resid = [0.0f64; BLOCK];
    let mut info = [0.0f64; BLOCK];
    let mut start = 0;
    while start < n {
        let len = BLOCK.min(n - start);
        let eta = &mut eta[..len];
        eta.fill(beta[0]);
        for (c, &col) in cols.iter().enumerate() {
            let b = beta[c + 1];
            let x = &design.columns[col][start..start + len];
            for (e, x) in eta.iter_mut().zip(x) {
                *e += b * x;
            }
        }
        for i in 0..len {
            let row = start + i;
            let w = design.weight(row, multiplicity);
            let e = eta[i];
            // p = 1 / (1 + exp(-e)); log(1 + exp(e)) = max(e, 0) + log1p(exp(-|e|)).
            let z = (-e.abs()).exp();
            let p = if e >= 0.0 {
                1.0 / (1.0 + z)
            } else {
                z / (1.0 + z)
            };
            let softplus = e.max(0.0) + z.ln_1p();
            let y = design.y[row];
            ll += w * (y * e - softplus);
            resid[i] = w * (y - p);
            let q = p * (1.0 - p);
            info[i] = w * q;
            extreme |= w > 0.0 && q < 1e-12;
        }
        g[0] += resid[..len].iter().sum::<f64>();
        for (c, &col) in cols.iter().enumerate() {
            let x = &design.columns[col][start..start + len];
            g[c + 1] += x.iter().zip(&resid[..len]).map(|(x, r)| x * r).sum::<f64>();
        }
        if with_information {
            let info = &info[..len];
            let h00: f64 = info.iter().sum();
            h.data[0] += h00;
            for (a, &ca) in cols.iter().enumerate() {
                let xa = &design.columns[ca][start..start + len];
                h.data[a + 1] += xa.iter().zip(info).map(|(x, q)| x * q).sum::<f64>();
                for (b, &cb) in cols.iter().enumerate().skip(a) {
                    let xb = &design.columns[cb][start..start + len];
                    let s: f64 = xa
                        .iter()
                        .zip(xb)
                        .zip(info)
                        .map(|((xa, xb), q)| xa * xb * q)
                        .sum();
                    h.data[(a + 1) * k + b + 1] += s;
                }
            }
        }
        start += len;
    }
    if with_information {
        for a in 0..k {
            for b in a + 1..k {
                let v = h.at(a, b);
                h.set(b, a, v);
            }
        }
    }
    (ll, g, h, extreme)
}

/// The maximum-likelihood fit of the logistic model on `cols`, from `start` (intercept first).
pub(crate) fn fit(
    design: &Design,
    cols: &[usize],
    start: Vec<f64>,
    multiplicity: Option<&[u32]>,
) -> Fit {
    let mut beta = start;
    let (mut ll, mut g, mut h, mut extreme) = pass(design, cols, &beta, multiplicity, true);
    for _ in 0..MAX_ITERATIONS {
        let Ok(l) = cholesky(&h, 0.0) else {
            let issue = if extreme {
                FitIssue::Separation
            } else {
                FitIssue::NotConverged
            };
            return Fit {
                beta,
                log_likelihood: ll,
                issue: Some(issue),
            };
        };
        let step = cholesky_solve(&l, &g);
        let decrement: f64 = step.iter().zip(&g).map(|(s, g)| s * g).sum();
        if decrement * 0.5 <= 1e-13 * ll.abs().max(1e-300) {
            return Fit {
                beta,
                log_likelihood: ll,
                issue: None,
            };
        }
        // Newton step, halved while the likelihood falls.
        let mut scale = 1.0;
        loop {
            let trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + scale * s).collect();
            let (ll_t, g_t, h_t, extreme_t) = pass(design, cols, &trial, multiplicity, true);
            if ll_t >= ll - 1e-12 * ll.abs() || scale < 1e-6 {
                beta = trial;
                (ll, g, h, extreme) = (ll_t, g_t, h_t, extreme_t);
                break;
            }
            scale *= 0.5;
        }
    }
    let issue = if extreme {
        FitIssue::Separation
    } else {
        FitIssue::NotConverged
    };
    Fit {
        beta,
        log_likelihood: ll,
        issue: Some(issue),
    }
}

/// The log-likelihood of every subset of the players (`groups`: each player's columns), indexed by
/// bit mask, and the subsets whose fit had an issue; on `threads` threads. Each subset's fit starts
/// from its parent's (the subset without its highest player).
pub(crate) fn all_subsets(
    design: &Design,
    groups: &[Vec<usize>],
    multiplicity: Option<&[u32]>,
    threads: usize,
) -> (Vec<f64>, Vec<(usize, FitIssue)>) {
    let p = groups.len();
    let d = if p >= 6 { 3.min(p - 3) } else { 0 };
    let m = p - d;
    let block = 1usize << m;
    // Each block: the players m..p of `prefix` fixed, every subset of players 0..m added to them.
    let run = |prefix: usize| -> (Vec<f64>, Vec<(usize, FitIssue)>) {
        let mut out = vec![0.0; block];
        let mut issues = Vec::new();
        let base_cols: Vec<usize> = (0..d)
            .filter(|k| prefix & (1 << k) != 0)
            .flat_map(|k| groups[m + k].iter().copied())
            .collect();
        let base = fit(
            design,
            &base_cols,
            vec![0.0; base_cols.len() + 1],
            multiplicity,
        );
        let mut stack: Vec<(usize, usize, Vec<usize>, Fit)> = vec![(0, 0, base_cols, base)];
        while let Some((low_mask, next, cols, parent)) = stack.pop() {
            out[low_mask] = parent.log_likelihood;
            if let Some(issue) = parent.issue {
                issues.push((low_mask | (prefix << m), issue));
            }
            for j in next..m {
                let mut child_cols = cols.clone();
                child_cols.extend(groups[j].iter().copied());
                let mut start = parent.beta.clone();
                start.resize(child_cols.len() + 1, 0.0);
                let child = fit(design, &child_cols, start, multiplicity);
                stack.push((low_mask | (1 << j), j + 1, child_cols, child));
            }
        }
        (out, issues)
    };
    let parts = if d == 0 {
        vec![run(0)]
    } else {
        crate::parallel::map_blocks_in_order(1 << d, threads, run)
    };
    let mut ll = Vec::with_capacity(1 << p);
    let mut issues = Vec::new();
    for (values, found) in parts {
        ll.extend(values);
        issues.extend(found);
    }
    issues.sort_unstable_by_key(|(mask, _)| *mask);
    (ll, issues)
}

/// Shapley values of a pseudo-R^2 estimated from `permutations` random orders of the players, each
/// model fitted once (cached by subset) and warm-started from the previous one in the order; with
/// each estimate's Monte Carlo standard error, as the linear sampling estimate.
pub(crate) fn sampled(
    design: &Design,
    groups: &[Vec<usize>],
    multiplicity: Option<&[u32]>,
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
    let empty = fit(design, &[], vec![0.0], multiplicity);
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
                let f = fit(design, &child_cols, start, multiplicity);
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
    let m = permutations as f64;
    let mean: Vec<f64> = sum.iter().map(|s| s / m).collect();
    let error = sum_sq
        .iter()
        .zip(&mean)
        .map(|(s2, mu)| ((s2 / m - mu * mu).max(0.0) * m / (m - 1.0).max(1.0) / m).sqrt())
        .collect();
    (mean, error, issues.into_iter().collect())
}
