//! Key driver analysis: which touchpoint ratings explain the overall NPS, satisfaction or
//! repurchase intention, as shares of the R^2 of a linear model, with bootstrap intervals.
//!
//! Two decompositions of R^2, both from the (weighted) correlation matrix of the complete rows:
//! exact Shapley values / LMG ([`DriverMethod::Shapley`]; every subset of up to
//! [`MAX_EXACT_DRIVERS`] drivers, multi-threaded; a seeded permutation-sampling estimate with its
//! Monte Carlo error beyond) and Johnson's relative weights ([`DriverMethod::RelativeWeights`]).
//!
//! Methods and sources: `docs/methods.md#drivers-analysis`, `docs/methods.md#driver-bootstrap-intervals`.

mod correlation;
mod elementary;
mod linalg;
mod logistic;
mod missing;
mod nearest;
mod relative_weights;
mod shapley;

use serde::Serialize;

pub use logistic::PseudoR2;
pub use missing::{MissingRule, MIN_PAIR_ROWS};
pub use shapley::MAX_EXACT_DRIVERS;

use crate::error::{Error, Result};
use crate::interval::Confidence;
use crate::random::Rng;
use correlation::{complete_rows, correlation, moments, Rows};
use linalg::{cholesky, cholesky_solve, Matrix};
use missing::{fill_missing, pairwise, present_means, Columns};

crate::names::named_enum! {
    /// How R^2 is split between the drivers.
    pub enum DriverMethod {
        /// Shapley values of R^2 (LMG): each driver's average gain in R^2 over all orders of entry.
        Shapley = "shapley",
        /// Johnson's (2000) relative weights.
        RelativeWeights = "relative_weights",
    }
    unknown = |name| Error::UnknownOption { option: "driver method", name, valid: DriverMethod::NAMES };
}

crate::names::named_enum! {
    /// The kind of outcome, and so the model whose fit is decomposed.
    pub enum OutcomeKind {
        /// A rating or score: the R^2 of a linear model.
        Continuous = "continuous",
        /// A 0/1 behaviour (repurchase, churn): a pseudo-R^2 of a logistic model.
        Binary = "binary",
    }
    unknown = |name| Error::UnknownOption { option: "outcome_kind", name, valid: OutcomeKind::NAMES };
}

/// Exact logistic dominance up to this many drivers (2^16 fits); a sampling estimate beyond.
pub const MAX_EXACT_LOGISTIC_DRIVERS: usize = 16;

/// Options of [`driver_analysis`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct DriverOptions {
    /// The decomposition.
    pub method: DriverMethod,
    /// Bootstrap replicates for percentile intervals (0: none).
    pub bootstrap: usize,
    /// The confidence level of the bootstrap intervals.
    pub confidence: Confidence,
    /// The seed of the bootstrap and of the Shapley sampling estimate (`None`: a fresh seed, reported
    /// in [`DriverAnalysis::seed`]).
    pub seed: Option<u64>,
    /// Random orders for the Shapley sampling estimate (more than [`MAX_EXACT_DRIVERS`] drivers).
    pub permutations: usize,
    /// What rows with missing values contribute.
    pub missing: MissingRule,
    /// The kind of outcome (`None`: binary when every outcome value is 0 or 1, both present).
    pub outcome_kind: Option<OutcomeKind>,
    /// The pseudo-R^2 decomposed for a binary outcome.
    pub pseudo_r2: PseudoR2,
    /// Random orders for the sampling estimate of logistic dominance (more than
    /// [`MAX_EXACT_LOGISTIC_DRIVERS`] drivers; each order fits up to one model per driver).
    pub logistic_permutations: usize,
}

with_setters!(DriverOptions {
    /// Decompose by `method`.
    with_method(method: DriverMethod),
    /// Percentile intervals from `bootstrap` replicates (0: none).
    with_bootstrap(bootstrap: usize),
    /// Intervals at `confidence`.
    with_confidence(confidence: Confidence),
    /// Seed the bootstrap and the sampling estimate (`None`: a fresh seed, reported).
    with_seed(seed: Option<u64>),
    /// `permutations` random orders for the Shapley sampling estimate.
    with_permutations(permutations: usize),
    /// Use rows with missing values by `missing`.
    with_missing(missing: MissingRule),
    /// Treat the outcome as `outcome_kind` (`None`: decided from its values).
    with_outcome_kind(outcome_kind: Option<OutcomeKind>),
    /// Decompose `pseudo_r2` for a binary outcome.
    with_pseudo_r2(pseudo_r2: PseudoR2),
    /// `logistic_permutations` random orders for the logistic sampling estimate.
    with_logistic_permutations(logistic_permutations: usize),
});

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions {
            method: DriverMethod::Shapley,
            bootstrap: 0,
            confidence: Confidence::default(),
            seed: None,
            permutations: 10_000,
            missing: MissingRule::Complete,
            outcome_kind: None,
            pseudo_r2: PseudoR2::McFadden,
            logistic_permutations: 1_000,
        }
    }
}

