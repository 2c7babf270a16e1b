//! `exp` and `ln(1 + z)` on the ranges the logistic fits need, written so that a loop over a slice
//! vectorises (no branches, no calls), accurate to a few units in the last place.
//!
//! - `exp(x)` for `x <= 0`: Cody & Waite's reduction `x = k ln 2 + r`, `|r| <= ln 2 / 2`, with
//!   `ln 2` split in two parts so that `r` is exact to about 2^-60; `exp(r)` by its Taylor series to
//!   degree 13 (truncation below 5e-18 relative); `2^k` from the exponent bits. Arguments below
//!   -708 give `exp(-708)` (about 3e-308) instead of a subnormal or 0.
//! - `ln(1 + z)` for `0 <= z <= 1`: `u = 1 + z` rounded, written `u = 2^e m` with `m` in `[1/sqrt
//!   2, sqrt 2]`, and `ln m = 2 atanh(s)`, `s = (m - 1) / (m + 1)`, `|s| <= 0.1716`, by its series to
//!   `s^23` (truncation below 3e-17); the rounding of `1 + z` is corrected as Goldberg (1991)
//!   shows, `ln(u) z / (u - 1)`. D. Goldberg (1991), "What every computer scientist should know
//!   about floating-point arithmetic", ACM Computing Surveys 23(1), theorem 4.
//!
//! W. J. Cody & W. Waite (1980), *Software Manual for the Elementary Functions*, Prentice-Hall,
//! chapters 5-6. Methods and sources: `docs/methods.md#logistic-dominance-analysis`.

const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// `ln 2` in two parts: the high part has trailing zero bits, so `k * LN2_HI` is exact for `|k| <
/// 2^11`.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000); // 6.93147180369123816490e-1
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76); // 1.90821492927058770002e-10
/// `1.5 * 2^52`: adding it rounds to an integer, which then sits in the low mantissa bits.
const ROUND: f64 = 6_755_399_441_055_744.0;
/// Taylor coefficients `1 / j!` for `j = 0..=13`.
const EXP_TAYLOR: [f64; 14] = [
    1.0,
    1.0,
    0.5,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// `exp(x)` for `x <= 0` (see the module documentation).
#[inline(always)]
pub(crate) fn exp_nonpositive(x: f64) -> f64 {
    let x = x.max(-708.0);
    let shifted = x * LOG2_E + ROUND;
    let k = shifted - ROUND;
    let k_int = (shifted.to_bits() as i64).wrapping_sub(ROUND.to_bits() as i64);
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut poly = EXP_TAYLOR[13];
    for j in (0..13).rev() {
        poly = poly * r + EXP_TAYLOR[j];
    }
    let scale = f64::from_bits(((k_int + 1023) as u64) << 52);
    poly * scale
}

/// `1 / (2j + 1)` for `j = 0..=11`: the series of `atanh(s) / s` in `s^2`.
const ATANH_SERIES: [f64; 12] = [
    1.0,
    1.0 / 3.0,
    1.0 / 5.0,
    1.0 / 7.0,
    1.0 / 9.0,
    1.0 / 11.0,
    1.0 / 13.0,
    1.0 / 15.0,
    1.0 / 17.0,
    1.0 / 19.0,
    1.0 / 21.0,
    1.0 / 23.0,
];

/// `ln(1 + z)` for `0 <= z <= 1` (see the module documentation).
#[inline(always)]
pub(crate) fn ln_1p_unit(z: f64) -> f64 {
    let u = 1.0 + z;
    let high = u > std::f64::consts::SQRT_2;
    let m = if high { 0.5 * u } else { u };
    let e = if high { 1.0 } else { 0.0 };
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut poly = ATANH_SERIES[11];
    for j in (0..11).rev() {
        poly = poly * s2 + ATANH_SERIES[j];
    }
    let ln_u = e * LN2_HI + (2.0 * s * poly + e * LN2_LO);
    // Goldberg's correction for the rounding of 1 + z: ln(u) z / (u - 1), and z itself where u
    // rounded to 1.
    let d = u - 1.0;
    if d == 0.0 {
        z
    } else {
        ln_u * (z / d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> f64 {
        ((a - b) / (b.abs() * f64::EPSILON).max(f64::MIN_POSITIVE)).abs()
    }

    #[test]
    fn exp_is_within_two_ulps_of_std_on_its_range() {
        let mut worst = 0.0f64;
        for i in 0..=200_000 {
            let x = -708.0 * (i as f64 / 200_000.0).powi(3);
            worst = worst.max(ulps(exp_nonpositive(x), x.exp()));
        }
        for x in [
            0.0,
            -1e-300,
            -1e-16,
            -0.5 * std::f64::consts::LN_2,
            -1.0,
            -700.0,
            -708.0,
        ] {
            worst = worst.max(ulps(exp_nonpositive(x), x.exp()));
        }
        assert!(worst <= 2.0, "worst {worst} ulps");
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert!(exp_nonpositive(-800.0) > 0.0 && exp_nonpositive(-800.0) < 1e-307);
    }

    #[test]
    fn ln_1p_is_accurate_in_absolute_terms_on_the_unit_interval() {
        let mut worst_abs = 0.0f64;
        let mut worst_rel_large = 0.0f64;
        for i in 0..=200_000 {
            let z = (i as f64 / 200_000.0).powi(4);
            let (ours, reference) = (ln_1p_unit(z), z.ln_1p());
            worst_abs = worst_abs.max((ours - reference).abs());
            if z > 1e-3 {
                worst_rel_large = worst_rel_large.max(ulps(ours, reference));
            }
        }
        assert!(worst_abs <= 2.3e-16, "worst absolute error {worst_abs}");
        assert!(
            worst_rel_large <= 4.0,
            "worst {worst_rel_large} ulps above 1e-3"
        );
        // Relative accuracy holds for small z too.
        for z in [1e-300, 1e-20, 1e-16, 3e-16, 1e-10, 1e-5] {
            assert!(ulps(ln_1p_unit(z), z.ln_1p()) <= 4.0, "z = {z}");
        }
        assert_eq!(ln_1p_unit(0.0), 0.0);
    }
}
