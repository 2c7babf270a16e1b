//! Indicators over time: one estimate per group and period (or rolling window of periods), with the
//! change against the previous period that has data; calendar periods ([`Frequency`], [`Period`])
//! and the bucketing of typed responses into them ([`ResponseTrend`]).
//!
//! Methods and sources: `docs/methods.md#trends`, `docs/methods.md#periods`.

mod cells;
mod period;

pub use cells::{ResponseTrend, TrendCells, TrendOptions};
pub use period::{Frequency, Period};

use serde::Serialize;

/// A trend as columns: row `g * n_periods + t` is group `g`, period `t`. Missing figures are NaN.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct TrendColumns {
    /// The estimates.
    pub value: Vec<f64>,
    /// Lower confidence limits.
    pub lower: Vec<f64>,
    /// Upper confidence limits.
    pub upper: Vec<f64>,
    /// Standard errors.
    pub std_error: Vec<f64>,
    /// Answers used (in the window when rolling).
    pub n: Vec<u64>,
    /// Missing answers.
    pub n_missing: Vec<u64>,
    /// This period minus the previous period with an estimate.
    pub change: Vec<f64>,
    /// Lower limit of the change.
    pub change_lower: Vec<f64>,
    /// Upper limit of the change.
    pub change_upper: Vec<f64>,
    /// Two-sided p-value of the change.
    pub p_value: Vec<f64>,
}