/// One driver's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverImportance {
    /// The driver's name.
    pub name: String,
    /// Its raw importance: its part of R^2 (the parts sum to R^2).
    pub importance: f64,
    /// Its share of R^2, in percent.
    pub share: f64,
    /// The sign of its standardised coefficient in the model with every driver (-1, 0 or 1).
    pub direction: i8,
    /// Its (weighted) mean over the rows where it is present (the complete rows under listwise
    /// deletion): how well the touchpoint performs.
    pub performance: f64,
    /// Rows behind its correlation with the outcome: the complete rows (listwise); the rows with
    /// both (pairwise); the rows with an outcome where it is observed (imputation).
    pub n: u64,
    /// Its lowest value where present in the rows used.
    pub lowest: f64,
    /// Its highest value where present in the rows used.
    pub highest: f64,
    /// `performance` on 0-100: `100 (performance - lowest) / (highest - lowest)`, so that drivers
    /// rated on different scales (CSAT 1-5, CES 1-7, 0-10) share one axis.
    pub performance_100: f64,
    /// Bootstrap percentile interval of the importance, when bootstrapped.
    pub lower: Option<f64>,
    /// Upper limit of that interval.
    pub upper: Option<f64>,
    /// Monte Carlo standard error of the importance (Shapley sampling estimate only).
    pub mc_error: Option<f64>,
}

/// A subset of drivers whose logistic model could not be fitted cleanly; its last iterate's
/// log-likelihood is used, as R's `glm` does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitIssueReport {
    /// The drivers in the model.
    pub drivers: Vec<String>,
    /// `"separation"` (fitted probabilities of 0 or 1: no maximum-likelihood estimate) or
    /// `"not_converged"`.
    pub issue: &'static str,
}

/// The result of [`driver_analysis`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverAnalysis {
    /// The decomposition used.
    pub method: DriverMethod,
    /// Whether the importances are exact (false: Shapley sampling estimate).
    pub exact: bool,
    /// The kind of outcome: a linear model (continuous) or a logistic one (binary).
    pub outcome_kind: OutcomeKind,
    /// The pseudo-R^2 decomposed (binary outcomes only).
    pub pseudo_r2: Option<PseudoR2>,
    /// R^2 of the linear model of the outcome on every driver (weighted when weights are given);
    /// for a binary outcome, the pseudo-R^2 of the logistic model.
    pub r_squared: f64,
    /// The subsets of drivers whose logistic fit had an issue (binary outcomes).
    pub fit_issues: Vec<FitIssueReport>,
    /// Rows used: the complete rows (listwise); the rows with at least two variables present
    /// (pairwise); the rows with an outcome (imputation).
    pub n: u64,
    /// Rows not used.
    pub n_missing: u64,
    /// How rows with missing values were used.
    pub missing: MissingRule,
    /// Rows behind each pairwise correlation (pairwise deletion only): `(p + 1) x (p + 1)`, the
    /// outcome first; the diagonal counts the rows where that variable is present.
    pub pair_n: Option<Vec<Vec<u64>>>,
    /// Whether the pairwise correlation matrix was not positive definite and was replaced by the
    /// nearest correlation matrix that is.
    pub repaired: bool,
    /// One entry per driver, in the order given.
    pub drivers: Vec<DriverImportance>,
    /// Bootstrap replicates asked for.
    pub bootstrap: usize,
    /// Replicates whose resample was degenerate (a constant or collinear driver), left out of the
    /// intervals.
    pub bootstrap_failed: usize,
    /// Replicates whose pairwise correlation matrix needed the repair (pairwise deletion).
    pub bootstrap_repaired: usize,
    /// The confidence level of the intervals.
    pub confidence: f64,
    /// The seed used for the bootstrap or the sampling estimate (`None` when nothing was random).
    pub seed: Option<u64>,
}

/// The decomposition of one correlation matrix between players (`groups`: each driver's columns of
/// the matrix after the outcome): importances and Monte Carlo errors.
fn decompose(
    r: &Matrix,
    groups: &[Vec<usize>],
    method: DriverMethod,
    permutations: usize,
    seed: u64,
    threads: usize,
) -> (Vec<f64>, Option<Vec<f64>>) {
    let columns = r.n - 1;
    let players = groups.len();
    let mut rxx = Matrix::zeros(columns);
    for i in 0..columns {
        for j in 0..columns {
            rxx.set(i, j, r.at(i + 1, j + 1));
        }
    }
    let rxy: Vec<f64> = (0..columns).map(|j| r.at(0, j + 1)).collect();
    match method {
        DriverMethod::RelativeWeights => {
            // Relative weights are per column: a player's is the sum of its columns'.
            let per_column = relative_weights::relative_weights(&rxx, &rxy);
            let per_player = groups
                .iter()
                .map(|g| g.iter().map(|&c| per_column[c]).sum())
                .collect();
            (per_player, None)
        }
        DriverMethod::Shapley if players <= MAX_EXACT_DRIVERS => {
            let r2 = shapley::all_subsets_r2(&rxx, &rxy, groups, threads);
            (shapley::shapley_from_subsets(&r2, players, threads), None)
        }
        DriverMethod::Shapley => {
            let (phi, error) = shapley::shapley_sampled(&rxx, &rxy, groups, permutations, seed);
            (phi, Some(error))
        }
    }
}

