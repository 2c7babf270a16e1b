//! The distribution of an NPS under a Dirichlet posterior: `T = R - D` when the shares of
//! detractors, passives and promoters `(D, P, R)` are Dirichlet(a_D, a_P, a_R).
//!
//! Writing the Dirichlet as independent gammas over their sum, `(G_D, G_P, G_R) / (G_D + G_P + G_R)`
//! with `G_k ~ Gamma(a_k, 1)`, the event `R - D <= t` is `Y_t <= 0` for the linear combination
//! `Y_t = (1 - t) G_R - (1 + t) G_D - t G_P`, whose moment generating function is known in closed
//! form: `M(z) = exp K(z)`, `K(z) = -sum_k a_k ln(1 + z b_k)` with `b = (1 + t, t, -(1 - t))`,
//! analytic on the strip `-1 / (1 + t) < Re z < 1 / (1 - t)`. The distribution function is the
//! Bromwich inversion integral along the vertical line through the saddlepoint `K'(c) = 0`
//! (Daniels 1954),
//! `P(Y_t <= 0) = 1[c > 0] - (1/pi) int_0^inf Re[M(c + iu) / (c + iu)] du`, and the density of `T` is
//! `(1/pi) int_0^inf Re[M(c + iu) sum_k a_k / (1 + (c + iu) b_k)] du` (differentiating under the
//! integral). Both integrals are taken by the trapezoidal rule after `u = s sinh(v)`
//! (`s = K''(c)^-1/2`), which makes the algebraic decay of `M` exponential in `v`; the rule's
//! step comes from the distance to the nearest singularity of `M`, so its error is below `1e-13`
//! (Trefethen & Weideman 2014, the trapezoidal rule for analytic integrands). The quantiles are then
//! found by Newton's method in a shrinking bracket from the Cornish-Fisher start with the exact
//! cumulants to the sixth. Nothing is random or tabulated: each limit is exact to about `1e-10` in
//! `T` (1e-8 NPS points), at a cost of a few dozen complex logarithms.
//!
//! Methods and sources: `docs/methods.md#empirical-bayes-shrinkage`.

use crate::error::{Error, Result};
use crate::interval::special::normal_upper_quantile;

fn check_alpha(alpha: [f64; 3]) -> Result<()> {
    if alpha.iter().all(|&x| x.is_finite() && x >= 0.0) && alpha.iter().sum::<f64>() > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid_parameter(
            "alpha",
            format!("{alpha:?}"),
            "Dirichlet parameters must be finite, >= 0 and not all 0",
        ))
    }
}

/// `P(NPS <= nps)` when the shares of detractors, passives and promoters are
/// Dirichlet(alpha) (`alpha = [a_D, a_P, a_R]`; `nps` in points, -100 to 100), exact to about
/// `1e-12`.
///
/// # Errors
/// [`Error::InvalidParameter`] for `alpha` (negative, not finite, or all 0) or an `nps` that is NaN.
///
/// # Examples
/// ```
/// use cxmetrics::shrink::nps_posterior::nps_posterior_cdf;
/// // Equal detractor and promoter parameters: the NPS is symmetric about 0.
/// assert!((nps_posterior_cdf([5.0, 3.0, 5.0], 0.0)? - 0.5).abs() < 1e-12);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn nps_posterior_cdf(alpha: [f64; 3], nps: f64) -> Result<f64> {
    check_alpha(alpha)?;
    if nps.is_nan() {
        return Err(Error::invalid_parameter("nps", "NaN", "must be a number"));
    }
    let t = nps / 100.0;
    Ok(if t <= -1.0 {
        0.0
    } else if t >= 1.0 {
        1.0
    } else {
        cdf_and_density(t, alpha).0
    })
}

