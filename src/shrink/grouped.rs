//! Shrinkage of every group of a grouped count: the columns a report is made of.

use serde::Serialize;

use super::beta_binomial::{shrink_shares, BetaBinomialFit};
use crate::counts::ScoreCounts;
use crate::error::{Error, Result};
use crate::grouping::{GroupedCounts, IndicatorSpec};
use crate::interval::Confidence;

/// Each group's raw and shrunk share, in percent, with the fitted prior.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ShrunkColumns {
    /// The fitted prior (its mean on 0-1).
    pub fit: BetaBinomialFit,
    /// Answers per group (weighted: Kish's effective number).
    pub n: Vec<f64>,
    /// Top-box answers per group (weighted: the weighted share times `n`).
    pub successes: Vec<f64>,
    /// The raw share and its interval, as the single-sample estimate gives them (NaN for a group
    /// without answers).
    pub raw: Vec<f64>,
    /// Lower limits of the raw intervals.
    pub raw_lower: Vec<f64>,
    /// Upper limits of the raw intervals.
    pub raw_upper: Vec<f64>,
    /// The posterior means.
    pub estimate: Vec<f64>,
    /// Lower limits of the equal-tailed posterior intervals.
    pub lower: Vec<f64>,
    /// Upper limits.
    pub upper: Vec<f64>,
    /// The weight of the prior in each estimate (0: raw, 1: the population value).
    pub shrinkage: Vec<f64>,
}

/// The top-box successes and trials of one group's counts (weighted: Kish's effective trials and
/// the weighted share of them).
fn effective_counts(counts: &ScoreCounts, top: u32) -> (f64, f64) {
    let points = counts.counts().len();
    let first_top = points.saturating_sub(top as usize);
    match counts.weight_sums() {
        None => {
            let x: u64 = counts.counts()[first_top..].iter().sum();
            (x as f64, counts.n() as f64)
        }
        Some(w) => {
            let total: f64 = w.sum.iter().sum();
            let n_eff = counts.kish_effective_n();
            if total > 0.0 {
                let share = w.sum[first_top..].iter().sum::<f64>() / total;
                (share * n_eff, n_eff)
            } else {
                (0.0, 0.0)
            }
        }
    }
}

/// Shrinks the share `spec` (CSAT, CES, repurchase or any top box) of every group of `grouped`
/// with the beta-binomial model ([`shrink_shares`]), giving the raw estimates beside.
///
/// # Errors
/// [`Error::InvalidParameter`] (`indicator`) for an NPS or a mean (their models are not in this
/// version); those of [`shrink_shares`] (no group with answers).
///
/// # Examples
/// ```
/// use cxmetrics::grouping::{GroupedCounts, IndicatorSpec};
/// use cxmetrics::shrink::shrink_grouped;
/// use cxmetrics::{Confidence, MissingPolicy, Scale};
/// let codes = [0u32, 0, 0, 1, 1, 1, 1, 1, 2, 2];
/// let csat = [5.0, 5.0, 5.0, 2.0, 3.0, 5.0, 1.0, 4.0, 4.0, 5.0];
/// let grouped = GroupedCounts::from_scores(&codes, 3, &csat, Scale::LIKERT_5, MissingPolicy::Omit)?;
/// let spec = IndicatorSpec::parse("csat", None, None, Scale::LIKERT_5, false)?;
/// let shrunk = shrink_grouped(&grouped, &spec, Confidence::default())?;
/// assert_eq!(shrunk.raw[0], 100.0);
/// assert!(shrunk.estimate[0] <= 100.0 && shrunk.shrinkage[0] > 0.0);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn shrink_grouped(
    grouped: &GroupedCounts,
    spec: &IndicatorSpec,
    confidence: Confidence,
) -> Result<ShrunkColumns> {
    let top = match *spec {
        IndicatorSpec::Share { top, .. } => top,
        _ => return Err(Error::invalid_parameter(
            "indicator",
            spec.indicator().as_str(),
            "empirical-Bayes shrinkage is available for shares (csat, ces, repurchase, top box); \
                 NPS and means are not in this version",
        )),
    };
    let groups: Vec<&ScoreCounts> = (0..grouped.n_groups()).map(|g| grouped.group(g)).collect();
    let (successes, trials): (Vec<f64>, Vec<f64>) =
        groups.iter().map(|c| effective_counts(c, top)).unzip();
    let (fit, shrunk) = shrink_shares(&successes, &trials, confidence)?;
    let mut out = ShrunkColumns {
        fit,
        n: trials,
        successes,
        raw: Vec::new(),
        raw_lower: Vec::new(),
        raw_upper: Vec::new(),
        estimate: Vec::new(),
        lower: Vec::new(),
        upper: Vec::new(),
        shrinkage: Vec::new(),
    };
    for (counts, s) in groups.iter().zip(&shrunk) {
        match spec.estimate(counts, confidence) {
            Ok(e) => {
                out.raw.push(e.value());
                out.raw_lower.push(e.lower());
                out.raw_upper.push(e.upper());
            }
            Err(_) => {
                out.raw.push(f64::NAN);
                out.raw_lower.push(f64::NAN);
                out.raw_upper.push(f64::NAN);
            }
        }
        out.estimate.push(100.0 * s.estimate);
        out.lower.push(100.0 * s.lower);
        out.upper.push(100.0 * s.upper);
        out.shrinkage.push(s.shrinkage);
    }
    Ok(out)
}