/// The data behind the correlation matrix, kept for the bootstrap (which resamples respondents and
/// applies the same rule to each resample).
enum Source {
    /// Complete rows (listwise deletion).
    Complete(Rows),
    /// The rows with an outcome, NaN where a driver is missing, indicators already set: each
    /// resample imputes its own means.
    Imputed(Rows),
    /// All rows, as columns with NaN (pairwise deletion).
    Pairwise(Columns),
}

impl Source {
    fn len(&self) -> usize {
        match self {
            Source::Complete(rows) | Source::Imputed(rows) => rows.len(),
            Source::Pairwise(columns) => columns.values.first().map_or(0, Vec::len),
        }
    }

    /// The correlation matrix of (a resample of) the data, and whether the pairwise repair was
    /// needed.
    fn correlation(&self, multiplicity: Option<&[u32]>, names: &[&str]) -> Result<(Matrix, bool)> {
        match self {
            Source::Complete(rows) => Ok((checked_correlation(rows, multiplicity, names)?, false)),
            Source::Imputed(rows) => {
                let filled = imputed(rows, multiplicity, names)?;
                Ok((checked_correlation(&filled, multiplicity, names)?, false))
            }
            Source::Pairwise(columns) => {
                let r = pairwise(columns, multiplicity, names)?.r;
                if nearest::needs_repair(&r) {
                    Ok((nearest::nearest_correlation(&r), true))
                } else {
                    Ok((r, false))
                }
            }
        }
    }
}

/// Mean imputation of (a resample of) `rows`: each missing value replaced by its column's
/// (weighted) mean over the resample; a column with no answer there is an error naming it.
fn imputed(rows: &Rows, multiplicity: Option<&[u32]>, names: &[&str]) -> Result<Rows> {
    let fill = present_means(
        &rows.values,
        rows.width,
        rows.weights.as_deref(),
        multiplicity,
    );
    if let Some(c) = fill.iter().position(|f| f.is_nan()) {
        return Err(Error::ConstantDriver {
            name: format!("{} (no answers to impute from)", names[c]),
        });
    }
    let mut filled = rows.clone();
    fill_missing(&mut filled.values, rows.width, &fill);
    Ok(filled)
}

/// The correlation matrix of the rows, checked: a constant column or perfectly collinear drivers
/// is an error naming them.
fn checked_correlation(
    rows: &Rows,
    multiplicity: Option<&[u32]>,
    names: &[&str],
) -> Result<Matrix> {
    let (means, cov, total) = moments(rows, multiplicity);
    if total.is_nan() || total <= 0.0 {
        return Err(Error::ZeroTotalWeight {
            n: rows.len() as u64,
        });
    }
    let r = correlation(&cov, &means).map_err(|c| Error::ConstantDriver {
        name: names[c].to_string(),
    })?;
    let p = r.n - 1;
    let mut rxx = Matrix::zeros(p);
    for i in 0..p {
        for j in 0..p {
            rxx.set(i, j, r.at(i + 1, j + 1));
        }
    }
    if let Err(k) = cholesky(&rxx, 1e-10) {
        // Driver k is (numerically) a combination of drivers 0..k: name those with a weight.
        let mut sub = Matrix::zeros(k);
        for i in 0..k {
            for j in 0..k {
                sub.set(i, j, rxx.at(i, j));
            }
        }
        let mut involved: Vec<String> = match cholesky(&sub, 1e-10) {
            Ok(l) => {
                let b = cholesky_solve(&l, &(0..k).map(|i| rxx.at(i, k)).collect::<Vec<_>>());
                (0..k)
                    .filter(|&i| b[i].abs() > 1e-6)
                    .map(|i| names[i + 1].to_string())
                    .collect()
            }
            Err(_) => (0..k).map(|i| names[i + 1].to_string()).collect(),
        };
        involved.push(names[k + 1].to_string());
        return Err(Error::CollinearDrivers {
            last: names[k + 1].to_string(),
            names: involved,
        });
    }
    Ok(r)
}

