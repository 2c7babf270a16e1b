//! The indicators: NPS ([`nps`]), top-box shares such as CSAT and CES ([`top_box`]), mean scores
//! ([`mean`]). Each takes [`ScoreCounts`](crate::ScoreCounts) (or category counts) and returns an
//! [`Estimate`](crate::Estimate) in the CX convention.

pub mod mean;
pub mod nps;
pub mod top_box;
