//! Quantiles of the normal, Student t and Beta distributions, accurate for every sample size.
//!
//! The normal quantile is Wichura's AS 241. The Beta quantile (Clopper-Pearson, Jeffreys, and the t
//! quantile through it) is found by safeguarded Newton steps on an incomplete beta function computed
//! here: the smaller tail as a series of positive terms and a prefactor written around the mode, so
//! that neither loses digits for large shape parameters. (statrs' `beta_reg` stops its continued
//! fraction after 140 terms and its inverse can loop forever, so Clopper-Pearson limits for n = 10^5 or
//! t quantiles for df = 10^5 lost digits with it.) `tests/python/test_crosscheck.py` compares with
//! mpmath and scipy up to n = 10^9.
//!
//! Methods and sources: `docs/methods.md#quantiles`.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// The remainder of Stirling's series, `ln Gamma(x) - ((x - 1/2) ln x - x + ln sqrt(2 pi))`, for
/// `x >= 10` (R nmath `lgammacor.c`; Abramowitz & Stegun 6.1.41). Seven terms reach 1e-17 at x = 10.
fn stirling_remainder(x: f64) -> f64 {
    const C: [f64; 7] = [
        1.0 / 12.0,
        -1.0 / 360.0,
        1.0 / 1260.0,
        -1.0 / 1680.0,
        1.0 / 1188.0,
        -691.0 / 360_360.0,
        1.0 / 156.0,
    ];
    let x2 = 1.0 / (x * x);
    let mut sum = 0.0;
    for c in C.iter().rev() {
        sum = sum * x2 + c;
    }
    sum / x
}

/// `ln B(a, b)` without the cancellation of `ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b)` for large
/// arguments (R nmath `lbeta.c`).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    let (p, q) = if a < b { (a, b) } else { (b, a) };
    if p >= 10.0 {
        let corr = stirling_remainder(p) + stirling_remainder(q) - stirling_remainder(p + q);
        q.ln() * -0.5
            + LN_SQRT_2PI
            + corr
            + (p - 0.5) * (p / (p + q)).ln()
            + q * (-p / (p + q)).ln_1p()
    } else if q >= 10.0 {
        let corr = stirling_remainder(q) - stirling_remainder(p + q);
        ln_gamma(p) + corr + p - p * (p + q).ln() + (q - 0.5) * (-p / (p + q)).ln_1p()
    } else {
        ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q)
    }
}

/// `ln(1 + t) - t`, accurate for small `|t|` (series) and large (direct).
fn ln_1p_minus(t: f64) -> f64 {
    if t.abs() < 0.01 {
        // -t^2/2 + t^3/3 - t^4/4 + ... ; 13 terms reach 1e-28 at |t| = 0.01.
        let mut power = t;
        let mut sum = 0.0;
        for k in 2..=14 {
            power *= t;
            let term = power / k as f64;
            if k % 2 == 0 {
                sum -= term;
            } else {
                sum += term;
            }
        }
        sum
    } else {
        t.ln_1p() - t
    }
}

/// `ln(x^a (1-x)^b / B(a, b))`, the common factor of the incomplete beta function and of the density.
///
/// For `a, b >= 10` it is written around the mode as in DiDonato & Morris (1992, ACM TOMS 18:360-373,
/// algorithm 708, `brcomp`): with `c = a + b`, `x0 = a/c`,
/// `a ln(x/x0) + b ln((1-x)/(1-x0)) + ln sqrt(ab/(2 pi c)) - (R(a) + R(b) - R(c))`, where `R` is
/// Stirling's remainder and the first two terms are `a L(d/x0) + b L(-d/(1-x0))` with
/// `L(t) = ln(1+t) - t` and `d = x - x0` (the linear parts cancel exactly). No term is large, so the
/// factor keeps its relative accuracy even for `a, b` near 10^12.
fn ln_beta_power_term(a: f64, b: f64, x: f64) -> f64 {
    if a >= 10.0 && b >= 10.0 {
        let c = a + b;
        let (x0, y0) = (a / c, b / c);
        let d = x - x0;
        a * ln_1p_minus(d / x0)
            + b * ln_1p_minus(-d / y0)
            + 0.5 * (a * b / (2.0 * std::f64::consts::PI * c)).ln()
            - (stirling_remainder(a) + stirling_remainder(b) - stirling_remainder(c))
    } else {
        a * x.ln() + b * (-x).ln_1p() - ln_beta(a, b)
    }
}

