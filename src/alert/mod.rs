//! Alarms: the group-periods whose indicator dropped, by a significant change against the previous
//! period (p-values adjusted over every group-period of the indicator) or by falling below the
//! lower limit of the group's control chart.
//!
//! Methods and sources: `docs/methods.md#alerts`, `docs/methods.md#p-chart`,
//! `docs/methods.md#nps-chart`, `docs/methods.md#p-value-adjustment`.

use serde::{Deserialize, Serialize};

use crate::compare::{adjust_p_values, PAdjust};
use crate::error::{Error, Result};
use crate::grouping::IndicatorSpec;
use crate::interval::Confidence;
use crate::monitor::{nps_chart, p_chart, ChartPoint};
use crate::scale::NpsCategory;
use crate::trend::{TrendCells, TrendOptions};

crate::names::named_enum! {
    /// When a group-period raises an alarm.
    #[derive(Default)]
    pub enum AlertRule {
        /// The change against the group's previous period with an estimate is negative and
        /// significant after adjusting its p-value over every group-period of the indicator. The
        /// default.
        #[default]
        Change = "change",
        /// The value falls below the lower limit of its group's control chart (p-chart for shares,
        /// NPS chart for NPS), computed over the group's periods.
        Control = "control",
    }
    unknown = |name| Error::invalid_parameter("rule", format!("{name:?}"), "must be 'change' or 'control'");
}

impl AlertRule {
    /// The names of the figures an alarm of this rule reports, in the order of
    /// [`AlertReason::figures`].
    pub fn reason_columns(&self) -> &'static [&'static str] {
        match self {
            AlertRule::Change => &[
                "change",
                "change_lower",
                "change_upper",
                "p_value",
                "p_adjusted",
            ],
            AlertRule::Control => &["center", "lower_limit"],
        }
    }
}

/// The choices of [`alerts`]: the rule (default [`AlertRule::Change`]), the confidence level (the
/// significance level is `1 - confidence`; default 95%), the p-value adjustment (default Holm) and
/// the width of the control limits in standard errors (default 3).
///
/// # Examples
/// ```
/// use cxmetrics::alert::{AlertOptions, AlertRule};
/// use cxmetrics::compare::PAdjust;
/// let options = AlertOptions::default()
///     .with_rule(AlertRule::Control)
///     .with_p_adjust(PAdjust::BenjaminiHochberg)
///     .with_sigma(2.5)?;
/// assert_eq!((options.rule(), options.sigma()), (AlertRule::Control, 2.5));
/// assert!(AlertOptions::default().with_sigma(0.0).is_err());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertOptions {
    rule: AlertRule,
    confidence: Confidence,
    p_adjust: PAdjust,
    sigma: f64,
}

impl Default for AlertOptions {
    fn default() -> Self {
        AlertOptions {
            rule: AlertRule::Change,
            confidence: Confidence::default(),
            p_adjust: PAdjust::Holm,
            sigma: 3.0,
        }
    }
}

impl AlertOptions {
    /// Alarms by `rule`.
    pub fn with_rule(mut self, rule: AlertRule) -> Self {
        self.rule = rule;
        self
    }

    /// Tests at the significance level `1 - confidence` (and estimates at `confidence`).
    pub fn with_confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = confidence;
        self
    }

    /// Adjusts the p-values of the change rule by `p_adjust`.
    pub fn with_p_adjust(mut self, p_adjust: PAdjust) -> Self {
        self.p_adjust = p_adjust;
        self
    }

    /// Control limits `sigma` standard errors from the centre.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`sigma`) unless positive and finite.
    pub fn with_sigma(mut self, sigma: f64) -> Result<Self> {
        if !(sigma.is_finite() && sigma > 0.0) {
            return Err(Error::invalid_parameter(
                "sigma",
                crate::error::Shortest(sigma),
                "must be positive and finite",
            ));
        }
        self.sigma = sigma;
        Ok(self)
    }

    /// The rule.
    pub fn rule(&self) -> AlertRule {
        self.rule
    }

    /// The confidence level.
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }

    /// The p-value adjustment.
    pub fn p_adjust(&self) -> PAdjust {
        self.p_adjust
    }

    /// The width of the control limits, in standard errors.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }
}

