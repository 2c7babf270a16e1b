//! [`IndicatorSpec`]: which indicator to compute and how, with every default defined once (the
//! Python package and grouped reports take their defaults from here).

use crate::counts::{MissingPolicy, ScoreCounts};
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator};
use crate::indicator::mean::{mean_score, satisfaction_index};
use crate::indicator::nps::nps_as;
use crate::indicator::resampled::{
    resampled_nps, resampled_share, weighted_resampled_nps, weighted_resampled_share,
};
use crate::indicator::top_box::top_box_as;
use crate::interval::nps::NpsMethod;
use crate::interval::proportion::ProportionMethod;
use crate::interval::resampling::{ResamplingMethod, ResamplingOptions};
use crate::interval::Confidence;
use crate::scale::Scale;

/// The default NPS interval, unweighted: adjusted Wald (Rocks 2016).
pub const DEFAULT_NPS_METHOD: NpsMethod = NpsMethod::AdjustedWald;
/// The default NPS interval of weighted data: Wald with the linearisation variance, the only NPS
/// method with a weighted form.
pub const DEFAULT_WEIGHTED_NPS_METHOD: NpsMethod = NpsMethod::Wald;
/// The default interval of a share (weighted: with Kish's effective sample size).
pub const DEFAULT_PROPORTION_METHOD: ProportionMethod = ProportionMethod::Wilson;
/// The default number of top points of a top-box share (top 2).
pub const DEFAULT_TOP: u32 = 2;

/// The names [`IndicatorSpec::parse`] accepts.
pub const INDICATOR_NAMES: &[&str] = &[
    "nps",
    "enps",
    "csat",
    "ces",
    "repurchase",
    "top_box",
    "mean",
    "satisfaction_index",
];

/// Which indicator to compute, with its interval method.
///
/// # Examples
/// ```
/// use cxmetrics::indicator::spec::IndicatorSpec;
/// use cxmetrics::{Confidence, MissingPolicy, Scale, ScoreCounts};
/// let counts = ScoreCounts::from_scores(&[10u8, 9, 7, 3, 10], Scale::NPS, MissingPolicy::Omit)?;
/// // The default method of an unweighted NPS is adjusted Wald.
/// let spec = IndicatorSpec::parse("nps", None, None, Scale::NPS, false)?;
/// let e = spec.estimate(&counts, Confidence::default())?;
/// assert_eq!(e.method().as_str(), "adjusted_wald");
/// // Resampling from counts, seeded.
/// let boot = IndicatorSpec::parse("nps", None, Some("bootstrap"), Scale::NPS, false)?
///     .with_resampling(9999, Some(1), 0.5);
/// assert_eq!(boot.estimate(&counts, Confidence::default())?.method().as_str(), "bootstrap");
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum IndicatorSpec {
    /// NPS (or eNPS) with an interval method.
    Nps {
        /// `Nps` or `Enps`.
        indicator: Indicator,
        /// The interval method.
        method: NpsMethod,
    },
    /// A top-box share (CSAT, CES, repurchase, any top box).
    Share {
        /// `Csat`, `Ces`, `Repurchase` or `TopBox`.
        indicator: Indicator,
        /// How many top points count.
        top: u32,
        /// The interval method.
        method: ProportionMethod,
    },
    /// A mean score (or the satisfaction index when `index`).
    Mean {
        /// Rescale to 0-100 (ISAT).
        index: bool,
    },
    /// NPS or a share with a resampling or Bayesian interval from unweighted counts.
    Resampled {
        /// `Nps`, `Enps` or a share.
        indicator: Indicator,
        /// For shares: how many top points count.
        top: u32,
        /// The resampling options.
        options: ResamplingOptions,
    },
}

fn check_top(top: i64, scale: Scale) -> Result<u32> {
    u32::try_from(top)
        .ok()
        .filter(|&t| t >= 1 && (t as usize) < scale.points())
        .ok_or(Error::InvalidTopBox {
            top,
            min: scale.min(),
            max: scale.max(),
        })
}