/// `sum_k t_k` with `t_0 = 1`, `t_{k+1} = t_k x (a + b + k)/(a + 1 + k)`: the hypergeometric series of
/// `I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * sum_k t_k` (Abramowitz & Stegun 26.5.4 with 15.1.1;
/// DiDonato & Morris 1992, `bpser`). Every term is positive, so the sum has no cancellation for any
/// `a`, `b`, `x`; the terms rise while the ratio exceeds 1 and then fall. `None` when `max_terms` were
/// not enough.
fn beta_series(a: f64, b: f64, x: f64, max_terms: f64) -> Option<f64> {
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    let mut k = 0.0f64;
    while k < max_terms {
        let ratio = x * (a + b + k) / (a + 1.0 + k);
        term *= ratio;
        sum += term;
        k += 1.0;
        // Once the ratio is below 1 it decreases towards x (b >= 1) or increases towards x (b < 1),
        // so the remaining terms are below term * r / (1 - r) with r = max(ratio, x).
        let r = ratio.max(x);
        if r < 1.0 && term * r <= 1e-17 * sum * (1.0 - r) {
            return Some(sum);
        }
    }
    None
}

/// The regularised incomplete beta function `I_x(a, b)` and its complement `1 - I_x(a, b)`.
///
/// The smaller tail (below or above the mean `a/(a+b)`) is summed directly by `beta_series`, so it
/// keeps its relative accuracy, unless that series is slow (for a small shape parameter far out in the
/// other tail); then the other tail's series, which is then fast, gives it as a complement.
pub fn beta_reg_pair(a: f64, b: f64, x: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if x >= 1.0 {
        return (1.0, 0.0);
    }
    let front = ln_beta_power_term(a, b, x).exp();
    let lower = |max_terms| beta_series(a, b, x, max_terms).map(|s| (front / a * s).min(1.0));
    let upper = |max_terms| beta_series(b, a, 1.0 - x, max_terms).map(|s| (front / b * s).min(1.0));
    const QUICK: f64 = 1e5;
    const ALL: f64 = 1e9;
    if x <= a / (a + b) {
        match lower(QUICK) {
            Some(l) => (l, 1.0 - l),
            None => match upper(ALL) {
                Some(u) => (1.0 - u, u),
                None => lower(ALL).map_or((f64::NAN, f64::NAN), |l| (l, 1.0 - l)),
            },
        }
    } else {
        match upper(QUICK) {
            Some(u) => (1.0 - u, u),
            None => match lower(ALL) {
                Some(l) => (l, 1.0 - l),
                None => upper(ALL).map_or((f64::NAN, f64::NAN), |u| (1.0 - u, u)),
            },
        }
    }
}