/// Why a group-period raised an alarm.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AlertReason {
    /// A significant drop against the previous period with an estimate.
    Change {
        /// This period minus the previous one.
        change: f64,
        /// Lower confidence limit of the change.
        change_lower: f64,
        /// Upper confidence limit of the change.
        change_upper: f64,
        /// The change's two-sided p-value.
        p_value: f64,
        /// The p-value adjusted over every group-period of the indicator.
        p_adjusted: f64,
    },
    /// Below the control chart's lower limit.
    Control {
        /// The chart's centre line (the group's pooled value).
        center: f64,
        /// The lower control limit for this period's `n`.
        lower_limit: f64,
    },
}

impl AlertReason {
    /// The reason's figures, in the order of its rule's [`AlertRule::reason_columns`].
    pub fn figures(&self) -> Vec<f64> {
        match *self {
            AlertReason::Change {
                change,
                change_lower,
                change_upper,
                p_value,
                p_adjusted,
            } => vec![change, change_lower, change_upper, p_value, p_adjusted],
            AlertReason::Control {
                center,
                lower_limit,
            } => vec![center, lower_limit],
        }
    }
}

/// One alarm: the group and period (their positions in the [`TrendCells`]), the value and its
/// number of answers, and the reason.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// The group's position.
    pub group: usize,
    /// The period's position.
    pub period: usize,
    /// The period's estimate (points for NPS, percent for shares).
    pub value: f64,
    /// The period's number of answers.
    pub n: u64,
    /// Why it raised an alarm.
    pub reason: AlertReason,
}