/// The data of a driver analysis after the missing-value rule.
struct Prepared {
    source: Source,
    /// The variables of the correlation matrix: the outcome, the drivers, then (imputation) the
    /// indicators of missing values.
    names: Vec<String>,
    /// Each driver's columns among the variables after the outcome.
    groups: Vec<Vec<usize>>,
    /// Each driver's (weighted) mean where it is present.
    performance: Vec<f64>,
    /// Rows behind each driver's correlation with the outcome.
    driver_n: Vec<u64>,
    /// Each driver's lowest and highest value where it is present in the rows used.
    ranges: Vec<(f64, f64)>,
    n: u64,
    n_missing: u64,
    pair_n: Option<Vec<Vec<u64>>>,
}

/// The rows of `outcome` and `drivers` (NaN = missing) as the rule `missing` uses them.
fn prepare(
    outcome: &[f64],
    drivers: &[&[f64]],
    weights: Option<&[f64]>,
    names: &[&str],
    missing: MissingRule,
) -> Result<Prepared> {
    let p = drivers.len();
    let total_rows = outcome.len() as u64;
    let mut owned_names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut groups: Vec<Vec<usize>> = (0..p).map(|j| vec![j]).collect();
    // The lowest and highest value of each driver over the rows `used` keeps, where present.
    let ranges = |used: &dyn Fn(usize) -> bool| -> Vec<(f64, f64)> {
        drivers
            .iter()
            .map(|d| {
                d.iter()
                    .enumerate()
                    .filter(|&(i, x)| !x.is_nan() && used(i))
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, &x)| {
                        (lo.min(x), hi.max(x))
                    })
            })
            .collect()
    };
    let too_few = |needed: usize, got: usize, statistic: &'static str| Error::InsufficientData {
        statistic,
        needed: needed as u64,
        got: got as u64,
    };
    match missing {
        MissingRule::Complete => {
            let (mut rows, n_missing) = complete_rows(outcome, drivers, weights);
            // Scale-free moments: each column divided by its largest magnitude (see `rescale`).
            let factors = correlation::rescale(&mut rows);
            let n = rows.len();
            if n < p + 2 {
                return Err(too_few(
                    p + 2,
                    n,
                    "a driver analysis with listwise deletion (drivers + 2 complete rows; \
                     missing=\"pairwise\" or \"impute\" also use incomplete rows)",
                ));
            }
            let means = present_means(&rows.values, rows.width, rows.weights.as_deref(), None);
            Ok(Prepared {
                performance: (1..=p).map(|c| means[c] * factors[c]).collect(),
                ranges: ranges(&|i| !outcome[i].is_nan() && drivers.iter().all(|d| !d[i].is_nan())),
                driver_n: vec![n as u64; p],
                n: n as u64,
                n_missing,
                pair_n: None,
                source: Source::Complete(rows),
                names: owned_names,
                groups,
            })
        }
        MissingRule::Impute => {
            let kept: Vec<usize> = (0..outcome.len())
                .filter(|&i| !outcome[i].is_nan())
                .collect();
            let driver_n: Vec<u64> = drivers
                .iter()
                .map(|d| kept.iter().filter(|&&i| !d[i].is_nan()).count() as u64)
                .collect();
            // An indicator for each driver with a missing value among the kept rows.
            let flagged: Vec<usize> = (0..p)
                .filter(|&j| driver_n[j] < kept.len() as u64)
                .collect();
            for (k, &j) in flagged.iter().enumerate() {
                groups[j].push(p + k);
                owned_names.push(format!("{} (missing)", names[j + 1]));
            }
            let width = 1 + p + flagged.len();
            let mut values = Vec::with_capacity(kept.len() * width);
            for &i in &kept {
                values.push(outcome[i]);
                values.extend(drivers.iter().map(|d| d[i]));
                values.extend(
                    flagged
                        .iter()
                        .map(|&j| f64::from(u8::from(drivers[j][i].is_nan()))),
                );
            }
            let mut rows = Rows {
                width,
                values,
                weights: weights.map(|w| kept.iter().map(|&i| w[i]).collect()),
            };
            let factors = correlation::rescale(&mut rows);
            let n = kept.len();
            if n < width + 1 {
                return Err(too_few(
                    width + 1,
                    n,
                    "a driver analysis with imputation (drivers + indicators + 2 rows with an outcome)",
                ));
            }
            let means = present_means(&rows.values, width, rows.weights.as_deref(), None);
            Ok(Prepared {
                performance: (1..=p).map(|c| means[c] * factors[c]).collect(),
                ranges: ranges(&|i| !outcome[i].is_nan()),
                driver_n,
                n: n as u64,
                n_missing: total_rows - n as u64,
                pair_n: None,
                source: Source::Imputed(rows),
                names: owned_names,
                groups,
            })
        }
        MissingRule::Pairwise => {
            let mut values: Vec<Vec<f64>> = std::iter::once(outcome)
                .chain(drivers.iter().copied())
                .map(<[f64]>::to_vec)
                .collect();
            let mut factors = Vec::with_capacity(values.len());
            for column in values.iter_mut() {
                // Scale-free moments, as `correlation::rescale` (NaN are left as they are).
                let f =
                    correlation::usable_factor(column.iter().fold(0.0f64, |m, x| m.max(x.abs())));
                column.iter_mut().for_each(|x| *x /= f);
                factors.push(f);
            }
            let used = (0..outcome.len())
                .filter(|&i| values.iter().filter(|c| !c[i].is_nan()).count() >= 2)
                .count() as u64;
            let columns = Columns {
                values,
                weights: weights.map(<[f64]>::to_vec),
            };
            let found = pairwise(&columns, None, names)?;
            let width = p + 1;
            let pair_n: Vec<Vec<u64>> = found
                .pair_n
                .chunks_exact(width)
                .map(<[u64]>::to_vec)
                .collect();
            Ok(Prepared {
                performance: (1..=p).map(|c| found.means[c] * factors[c]).collect(),
                ranges: ranges(&|_| true),
                driver_n: (1..=p).map(|c| pair_n[0][c]).collect(),
                n: used,
                n_missing: total_rows - used,
                pair_n: Some(pair_n),
                source: Source::Pairwise(columns),
                names: owned_names,
                groups,
            })
        }
    }
}

