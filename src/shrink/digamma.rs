//! The digamma and trigamma functions, to about 1e-15 (recurrence up to 12, then the asymptotic
//! series; Abramowitz & Stegun 6.3.18 and 6.4.12).

/// `psi(x) = d/dx ln Gamma(x)`, for `x > 0`.
pub(crate) fn digamma(mut x: f64) -> f64 {
    let mut shift = 0.0;
    while x < 12.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    // ln x - 1/(2x) - sum B_2k / (2k x^2k)
    let series = x2
        * (1.0 / 12.0
            - x2 * (1.0 / 120.0
                - x2 * (1.0 / 252.0
                    - x2 * (1.0 / 240.0 - x2 * (1.0 / 132.0 - x2 * 691.0 / 32760.0)))));
    shift + x.ln() - 0.5 / x - series
}

/// `psi'(x)`, for `x > 0`.
pub(crate) fn trigamma(mut x: f64) -> f64 {
    let mut shift = 0.0;
    while x < 12.0 {
        shift += 1.0 / (x * x);
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    // 1/x + 1/(2x^2) + sum B_2k / x^(2k+1)
    let series = 1.0 / x
        + 0.5 * x2
        + x2 / x
            * (1.0 / 6.0
                - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 * (1.0 / 30.0 - x2 * 5.0 / 66.0))));
    shift + series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // psi(1) = -gamma; psi(1/2) = -gamma - 2 ln 2; psi'(1) = pi^2/6; psi'(1/2) = pi^2/2.
        let euler = 0.577_215_664_901_532_9;
        assert!(
            (digamma(1.0) + euler).abs() < 1e-15,
            "{}",
            digamma(1.0) + euler
        );
        assert!((digamma(0.5) + euler + 2.0 * std::f64::consts::LN_2).abs() < 1e-14);
        let pi2 = std::f64::consts::PI.powi(2);
        assert!((trigamma(1.0) - pi2 / 6.0).abs() < 1e-14);
        assert!((trigamma(0.5) - pi2 / 2.0).abs() < 1e-13);
        // Large arguments: psi(x) ~ ln x - 1/(2x).
        assert!((digamma(1e6) - (1e6f64.ln() - 0.5e-6 - 1.0 / 12e12)).abs() < 1e-15);
    }
}
