//! Counts per group and period, and the trend computed from them.

use super::{Frequency, Period, TrendColumns};
use crate::compare::{compare, CompareOptions};
use crate::counts::ScoreCounts;
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::grouping::{GroupedCounts, IndicatorSpec};
use crate::interval::Confidence;
use crate::response::Response;
use crate::scale::Scale;

/// The choices of a trend: the confidence level (default 95%) and the rolling window, the number
/// of periods each figure covers (default 1: each period alone).
///
/// # Examples
/// ```
/// use cxmetrics::trend::TrendOptions;
/// use cxmetrics::Confidence;
/// let options = TrendOptions::default().with_confidence(Confidence::new(0.9)?).with_window(3)?;
/// assert_eq!((options.window(), options.confidence().level()), (3, 0.9));
/// assert!(TrendOptions::default().with_window(0).is_err());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendOptions {
    confidence: Confidence,
    window: usize,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            confidence: Confidence::default(),
            window: 1,
        }
    }
}

impl TrendOptions {
    /// Estimates at `confidence`.
    pub fn with_confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = confidence;
        self
    }

    /// Each figure over the last `window` periods (rolling figures).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`window`) for 0.
    pub fn with_window(mut self, window: usize) -> Result<Self> {
        if window == 0 {
            return Err(Error::invalid_parameter(
                "window",
                window,
                "must be at least 1 period",
            ));
        }
        self.window = window;
        Ok(self)
    }

    /// The confidence level.
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }

    /// The window, in periods.
    pub fn window(&self) -> usize {
        self.window
    }
}

/// Counts of one item per group and period: cell `g * n_periods + t` holds group `g` in period `t`.
/// Built from codes ([`TrendCells::new`]) or from typed responses ([`ResponseTrend::from_responses`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendCells {
    counts: GroupedCounts,
    n_groups: usize,
    n_periods: usize,
}

impl TrendCells {
    /// The cells of `n_groups` groups over `n_periods` periods, from counts grouped by the cell code
    /// `group * n_periods + period`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`cells`) when `counts` does not have `n_groups * n_periods`
    /// groups.
    pub fn new(counts: GroupedCounts, n_groups: usize, n_periods: usize) -> Result<Self> {
        if n_groups.checked_mul(n_periods) != Some(counts.n_groups()) {
            return Err(Error::invalid_parameter(
                "cells",
                counts.n_groups(),
                format!("expected {n_groups} groups x {n_periods} periods"),
            ));
        }
        Ok(TrendCells {
            counts,
            n_groups,
            n_periods,
        })
    }

    /// The number of groups.
    pub fn n_groups(&self) -> usize {
        self.n_groups
    }

    /// The number of periods.
    pub fn n_periods(&self) -> usize {
        self.n_periods
    }

    /// The counts of group `group` in period `period`.
    ///
    /// # Panics
    /// When `group >= n_groups()` or `period >= n_periods()`.
    pub fn cell(&self, group: usize, period: usize) -> &ScoreCounts {
        assert!(period < self.n_periods, "period {period} out of range");
        self.counts.group(group * self.n_periods + period)
    }

    /// The counts of every cell, grouped by cell code.
    pub fn counts(&self) -> &GroupedCounts {
        &self.counts
    }

    /// The counts of group `group` over the window ending at period `period`.
    fn window(&self, group: usize, period: usize, window: usize) -> Result<ScoreCounts> {
        let first = period + 1 - window.min(period + 1);
        let mut counts = self.cell(group, first).clone();
        for t in first + 1..=period {
            counts.merge(self.cell(group, t))?;
        }
        Ok(counts)
    }

