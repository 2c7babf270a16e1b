//! The link to business results: a business outcome (repeat purchase, churn, revenue) among
//! detractors, passives and promoters, and the promoter - detractor difference.
//!
//! Methods and sources: `docs/methods.md#business-outcomes`.

use serde::Serialize;

use crate::compare::{compare, CompareOptions, Comparison, DifferenceMethod};
use crate::counts::{invalid_score, MissingPolicy, ScoreCounts, ScoreValue, Slot};
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator};
use crate::indicator::mean::mean_of_values;
use crate::indicator::top_box::top_box_as;
use crate::interval::proportion::ProportionMethod;
use crate::interval::Confidence;
use crate::scale::{NpsCategory, Scale};

crate::names::named_enum! {
    /// What kind of outcome.
    pub enum OutcomeKind {
        /// 0/1 (bought again, churned): a rate in percent with a Wilson interval; difference by
        /// Newcombe's hybrid score interval.
        Binary = "binary",
        /// A quantity (revenue, number of orders): a mean with a t interval; difference by Welch.
        Numeric = "numeric",
    }
    unknown = |name| Error::UnknownOption { option: "outcome kind", name, valid: &["auto", "binary", "numeric"] };
}

impl OutcomeKind {
    /// Binary when every present value is 0 or 1, numeric otherwise.
    pub fn infer(outcome: &[f64]) -> OutcomeKind {
        if outcome.iter().all(|&y| y.is_nan() || y == 0.0 || y == 1.0) {
            OutcomeKind::Binary
        } else {
            OutcomeKind::Numeric
        }
    }
}

/// The outcome among detractors (0-6), passives (7-8) and promoters (9-10).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeByCategory {
    /// Binary or numeric.
    pub kind: OutcomeKind,
    /// `[detractors, passives, promoters]`: the number of respondents with both answers.
    pub n: [u64; 3],
    /// The outcome of each category (`None` when the category has too few respondents: 1 for a
    /// rate, 2 for a mean).
    pub estimates: [Option<Estimate>; 3],
    /// Promoters minus detractors (`None` when either estimate is missing).
    pub difference: Option<Comparison>,
    /// Respondents without an NPS answer or without an outcome, excluded.
    pub n_missing: u64,
}

/// The category labels, in the order of [`OutcomeByCategory::n`].
pub const CATEGORIES: [&str; 3] = ["detractor", "passive", "promoter"];

/// The outcome by NPS category, and promoters minus detractors with its interval and p-value.
///
/// Binary outcomes: the rate (percent) per category with a Wilson (1927) interval, the difference
/// with Newcombe's (1998, method 10) hybrid score interval and the pooled two-proportion z test
/// (as `cxmetrics::compare` for shares). Numeric outcomes: the mean per category with a t
/// interval ([`mean_of_values`]) and the Welch (1947) interval and test for the difference.
/// `kind = None` infers the kind ([`OutcomeKind::infer`]). Rows missing the NPS answer or the
/// outcome (NaN) are excluded and counted.
///
/// # Errors
/// An NPS score off 0-10 or an infinite outcome, named by [`Error::InColumn`]; a binary outcome
/// that is not 0/1; [`Error::LengthMismatch`].
///
/// # Examples
///
/// ```
/// use cxmetrics::outcome::{outcome_by_category, OutcomeKind};
/// use cxmetrics::Confidence;
///
/// let ltr = [10.0, 9.0, 9.0, 10.0, 7.0, 8.0, 3.0, 5.0, 6.0, 0.0];
/// let bought_again = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
/// let r = outcome_by_category(&ltr, &bought_again, None, Confidence::default())?;
/// assert_eq!(r.kind, OutcomeKind::Binary);
/// assert_eq!(r.n, [4, 2, 4]);
/// assert_eq!(r.estimates[2].as_ref().unwrap().value(), 75.0); // promoters
/// assert_eq!(r.difference.as_ref().unwrap().difference(), 50.0); // 75% - 25%
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn outcome_by_category(
    nps: &[f64],
    outcome: &[f64],
    kind: Option<OutcomeKind>,
    confidence: Confidence,
) -> Result<OutcomeByCategory> {
    if nps.len() != outcome.len() {
        return Err(Error::LengthMismatch {
            left_name: "nps",
            left: nps.len(),
            right_name: "outcome",
            right: outcome.len(),
        });
    }
    let kind = kind.unwrap_or_else(|| OutcomeKind::infer(outcome));
    let mut by_category: [Vec<f64>; 3] = Default::default();
    let mut n_missing = 0u64;
    for (position, (&score, &y)) in nps.iter().zip(outcome).enumerate() {
        let category = match score.slot(0, 11) {
            Slot::Point(p) => match NpsCategory::of(Scale::NPS.score_at(p)) {
                Some(NpsCategory::Detractor) => 0,
                Some(NpsCategory::Passive) => 1,
                _ => 2,
            },
            Slot::Missing => {
                n_missing += 1;
                continue;
            }
            Slot::Invalid => {
                return Err(invalid_score(score, position, Scale::NPS).in_column("nps"))
            }
        };
        if y.is_infinite() {
            return Err(Error::NonFiniteValue { value: y, position }.in_column("outcome"));
        }
        if kind == OutcomeKind::Binary && !(y.is_nan() || y == 0.0 || y == 1.0) {
            return Err(Error::ScoreOutOfRange {
                value: y,
                exact: None,
                position,
                min: 0,
                max: 1,
            }
            .in_column("outcome"));
        }
        if y.is_nan() {
            n_missing += 1;
        } else {
            by_category[category].push(y);
        }
    }
    let n = by_category.each_ref().map(|v| v.len() as u64);
    let estimates = by_category.each_ref().map(|values| match kind {
        OutcomeKind::Binary => ScoreCounts::from_scores(
            values,
            Scale::new(0, 1).expect("valid"),
            MissingPolicy::Raise,
        )
        .and_then(|c| top_box_as(Indicator::Rate, &c, 1, ProportionMethod::Wilson, confidence))
        .ok(),
        OutcomeKind::Numeric => mean_of_values(values, None, confidence).ok(),
    });
    let method = match kind {
        OutcomeKind::Binary => DifferenceMethod::Newcombe,
        OutcomeKind::Numeric => DifferenceMethod::Welch,
    };
    let difference = match (&estimates[2], &estimates[0]) {
        (Some(promoters), Some(detractors)) => Some(compare(
            promoters,
            detractors,
            CompareOptions::default()
                .with_method(method)
                .with_confidence(confidence),
        )?),
        _ => None,
    };
    Ok(OutcomeByCategory {
        kind,
        n,
        estimates,
        difference,
        n_missing,
    })
}