/// The quantile `p` of Beta(a, b) (`0 < p < 1`, `a, b > 0`), by safeguarded Newton steps on
/// [`beta_reg_pair`] (solving on the upper tail when `p > 1/2`), from the best of three starting points
/// (normal approximation, and the small-`x` and small-`1-x` tail approximations; the Cornish-Fisher
/// expansion when both shapes exceed 10). The bracket `[lo, hi]`
/// shrinks at every step (bisecting geometrically across orders of magnitude), so it always ends.
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    if a.min(b) >= 1e11 {
        return beta_quantile_cornish_fisher(p, a, b);
    }
    if a > b {
        // Solve for 1 - x ~ Beta(b, a) instead: the unknown is then on the side of the smaller shape
        // parameter, where it is far from 1 and so fully represented (x = 1 - 1e-18 is not).
        return 1.0 - beta_quantile(1.0 - p, b, a);
    }
    let upper_tail = p > 0.5;
    let target = if upper_tail { 1.0 - p } else { p };
    // f(x) = (tail probability at x) - target: increasing in x.
    let f = |x: f64| {
        let (lower, upper) = beta_reg_pair(a, b, x);
        if upper_tail {
            target - upper
        } else {
            lower - target
        }
    };
    let density = |x: f64| (ln_beta_power_term(a, b, x) - x.ln() - (-x).ln_1p()).exp();
    let ln_b = ln_beta(a, b);
    let c = a + b;
    let normal = a / c + normal_quantile_as241(p) * (a * b / (c * c * (c + 1.0))).sqrt();
    // I_x(a, b) ~ x^a / (a B(a, b)) for small x, and symmetrically near 1.
    let small = ((p.ln() + a.ln() + ln_b) / a).exp();
    let large = 1.0 - (((1.0 - p).ln() + b.ln() + ln_b) / b).exp();
    // With both shapes above 10 the Cornish-Fisher expansion is already within about 1e-4 of the
    // root, and saves evaluating the three starts.
    let cornish_fisher = beta_quantile_cornish_fisher(p, a, b);
    let mut x = if a.min(b) > 10.0 && cornish_fisher > 0.0 && cornish_fisher < 1.0 {
        cornish_fisher
    } else {
        [normal, small, large]
            .into_iter()
            .filter(|x| *x > 0.0 && *x < 1.0)
            .map(|x| (x, f(x).abs()))
            .min_by(|u, v| u.1.total_cmp(&v.1))
            .map_or(0.5, |(x, _)| x)
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..2000 {
        let fx = f(x);
        if fx == 0.0 {
            return x;
        }
        if fx > 0.0 {
            hi = x;
        } else {
            lo = x;
        }
        let newton = x - fx / density(x);
        let next = if newton > lo && newton < hi {
            newton
        } else if lo == 0.0 {
            hi / 8.0
        } else if hi == 1.0 {
            1.0 - (1.0 - lo) / 8.0
        } else if hi > 4.0 * lo {
            (lo * hi).sqrt()
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 4.0 * f64::EPSILON * x || hi - lo <= 2.0 * f64::EPSILON * hi {
            return next;
        }
        x = next;
    }
    x
}

/// The Beta(a, b) quantile by the Cornish-Fisher expansion to second order (skewness and kurtosis
/// terms; Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions vol. 2, ch. 25, for the
/// moments). Used when both shape parameters are at least 10^11, where the omitted terms are
/// `O((a+b)^-3/2)` standard deviations and the exact series would need millions of terms.
fn beta_quantile_cornish_fisher(p: f64, a: f64, b: f64) -> f64 {
    let c = a + b;
    let mean = a / c;
    let sd = (a * b / (c * c * (c + 1.0))).sqrt();
    let skew = 2.0 * (b - a) * (c + 1.0).sqrt() / ((c + 2.0) * (a * b).sqrt());
    let kurt =
        6.0 * ((a - b) * (a - b) * (c + 1.0) - a * b * (c + 2.0)) / (a * b * (c + 2.0) * (c + 3.0));
    let z = normal_quantile_as241(p);
    let w = z + skew / 6.0 * (z * z - 1.0) + kurt / 24.0 * (z * z * z - 3.0 * z)
        - skew * skew / 36.0 * (2.0 * z * z * z - 5.0 * z);
    (mean + sd * w).clamp(0.0, 1.0)
}

/// Evaluates the polynomial with coefficients `c` (constant term first) at `x` (Horner).
fn horner(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &ci| acc * x + ci)
}

