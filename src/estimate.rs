//! The result type of every indicator: an [`Estimate`] with its confidence interval.

use serde::{Deserialize, Serialize};

use crate::interval::nps::NpsMethod;
use crate::interval::proportion::ProportionMethod;
use crate::scale::Scale;

crate::names::named_enum! {
    /// Which indicator an estimate is of.
    pub enum Indicator {
        /// Net Promoter Score (Reichheld 2003), in points.
        Nps = "nps",
        /// Customer satisfaction: share of top-2 answers on 1-5 (or as configured), in percent.
        Csat = "csat",
        /// Customer Effort Score: share of top-3 answers on 1-7 (7 = very easy), in percent.
        Ces = "ces",
        /// Any top-box share, in percent.
        TopBox = "top_box",
        /// Mean score, in the scale's units.
        Mean = "mean",
        /// Employee Net Promoter Score: the NPS of employees' likelihood to recommend the employer, in points.
        Enps = "enps",
        /// Repurchase intention (IR): share of top-2 answers on 1-5 (or as configured), in percent.
        Repurchase = "repurchase",
        /// Satisfaction index (ISAT): the mean score rescaled to 0-100.
        SatisfactionIndex = "satisfaction_index",
        /// Loyalty index (IF): the mean over respondents of their (item-weighted) mean of several items,
        /// each rescaled to 0-100.
        LoyaltyIndex = "loyalty_index",
        /// Secure customers: the share of respondents who are promoters, satisfied and likely to
        /// repurchase, in percent.
        SecureCustomers = "secure_customers",
        /// The rate of a 0/1 business outcome (repeat purchase, churn), in percent.
        Rate = "rate",
    }
    unknown = |name| crate::error::Error::UnknownOption { option: "indicator", name, valid: Indicator::NAMES };
}

impl Indicator {
    /// A top-box share indicator by name (`"csat"`, `"ces"`, `"repurchase"`, `"top_box"`).
    ///
    /// # Errors
    /// [`Error::UnknownOption`](crate::error::Error::UnknownOption) for another name (an indicator that
    /// is not a share included).
    pub fn share_named(name: &str) -> crate::error::Result<Indicator> {
        match name.parse::<Indicator>() {
            Ok(i) if i.is_share() => Ok(i),
            _ => Err(crate::error::Error::UnknownOption {
                option: "share indicator",
                name: name.to_owned(),
                valid: &["csat", "ces", "repurchase", "top_box"],
            }),
        }
    }

    /// The unit its estimates are in: points for NPS and eNPS, the scale's units for a mean, an
    /// index (0-100) for the satisfaction and loyalty indices, percent for every share and rate.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::{Indicator, Unit};
    /// assert_eq!(Indicator::Nps.unit(), Unit::Points);
    /// assert_eq!(Indicator::Csat.unit(), Unit::Percent);
    /// ```
    pub fn unit(&self) -> Unit {
        match self {
            Indicator::Nps | Indicator::Enps => Unit::Points,
            Indicator::Mean => Unit::Score,
            Indicator::SatisfactionIndex | Indicator::LoyaltyIndex => Unit::Index,
            _ => Unit::Percent,
        }
    }

    /// Whether the indicator is a Net Promoter Score (NPS or eNPS).
    pub fn is_nps(&self) -> bool {
        matches!(self, Indicator::Nps | Indicator::Enps)
    }

    /// Whether the indicator is a share in percent (CSAT, CES, repurchase intention, any top box,
    /// secure customers, an outcome rate).
    pub fn is_share(&self) -> bool {
        matches!(
            self,
            Indicator::Csat
                | Indicator::Ces
                | Indicator::TopBox
                | Indicator::Repurchase
                | Indicator::SecureCustomers
                | Indicator::Rate
        )
    }

    /// Whether the indicator is a mean (a mean score, or an index that rescales a mean to 0-100).
    pub fn is_mean(&self) -> bool {
        matches!(
            self,
            Indicator::Mean | Indicator::SatisfactionIndex | Indicator::LoyaltyIndex
        )
    }