    /// Estimates of `spec` per group and period, each over the last `window` periods of `options`,
    /// and the change against the previous period with an estimate, compared by
    /// [`CompareOptions::for_estimates`] (the family's default; weighted NPS: Wald). Periods
    /// without data get `n = 0` and NaN.
    ///
    /// # Errors
    /// An error of the request itself (a method without a weighted form...). A period without
    /// enough data is not an error: it has no estimate.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::grouping::{GroupedCounts, IndicatorSpec};
    /// use cxmetrics::trend::{TrendCells, TrendOptions};
    /// use cxmetrics::{Indicator, MissingPolicy, NpsMethod, Scale};
    ///
    /// // One group, three periods; the second has no answers.
    /// let codes = [0u32, 0, 0, 2, 2, 2];
    /// let ltr = [10u8, 9, 3, 0, 2, 9];
    /// let counts = GroupedCounts::from_scores(&codes, 3, &ltr, Scale::NPS, MissingPolicy::Omit)?;
    /// let cells = TrendCells::new(counts, 1, 3)?;
    /// let spec = IndicatorSpec::Nps { indicator: Indicator::Nps, method: NpsMethod::AdjustedWald };
    /// let t = cells.trend(spec, TrendOptions::default())?;
    /// assert_eq!(t.n, [3, 0, 3]);
    /// assert!(t.value[1].is_nan());
    /// assert!((t.change[2] - (-100.0 / 3.0 - 100.0 / 3.0)).abs() < 1e-9); // against period 0
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn trend(&self, spec: IndicatorSpec, options: TrendOptions) -> Result<TrendColumns> {
        let confidence = options.confidence;
        let estimate = |counts: &ScoreCounts| -> Result<Option<Estimate>> {
            match spec.estimate(counts, confidence) {
                Ok(e) => Ok(Some(e)),
                Err(
                    Error::EmptyData { .. }
                    | Error::InsufficientData { .. }
                    | Error::ZeroTotalWeight { .. },
                ) => Ok(None),
                Err(err) => Err(err),
            }
        };
        let mut out = TrendColumns::default();
        for g in 0..self.n_groups {
            let mut previous: Option<Estimate> = None;
            for t in 0..self.n_periods {
                let counts = self.window(g, t, options.window)?;
                let e = estimate(&counts)?;
                let field = |f: fn(&Estimate) -> f64| e.as_ref().map_or(f64::NAN, f);
                out.value.push(field(Estimate::value));
                out.lower.push(field(Estimate::lower));
                out.upper.push(field(Estimate::upper));
                out.std_error.push(field(Estimate::std_error));
                out.n.push(counts.n());
                out.n_missing.push(counts.n_missing());
                let change = match (&e, &previous) {
                    (Some(now), Some(before)) => Some(compare(
                        now,
                        before,
                        CompareOptions::for_estimates(now, before),
                    )?),
                    _ => None,
                };
                let field =
                    |f: fn(&crate::compare::Comparison) -> f64| change.as_ref().map_or(f64::NAN, f);
                out.change.push(field(|c| c.difference()));
                out.change_lower.push(field(|c| c.lower()));
                out.change_upper.push(field(|c| c.upper()));
                out.p_value.push(field(|c| c.p_value()));
                if e.is_some() {
                    previous = e;
                }
            }
        }
        Ok(out)
    }
}