/// `R^2` and the standardised coefficients of the full model.
fn full_model(r: &Matrix) -> (f64, Vec<f64>) {
    let p = r.n - 1;
    let mut rxx = Matrix::zeros(p);
    for i in 0..p {
        for j in 0..p {
            rxx.set(i, j, r.at(i + 1, j + 1));
        }
    }
    let rxy: Vec<f64> = (0..p).map(|j| r.at(0, j + 1)).collect();
    let l = cholesky(&rxx, 0.0).expect("checked positive-definite");
    let beta = cholesky_solve(&l, &rxy);
    (beta.iter().zip(&rxy).map(|(b, r)| b * r).sum(), beta)
}

/// What a fit and its decomposition give, before the per-driver results.
struct Fitted {
    r_squared: f64,
    /// The full model's coefficient of each column (standardised for the linear model).
    beta: Vec<f64>,
    importance: Vec<f64>,
    mc_error: Option<Vec<f64>>,
    replicates: Vec<Option<Vec<f64>>>,
    repaired: bool,
    bootstrap_repaired: usize,
    fit_issues: Vec<FitIssueReport>,
}

/// The kind of outcome asked for, or (`None`) binary when every present value is 0 or 1 and both
/// occur; an explicit binary outcome must be 0/1.
fn outcome_kind(outcome: &[f64], asked: Option<OutcomeKind>) -> Result<OutcomeKind> {
    let zero_one = outcome.iter().all(|&y| y.is_nan() || y == 0.0 || y == 1.0);
    match asked {
        Some(OutcomeKind::Binary) if !zero_one => {
            let position = outcome
                .iter()
                .position(|&y| !(y.is_nan() || y == 0.0 || y == 1.0))
                .unwrap_or(0);
            Err(Error::invalid_parameter(
                "outcome",
                outcome[position],
                format!("a binary outcome must be 0 or 1 (position {position})"),
            ))
        }
        Some(kind) => Ok(kind),
        None => {
            let has = |v: f64| outcome.contains(&v);
            Ok(if zero_one && has(0.0) && has(1.0) {
                OutcomeKind::Binary
            } else {
                OutcomeKind::Continuous
            })
        }
    }
}

/// A bootstrap resample of `rows` rows for replicate `b`: each row's multiplicity.
fn resample(seed: u64, b: usize, rows: usize) -> Vec<u32> {
    let mut rng = Rng::stream(seed, b as u64);
    let mut multiplicity = vec![0u32; rows];
    for _ in 0..rows {
        multiplicity[rng.below(rows as u64) as usize] += 1;
    }
    multiplicity
}

