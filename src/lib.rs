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
//! println!("{e}"); // NPS 25.0 points (95% CI ... to ..., adjusted_wald; n = 7, 1 missing)
//! assert_eq!(e.n_missing(), 1);
//!
//! // Satisfaction, 1-5: CSAT is the share of 4s and 5s.
//! let sat = [5u8, 4, 3, 5, 2, 4];
//! let counts = ScoreCounts::from_scores(&sat, Scale::LIKERT_5, MissingPolicy::Omit)?;
//! let e = csat(&counts, ProportionMethod::Wilson, Confidence::new(0.90)?)?;
//! assert!((e.value() - 200.0 / 3.0).abs() < 1e-12);
//! # Ok::<(), cxmetrics::Error>(())
//! ```
//!
//! # A service: read, group, merge, serialise
//!
//! A service reads batches of responses ([`read`], feature `read`), counts answers per group in a
//! [`grouping::KeyedCounts`] per batch or per thread, merges them, stores them as JSON (checked when
//! read back), and reports each group's estimate with its key, or why it has none. Every record of
//! a file is kept or rejected with its physical line and reason; nothing is dropped.
//!
//! ```
//! # #[cfg(feature = "read")] {
//! use cxmetrics::grouping::KeyedCounts;
//! use cxmetrics::indicator::spec::IndicatorSpec;
//! use cxmetrics::read::{read_jsonl_from, ReadOptions};
//! use cxmetrics::{Confidence, Response, Scale};
//!
//! let batch = br#"{"respondent_id":"C1","recorded_at":"2025-05-01T10:00:00Z","touchpoint":"web","nps":10}
//! {"respondent_id":"C2","recorded_at":"2025-05-01T11:00:00Z","touchpoint":"store","nps":4}
//! {"respondent_id":"C3","recorded_at":"2025-05-01T12:00:00Z","touchpoint":"web","nps":11}
//! "#;
//! // 1. Read: the third record is rejected (line 3, field nps), not dropped.
//! let read = read_jsonl_from(&batch[..], "batch-1", &ReadOptions::default())?;
//! assert_eq!((read.responses.len(), read.n_rejected), (2, 1));
//! assert_eq!((read.rejected[0].line, read.rejected[0].field.as_str()), (3, "nps"));
//!
//! // 2. Group: NPS counts per touchpoint.
//! let mut counts = KeyedCounts::new(Scale::NPS);
//! counts.add_responses(&read.responses, |r: &Response| r.touchpoint().id().to_string(), "nps")?;
//!
//! // 3. Merge another batch's (or thread's) counts.
//! let mut other = KeyedCounts::new(Scale::NPS);
//! other.add_scores("web", &[9u8, 7], cxmetrics::MissingPolicy::Omit)?;
//! counts.merge(&other)?;
//! assert_eq!(counts.get("web").map(|c| c.n()), Some(3));
//!
//! // 4. Serialise, and read back (validated: a tampered count or scale is refused).
//! let json = serde_json::to_string(&counts).expect("serialises");
//! let back: KeyedCounts = serde_json::from_str(&json).expect("valid");
//! assert_eq!(back, counts);
//!
//! // 5. Report: one row per touchpoint with its key, estimate or reason.
//! let spec = IndicatorSpec::parse("nps", None, None, Scale::NPS, false)?;
//! for row in counts.report(&spec, Confidence::default()) {
//!     match (&row.estimate, &row.missing_reason) {
//!         (Some(e), _) => println!("{}: {e}", row.key),
//!         (None, Some(why)) => println!("{}: no estimate ({})", row.key, why.code),
//!         _ => unreachable!(),
//!     }
//! }
//! # }
//! # Ok::<(), cxmetrics::Error>(())
//! ```
//!
//! Long computations (bootstraps) can be stopped with [`with_interrupt_check`]; how many threads
//! the crate uses, or whether it runs on the caller's pool, is set with [`set_threads`] and
//! [`with_threads`]. Errors have a stable [`Error::code`]. `examples/service.rs` is a complete
//! service on this API. The methods and their sources are described in `docs/methods.md`.
//!
//! # Layers
//!
//! Foundations ([`error`], [`scale`], random numbers, threads) below [`counts`] and [`response`],
//! below [`interval`], below [`estimate`] and [`indicator`], below [`compare`](mod@compare), below [`grouping`],
//! [`monitor`], [`outcome`] and [`trend`], below [`alert`]; [`read`], [`text`] and [`drivers`] beside them. No module
//! depends on a higher layer (checked by `scripts/layers.py`).
#![deny(missing_docs)]

/// `with_setters!(Options { /// doc \n with_field(field: Type), ... })`: a builder method per
/// public field of an options struct (`#[non_exhaustive]`, so callers outside the crate cannot use
/// struct literals): `options.with_field(value)` returns the options with that field set.
macro_rules! with_setters {
    ($ty:ty { $( $(#[doc = $doc:literal])* $setter:ident($field:ident: $t:ty) ),* $(,)? }) => {
        impl $ty {
            $(
                $(#[doc = $doc])*
                #[must_use]
                pub fn $setter(mut self, $field: $t) -> Self {
                    self.$field = $field;
                    self
                }
            )*
        }
    };
}

pub mod alert;
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
mod names;
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
pub mod shrink;
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