    /// The indicator's display label (`"NPS"`, `"CSAT"`, ...).
    pub fn label(&self) -> &'static str {
        match self {
            Indicator::Nps => "NPS",
            Indicator::Csat => "CSAT",
            Indicator::Ces => "CES",
            Indicator::TopBox => "Top-box",
            Indicator::Mean => "Mean score",
            Indicator::Enps => "eNPS",
            Indicator::Repurchase => "Repurchase intention",
            Indicator::SatisfactionIndex => "Satisfaction index",
            Indicator::LoyaltyIndex => "Loyalty index",
            Indicator::SecureCustomers => "Secure customers",
            Indicator::Rate => "Rate",
        }
    }
}

crate::names::named_enum! {
    /// The unit an estimate is reported in.
    pub enum Unit {
        /// NPS points, -100 to 100.
        Points = "points",
        /// Percent, 0 to 100.
        Percent = "percent",
        /// The response scale's own units (a mean score).
        Score = "score",
        /// An index from 0 to 100 (a mean score rescaled).
        Index = "index",
    }
    unknown = |name| crate::error::Error::UnknownOption { option: "unit", name, valid: Unit::NAMES };
}

/// The interval method an estimate was computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IntervalMethod {
    /// NPS methods.
    Nps(NpsMethod),
    /// Proportion (share) methods.
    Proportion(ProportionMethod),
    /// Student t interval for a mean.
    T,
    /// Bootstrap or Bayesian interval.
    Resampling(crate::interval::resampling::ResamplingMethod),
}

impl IntervalMethod {
    /// The method's name (`"adjusted_wald"`, `"wilson"`, `"t"`, ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            IntervalMethod::Nps(m) => m.as_str(),
            IntervalMethod::Proportion(m) => m.as_str(),
            IntervalMethod::T => "t",
            IntervalMethod::Resampling(m) => m.as_str(),
        }
    }
}

/// The NPS categories behind an NPS estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NpsBreakdown {
    /// Number of detractors (scores 0-6).
    pub detractors: u64,
    /// Number of passives (7-8).
    pub passives: u64,
    /// Number of promoters (9-10).
    pub promoters: u64,
    /// Detractor share in percent (weighted when the estimate is).
    pub detractor_share: f64,
    /// Passive share in percent (weighted when the estimate is).
    pub passive_share: f64,
    /// Promoter share in percent (weighted when the estimate is).
    pub promoter_share: f64,
}

/// An indicator's estimate with its confidence interval, in the CX convention: NPS in points
/// (-100..100), shares in percent (0..100), means in the scale's units; never rounded.
///
/// `value` is always the plain estimate (raw NPS, raw share, mean); an interval method may centre
/// elsewhere (adjusted Wald, Wilson). `std_error` is the standard error of `value`: multinomial or
/// binomial (divisor `n`) for NPS and shares, `s/sqrt(n)` for means, the linearisation standard error
/// when weighted. Intervals are clipped to the indicator's range.
///
/// # Examples
///
/// ```
/// use cxmetrics::{nps_from_counts, Confidence, NpsMethod};
///
/// let e = nps_from_counts(20, 30, 50, NpsMethod::Wald, Confidence::default())?;
/// assert_eq!(e.value(), 30.0);
/// assert!((e.std_error() - 7.81025).abs() < 1e-5);
/// assert_eq!(e.unit().as_str(), "points");
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "EstimateData")]
pub struct Estimate {
    pub(crate) indicator: Indicator,
    #[serde(with = "crate::serde_float")]
    pub(crate) value: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) lower: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) upper: f64,
    #[serde(with = "crate::serde_float")]
    pub(crate) confidence: f64,
    pub(crate) method: IntervalMethod,
    #[serde(with = "crate::serde_float")]
    pub(crate) std_error: f64,
    pub(crate) n: u64,
    #[serde(with = "crate::serde_float")]
    pub(crate) effective_n: f64,
    pub(crate) n_missing: u64,
    pub(crate) unit: Unit,
    pub(crate) weighted: bool,
    pub(crate) scale: Option<Scale>,
    pub(crate) successes: Option<u64>,
    #[serde(default)]
    pub(crate) top: Option<u32>,
    pub(crate) nps: Option<NpsBreakdown>,
}

