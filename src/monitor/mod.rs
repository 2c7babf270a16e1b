//! Control charts for CX indicators over time: the p-chart of a share and its NPS analogue,
//! EWMA and tabular CUSUM charts.
//!
//! Sources: D. C. Montgomery, *Introduction to Statistical Quality Control* (p-chart with variable
//! sample sizes, ch. 7; tabular CUSUM and EWMA, ch. 9, whose Table 9.1 example is in the tests);
//! NIST/SEMATECH e-Handbook of Statistical Methods, section 6.3.
//!
//! Methods and sources: `docs/methods.md#control-charts`.

use serde::Serialize;

use crate::error::{Error, Result};

/// One point of a p-chart or NPS chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChartPoint {
    /// The period's share (percent) or NPS (points); NaN when `n = 0`.
    pub value: f64,
    /// The centre line (the pooled value over all periods).
    pub center: f64,
    /// The lower control limit for this period's `n`, clipped to the range.
    pub lower_limit: f64,
    /// The upper control limit, clipped.
    pub upper_limit: f64,
    /// Whether the value lies outside the limits.
    pub signal: bool,
}

fn invalid(parameter: &str, value: String, reason: &str) -> Error {
    Error::invalid_parameter(parameter, value, reason)
}

/// The sum of counts, or an error naming `what` when it does not fit in 64 bits.
fn checked_total(counts: &[u64], what: &str) -> Result<u64> {
    counts
        .iter()
        .try_fold(0u64, |total, &c| total.checked_add(c))
        .ok_or_else(|| Error::InvalidCounts {
            reason: format!("the {what} add up to more than 2^64 - 1"),
        })
}

/// A value series for EWMA and CUSUM: NaN is a missing period; an infinite value is an error at its
/// position (it would move the statistic to infinity and silence the chart for good).
fn check_values(values: &[f64]) -> Result<()> {
    match values.iter().position(|x| x.is_infinite()) {
        Some(position) => Err(Error::NonFiniteValue {
            value: values[position],
            position,
        }),
        None => Ok(()),
    }
}

fn check_sigma(sigma: f64) -> Result<()> {
    if !(sigma.is_finite() && sigma > 0.0) {
        return Err(invalid(
            "sigma",
            crate::error::Shortest(sigma).to_string(),
            "must be positive and finite",
        ));
    }
    Ok(())
}

/// The p-chart: `center = sum x_t / sum n_t`, limits `center +- sigma sqrt(center (1 - center) / n_t)`
/// varying with each period's `n_t`, clipped to 0-100 percent (Montgomery ch. 7, variable sample
/// size). A period with `n_t = 0` has no value and no signal.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidCounts`] when `x_t > n_t` or no period has data;
/// [`Error::InvalidParameter`] for a non-positive `sigma`; [`Error::InvalidCounts`] when the counts
/// add up to more than 2^64 - 1.
///
/// # Examples
/// ```
/// use cxmetrics::monitor::p_chart;
/// let chart = p_chart(&[40, 45, 20], &[100, 100, 100], 3.0)?;
/// assert!((chart[0].center - 35.0).abs() < 1e-12);
/// assert!(chart[2].signal); // 20% is below 35 - 3 sqrt(.35 .65 / 100) = 20.69%
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn p_chart(successes: &[u64], n: &[u64], sigma: f64) -> Result<Vec<ChartPoint>> {
    check_sigma(sigma)?;
    if successes.len() != n.len() {
        return Err(Error::LengthMismatch {
            left_name: "successes",
            left: successes.len(),
            right_name: "n",
            right: n.len(),
        });
    }
    if let Some(t) = (0..n.len()).find(|&t| successes[t] > n[t]) {
        return Err(Error::InvalidCounts {
            reason: format!("period {t} has {} successes out of {}", successes[t], n[t]),
        });
    }
    let (x_total, n_total) = (
        checked_total(successes, "successes")?,
        checked_total(n, "responses")?,
    );
    if n_total == 0 {
        return Err(Error::InvalidCounts {
            reason: "no period has responses".into(),
        });
    }
    let p = x_total as f64 / n_total as f64;
    Ok(successes
        .iter()
        .zip(n)
        .map(|(&x, &m)| {
            if m == 0 {
                return ChartPoint {
                    value: f64::NAN,
                    center: 100.0 * p,
                    lower_limit: f64::NAN,
                    upper_limit: f64::NAN,
                    signal: false,
                };
            }
            let half = sigma * (p * (1.0 - p) / m as f64).sqrt();
            let value = 100.0 * x as f64 / m as f64;
            let (lo, hi) = (100.0 * (p - half).max(0.0), 100.0 * (p + half).min(1.0));
            ChartPoint {
                value,
                center: 100.0 * p,
                lower_limit: lo,
                upper_limit: hi,
                signal: value < lo || value > hi,
            }
        })
        .collect())
}

