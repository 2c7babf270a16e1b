//! Binding of the key driver analysis.

use crate::errors::IntoPyResult;
use numpy::PyArrayMethods;
use pyo3::prelude::*;

use super::input::{contiguous, Weights};
use crate::getters;
use cxmetrics::drivers::{
    driver_analysis as analyse, DriverAnalysis, DriverMethod, DriverOptions, MissingRule,
    OutcomeKind, PseudoR2,
};
use cxmetrics::interval::Confidence;

/// The native result of `cxmetrics.drivers` (wrapped there in `DriverAnalysis`): the core's
/// `DriverAnalysis`, its summary as properties and the drivers as columns.
#[pyclass(frozen, name = "DriverResult", module = "cxmetrics._native")]
pub(crate) struct PyDriverResult(DriverAnalysis);

getters::pymethods_with_getters! {
    impl PyDriverResult {
        getters |d| {
            /// "shapley" or "relative_weights".
            method -> &'static str = d.method.as_str();
            /// False for the Shapley sampling estimate (beyond 20 drivers).
            exact -> bool = d.exact;
            /// R^2 of the model with every driver.
            r_squared -> f64 = d.r_squared;
            /// Rows used (by the missing-value rule).
            n -> u64 = d.n;
            /// Rows not used.
            n_missing -> u64 = d.n_missing;
            /// "continuous" (linear model) or "binary" (logistic).
            outcome_kind -> &'static str = d.outcome_kind.as_str();
            /// The pseudo-R^2 decomposed ("mcfadden", "nagelkerke", "estrella"; None when linear).
            pseudo_r2 -> Option<&'static str> = d.pseudo_r2.map(|k| k.as_str());
            /// Subsets whose logistic fit had an issue: (drivers, "separation" or "not_converged").
            fit_issues -> Vec<(Vec<String>, &'static str)> = d.fit_issues.iter().map(|f| (f.drivers.clone(), f.issue)).collect();
            /// "complete", "pairwise" or "impute".
            missing -> &'static str = d.missing.as_str();
            /// Whether the pairwise correlation matrix was repaired to the nearest positive-definite one.
            repaired -> bool = d.repaired;
            /// Rows behind each pairwise correlation, outcome first (None unless pairwise).
            pair_n -> Option<Vec<Vec<u64>>> = d.pair_n.clone();
            /// Replicates whose pairwise matrix needed the repair.
            bootstrap_repaired -> usize = d.bootstrap_repaired;
            /// Each driver's mean rescaled to 0-100 between its lowest and highest value.
            performance_100 -> Vec<f64> = d.drivers.iter().map(|r| r.performance_100).collect();
            /// Each driver's lowest and highest value in the rows used.
            value_range -> Vec<(f64, f64)> = d.drivers.iter().map(|r| (r.lowest, r.highest)).collect();
            /// Rows behind each driver's correlation with the outcome.
            driver_n -> Vec<u64> = d.drivers.iter().map(|r| r.n).collect();
            /// Bootstrap replicates asked for.
            bootstrap -> usize = d.bootstrap;
            /// Replicates left out as degenerate.
            bootstrap_failed -> usize = d.bootstrap_failed;
            /// Confidence level of the intervals.
            confidence -> f64 = d.confidence;
            /// The seed used (None when nothing was random).
            seed -> Option<u64> = d.seed;
            /// The drivers' names, in the order given.
            driver -> Vec<String> = d.drivers.iter().map(|r| r.name.clone()).collect();
            /// Each driver's part of R^2.
            importance -> Vec<f64> = d.drivers.iter().map(|r| r.importance).collect();
            /// Each driver's share of R^2, in percent.
            share -> Vec<f64> = d.drivers.iter().map(|r| r.share).collect();
            /// The sign of each driver's standardised coefficient (-1, 0, 1).
            direction -> Vec<i8> = d.drivers.iter().map(|r| r.direction).collect();
            /// Each driver's mean over the complete rows.
            performance -> Vec<f64> = d.drivers.iter().map(|r| r.performance).collect();
            /// Bootstrap lower limits of the importances (None when not bootstrapped).
            lower -> Vec<Option<f64>> = d.drivers.iter().map(|r| r.lower).collect();
            /// Bootstrap upper limits.
            upper -> Vec<Option<f64>> = d.drivers.iter().map(|r| r.upper).collect();
            /// Monte Carlo errors of the sampling estimate (None when exact).
            mc_error -> Vec<Option<f64>> = d.drivers.iter().map(|r| r.mc_error).collect();
        }

        /// JSON of the core's `DriverAnalysis` (serde).
        fn to_json(&self) -> PyResult<String> {
            crate::estimate::to_json_text(&self.0)
        }
    }
}

/// Key driver analysis. See `cxmetrics.drivers`.
#[pyfunction]
#[pyo3(signature = (outcome_name, outcome, drivers, weights, method, bootstrap, confidence, seed, permutations, missing="complete", outcome_kind=None, pseudo_r2="mcfadden"))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn driver_analysis<'py>(
    py: Python<'py>,
    outcome_name: String,
    outcome: Weights<'py>,
    drivers: Vec<(String, Weights<'py>)>,
    weights: Option<Weights<'py>>,
    method: &str,
    bootstrap: usize,
    confidence: f64,
    seed: Option<u64>,
    permutations: usize,
    missing: &str,
    outcome_kind: Option<&str>,
    pseudo_r2: &str,
) -> PyResult<PyDriverResult> {
    let outcome_kind = match outcome_kind {
        Some(k) => Some(k.parse::<OutcomeKind>().py()?),
        None => None,
    };
    let options = DriverOptions::default()
        .with_outcome_kind(outcome_kind)
        .with_pseudo_r2(pseudo_r2.parse::<PseudoR2>().py()?)
        .with_missing(missing.parse::<MissingRule>().py()?)
        .with_method(method.parse::<DriverMethod>().py()?)
        .with_bootstrap(bootstrap)
        .with_confidence(Confidence::new(confidence).py()?)
        .with_seed(seed)
        .with_permutations(permutations.max(2));
    let outcome = outcome.readonly();
    let outcome_view = outcome.as_array();
    let names: Vec<&str> = drivers.iter().map(|(n, _)| n.as_str()).collect();
    let readonly: Vec<_> = drivers.iter().map(|(_, c)| c.readonly()).collect();
    let views: Vec<_> = readonly.iter().map(|r| r.as_array()).collect();
    let weights = weights.as_ref().map(|w| w.readonly());
    let w_view = weights.as_ref().map(|w| w.as_array());
    let result = super::detach_interruptible(py, || {
        let mut owned: Vec<Vec<f64>> = vec![Vec::new(); views.len()];
        let (mut o_owned, mut w_owned) = (Vec::new(), Vec::new());
        let columns: Vec<(&str, &[f64])> = names
            .iter()
            .copied()
            .zip(
                views
                    .iter()
                    .zip(owned.iter_mut())
                    .map(|(v, o)| contiguous(v, o)),
            )
            .collect();
        let w = w_view.as_ref().map(|v| contiguous(v, &mut w_owned));
        analyse(
            (&outcome_name, contiguous(&outcome_view, &mut o_owned)),
            &columns,
            w,
            &options,
        )
    })?;
    Ok(PyDriverResult(result))
}