/// The fields of an [`Estimate`] as they are serialised, before [`Estimate`]'s checks.
#[derive(Deserialize)]
struct EstimateData {
    indicator: Indicator,
    #[serde(with = "crate::serde_float")]
    value: f64,
    #[serde(with = "crate::serde_float")]
    lower: f64,
    #[serde(with = "crate::serde_float")]
    upper: f64,
    #[serde(with = "crate::serde_float")]
    confidence: f64,
    method: IntervalMethod,
    #[serde(with = "crate::serde_float")]
    std_error: f64,
    n: u64,
    #[serde(with = "crate::serde_float")]
    effective_n: f64,
    n_missing: u64,
    unit: Unit,
    weighted: bool,
    scale: Option<Scale>,
    successes: Option<u64>,
    #[serde(default)]
    top: Option<u32>,
    nps: Option<NpsBreakdown>,
}

impl TryFrom<EstimateData> for Estimate {
    type Error = String;

    /// The checks of a deserialised estimate: a confidence level in (0, 1); a finite value within
    /// the unit's range (NPS points -100..100, percent and indices 0..100, scores on their scale);
    /// limits within that range with `lower <= upper` (the value itself need not lie between them:
    /// adjusted Wald and Bayesian intervals are not centred on it); a standard error that is `>= 0` or NaN (undefined); successes at most `n`; NPS category counts
    /// that add up to `n`.
    fn try_from(d: EstimateData) -> Result<Self, String> {
        if !(d.confidence > 0.0 && d.confidence < 1.0) {
            return Err(format!("confidence {} is not in (0, 1)", d.confidence));
        }
        if d.unit != d.indicator.unit() {
            return Err(format!(
                "unit {:?} does not belong to the indicator {:?} (its unit is {:?})",
                d.unit.as_str(),
                d.indicator.as_str(),
                d.indicator.unit().as_str()
            ));
        }
        let (lo, hi) = match d.unit {
            Unit::Points => (-100.0, 100.0),
            Unit::Percent | Unit::Index => (0.0, 100.0),
            Unit::Score => d.scale.map_or((f64::NEG_INFINITY, f64::INFINITY), |s| {
                (s.min() as f64, s.max() as f64)
            }),
        };
        // Rounding can put a weighted mean of equal scores a unit in the last place outside.
        let tol = if (hi - lo).is_finite() {
            1e-9 * (hi - lo)
        } else {
            0.0
        };
        let within = |x: f64| x >= lo - tol && x <= hi + tol;
        if !(d.value.is_finite() && within(d.value)) {
            return Err(format!("value {} is outside {lo} to {hi}", d.value));
        }
        for (name, limit) in [("lower", d.lower), ("upper", d.upper)] {
            if !limit.is_nan() && !within(limit) {
                return Err(format!("{name} {limit} is outside {lo} to {hi}"));
            }
        }
        if d.lower > d.upper {
            return Err(format!("lower {} is above upper {}", d.lower, d.upper));
        }
        if d.std_error < 0.0 || d.std_error.is_infinite() {
            return Err(format!("std_error {} is negative or infinite", d.std_error));
        }
        if d.effective_n.is_nan() || d.effective_n < 0.0 || d.effective_n.is_infinite() {
            return Err(format!(
                "effective_n {} is not a finite count",
                d.effective_n
            ));
        }
        // Kish's effective sample size never exceeds the number of responses.
        if d.effective_n > d.n as f64 * (1.0 + 1e-9) {
            return Err(format!("effective_n {} exceeds n {}", d.effective_n, d.n));
        }
        if let Some(x) = d.successes {
            if x > d.n {
                return Err(format!("successes {x} exceed n {}", d.n));
            }
        }
        if let Some(b) = &d.nps {
            let total = b
                .detractors
                .checked_add(b.passives)
                .and_then(|t| t.checked_add(b.promoters));
            for share in [b.detractor_share, b.passive_share, b.promoter_share] {
                if !(-1e-7..=100.0 + 1e-7).contains(&share) {
                    return Err(format!(
                        "an NPS category share of {share} is outside 0 to 100"
                    ));
                }
            }
            if total != Some(d.n) {
                return Err(format!(
                    "the NPS categories {} + {} + {} do not add up to n {}",
                    b.detractors, b.passives, b.promoters, d.n
                ));
            }
        }
        Ok(Estimate {
            indicator: d.indicator,
            value: d.value,
            lower: d.lower,
            upper: d.upper,
            confidence: d.confidence,
            method: d.method,
            std_error: d.std_error,
            n: d.n,
            effective_n: d.effective_n,
            n_missing: d.n_missing,
            unit: d.unit,
            weighted: d.weighted,
            scale: d.scale,
            successes: d.successes,
            top: d.top,
            nps: d.nps,
        })
    }
}

