//! Confidence intervals for the Net Promoter Score on `[-1, 1]`.
//!
//! With `D` detractors (0-6), `P` passives (7-8) and `R` promoters (9-10), `n = D + P + R`, the NPS is
//! `(R - D)/n`, a difference of two multinomial proportions, with per-response variance
//! `Var1 = pr + pd - (pr - pd)^2`.
//!
//! Methods and sources: `docs/methods.md#nps-intervals`.

use super::{bisect_decreasing as bisect, Confidence, Interval};
use crate::error::Error;

crate::names::named_enum! {
    /// An interval method for the NPS.
    #[derive(Default)]
    pub enum NpsMethod {
        /// Wald: `NPS ± z sqrt(Var1/n)` (R package `NPS`, B. Rocks, `nps_var`/`nps_ci`). Zero width when all
        /// responses are in one category. The only method with a weighted form (linearisation variance).
        Wald = "wald",
        /// Adjusted Wald (the default): add pseudo-counts 0.75, 1.5, 0.75 to D, P, R (`n + 3`) and use the
        /// Wald formula on the adjusted counts, centred on the adjusted NPS. Rocks (2016), "Interval
        /// estimation for the Net Promoter Score", The American Statistician 70(4):365-372; Sauro & Lewis
        /// (MeasuringU). Good coverage down to small samples.
        #[default]
        AdjustedWald = "adjusted_wald",
        /// Tango's (1998) asymptotic score interval for a paired difference of proportions ("Equivalence
        /// test and confidence interval for the difference in proportions for the paired-sample design",
        /// Stat Med 17:891-908), promoters and detractors being the two discordant cells; as R
        /// `contingencytables::Tango_asymptotic_score_CI_paired_2x2` and the iterative interval of R `NPS`.
        Score = "score",
    }
    unknown = |name| Error::UnknownMethod { name, indicator: "nps", valid: NpsMethod::NAMES };
}

impl NpsMethod {
    /// The names of the methods with a weighted form.
    pub const WEIGHTED_NAMES: &'static [&'static str] = &["wald"];
}

/// The per-response variance `Var1 = pr + pd - (pr - pd)^2` of the NPS on `[-1, 1]`
/// (R `NPS::nps_var`).
pub fn per_response_variance(detractors: f64, passives: f64, promoters: f64) -> f64 {
    let n = detractors + passives + promoters;
    let (pd, pr) = (detractors / n, promoters / n);
    // pr + pd - (pr - pd)^2 >= 0 mathematically; max() guards the last bit of rounding.
    (pr + pd - (pr - pd) * (pr - pd)).max(0.0)
}

/// The NPS interval on `[-1, 1]` from the category counts (`n > 0`), clipped to `[-1, 1]`.
///
/// # Examples
///
/// ```
/// use cxmetrics::interval::nps::{nps_interval, NpsMethod};
/// use cxmetrics::Confidence;
///
/// // 20 detractors, 30 passives, 50 promoters: NPS 0.30, SE 0.0781025
/// let ci = nps_interval(20.0, 30.0, 50.0, NpsMethod::Wald, Confidence::default());
/// assert!((ci.lower - 0.146922).abs() < 1e-6);
/// assert!((ci.upper - 0.453078).abs() < 1e-6);
/// ```
pub fn nps_interval(
    detractors: f64,
    passives: f64,
    promoters: f64,
    method: NpsMethod,
    confidence: Confidence,
) -> Interval {
    let z = confidence.z();
    let ci = match method {
        NpsMethod::Wald => wald(detractors, passives, promoters, z),
        NpsMethod::AdjustedWald => wald(detractors + 0.75, passives + 1.5, promoters + 0.75, z),
        NpsMethod::Score => tango_score(detractors, passives, promoters, z),
    };
    ci.clip(-1.0, 1.0)
}

fn wald(detractors: f64, passives: f64, promoters: f64, z: f64) -> Interval {
    let n = detractors + passives + promoters;
    let nps = (promoters - detractors) / n;
    let se = (per_response_variance(detractors, passives, promoters) / n).sqrt();
    Interval::around(nps, z * se)
}

/// Tango's score statistic `T(d)` for the NPS at candidate value `d` (`docs/methods.md#tango-score-interval`; Tango 1998 eq. 4):
/// `A = 2n`, `B = -R - D + (2n - R + D) d`, `C = -D d (1 - d)`, `q = (sqrt(B^2 - 4AC) - B) / (2A)`,
/// `T(d) = (R - D - n d) / sqrt(n (2q + d (1 - d)))`. Decreasing in `d`.
fn tango_statistic(d_count: f64, r_count: f64, n: f64, d: f64) -> f64 {
    let a = 2.0 * n;
    let b = -r_count - d_count + (2.0 * n - r_count + d_count) * d;
    let c = -d_count * d * (1.0 - d);
    let q = ((b * b - 4.0 * a * c).max(0.0).sqrt() - b) / (2.0 * a);
    let denom = (n * (2.0 * q + d * (1.0 - d))).sqrt();
    let num = r_count - d_count - n * d;
    if denom > 0.0 {
        num / denom
    } else if num == 0.0 {
        0.0
    } else {
        num.signum() * f64::INFINITY
    }
}

fn tango_score(detractors: f64, passives: f64, promoters: f64, z: f64) -> Interval {
    let n = detractors + passives + promoters;
    let estimate = (promoters - detractors) / n;
    let t = |d: f64| tango_statistic(detractors, promoters, n, d);
    // Lower limit: the d below the estimate with T(d) = z; -1 when T stays below z (e.g. D = n).
    let lower = if detractors >= n || t(-1.0) <= z {
        -1.0
    } else {
        bisect(|d| t(d) - z, -1.0, estimate)
    };
    let upper = if promoters >= n || t(1.0) >= -z {
        1.0
    } else {
        bisect(|d| t(d) + z, estimate, 1.0)
    };
    Interval { lower, upper }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_response_variance_matches_r_nps_tests() {
        // R package NPS, tests/testthat: counts D/P/R -> Var1.
        assert!((per_response_variance(1.0, 2.0, 3.0) - 5.0 / 9.0).abs() < 1e-15);
        assert!((per_response_variance(1.0, 0.0, 1.0) - 1.0).abs() < 1e-15);
        assert!((per_response_variance(0.0, 1.0, 1.0) - 0.25).abs() < 1e-15);
        assert!((per_response_variance(1.0, 1.0, 1.0) - 2.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn tango_statistic_is_zero_at_the_estimate_and_decreasing() {
        let (d, r, n) = (20.0, 50.0, 100.0);
        assert!(tango_statistic(d, r, n, 0.3).abs() < 1e-12);
        let mut prev = f64::INFINITY;
        for i in 1..200 {
            let x = -1.0 + i as f64 / 100.0;
            let v = tango_statistic(d, r, n, x);
            assert!(v < prev, "not decreasing at {x}");
            prev = v;
        }
    }
}