/// The quantile `p` of the NPS (points) when the category shares are Dirichlet(alpha), exact to
/// about `1e-8` points.
///
/// # Errors
/// [`Error::InvalidParameter`] for `alpha` as [`nps_posterior_cdf`], or `p` outside (0, 1).
///
/// # Examples
/// ```
/// use cxmetrics::shrink::nps_posterior::{nps_posterior_cdf, nps_posterior_quantile};
/// let alpha = [2.0, 1.0, 4.0];
/// let q = nps_posterior_quantile(alpha, 0.975)?;
/// assert!((nps_posterior_cdf(alpha, q)? - 0.975).abs() < 1e-10);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn nps_posterior_quantile(alpha: [f64; 3], p: f64) -> Result<f64> {
    check_alpha(alpha)?;
    if !(p > 0.0 && p < 1.0) {
        return Err(Error::invalid_parameter(
            "p",
            p.to_string(),
            "a probability strictly between 0 and 1",
        ));
    }
    Ok(100.0 * quantile(p, alpha))
}

/// The smallest complex arithmetic this needs: `re + i im`.
#[derive(Clone, Copy)]
struct Complex {
    re: f64,
    im: f64,
}

impl Complex {
    fn mul(self, o: Complex) -> Complex {
        Complex {
            re: self.re * o.re - self.im * o.im,
            im: self.re * o.im + self.im * o.re,
        }
    }

    /// `1 / self`.
    fn recip(self) -> Complex {
        let d = self.re * self.re + self.im * self.im;
        Complex {
            re: self.re / d,
            im: -self.im / d,
        }
    }
}

/// Largest `v` of the substitution `u = s sinh(v)`: `sinh(700)` is still finite.
const MAX_V: f64 = 700.0;
/// Integrand magnitudes below this (times the step) no longer change a probability.
const NEGLIGIBLE: f64 = 1e-16;