impl IndicatorSpec {
    /// The spec of an indicator named `name` (one of [`INDICATOR_NAMES`]) on `scale`, with the
    /// interval `method` by name (`None`: the default, which depends on `weighted`: see
    /// [`DEFAULT_NPS_METHOD`], [`DEFAULT_WEIGHTED_NPS_METHOD`], [`DEFAULT_PROPORTION_METHOD`]) and,
    /// for shares, the number of `top` points (`None`: [`DEFAULT_TOP`]). A resampling method name
    /// (`"bootstrap"`, `"bootstrap_bca"`, `"bayes"`) gives [`IndicatorSpec::Resampled`] with the
    /// default options ([`ResamplingOptions::new`]).
    ///
    /// # Errors
    /// [`Error::UnknownOption`] for an unknown indicator; [`Error::UnknownMethod`] for a method the
    /// indicator does not have; [`Error::InvalidTopBox`] for a `top` outside `1..points`.
    pub fn parse(
        name: &str,
        top: Option<i64>,
        method: Option<&str>,
        scale: Scale,
        weighted: bool,
    ) -> Result<IndicatorSpec> {
        let indicator = match name {
            "nps" => Indicator::Nps,
            "enps" => Indicator::Enps,
            "csat" => Indicator::Csat,
            "ces" => Indicator::Ces,
            "repurchase" => Indicator::Repurchase,
            "top_box" => Indicator::TopBox,
            "mean" => return Ok(IndicatorSpec::Mean { index: false }),
            "satisfaction_index" => return Ok(IndicatorSpec::Mean { index: true }),
            other => {
                return Err(Error::UnknownOption {
                    option: "indicator",
                    name: other.to_owned(),
                    valid: INDICATOR_NAMES,
                })
            }
        };
        let top = if indicator.is_share() {
            check_top(top.unwrap_or(i64::from(DEFAULT_TOP)), scale)?
        } else {
            0
        };
        if let Some(resampling) = method.and_then(ResamplingMethod::from_name) {
            return Ok(IndicatorSpec::Resampled {
                indicator,
                top,
                options: ResamplingOptions::new(resampling),
            });
        }
        Ok(if indicator.is_nps() {
            IndicatorSpec::Nps {
                indicator,
                method: match method {
                    Some(m) => m.parse()?,
                    None if weighted => DEFAULT_WEIGHTED_NPS_METHOD,
                    None => DEFAULT_NPS_METHOD,
                },
            }
        } else {
            IndicatorSpec::Share {
                indicator,
                top,
                method: method.map_or(Ok(DEFAULT_PROPORTION_METHOD), str::parse)?,
            }
        })
    }

    /// A top-box share spec (`indicator` must be a share: CSAT, CES, repurchase or top box).
    ///
    /// # Errors
    /// [`Error::NotAShare`] when `indicator` is not a share; as [`IndicatorSpec::parse`].
    pub fn share(indicator: &str, top: i64, method: &str, scale: Scale) -> Result<IndicatorSpec> {
        let spec = IndicatorSpec::parse(indicator, Some(top), Some(method), scale, false)?;
        match spec {
            IndicatorSpec::Share { .. } => Ok(spec),
            IndicatorSpec::Resampled { indicator, .. } if indicator.is_share() => Ok(spec),
            _ => Err(Error::NotAShare {
                indicator: spec.indicator().as_str(),
            }),
        }
    }

    /// The same spec with these resampling settings (unchanged for closed-form methods).
    pub fn with_resampling(mut self, n_resamples: usize, seed: Option<u64>, prior: f64) -> Self {
        if let IndicatorSpec::Resampled { options, .. } = &mut self {
            options.n_resamples = n_resamples;
            options.seed = seed;
            options.prior = prior;
        }
        self
    }