/// One line for people: `NPS 30.0 points (95% CI 14.7 to 45.3, wald; n = 100)`; one decimal for
/// points, percent and indices, two for means (the values themselves are never rounded).
///
/// # Examples
/// ```
/// use cxmetrics::{nps_from_counts, Confidence, NpsMethod};
/// let e = nps_from_counts(20, 30, 50, NpsMethod::Wald, Confidence::default())?;
/// assert_eq!(e.to_string(), "NPS 30.0 points (95% CI 14.7 to 45.3, wald; n = 100)");
/// # Ok::<(), cxmetrics::Error>(())
/// ```
impl std::fmt::Display for Estimate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (unit, decimals) = match self.unit {
            Unit::Percent => ("%", 1),
            Unit::Points => (" points", 1),
            Unit::Index => ("", 1),
            Unit::Score => ("", 2),
        };
        write!(
            f,
            "{} {:.decimals$}{} ({}% CI {:.decimals$} to {:.decimals$}, {}; n = {}",
            self.indicator.label(),
            self.value,
            unit,
            crate::error::significant(100.0 * self.confidence, 4),
            self.lower,
            self.upper,
            self.method.as_str(),
            self.n,
        )?;
        if self.n_missing > 0 {
            write!(f, ", {} missing", self.n_missing)?;
        }
        f.write_str(")")
    }
}

impl Estimate {
    /// The same estimate with the interval `(lower, upper)` of a resampling `method` (clipped to
    /// the indicator's range); value, standard error and counts are kept. The one place an interval
    /// is replaced, so an estimate is never patched field by field.
    pub(crate) fn with_resampled_interval(
        mut self,
        (lower, upper): (f64, f64),
        method: crate::interval::resampling::ResamplingMethod,
    ) -> Estimate {
        let (lo, hi) = match self.unit {
            Unit::Points => (-100.0, 100.0),
            Unit::Percent | Unit::Index => (0.0, 100.0),
            Unit::Score => self.scale.map_or((f64::NEG_INFINITY, f64::INFINITY), |s| {
                (s.min() as f64, s.max() as f64)
            }),
        };
        self.lower = lower.clamp(lo, hi);
        self.upper = upper.clamp(lo, hi);
        self.method = IntervalMethod::Resampling(method);
        self
    }

    /// The indicator.
    pub fn indicator(&self) -> Indicator {
        self.indicator
    }
    /// The plain estimate (points, percent or scale units; see [`Estimate::unit`]).
    pub fn value(&self) -> f64 {
        self.value
    }
    /// The lower confidence limit.
    pub fn lower(&self) -> f64 {
        self.lower
    }
    /// The upper confidence limit.
    pub fn upper(&self) -> f64 {
        self.upper
    }
    /// The confidence level, e.g. 0.95.
    pub fn confidence(&self) -> f64 {
        self.confidence
    }
    /// The interval method.
    pub fn method(&self) -> IntervalMethod {
        self.method
    }
    /// The standard error of `value`, in the same unit.
    pub fn std_error(&self) -> f64 {
        self.std_error
    }
    /// The number of responses used (missing answers excluded).
    pub fn n(&self) -> u64 {
        self.n
    }
    /// Kish's effective sample size `(sum w)^2 / sum w^2`; equals `n` when unweighted.
    pub fn effective_n(&self) -> f64 {
        self.effective_n
    }
    /// The number of missing answers that were excluded.
    pub fn n_missing(&self) -> u64 {
        self.n_missing
    }
    /// The unit of `value`, `lower`, `upper` and `std_error`.
    pub fn unit(&self) -> Unit {
        self.unit
    }
    /// Whether the estimate is weighted.
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }
    /// The response scale the estimate was computed on (`None` when built from category counts).
    pub fn scale(&self) -> Option<Scale> {
        self.scale
    }
    /// For shares: the number of responses in the top box.
    pub fn successes(&self) -> Option<u64> {
        self.successes
    }
    /// For top-box shares computed from scores: how many top points of the scale count.
    pub fn top(&self) -> Option<u32> {
        self.top
    }
    /// For NPS: the detractor, passive and promoter counts and shares.
    pub fn nps_breakdown(&self) -> Option<&NpsBreakdown> {
        self.nps.as_ref()
    }
}