/// The group-periods of `cells` whose indicator `spec` dropped, by the rule of `options`, in
/// order of group and then period; empty when nothing did.
///
/// - [`AlertRule::Change`]: the trend's change against the previous period with an estimate
///   ([`TrendCells::trend`]) is negative and its p-value, adjusted over every group-period that
///   has a change, is below `1 - confidence`.
/// - [`AlertRule::Control`]: per group, the p-chart ([`p_chart`], shares: the top-box counts of
///   each period) or the NPS chart ([`nps_chart`], NPS: detractors, passives and promoters of
///   each period) over the group's periods; a period with answers whose value lies below its lower
///   limit raises an alarm. Groups without answers are skipped.
///
/// # Errors
/// The errors of [`TrendCells::trend`]; [`Error::InvalidParameter`] (`rule`) for the control
/// rule with a mean indicator or weighted counts (the charts count responses).
///
/// # Examples
/// ```
/// use cxmetrics::alert::{alerts, AlertOptions, AlertReason, AlertRule};
/// use cxmetrics::grouping::{GroupedCounts, IndicatorSpec};
/// use cxmetrics::trend::TrendCells;
/// use cxmetrics::{Indicator, MissingPolicy, ProportionMethod, Scale};
///
/// // One group, three periods of 100 CSAT answers: 60, 62 and then 30 satisfied (4 or 5).
/// let mut codes = Vec::new();
/// let mut csat = Vec::new();
/// for (period, satisfied) in [(0u32, 60), (1, 62), (2, 30)] {
///     for i in 0..100 {
///         codes.push(period);
///         csat.push(if i < satisfied { 5u8 } else { 2 });
///     }
/// }
/// let counts = GroupedCounts::from_scores(&codes, 3, &csat, Scale::LIKERT_5, MissingPolicy::Omit)?;
/// let cells = TrendCells::new(counts, 1, 3)?;
/// let spec = IndicatorSpec::Share { indicator: Indicator::Csat, top: 2, method: ProportionMethod::Wilson };
/// let drops = alerts(&cells, spec, AlertOptions::default())?;
/// assert_eq!((drops.len(), drops[0].period), (1, 2));
/// let control = alerts(&cells, spec, AlertOptions::default().with_rule(AlertRule::Control))?;
/// assert!(matches!(control[0].reason, AlertReason::Control { center, .. } if (center - 50.667).abs() < 1e-3));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn alerts(
    cells: &TrendCells,
    spec: IndicatorSpec,
    options: AlertOptions,
) -> Result<Vec<Alert>> {
    let trend = cells.trend(
        spec,
        TrendOptions::default().with_confidence(options.confidence),
    )?;
    let n_periods = cells.n_periods();
    let mut out = Vec::new();
    match options.rule {
        AlertRule::Change => {
            let tested: Vec<usize> = (0..trend.p_value.len())
                .filter(|&i| !trend.p_value[i].is_nan())
                .collect();
            let p: Vec<f64> = tested.iter().map(|&i| trend.p_value[i]).collect();
            let adjusted = adjust_p_values(&p, options.p_adjust)?;
            let level = 1.0 - options.confidence.level();
            for (&i, &p_adjusted) in tested.iter().zip(&adjusted) {
                if trend.change[i] < 0.0 && p_adjusted < level {
                    out.push(Alert {
                        group: i / n_periods,
                        period: i % n_periods,
                        value: trend.value[i],
                        n: trend.n[i],
                        reason: AlertReason::Change {
                            change: trend.change[i],
                            change_lower: trend.change_lower[i],
                            change_upper: trend.change_upper[i],
                            p_value: trend.p_value[i],
                            p_adjusted,
                        },
                    });
                }
            }
        }
        AlertRule::Control => {
            if cells.counts().total().is_weighted() {
                return Err(Error::invalid_parameter(
                    "rule",
                    "\"control\"",
                    "the control charts count responses; use the change rule for weighted data",
                ));
            }
            for g in 0..cells.n_groups() {
                let chart = control_chart(cells, g, spec, options.sigma)?;
                let Some(chart) = chart else { continue };
                for (t, point) in chart.iter().enumerate() {
                    let i = g * n_periods + t;
                    if trend.n[i] > 0 && point.value < point.lower_limit {
                        out.push(Alert {
                            group: g,
                            period: t,
                            value: trend.value[i],
                            n: trend.n[i],
                            reason: AlertReason::Control {
                                center: point.center,
                                lower_limit: point.lower_limit,
                            },
                        });
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The control chart of group `g` over its periods; `None` when the group has no answers.
fn control_chart(
    cells: &TrendCells,
    g: usize,
    spec: IndicatorSpec,
    sigma: f64,
) -> Result<Option<Vec<ChartPoint>>> {
    let periods = 0..cells.n_periods();
    if periods.clone().all(|t| cells.cell(g, t).n() == 0) {
        return Ok(None);
    }
    let count = |t: usize, scores: std::ops::RangeInclusive<i64>| -> u64 {
        scores.map(|s| cells.cell(g, t).count(s)).sum()
    };
    let chart =
        match spec {
            IndicatorSpec::Nps { .. } => {
                let [d, p, r] = [
                    NpsCategory::Detractor,
                    NpsCategory::Passive,
                    NpsCategory::Promoter,
                ]
                .map(|c| {
                    periods
                        .clone()
                        .map(|t| count(t, c.scores()))
                        .collect::<Vec<u64>>()
                });
                nps_chart(&d, &p, &r, sigma)?
            }
            IndicatorSpec::Share { top, .. } => {
                let scale = cells.counts().scale();
                let top_scores = scale.max() - i64::from(top) + 1..=scale.max();
                let x: Vec<u64> = periods
                    .clone()
                    .map(|t| count(t, top_scores.clone()))
                    .collect();
                let n: Vec<u64> = periods.map(|t| cells.cell(g, t).n()).collect();
                p_chart(&x, &n, sigma)?
            }
            _ => return Err(Error::invalid_parameter(
                "rule",
                "\"control\"",
                "control charts exist for NPS (NPS chart) and shares (p-chart), not for means or \
                 resampled intervals",
            )),
        };
    Ok(Some(chart))
}