    /// The indicator computed.
    pub fn indicator(&self) -> Indicator {
        match *self {
            IndicatorSpec::Nps { indicator, .. }
            | IndicatorSpec::Share { indicator, .. }
            | IndicatorSpec::Resampled { indicator, .. } => indicator,
            IndicatorSpec::Mean { index: true } => Indicator::SatisfactionIndex,
            IndicatorSpec::Mean { index: false } => Indicator::Mean,
        }
    }

    /// Whether the spec resamples ([`IndicatorSpec::Resampled`]): weighted, it needs the rows
    /// ([`IndicatorSpec::estimate_weighted_rows`]), not only their counts.
    pub fn is_resampled(&self) -> bool {
        matches!(self, IndicatorSpec::Resampled { .. })
    }

    /// The estimate of this indicator on weighted `scores` on `scale`: a resampled spec resamples
    /// the respondents with their weights ([`weighted_resampled_nps`], [`weighted_resampled_share`]);
    /// any other spec is [`IndicatorSpec::estimate`] on the weighted counts.
    ///
    /// # Errors
    /// Those of [`ScoreCounts::from_weighted_scores`] and of the estimate.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::indicator::spec::IndicatorSpec;
    /// use cxmetrics::{Confidence, MissingPolicy, Scale};
    /// let scores = [10.0, 9.0, 3.0, 8.0, 10.0, 6.0, 9.0, 7.0];
    /// let weights = [1.0, 2.0, 0.5, 1.0, 1.5, 1.0, 0.8, 1.2];
    /// let spec = IndicatorSpec::parse("nps", None, Some("bootstrap"), Scale::NPS, true)?
    ///     .with_resampling(999, Some(3), 0.5);
    /// let e = spec.estimate_weighted_rows(&scores, &weights, Scale::NPS, MissingPolicy::Omit,
    ///     Confidence::default())?;
    /// assert!(e.is_weighted() && e.lower() <= e.value() && e.value() <= e.upper());
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn estimate_weighted_rows(
        &self,
        scores: &[f64],
        weights: &[f64],
        scale: Scale,
        policy: MissingPolicy,
        confidence: Confidence,
    ) -> Result<Estimate> {
        match *self {
            IndicatorSpec::Resampled {
                indicator,
                top,
                ref options,
            } => {
                if indicator.is_nps() {
                    weighted_resampled_nps(indicator, scores, weights, policy, options, confidence)
                } else {
                    weighted_resampled_share(
                        indicator, scores, weights, scale, top, policy, options, confidence,
                    )
                }
            }
            _ => {
                let counts = ScoreCounts::from_weighted_scores(scores, weights, scale, policy)?;
                self.estimate(&counts, confidence)
            }
        }
    }

    /// The estimate of this indicator on `counts`: exactly what the single-sample function gives.
    ///
    /// # Errors
    /// As the single-sample functions; resampling from weighted counts is
    /// [`Error::MethodNotWeighted`] (weighted resampling needs the scores:
    /// [`crate::indicator::resampled`]).
    pub fn estimate(&self, counts: &ScoreCounts, confidence: Confidence) -> Result<Estimate> {
        match *self {
            IndicatorSpec::Nps { indicator, method } => {
                nps_as(indicator, counts, method, confidence)
            }
            IndicatorSpec::Share {
                indicator,
                top,
                method,
            } => top_box_as(indicator, counts, top, method, confidence),
            IndicatorSpec::Mean { index: true } => satisfaction_index(counts, confidence),
            IndicatorSpec::Mean { index: false } => mean_score(counts, confidence),
            IndicatorSpec::Resampled {
                indicator,
                top,
                options,
            } => {
                if indicator.is_nps() {
                    resampled_nps(indicator, counts, &options, confidence)
                } else {
                    resampled_share(indicator, counts, top, &options, confidence)
                }
            }
        }
    }
}