/// `(P(T <= t), density of T at t)` for `T = R - D` under Dirichlet(a) (`a = [a_D, a_P, a_R]`,
/// `-1 < t < 1`).
pub(crate) fn cdf_and_density(t: f64, a: [f64; 3]) -> (f64, f64) {
    let b = [1.0 + t, t, -(1.0 - t)];
    // The strip of analyticity: 1 + z b_k > 0 for every k with a_k > 0.
    let (lo, hi) = (-1.0 / (1.0 + t), 1.0 / (1.0 - t));
    let k1 = |z: f64| -> f64 { -(0..3).map(|k| a[k] * b[k] / (1.0 + z * b[k])).sum::<f64>() };
    let k2 = |z: f64| -> f64 {
        (0..3)
            .map(|k| {
                let q = b[k] / (1.0 + z * b[k]);
                a[k] * q * q
            })
            .sum::<f64>()
    };
    // The saddlepoint: K' increases from -inf at lo to +inf at hi. Newton's method from the
    // one-step estimate, kept inside a bracket that shrinks.
    let (mut left, mut right) = (lo, hi);
    let mut z = (-k1(0.0) / k2(0.0)).clamp(0.5 * lo, 0.5 * hi);
    for _ in 0..200 {
        let g = k1(z);
        if g < 0.0 {
            left = z;
        } else {
            right = z;
        }
        let newton = z - g / k2(z);
        let next = if newton > left && newton < right {
            newton
        } else {
            0.5 * (left + right)
        };
        let done = (next - z).abs() <= 1e-14 * (1.0 + z.abs());
        z = next;
        if done {
            break;
        }
    }
    let scale = 1.0 / k2(z).sqrt();
    // The inversion line: through the saddlepoint, unless that is so close to the pole at 0 that
    // the integrand would peak there; then half a scale away from 0 on the saddlepoint's side.
    let shift = (0.5 * scale).min(0.5 * (z - lo)).min(0.5 * (hi - z));
    let c = if z.abs() >= shift {
        z
    } else if z >= 0.0 {
        shift.min(0.5 * hi)
    } else {
        -shift.min(-0.5 * lo)
    };
    // Distance from the line to the nearest singularity (those of M and the pole of 1/z at 0),
    // and the trapezoidal step for an error exp(-2 pi delta / h) below 1e-13, delta the
    // half-width of the image strip in v.
    let distance = (c - lo).min(hi - c).min(c.abs());
    let delta = (distance / scale).min(1.0).asin().max(1e-3);
    // The integrand at v (u = scale sinh v): its contributions to the two integrals, and a bound
    // on their size (for stopping the sums).
    let integrand = |sh: f64, ch: f64| -> (f64, f64, f64) {
        let u = scale * sh;
        let mut log_m = Complex { re: 0.0, im: 0.0 };
        let mut inverse_sum = Complex { re: 0.0, im: 0.0 };
        for j in 0..3 {
            if a[j] == 0.0 {
                continue;
            }
            let w = Complex {
                re: 1.0 + c * b[j],
                im: u * b[j],
            };
            let modulus2 = w.re * w.re + w.im * w.im;
            log_m.re -= a[j] * 0.5 * modulus2.ln();
            log_m.im -= a[j] * w.im.atan2(w.re);
            let r = w.recip();
            inverse_sum.re += a[j] * r.re;
            inverse_sum.im += a[j] * r.im;
        }
        let magnitude = log_m.re.exp();
        let m = Complex {
            re: magnitude * log_m.im.cos(),
            im: magnitude * log_m.im.sin(),
        };
        let over_z = Complex { re: c, im: u }.recip();
        let jacobian = scale * ch;
        let bound = magnitude
            * jacobian
            * (1.0 / (c * c + u * u).sqrt()
                + (inverse_sum.re * inverse_sum.re + inverse_sum.im * inverse_sum.im).sqrt());
        (
            m.mul(over_z).re * jacobian,
            m.mul(inverse_sum).re * jacobian,
            bound,
        )
    };
    // The sums of the integrand over v = offset + k h, k = 0, 1, ..., until it is negligible: over
    // every node, and over the even k alone.
    let sum_from = |offset: f64, h: f64| -> ([f64; 2], [f64; 2]) {
        let (mut all, mut even) = ([0.0; 2], [0.0; 2]);
        let mut k = 0u32;
        // exp(v) by recurrence: sinh and cosh without a transcendental call per node.
        let (mut e, growth) = (offset.exp(), h.exp());
        loop {
            let v = offset + f64::from(k) * h;
            if v > MAX_V {
                break;
            }
            let (f, d, bound) = integrand(0.5 * (e - 1.0 / e), 0.5 * (e + 1.0 / e));
            e *= growth;
            all[0] += f;
            all[1] += d;
            if k.is_multiple_of(2) {
                even[0] += f;
                even[1] += d;
            }
            if k > 2 && bound * h < NEGLIGIBLE {
                break;
            }
            k += 1;
        }
        (all, even)
    };
    // The trapezoidal rule T(h) and, from its even nodes, T(2h). The error of the rule for an
    // analytic integrand falls as exp(-2 pi delta / h), so T(h)'s is of the order of the square of
    // |T(h) - T(2h)|: below 1e-14 once they agree to 1e-8. Until then the step is halved
    // (T(h/2) = (T(h) + midpoint sum) / 2) and the last two compared.
    let mut h = 2.0 * std::f64::consts::PI * delta / 40.0;
    let (zero_cdf, zero_density, _) = integrand(0.0, 1.0);
    let (all, even) = sum_from(0.0, h);
    let mut sums = [
        h * (all[0] - 0.5 * zero_cdf),
        h * (all[1] - 0.5 * zero_density),
    ];
    let coarse = [
        2.0 * h * (even[0] - 0.5 * zero_cdf),
        2.0 * h * (even[1] - 0.5 * zero_density),
    ];
    let settled = |a: [f64; 2], b: [f64; 2]| {
        (a[0] - b[0]).abs() < 1e-8 && (a[1] - b[1]).abs() < 1e-6 * a[1].abs()
    };
    let mut agreed = settled(sums, coarse);
    for _ in 0..12 {
        if agreed {
            break;
        }
        let (mid, _) = sum_from(0.5 * h, h);
        let next = [0.5 * (sums[0] + h * mid[0]), 0.5 * (sums[1] + h * mid[1])];
        h *= 0.5;
        agreed = settled(next, sums);
        sums = next;
    }
    let integral = sums[0] / std::f64::consts::PI;
    let cdf = if c > 0.0 { 1.0 - integral } else { -integral };
    (
        cdf.clamp(0.0, 1.0),
        (sums[1] / std::f64::consts::PI).max(0.0),
    )
}