/// The NPS analogue of the p-chart: centre = the pooled NPS over all periods, limits
/// `center +- sigma sqrt(Var1 / n_t)` with the pooled per-response variance
/// `Var1 = pR + pD - (pR - pD)^2` (the multinomial variance of the NPS, Rocks 2016), clipped to
/// -100..100 points.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidCounts`] when no period has data;
/// [`Error::InvalidParameter`] for a non-positive `sigma`; [`Error::InvalidCounts`] when the counts
/// add up to more than 2^64 - 1.
pub fn nps_chart(
    detractors: &[u64],
    passives: &[u64],
    promoters: &[u64],
    sigma: f64,
) -> Result<Vec<ChartPoint>> {
    check_sigma(sigma)?;
    if detractors.len() != passives.len() || detractors.len() != promoters.len() {
        return Err(Error::LengthMismatch {
            left_name: "detractors",
            left: detractors.len(),
            right_name: "passives/promoters",
            right: if detractors.len() != passives.len() {
                passives.len()
            } else {
                promoters.len()
            },
        });
    }
    let (d, p, r) = (
        checked_total(detractors, "detractors")?,
        checked_total(passives, "passives")?,
        checked_total(promoters, "promoters")?,
    );
    let total = checked_total(&[d, p, r], "responses")?;
    if let Some(t) = (0..detractors.len())
        .find(|&t| checked_total(&[detractors[t], passives[t], promoters[t]], "responses").is_err())
    {
        return Err(Error::InvalidCounts {
            reason: format!("period {t}: the responses add up to more than 2^64 - 1"),
        });
    }
    if total == 0 {
        return Err(Error::InvalidCounts {
            reason: "no period has responses".into(),
        });
    }
    let (pd, pr) = (d as f64 / total as f64, r as f64 / total as f64);
    let center = pr - pd;
    let var1 = pr + pd - center * center;
    Ok((0..detractors.len())
        .map(|t| {
            let m = detractors[t] + passives[t] + promoters[t];
            if m == 0 {
                return ChartPoint {
                    value: f64::NAN,
                    center: 100.0 * center,
                    lower_limit: f64::NAN,
                    upper_limit: f64::NAN,
                    signal: false,
                };
            }
            let value = 100.0 * (promoters[t] as f64 - detractors[t] as f64) / m as f64;
            let half = sigma * (var1 / m as f64).sqrt();
            let (lo, hi) = (
                100.0 * (center - half).max(-1.0),
                100.0 * (center + half).min(1.0),
            );
            ChartPoint {
                value,
                center: 100.0 * center,
                lower_limit: lo,
                upper_limit: hi,
                signal: value < lo || value > hi,
            }
        })
        .collect())
}

/// One point of an EWMA chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EwmaPoint {
    /// The observation.
    pub value: f64,
    /// `z_t = lam x_t + (1 - lam) z_{t-1}`, `z_0 = target`.
    pub ewma: f64,
    /// `target - L sigma sqrt(lam / (2 - lam) (1 - (1 - lam)^(2t)))`.
    pub lower_limit: f64,
    /// `target + L sigma sqrt(...)`.
    pub upper_limit: f64,
    /// Whether `z_t` lies outside the limits.
    pub signal: bool,
}

