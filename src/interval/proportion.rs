//! Confidence intervals for a binomial proportion (top-box shares: CSAT, CES, repurchase intention).
//!
//! Reference implementation to compare with: statsmodels `proportion_confint`
//! (statsmodels/stats/proportion.py). Review of the methods: Brown, Cai & DasGupta (2001), "Interval
//! estimation for a binomial proportion", Statistical Science 16(2):101-133.
//!
//! Methods and sources: `docs/methods.md#proportion-intervals`, `docs/methods.md#weighted-wilson`.

use super::special::beta_quantile;
use super::{Confidence, Interval};
use crate::error::{Error, Result};

crate::names::named_enum! {
    /// An interval method for a proportion.
    #[derive(Default)]
    pub enum ProportionMethod {
        /// Wilson (1927) score interval: centre `(p + z^2/(2n)) / (1 + z^2/n)`, half-width
        /// `z sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n)`. The default: good coverage at every `p`
        /// (Brown, Cai & DasGupta 2001). Has a weighted form (design effective n).
        #[default]
        Wilson = "wilson",
        /// Wilson with continuity correction, Newcombe (1998a) method 4 ("Two-sided confidence intervals
        /// for the single proportion", Stat Med 17:857-872); equals R `prop.test(correct = TRUE)` except at
        /// `x = n/2`, where R shrinks the correction to zero.
        WilsonCc = "wilson_cc",
        /// Agresti & Coull (1998): `n~ = n + z^2`, `p~ = (x + z^2/2)/n~`, `p~ ± z sqrt(p~(1-p~)/n~)`
        /// (statsmodels' variant, not "plus four").
        AgrestiCoull = "agresti_coull",
        /// Clopper & Pearson (1934) exact interval from Beta quantiles: `L = B(alpha/2; x, n-x+1)`,
        /// `U = B(1-alpha/2; x+1, n-x)`, `L = 0` at `x = 0`, `U = 1` at `x = n`.
        ClopperPearson = "clopper_pearson",
        /// Jeffreys interval: Beta(x+1/2, n-x+1/2) quantiles, with `L = 0` at `x = 0` and `U = 1` at
        /// `x = n` (Brown, Cai & DasGupta 2001, sec. 4.1.2; statsmodels does not apply that end-point rule).
        Jeffreys = "jeffreys",
        /// Wald: `p ± z sqrt(p(1-p)/n)`. Poor coverage near 0 and 1; zero width at `p = 0` or `p = 1`.
        /// Has a weighted form (linearisation variance).
        Wald = "wald",
    }
    unknown = |name| Error::UnknownMethod { name, indicator: "shares", valid: ProportionMethod::NAMES };
}

impl ProportionMethod {
    /// The names of the methods with a weighted form.
    pub const WEIGHTED_NAMES: &'static [&'static str] = &["wilson", "wald"];
}