/// The linear model: R^2 from the correlation matrix, decomposed; bootstrap replicates.
fn linear(
    prepared: &Prepared,
    names: &[&str],
    options: &DriverOptions,
    seed: Option<u64>,
    threads: usize,
) -> Result<Fitted> {
    let groups = &prepared.groups;
    let (r, repaired) = prepared.source.correlation(None, names)?;
    let (r_squared, beta) = full_model(&r);
    let (importance, mc_error) = decompose(
        &r,
        groups,
        options.method,
        options.permutations,
        seed.unwrap_or(0),
        threads,
    );
    // Bootstrap: replicate b resamples with its own stream, so results do not depend on threads.
    let mut replicates: Vec<Option<(Vec<f64>, bool)>> = Vec::new();
    if options.bootstrap > 0 {
        let seed = seed.expect("random");
        let rows = prepared.source.len();
        let one = |b: usize| -> Option<(Vec<f64>, bool)> {
            let multiplicity = resample(seed, b, rows);
            let (rb, repaired) = prepared
                .source
                .correlation(Some(&multiplicity), names)
                .ok()?;
            let (phi, _) = decompose(
                &rb,
                groups,
                options.method,
                options.permutations,
                seed ^ b as u64,
                1,
            );
            Some((phi, repaired))
        };
        replicates = crate::parallel::map_blocks(options.bootstrap, threads, one)?;
    }
    let bootstrap_repaired = replicates.iter().flatten().filter(|(_, r)| *r).count();
    Ok(Fitted {
        r_squared,
        beta,
        importance,
        mc_error,
        replicates: replicates
            .into_iter()
            .map(|r| r.map(|(phi, _)| phi))
            .collect(),
        repaired,
        bootstrap_repaired,
        fit_issues: Vec::new(),
    })
}

/// The logistic design of (a resample of) the prepared rows: imputed rows get the resample's means.
fn logistic_design(prepared: &Prepared, multiplicity: Option<&[u32]>) -> Result<logistic::Design> {
    match &prepared.source {
        Source::Complete(rows) => Ok(logistic::Design::from_rows(
            &rows.values,
            rows.width,
            rows.weights.as_deref(),
            multiplicity,
        )),
        Source::Imputed(rows) => {
            let names: Vec<&str> = prepared.names.iter().map(String::as_str).collect();
            let filled = imputed(rows, multiplicity, &names)?;
            Ok(logistic::Design::from_rows(
                &filled.values,
                filled.width,
                filled.weights.as_deref(),
                multiplicity,
            ))
        }
        Source::Pairwise(_) => unreachable!("pairwise deletion is refused for a binary outcome"),
    }
}

/// The pseudo-R^2 of each subset (0 for the empty one) from its log-likelihood, or the reason
/// there is none (a constant outcome).
fn pseudo_r2_values(design: &logistic::Design, ll: &[f64], kind: PseudoR2) -> Option<Vec<f64>> {
    let (ll0, total) = design.null_log_likelihood()?;
    let mut v: Vec<f64> = ll.iter().map(|&l| kind.value(l, ll0, total)).collect();
    v[0] = 0.0;
    Some(v)
}

/// The logistic model: every subset fitted, a pseudo-R^2 decomposed; bootstrap replicates.
fn binary(
    prepared: &Prepared,
    names: &[&str],
    options: &DriverOptions,
    seed: Option<u64>,
    threads: usize,
) -> Result<Fitted> {
    let groups = &prepared.groups;
    let p = groups.len();
    let design = logistic_design(prepared, None)?;
    let Some((ll0, total)) = design.null_log_likelihood() else {
        return Err(Error::ConstantDriver {
            name: format!("{} (the outcome: every value is the same)", names[0]),
        });
    };
    let value = |ll: f64| options.pseudo_r2.value(ll, ll0, total);
    let all_columns: Vec<usize> = groups.iter().flatten().copied().collect();
    let full = logistic::fit(&design, &all_columns, vec![0.0; all_columns.len() + 1]);
    // Coefficients per column (in the order of `all_columns`, which lists each player's columns).
    let mut beta = vec![0.0; all_columns.len()];
    for (k, &c) in all_columns.iter().enumerate() {
        beta[c] = full.beta[k + 1];
    }
    let report = |mask: usize, issue: logistic::FitIssue| FitIssueReport {
        drivers: (0..p)
            .filter(|j| mask & (1 << j) != 0)
            .map(|j| names[j + 1].to_string())
            .collect(),
        issue: match issue {
            logistic::FitIssue::Separation => "separation",
            logistic::FitIssue::NotConverged => "not_converged",
        },
    };
    let exact = p <= MAX_EXACT_LOGISTIC_DRIVERS;
    let (importance, mc_error, issues) = if exact {
        let (ll, issues) = logistic::all_subsets(&design, groups, threads)?;
        let v = pseudo_r2_values(&design, &ll, options.pseudo_r2).expect("checked above");
        (shapley::shapley_from_subsets(&v, p, threads), None, issues)
    } else {
        let (phi, error, issues) = logistic::sampled(
            &design,
            groups,
            value,
            options.logistic_permutations,
            seed.unwrap_or(0),
        );
        (phi, Some(error), issues)
    };
    let mut replicates = Vec::new();
    if options.bootstrap > 0 {
        let seed = seed.expect("random");
        let rows = prepared.source.len();
        let one = |b: usize| -> Option<Vec<f64>> {
            let multiplicity = resample(seed, b, rows);
            let design = logistic_design(prepared, Some(&multiplicity)).ok()?;
            let (ll0, total) = design.null_log_likelihood()?;
            if exact {
                let (ll, _) = logistic::all_subsets(&design, groups, 1).ok()?;
                let v = pseudo_r2_values(&design, &ll, options.pseudo_r2)?;
                Some(shapley::shapley_from_subsets(&v, p, 1))
            } else {
                let value = |ll: f64| options.pseudo_r2.value(ll, ll0, total);
                let (phi, _, _) = logistic::sampled(
                    &design,
                    groups,
                    value,
                    options.logistic_permutations,
                    seed ^ b as u64,
                );
                Some(phi)
            }
        };
        replicates = crate::parallel::map_blocks(options.bootstrap, threads, one)?;
    }
    Ok(Fitted {
        r_squared: value(full.log_likelihood),
        beta,
        importance,
        mc_error,
        replicates,
        repaired: false,
        bootstrap_repaired: 0,
        fit_issues: issues.into_iter().map(|(m, i)| report(m, i)).collect(),
    })
}