/// The EWMA chart with the exact, time-varying limits (Montgomery ch. 9.2; NIST e-Handbook
/// 6.3.2.4). A NaN observation leaves the EWMA unchanged and gives no signal.
///
/// # Errors
/// [`Error::NonFiniteValue`] for an infinite value (NaN is a missing period);
/// [`Error::InvalidParameter`] for `lam` outside (0, 1], a non-positive `sigma` or `L`, or a
/// non-finite target.
///
/// # Examples
/// ```
/// use cxmetrics::monitor::ewma;
/// // Montgomery, Table 9.1 data (first two observations), lambda = 0.1, L = 2.7.
/// let chart = ewma(&[9.45, 7.99], 10.0, 1.0, 0.1, 2.7)?;
/// assert!((chart[0].ewma - 9.945).abs() < 1e-12);
/// assert!((chart[0].upper_limit - 10.27).abs() < 5e-3);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn ewma(values: &[f64], target: f64, sigma: f64, lam: f64, l: f64) -> Result<Vec<EwmaPoint>> {
    check_sigma(sigma)?;
    if !(lam > 0.0 && lam <= 1.0) {
        return Err(invalid(
            "lam",
            crate::error::Shortest(lam).to_string(),
            "must be in (0, 1]",
        ));
    }
    if !(l.is_finite() && l > 0.0) {
        return Err(invalid(
            "L",
            crate::error::Shortest(l).to_string(),
            "must be positive and finite",
        ));
    }
    if !target.is_finite() {
        return Err(invalid(
            "target",
            crate::error::Shortest(target).to_string(),
            "must be finite",
        ));
    }
    check_values(values)?;
    if !(l * sigma).is_finite() {
        return Err(invalid(
            "L",
            crate::error::Shortest(l).to_string(),
            "L * sigma overflows; use smaller limits",
        ));
    }
    let mut z = target;
    Ok(values
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            if !x.is_nan() {
                z = lam * x + (1.0 - lam) * z;
            }
            let t = (i + 1) as f64;
            let half = l * sigma * (lam / (2.0 - lam) * (1.0 - (1.0 - lam).powf(2.0 * t))).sqrt();
            EwmaPoint {
                value: x,
                ewma: z,
                lower_limit: target - half,
                upper_limit: target + half,
                signal: !x.is_nan() && (z < target - half || z > target + half),
            }
        })
        .collect())
}

/// One point of a tabular CUSUM.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CusumPoint {
    /// The observation.
    pub value: f64,
    /// `C+_t = max(0, x_t - (target + K) + C+_{t-1})`.
    pub upper_sum: f64,
    /// `C-_t = max(0, (target - K) - x_t + C-_{t-1})`.
    pub lower_sum: f64,
    /// Whether either sum exceeds `H`.
    pub signal: bool,
}

/// The tabular CUSUM with `K = k sigma` and `H = h sigma` (Montgomery ch. 9.1; NIST e-Handbook
/// 6.3.2.3). A NaN observation carries the sums forward unchanged.
///
/// # Errors
/// [`Error::NonFiniteValue`] for an infinite value (NaN is a missing period);
/// [`Error::InvalidParameter`] for a non-positive `sigma` or `h`, a negative `k`, or a non-finite
/// target.
///
/// # Examples
/// ```
/// use cxmetrics::monitor::cusum;
/// let chart = cusum(&[10.0, 12.0, 11.5], 10.0, 1.0, 0.5, 5.0)?;
/// assert_eq!(chart[2].upper_sum, 2.5); // (12 - 10.5) + (11.5 - 10.5)
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn cusum(values: &[f64], target: f64, sigma: f64, k: f64, h: f64) -> Result<Vec<CusumPoint>> {
    check_sigma(sigma)?;
    if !(k.is_finite() && k >= 0.0) {
        return Err(invalid(
            "k",
            crate::error::Shortest(k).to_string(),
            "must be finite and >= 0",
        ));
    }
    if !(h.is_finite() && h > 0.0) {
        return Err(invalid(
            "h",
            crate::error::Shortest(h).to_string(),
            "must be positive and finite",
        ));
    }
    if !target.is_finite() {
        return Err(invalid(
            "target",
            crate::error::Shortest(target).to_string(),
            "must be finite",
        ));
    }
    check_values(values)?;
    let (big_k, big_h) = (k * sigma, h * sigma);
    if !(big_k.is_finite() && big_h.is_finite() && (target + big_k).is_finite()) {
        return Err(invalid(
            "h",
            crate::error::Shortest(h).to_string(),
            "k * sigma, h * sigma or target + k * sigma overflows; use smaller values",
        ));
    }
    let (mut up, mut down) = (0.0f64, 0.0f64);
    Ok(values
        .iter()
        .map(|&x| {
            if !x.is_nan() {
                up = (x - (target + big_k) + up).max(0.0);
                down = ((target - big_k) - x + down).max(0.0);
            }
            CusumPoint {
                value: x,
                upper_sum: up,
                lower_sum: down,
                signal: up > big_h || down > big_h,
            }
        })
        .collect())
}