/// The mean, standard deviation and standardised cumulants `kappa_r / sd^r` (r = 3 to 6) of
/// `R - D` under Dirichlet(a), from the exact moments `E[R^i D^j] = (a_R)_i (a_D)_j / (A)_(i+j)`
/// (rising factorials).
pub(crate) fn cumulants(a: [f64; 3]) -> (f64, f64, [f64; 4]) {
    let s = a[0] + a[1] + a[2];
    // Rising factorials (x)_k for k = 0..6.
    let rising = |x: f64| {
        let mut r = [1.0; 7];
        for k in 1..7 {
            r[k] = r[k - 1] * (x + (k - 1) as f64);
        }
        r
    };
    let (rr, rd, rs) = (rising(a[2]), rising(a[0]), rising(s));
    const BINOMIAL: [[f64; 7]; 7] = [
        [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [1.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0],
        [1.0, 3.0, 3.0, 1.0, 0.0, 0.0, 0.0],
        [1.0, 4.0, 6.0, 4.0, 1.0, 0.0, 0.0],
        [1.0, 5.0, 10.0, 10.0, 5.0, 1.0, 0.0],
        [1.0, 6.0, 15.0, 20.0, 15.0, 6.0, 1.0],
    ];
    // Raw moments of T = R - D by the binomial expansion, then central moments about the mean.
    let mut raw = [0.0; 7];
    for (r, moment) in raw.iter_mut().enumerate() {
        for i in 0..=r {
            let sign = if (r - i) % 2 == 0 { 1.0 } else { -1.0 };
            *moment += BINOMIAL[r][i] * sign * rr[i] * rd[r - i] / rs[r];
        }
    }
    let mean = raw[1];
    let mut central = [0.0; 7];
    for (r, moment) in central.iter_mut().enumerate() {
        let mut power = 1.0;
        for j in (0..=r).rev() {
            *moment += BINOMIAL[r][j] * raw[j] * power;
            power *= -mean;
        }
    }
    let var = central[2].max(0.0);
    let sd = var.sqrt();
    if sd.is_nan() || sd <= 0.0 {
        return (mean, 0.0, [0.0; 4]);
    }
    let (m3, m4, m5, m6) = (central[3], central[4], central[5], central[6]);
    let k4 = m4 - 3.0 * var * var;
    let k5 = m5 - 10.0 * m3 * var;
    let k6 = m6 - 15.0 * m4 * var - 10.0 * m3 * m3 + 30.0 * var.powi(3);
    (
        mean,
        sd,
        [
            m3 / sd.powi(3),
            k4 / sd.powi(4),
            k5 / sd.powi(5),
            k6 / sd.powi(6),
        ],
    )
}

/// The Cornish-Fisher expansion of the quantile at the standard normal quantile `z`, with the
/// standardised cumulants `g = [g1, g2, g3, g4]` (Abramowitz & Stegun 26.2.51: terms to the
/// fourth order, in Hermite polynomials).
fn cornish_fisher(z: f64, g: [f64; 4]) -> f64 {
    let [g1, g2, g3, g4] = g;
    let he1 = z;
    let he2 = z * z - 1.0;
    let he3 = z * z * z - 3.0 * z;
    let he4 = z.powi(4) - 6.0 * z * z + 3.0;
    let he5 = z.powi(5) - 10.0 * z.powi(3) + 15.0 * z;
    z + g1 * he2 / 6.0
        + (g2 * he3 / 24.0 - g1 * g1 * (2.0 * he3 + he1) / 36.0)
        + (g3 * he4 / 120.0 - g1 * g2 * (he4 + he2) / 24.0
            + g1.powi(3) * (12.0 * he4 + 19.0 * he2) / 324.0)
        + (g4 * he5 / 720.0
            - g2 * g2 * (3.0 * he5 + 6.0 * he3 + 2.0 * he1) / 384.0
            - g1 * g3 * (2.0 * he5 + 3.0 * he3) / 180.0
            + g1 * g1 * g2 * (14.0 * he5 + 37.0 * he3 + 8.0 * he1) / 288.0
            - g1.powi(4) * (252.0 * he5 + 832.0 * he3 + 227.0 * he1) / 7776.0)
}

/// The quantile `p` of `T = R - D` under Dirichlet(a) (`0 < p < 1`).
pub(crate) fn quantile(p: f64, a: [f64; 3]) -> f64 {
    let (mean, sd, g) = cumulants(a);
    if sd == 0.0 {
        return mean;
    }
    // The start: the Cornish-Fisher expansion with the exact cumulants, within about 1e-3 sd for
    // posteriors of 100 answers (further for small or lopsided ones, where Newton takes more
    // steps); a start outside (-1, 1) is clamped.
    let z = -normal_upper_quantile(p);
    let start = mean + sd * cornish_fisher(z, g);
    let edge = 1e-12;
    let (mut lo, mut hi) = (-1.0 + edge, 1.0 - edge);
    let mut t = start.clamp(lo, hi);
    // Newton's method in a shrinking bracket, usually three evaluations. A step below
    // 1e-6 min(sd, 1 - |t|) leaves an error of order step^2 f'/f, where f'/f is at most of order
    // 1 / min(sd, 1 - |t|): below 1e-12 of that scale, so the last point is not evaluated again.
    for _ in 0..100 {
        let (f, density) = cdf_and_density(t, a);
        let g = f - p;
        if g < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        if g == 0.0 || hi - lo < 1e-13 {
            break;
        }
        let newton = t - g / density;
        let next = if density > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        let step = (next - t).abs();
        t = next;
        if step < 1e-6 * sd.min(1.0 - t.abs()) {
            break;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_is_the_derivative_of_the_distribution_function() {
        for a in [
            [3.0, 2.0, 6.0],
            [0.4, 12.0, 40.0],
            [30.0, 5.0, 70.0],
            [1.2, 0.3, 0.8],
        ] {
            for t in [-0.6, -0.1, 0.0, 0.2, 0.55] {
                let e = 1e-5;
                let numeric =
                    (cdf_and_density(t + e, a).0 - cdf_and_density(t - e, a).0) / (2.0 * e);
                let density = cdf_and_density(t, a).1;
                assert!(
                    (numeric - density).abs() < 1e-6 * (1.0 + density),
                    "{a:?} {t}"
                );
            }
        }
    }

    #[test]
    fn distribution_function_is_monotone_and_bounded() {
        let a = [2.0, 1.0, 4.0];
        let mut last = 0.0;
        for i in 1..200 {
            let t = -1.0 + f64::from(i) / 100.0;
            let f = cdf_and_density(t, a).0;
            assert!(
                (0.0..=1.0).contains(&f) && f >= last - 1e-13,
                "{t} {f} {last}"
            );
            last = f;
        }
    }

    #[test]
    fn cumulants_are_those_of_a_beta_without_passives() {
        // Without passives, R - D = 1 - 2D with D ~ Beta(a_D, a_R): the skewness is minus D's.
        let (ad, ar) = (3.0, 7.0);
        let (mean, sd, g) = cumulants([ad, 0.0, ar]);
        let s = ad + ar;
        assert!((mean - (1.0 - 2.0 * ad / s)).abs() < 1e-14);
        assert!((sd - 2.0 * (ad * ar / (s * s * (s + 1.0))).sqrt()).abs() < 1e-14);
        let skew = 2.0 * (ar - ad) * (s + 1.0).sqrt() / ((s + 2.0) * (ad * ar).sqrt());
        assert!((g[0] + skew).abs() < 1e-12);
        let kurt = 6.0 * ((ad - ar).powi(2) * (s + 1.0) - ad * ar * (s + 2.0))
            / (ad * ar * (s + 2.0) * (s + 3.0));
        assert!((g[1] - kurt).abs() < 1e-11);
        // And the variance is the closed form of the NPS posterior.
        let a = [4.0, 2.5, 9.0];
        let s = a.iter().sum::<f64>();
        let var = (a[2] * (s - a[2]) + a[0] * (s - a[0]) + 2.0 * a[2] * a[0]) / (s * s * (s + 1.0));
        assert!((cumulants(a).1 - var.sqrt()).abs() < 1e-14);
    }

    #[test]
    fn symmetric_posterior_has_median_zero() {
        let a = [5.0, 3.0, 5.0];
        assert!((cdf_and_density(0.0, a).0 - 0.5).abs() < 1e-12);
        assert!(quantile(0.5, a).abs() < 1e-10);
        assert!((quantile(0.025, a) + quantile(0.975, a)).abs() < 1e-10);
    }
}