use crate::interval::quantile_sorted as quantile;

fn threads() -> usize {
    crate::parallel::threads()
}

/// The most bootstrap resamples [`driver_analysis`] accepts (each keeps one importance per driver).
pub const MAX_BOOTSTRAP: usize = 1_000_000;

/// The most random permutations of the sampled Shapley estimate.
pub const MAX_PERMUTATIONS: usize = 100_000_000;

/// Key driver analysis of `outcome` on `drivers` (each a named column, NaN = missing), weighted by
/// respondent `weights` when given (weighted means, covariances and correlations).
///
/// Rows missing the outcome or any driver are dropped (listwise deletion) and counted in
/// `n_missing`. R^2 is split between the drivers by [`DriverOptions::method`]; with
/// `bootstrap = B` each importance gets a percentile interval from `B` resamples of the complete
/// rows (with replacement, keeping each row's weight; seeded, reproducible whatever the number of
/// threads). `direction` is the sign of the driver's standardised coefficient in the full model,
/// `performance` its (weighted) mean.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidWeight`] / [`Error::ZeroTotalWeight`];
/// [`Error::NonFiniteValue`] for an infinite value (named by [`Error::InColumn`]);
/// [`Error::InsufficientData`] with fewer than `p + 2` complete rows; [`Error::ConstantDriver`]
/// and [`Error::CollinearDrivers`] naming the drivers; [`Error::InvalidField`] for no drivers or a
/// repeated name.
///
/// # Examples
/// ```
/// use cxmetrics::drivers::{driver_analysis, DriverOptions};
///
/// // Overall satisfaction and three touchpoint ratings.
/// let overall = [7.0, 9.0, 6.0, 8.0, 10.0, 4.0, 8.0, 9.0, 5.0, 7.0];
/// let delivery = [6.0, 9.0, 5.0, 8.0, 9.0, 3.0, 7.0, 9.0, 6.0, 6.0];
/// let web = [8.0, 7.0, 7.0, 6.0, 9.0, 5.0, 9.0, 8.0, 4.0, 8.0];
/// let support = [5.0, 8.0, 7.0, 9.0, 9.0, 6.0, 6.0, 7.0, 5.0, 8.0];
/// let drivers = [("delivery", &delivery[..]), ("web", &web[..]), ("support", &support[..])];
/// let a = driver_analysis(("overall", &overall), &drivers, None, &DriverOptions::default())?;
/// let sum: f64 = a.drivers.iter().map(|d| d.importance).sum();
/// assert!((sum - a.r_squared).abs() < 1e-12); // the importances split R^2
/// assert_eq!(a.drivers[0].name, "delivery");
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn driver_analysis(
    outcome: (&str, &[f64]),
    drivers: &[(&str, &[f64])],
    weights: Option<&[f64]>,
    options: &DriverOptions,
) -> Result<DriverAnalysis> {
    let (outcome_name, outcome) = outcome;
    if options.bootstrap > MAX_BOOTSTRAP {
        return Err(Error::invalid_parameter(
            "bootstrap",
            options.bootstrap,
            format!("at most {MAX_BOOTSTRAP} bootstrap resamples"),
        ));
    }
    if options.permutations == 0 || options.permutations > MAX_PERMUTATIONS {
        return Err(Error::invalid_parameter(
            "permutations",
            options.permutations,
            format!("between 1 and {MAX_PERMUTATIONS} permutations"),
        ));
    }
    if drivers.is_empty() {
        return Err(Error::invalid_parameter(
            "drivers",
            "[]",
            "at least one driver is needed",
        ));
    }
    let mut names: Vec<&str> = vec![outcome_name];
    for (name, column) in drivers {
        if names.contains(name) {
            return Err(Error::invalid_parameter(
                "drivers",
                format!("{name:?}"),
                "named twice (or also the outcome)",
            ));
        }
        names.push(name);
        if column.len() != outcome.len() {
            return Err(Error::LengthMismatch {
                left_name: "outcome",
                left: outcome.len(),
                right_name: "driver",
                right: column.len(),
            }
            .in_column(name));
        }
    }
    let columns: Vec<&[f64]> = drivers.iter().map(|(_, c)| *c).collect();
    for (name, column) in std::iter::once(&outcome)
        .zip([outcome_name])
        .map(|(c, n)| (n, *c))
        .chain(drivers.iter().copied())
    {
        if let Some(position) = column.iter().position(|x| x.is_infinite()) {
            return Err(Error::NonFiniteValue {
                value: column[position],
                position,
            }
            .in_column(name));
        }
    }
    crate::counts::check_weights(weights, outcome.len(), "outcome")?;
    let p = drivers.len();
    let kind = outcome_kind(outcome, options.outcome_kind)?;
    if kind == OutcomeKind::Binary && options.method == DriverMethod::RelativeWeights {
        return Err(Error::invalid_parameter(
            "method",
            "\"relative_weights\"",
            "Johnson's relative weights split a linear model's R^2: use \"shapley\" (logistic \
             dominance) for a binary outcome, or outcome_kind=\"continuous\"",
        ));
    }
    if options.logistic_permutations == 0 || options.logistic_permutations > MAX_PERMUTATIONS {
        return Err(Error::invalid_parameter(
            "logistic_permutations",
            options.logistic_permutations,
            format!("between 1 and {MAX_PERMUTATIONS} permutations"),
        ));
    }
    if kind == OutcomeKind::Binary && options.missing == MissingRule::Pairwise {
        return Err(Error::invalid_parameter(
            "missing",
            "\"pairwise\"",
            "pairwise deletion needs a correlation matrix, which a logistic model does not have: \
             use \"complete\" or \"impute\" for a binary outcome",
        ));
    }
    let prepared = prepare(outcome, &columns, weights, &names, options.missing)?;
    let names: Vec<&str> = prepared.names.iter().map(String::as_str).collect();
    let exact_limit = match kind {
        OutcomeKind::Continuous => MAX_EXACT_DRIVERS,
        OutcomeKind::Binary => MAX_EXACT_LOGISTIC_DRIVERS,
    };
    let random =
        options.bootstrap > 0 || (options.method == DriverMethod::Shapley && p > exact_limit);
    let seed = random.then(|| options.seed.unwrap_or_else(Rng::fresh_seed));
    let threads = threads();
    let groups = &prepared.groups;
    let fitted = match kind {
        OutcomeKind::Continuous => linear(&prepared, &names, options, seed, threads)?,
        OutcomeKind::Binary => binary(&prepared, &names, options, seed, threads)?,
    };
    let Fitted {
        r_squared,
        beta,
        importance,
        mc_error,
        replicates,
        repaired,
        bootstrap_repaired,
        fit_issues,
    } = fitted;
    let good: Vec<&Vec<f64>> = replicates.iter().flatten().collect();
    let alpha = 1.0 - options.confidence.level();
    let results = (0..p)
        .map(|j| {
            let (lower, upper) = if good.is_empty() {
                (None, None)
            } else {
                let mut values: Vec<f64> = good.iter().map(|v| v[j]).collect();
                values.sort_by(f64::total_cmp);
                (
                    Some(quantile(&values, alpha / 2.0)),
                    Some(quantile(&values, 1.0 - alpha / 2.0)),
                )
            };
            DriverImportance {
                name: names[j + 1].to_string(),
                importance: importance[j],
                share: if r_squared > 0.0 {
                    100.0 * importance[j] / r_squared
                } else {
                    f64::NAN
                },
                direction: if beta[groups[j][0]] > 0.0 {
                    1
                } else if beta[groups[j][0]] < 0.0 {
                    -1
                } else {
                    0
                },
                performance: prepared.performance[j],
                n: prepared.driver_n[j],
                lowest: prepared.ranges[j].0,
                highest: prepared.ranges[j].1,
                performance_100: {
                    let (lo, hi) = prepared.ranges[j];
                    100.0 * (prepared.performance[j] - lo) / (hi - lo)
                },
                lower,
                upper,
                mc_error: mc_error.as_ref().map(|e| e[j]),
            }
        })
        .collect();
    Ok(DriverAnalysis {
        method: options.method,
        exact: mc_error.is_none(),
        outcome_kind: kind,
        pseudo_r2: (kind == OutcomeKind::Binary).then_some(options.pseudo_r2),
        r_squared,
        fit_issues,
        n: prepared.n,
        n_missing: prepared.n_missing,
        missing: options.missing,
        pair_n: prepared.pair_n,
        repaired,
        drivers: results,
        bootstrap: options.bootstrap,
        bootstrap_failed: options.bootstrap - good.len(),
        bootstrap_repaired,
        confidence: options.confidence.level(),
        seed,
    })
}
