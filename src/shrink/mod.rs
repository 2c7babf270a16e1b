//! Empirical-Bayes shrinkage of many small groups (stores, agents, touchpoints): each group's
//! estimate pulled towards the population in proportion to how little its own data says.
//!
//! Shares (CSAT, CES, any top box) use the beta-binomial model ([`beta_binomial`]): the groups'
//! true shares are drawn from a Beta(alpha, beta) whose parameters are fitted by maximum marginal
//! likelihood over the groups; each group's posterior is Beta(alpha + x, beta + n - x).
//!
//! NPS uses the Dirichlet-multinomial model ([`dirichlet`]); each group's posterior NPS has the
//! distribution of [`nps_posterior`], inverted exactly from its moment generating function.
//!
//! Means use the normal-normal model ([`normal_normal`]): the groups' true means are drawn from
//! N(mu, tau^2), `tau^2` by REML, each group's estimate its best linear unbiased prediction.
//!
//! Methods and sources: `docs/methods.md#empirical-bayes-shrinkage`.

pub mod beta_binomial;
mod digamma;
pub mod dirichlet;
pub mod funnel;
mod grouped;
pub mod normal_normal;
pub mod nps_posterior;
pub mod rank;

pub use beta_binomial::{fit_beta_binomial, shrink_shares, BetaBinomialFit, ShrunkShare};
pub use dirichlet::{fit_dirichlet, shrink_nps, DirichletFit, ShrunkNps};
pub use funnel::{funnel, Funnel, FunnelLimit, Overdispersion};
pub use grouped::{
    funnel_grouped, rank_grouped, shrink_grouped, shrink_summarised, GroupSummaries, Prior,
    ShrunkColumns, SummaryModel,
};
pub use normal_normal::{fit_normal_normal, shrink_means, NormalFit, ShrunkMean};
pub use rank::{rank_posteriors, GroupRank, Posterior, MAX_RANK_CELLS};
