//! The indicators: NPS ([`nps`]), top-box shares such as CSAT and CES ([`top_box`]), mean scores
//! ([`mean`]), and the composite indicators over several items of the same respondents: the
//! loyalty index ([`loyalty`]) and secure customers ([`secure`]). Each returns an
//! [`Estimate`](crate::Estimate) in the CX convention.

pub mod items;
pub mod loyalty;
pub mod mean;
pub mod nps;
pub mod resampled;
pub mod secure;
pub mod spec;
pub mod top_box;