/// Typed responses bucketed by group and calendar period: the group keys (sorted), every period
/// from the first to the last response's (empty periods included), and the counts of one item per
/// cell.
///
/// # Examples
/// ```
/// use cxmetrics::grouping::IndicatorSpec;
/// use cxmetrics::trend::{Frequency, ResponseTrend, TrendOptions};
/// use cxmetrics::{Indicator, NpsMethod, Response, Scale, Timestamp, Touchpoint};
///
/// let answer = |day: &str, tp: &str, nps: i64| -> cxmetrics::Result<Response> {
///     let at = Timestamp::parse(&format!("{day}T12:00:00Z"))?;
///     Response::builder("C", at, Touchpoint::new(tp)?).nps(nps).build()
/// };
/// let responses = vec![
///     answer("2025-01-05", "web", 10)?,
///     answer("2025-01-20", "web", 9)?,
///     answer("2025-03-02", "web", 3)?,
///     answer("2025-03-09", "store", 6)?,
/// ];
/// let by_month = ResponseTrend::from_responses(
///     &responses, |r| r.touchpoint().id().to_string(), "nps", Scale::NPS, false, Frequency::Month,
/// )?;
/// assert_eq!(by_month.keys(), ["store", "web"]);
/// let labels: Vec<String> = by_month.periods().iter().map(|p| p.to_string()).collect();
/// assert_eq!(labels, ["2025-01", "2025-02", "2025-03"]);
/// let spec = IndicatorSpec::Nps { indicator: Indicator::Nps, method: NpsMethod::Wald };
/// let t = by_month.cells().trend(spec, TrendOptions::default())?;
/// assert_eq!((t.value[2], t.value[3], t.value[5]), (-100.0, 100.0, -100.0)); // store March; web
/// assert!(t.value[4].is_nan()); // web had no answers in February
/// assert_eq!(t.n, [0, 0, 1, 2, 0, 1]); // store, then web
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTrend<K> {
    keys: Vec<K>,
    periods: Vec<Period>,
    cells: TrendCells,
}

impl<K: Ord + Clone> ResponseTrend<K> {
    /// Buckets `responses` by `key` and by the `frequency` period of their `recorded_at` (in UTC),
    /// counting the answers to `item` on `scale` (weighted by the responses' weights when
    /// `weighted`). An unanswered item counts as missing in its cell; every response is in a cell.
    ///
    /// # Errors
    /// [`Error::EmptyData`] without responses; [`Error::InvalidParameter`] (`n_groups`) when the
    /// groups times periods need more cells than a table may hold (a coarser frequency, or a
    /// mistyped date); the score and weight errors of [`GroupedCounts::from_scores`].
    pub fn from_responses(
        responses: &[Response],
        key: impl Fn(&Response) -> K,
        item: &str,
        scale: Scale,
        weighted: bool,
        frequency: Frequency,
    ) -> Result<Self> {
        let period_of = |r: &Response| frequency.period_of(r.recorded_at()).index();
        let (first, last) = responses
            .iter()
            .map(period_of)
            .fold(None, |acc: Option<(i64, i64)>, p| {
                Some(acc.map_or((p, p), |(lo, hi)| (lo.min(p), hi.max(p))))
            })
            .ok_or(Error::EmptyData {
                n_missing: 0,
                n_total: 0,
            })?;
        // Timestamps lie within 1900-2200, so this is at most 110,000 days.
        let n_periods = (last - first + 1) as usize;
        let (group_of, unique) = crate::grouping::responses::key_codes(responses, key);
        let n_groups = unique.len();
        let n_cells = n_groups.saturating_mul(n_periods);
        if n_cells > u32::MAX as usize {
            return Err(Error::invalid_parameter(
                "n_groups",
                n_cells,
                format!("{n_groups} groups x {n_periods} periods are too many cells; use a coarser frequency"),
            ));
        }
        let codes: Vec<u32> = responses
            .iter()
            .zip(&group_of)
            .map(|(r, &g)| g * n_periods as u32 + (period_of(r) - first) as u32)
            .collect();
        let counts = crate::grouping::responses::count_answers(
            responses, &codes, n_cells, item, scale, weighted,
        )?;
        Ok(ResponseTrend {
            keys: unique,
            periods: (first..=last).map(|i| Period::new(frequency, i)).collect(),
            cells: TrendCells::new(counts, n_groups, n_periods)?,
        })
    }

    /// The group keys, sorted; group `g` of the cells has key `keys()[g]`.
    pub fn keys(&self) -> &[K] {
        &self.keys
    }

    /// The periods, first to last; period `t` of the cells is `periods()[t]`.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The counts per group and period.
    pub fn cells(&self) -> &TrendCells {
        &self.cells
    }
}