/// The standard normal quantile `Phi^-1(p)`, `0 < p < 1`, by Wichura's algorithm AS 241 (PPND16,
/// Applied Statistics 37(3):477-484, 1988; also R's `qnorm`): about 1e-16 relative accuracy, in both
/// tails (the tail probability is used directly, never `1 - p`).
#[allow(clippy::excessive_precision)] // the coefficients exactly as published
pub fn normal_quantile_as241(p: f64) -> f64 {
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        1.331_416_678_917_843_774_5e2,
        1.971_590_950_306_551_442_7e3,
        1.373_169_376_550_946_112_5e4,
        4.592_195_393_154_987_145_7e4,
        6.726_577_092_700_870_085_3e4,
        3.343_057_558_358_812_810_5e4,
        2.509_080_928_730_122_672_7e3,
    ];
    const B: [f64; 8] = [
        1.0,
        4.231_333_070_160_091_125_2e1,
        6.871_870_074_920_579_083e2,
        5.394_196_021_424_751_107_7e3,
        2.121_379_430_158_659_586_7e4,
        3.930_789_580_009_271_061e4,
        2.872_908_573_572_194_267_4e4,
        5.226_495_278_852_854_561e3,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_9,
        5.769_497_221_460_691_405_5,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        2.417_807_251_774_506_117_7e-1,
        2.272_384_498_926_918_458_33e-2,
        7.745_450_142_783_414_076_4e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_4,
        6.897_673_349_851_000_045_5e-1,
        1.481_039_764_274_800_745_9e-1,
        1.519_866_656_361_645_719_66e-2,
        5.475_938_084_995_344_946e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_2,
        5.463_784_911_164_114_369_9,
        1.784_826_539_917_291_335_8,
        2.965_605_718_285_048_912_3e-1,
        2.653_218_952_657_612_309_3e-2,
        1.242_660_947_388_078_438_6e-3,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        5.998_322_065_558_879_376_9e-1,
        1.369_298_809_227_358_053_1e-1,
        1.487_536_129_085_061_485_25e-2,
        7.868_691_311_456_132_591e-4,
        1.846_318_317_510_054_681_8e-5,
        1.421_511_758_316_445_888_7e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * horner(&A, r) / horner(&B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let value = if r <= 5.0 {
        let r = r - 1.6;
        horner(&C, r) / horner(&D, r)
    } else {
        let r = r - 5.0;
        horner(&E, r) / horner(&F, r)
    };
    if q < 0.0 {
        -value
    } else {
        value
    }
}

/// The standard normal quantile of the upper tail: `z` with `P(Z > z) = tail` (`0 < tail < 1`).
pub fn normal_upper_quantile(tail: f64) -> f64 {
    -normal_quantile_as241(tail)
}

/// The Student t quantile of the upper tail: `t` with `P(T > t) = tail` (`0 < tail < 1/2`). For
/// `df < 10^4` from `t^2 / (df + t^2) ~ Beta(1/2, df/2)`: `P(|T| > t) = 2 tail`, so
/// `u = t^2/(df + t^2)` is the Beta quantile `1 - 2 tail`, and `t = sqrt(df u / (1 - u))`; for larger
/// `df` by the Cornish-Fisher expansion.
pub fn student_t_upper_quantile(tail: f64, df: f64) -> f64 {
    if df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    let z = normal_upper_quantile(tail);
    if df >= 1e4 {
        // Cornish-Fisher expansion of t in z (Abramowitz & Stegun 26.7.5; Hill 1970, CACM algorithm
        // 396); the first omitted term is O(df^-5), below 1e-17 relative here.
        let z2 = z * z;
        let g1 = (z2 + 1.0) * z / 4.0;
        let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
        let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
        let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
        return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
    }
    let u = beta_quantile(1.0 - 2.0 * tail, 0.5, 0.5 * df);
    (df * u / (1.0 - u)).sqrt()
}

/// The upper tail `P(Z > z)` of the standard normal distribution.
pub(crate) fn normal_sf(z: f64) -> f64 {
    if z == f64::INFINITY {
        0.0
    } else if z == f64::NEG_INFINITY {
        1.0
    } else {
        Normal::standard().sf(z)
    }
}

/// The upper tail `P(T > t)` of Student's t with `df` degrees of freedom:
/// `P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2)` (Abramowitz & Stegun 26.7.1).
pub(crate) fn student_t_sf(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    if df.is_infinite() {
        return normal_sf(t);
    }
    let (two_sided, _) = beta_reg_pair(0.5 * df, 0.5, df / (df + t * t));
    if t >= 0.0 {
        0.5 * two_sided
    } else {
        1.0 - 0.5 * two_sided
    }
}

/// The `q` quantile of sorted values (`q` clamped to 0-1; NaN for no values), by linear
/// interpolation between order statistics: R's default `quantile` type 7 (Hyndman & Fan 1996) and
/// NumPy's default `percentile` (`docs/methods.md#quantiles`). The crate's one quantile.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    if lo + 1 < sorted.len() {
        sorted[lo] + (h - lo as f64) * (sorted[lo + 1] - sorted[lo])
    } else {
        sorted[lo]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    // References: scipy.special.betaln / scipy.stats (mpmath-checked), R qt / qnorm / qbeta.
    #[test]
    fn ln_beta_matches_references() {
        assert!(rel(ln_beta(0.5, 0.5), std::f64::consts::PI.ln()) < 1e-15);
        // mpmath: log(beta(3, 12343)), log(beta(5000.5, 5000.5))
        assert!(rel(ln_beta(3.0, 12343.0), -27.56962899500626) < 1e-14);
        assert!(rel(ln_beta(5000.5, 5000.5), -6935.158062252236) < 1e-14);
    }

    #[test]
    fn quantiles_match_references() {
        // qnorm(0.975), qnorm(1 - 5e-10)
        assert!(rel(normal_upper_quantile(0.025), 1.959963984540054) < 1e-15);
        assert!(rel(normal_upper_quantile(5e-10), 6.1094102048693975) < 1e-13);
        // qt(0.975, 9), qt(0.975, 1), qt(0.975, 1e5)
        assert!(rel(student_t_upper_quantile(0.025, 9.0), 2.2621571627982053) < 1e-13);
        assert!(rel(student_t_upper_quantile(0.025, 1.0), 12.706204736174705) < 1e-13);
        assert!(rel(student_t_upper_quantile(0.025, 1e5), 1.9599877075346097) < 1e-13);
        // qbeta(0.95, 3, 12343): the Clopper-Pearson upper limit of 2/12345 at 90%
        assert!(rel(beta_quantile(0.95, 3.0, 12343.0), 0.0005098986076369321) < 1e-12);
    }
}
