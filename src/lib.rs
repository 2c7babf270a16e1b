//! # cxmetrics
//!
//! Customer-experience indicators with honest confidence intervals: Net Promoter Score (NPS),
//! top-box shares (CSAT, CES, repurchase intention) and mean scores, from raw survey scores or from
//! counts, weighted or not.
//!
//! Conventions: NPS in points (-100..100), shares in percent (0..100), means in the scale's units;
//! `value` is the plain estimate; intervals are clipped to the indicator's range; nothing is rounded.
//! Missing answers (NaN) are excluded from the denominator and counted (`n_missing`).
//!
//! # Examples
//!
//! ```
//! use cxmetrics::{csat, nps, Confidence, MissingPolicy, NpsMethod, ProportionMethod, Scale, ScoreCounts};
//!
//! // Likelihood to recommend, 0-10, with one missing answer.
//! let ltr = [10.0, 9.0, 8.0, 6.0, f64::NAN, 10.0, 3.0, 9.0];
//! let counts = ScoreCounts::from_scores(&ltr, Scale::NPS, MissingPolicy::Omit)?;
//! let e = nps(&counts, NpsMethod::AdjustedWald, Confidence::default())?;
//! println!("NPS {:.1} points (95% CI {:.1} to {:.1}), n = {}", e.value(), e.lower(), e.upper(), e.n());
//! assert_eq!(e.n_missing(), 1);
//!
//! // Satisfaction, 1-5: CSAT is the share of 4s and 5s.
//! let sat = [5u8, 4, 3, 5, 2, 4];
//! let counts = ScoreCounts::from_scores(&sat, Scale::LIKERT_5, MissingPolicy::Omit)?;
//! let e = csat(&counts, ProportionMethod::Wilson, Confidence::new(0.90)?)?;
//! assert!((e.value() - 200.0 / 3.0).abs() < 1e-12);
//! # Ok::<(), cxmetrics::Error>(())
//! ```
#![deny(missing_docs)]

pub mod compare;
pub mod counts;
#[doc(hidden)]
pub mod coverage;
pub mod drivers;
pub mod error;
pub mod estimate;
pub mod grouping;
mod hash;
pub mod indicator;
pub mod interval;
pub mod monitor;
pub mod outcome;
mod parallel;
mod serde_float;
pub use parallel::{
    set_threads, with_interrupt_check, with_threads, Executor, Threads, MAX_THREADS,
    THREADS_VARIABLE,
};
#[doc(hidden)]
pub mod random;
#[cfg(feature = "read")]
pub mod read;
pub mod response;
pub mod scale;
#[cfg(feature = "text")]
pub mod text;
pub mod trend;

pub use compare::{compare, nps_paired, test_against, Alternative, Comparison};
pub use counts::{LinearStatistic, MissingPolicy, ScoreCounts, ScoreValue, WeightSums};
pub use error::{Error, Result};
pub use estimate::{Estimate, Indicator, IntervalMethod, NpsBreakdown, Unit};
pub use indicator::mean::{mean_score, satisfaction_index};
pub use indicator::nps::{enps, nps, nps_from_counts};
pub use indicator::top_box::{ces, csat, top_box, top_box_as, top_box_from_counts};
pub use interval::nps::NpsMethod;
pub use interval::proportion::ProportionMethod;
pub use interval::{Confidence, Interval};
pub use response::{
    Answer, Channel, JourneyStage, Origin, Response, ResponseBuilder, Schema, Timestamp, Touchpoint,
};
pub use scale::Scale;

/// The README's Rust example, run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