/// The interval for `x` successes out of `n` trials (`0 <= x <= n`, `n > 0`), clipped to `[0, 1]`.
///
/// # Examples
///
/// ```
/// use cxmetrics::interval::proportion::{binomial_interval, ProportionMethod};
/// use cxmetrics::Confidence;
///
/// // statsmodels: proportion_confint(18, 20, method="wilson")
/// let ci = binomial_interval(18.0, 20.0, ProportionMethod::Wilson, Confidence::default());
/// assert!((ci.lower - 0.6989663548).abs() < 1e-9);
/// assert!((ci.upper - 0.9721335188).abs() < 1e-9);
/// ```
pub fn binomial_interval(
    x: f64,
    n: f64,
    method: ProportionMethod,
    confidence: Confidence,
) -> Interval {
    let p = x / n;
    let z = confidence.z();
    let alpha = confidence.alpha();
    let ci = match method {
        ProportionMethod::Wilson => wilson(p, n, z),
        ProportionMethod::WilsonCc => {
            // Newcombe (1998a) method 4, written as in R's prop.test: Wilson limits at p -/+ 1/(2n).
            let z22n = z * z / (2.0 * n);
            let limit = |pc: f64, sign: f64| {
                (pc + z22n + sign * z * (pc * (1.0 - pc) / n + z22n / (2.0 * n)).sqrt())
                    / (1.0 + 2.0 * z22n)
            };
            let pl = p - 0.5 / n;
            let pu = p + 0.5 / n;
            Interval {
                lower: if pl <= 0.0 { 0.0 } else { limit(pl, -1.0) },
                upper: if pu >= 1.0 { 1.0 } else { limit(pu, 1.0) },
            }
        }
        ProportionMethod::AgrestiCoull => {
            let n_tilde = n + z * z;
            let p_tilde = (x + z * z / 2.0) / n_tilde;
            Interval::around(p_tilde, z * (p_tilde * (1.0 - p_tilde) / n_tilde).sqrt())
        }
        ProportionMethod::ClopperPearson => Interval {
            lower: if x <= 0.0 {
                0.0
            } else {
                beta_quantile(alpha / 2.0, x, n - x + 1.0)
            },
            upper: if x >= n {
                1.0
            } else {
                beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x)
            },
        },
        ProportionMethod::Jeffreys => Interval {
            lower: if x <= 0.0 {
                0.0
            } else {
                beta_quantile(alpha / 2.0, x + 0.5, n - x + 0.5)
            },
            upper: if x >= n {
                1.0
            } else {
                beta_quantile(1.0 - alpha / 2.0, x + 0.5, n - x + 0.5)
            },
        },
        ProportionMethod::Wald => Interval::around(p, z * (p * (1.0 - p) / n).sqrt()),
    };
    ci.clip(0.0, 1.0)
}

/// Wilson's score interval for proportion `p` with (possibly effective, non-integer) sample size `n`.
/// The limits are exactly 0 at `p = 0` and 1 at `p = 1` (where the formula's two terms cancel), and
/// always contain `p`.
fn wilson(p: f64, n: f64, z: f64) -> Interval {
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    let ci = Interval::around(centre, half);
    Interval {
        lower: if p <= 0.0 { 0.0 } else { ci.lower.min(p) },
        upper: if p >= 1.0 { 1.0 } else { ci.upper.max(p) },
    }
}

/// The interval for a weighted proportion `p` with linearisation variance `variance` and Kish
/// effective sample size `kish_n`, clipped to `[0, 1]`.
///
/// `wald`: `p ± z sqrt(V)`. `wilson`: Wilson's interval with the design effective sample size
/// `n* = p(1-p)/V` (Kish's `n` when `p` is 0 or 1): the sample size a simple random sample would need
/// for the same variance (Kish 1965, Survey Sampling, design effect), put in Wilson's formula. Because
/// the linearisation variance carries `n/(n-1)`, equal weights give `n* = n - 1`: the interval is a
/// little wider than the unweighted Wilson interval on `n`.
///
/// # Errors
/// [`Error::MethodNotWeighted`] for methods without a weighted form.
pub fn weighted_interval(
    p: f64,
    variance: f64,
    kish_n: f64,
    method: ProportionMethod,
    confidence: Confidence,
) -> Result<Interval> {
    let z = confidence.z();
    let ci = match method {
        ProportionMethod::Wald => Interval::around(p, z * variance.sqrt()),
        ProportionMethod::Wilson => {
            let n_star = if p > 0.0 && p < 1.0 && variance > 0.0 {
                p * (1.0 - p) / variance
            } else {
                kish_n
            };
            wilson(p, n_star, z)
        }
        other => {
            return Err(Error::MethodNotWeighted {
                method: other.as_str(),
                indicator: "shares",
                weighted: ProportionMethod::WEIGHTED_NAMES,
            })
        }
    };
    Ok(ci.clip(0.0, 1.0))
}
