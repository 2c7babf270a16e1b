//! Empirical-Bayes shrinkage of many small groups (stores, agents, touchpoints): each group's
//! estimate pulled towards the population in proportion to how little its own data says.
//!
//! Shares (CSAT, CES, any top box) use the beta-binomial model ([`beta_binomial`]): the groups'
//! true shares are drawn from a Beta(alpha, beta) whose parameters are fitted by maximum marginal
//! likelihood over the groups; each group's posterior is Beta(alpha + x, beta + n - x).
//!
//! Methods and sources: `docs/methods.md#empirical-bayes-shrinkage`.

pub mod beta_binomial;
mod digamma;
mod grouped;

pub use beta_binomial::{fit_beta_binomial, shrink_shares, BetaBinomialFit, ShrunkShare};
pub use grouped::{shrink_grouped, ShrunkColumns};
