//! Resampling and Bayesian intervals for NPS and shares, computed from counts, and the weighted
//! bootstrap of a weighted mean. Intervals only: the estimates that carry them are built in
//! [`crate::indicator::resampled`].
//!
//! Resampling respondents with replacement changes only how many fall in each category, and the
//! category counts of a resample are one multinomial draw with the observed shares (`docs/methods.md`), so
//! each replicate costs one multinomial draw (conditional binomials), whatever the number of
//! responses. Percentile and BCa intervals follow Efron & Tibshirani (1993), *An Introduction to the
//! Bootstrap*, ch. 13-14, with the conventions of `scipy.stats.bootstrap` (linear interpolation
//! between order statistics; BCa bias correction from the share of replicates strictly below the
//! estimate; acceleration from the jackknife). Bayesian intervals are equal-tailed posterior
//! intervals: Beta for shares (exact quantiles), Dirichlet for NPS (seeded posterior draws).
//!
//! Methods and sources: `docs/methods.md#resampling-intervals`, `docs/methods.md#weighted-bootstrap`.

use statrs::function::gamma::ln_gamma;

use super::special::{beta_quantile, normal_quantile_as241};
use super::Confidence;
use crate::error::{Error, Result};
use crate::random::Rng;

crate::names::named_enum! {
    /// A resampling or Bayesian interval method.
    pub enum ResamplingMethod {
        /// Bootstrap percentile interval.
        Bootstrap = "bootstrap",
        /// Bootstrap bias-corrected and accelerated (BCa) interval (Efron 1987).
        BootstrapBca = "bootstrap_bca",
        /// Equal-tailed posterior interval (Beta / Dirichlet posterior).
        Bayes = "bayes",
    }
    unknown = |name| Error::UnknownOption { option: "resampling method", name, valid: ResamplingMethod::NAMES };
}

impl ResamplingMethod {
    /// The method of a name, if it is one of these.
    pub fn from_name(name: &str) -> Option<Self> {
        name.parse().ok()
    }
}

/// Options of the resampling and Bayesian intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct ResamplingOptions {
    /// The method.
    pub method: ResamplingMethod,
    /// Bootstrap replicates, or posterior draws for the NPS Bayesian interval (9999 by default).
    pub n_resamples: usize,
    /// The seed (`None`: a fresh one; results are then not reproducible).
    pub seed: Option<u64>,
    /// The Bayesian prior: Beta(prior, prior) for a share, Dirichlet(prior, prior, prior) for the
    /// NPS categories. The default 1/2 is Jeffreys' prior (for the share: the Jeffreys interval).
    pub prior: f64,
}

impl Default for ResamplingOptions {
    /// The percentile bootstrap with 9999 resamples, no seed, and the prior 1/2.
    fn default() -> Self {
        ResamplingOptions::new(ResamplingMethod::Bootstrap)
    }
}

impl ResamplingOptions {
    /// The same options with this seed (reproducible results).
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The same options with this number of resamples (or posterior draws).
    pub fn with_resamples(mut self, n_resamples: usize) -> Self {
        self.n_resamples = n_resamples;
        self
    }

    /// The same options with this prior pseudo-count (Bayesian intervals).
    pub fn with_prior(mut self, prior: f64) -> Self {
        self.prior = prior;
        self
    }

    /// The method with 9999 resamples, no seed, and the prior 1/2.
    pub fn new(method: ResamplingMethod) -> Self {
        ResamplingOptions {
            method,
            n_resamples: 9999,
            seed: None,
            prior: 0.5,
        }
    }
}

/// Variance `n p (1 - p)` beyond which [`binomial`] draws from the normal approximation.
const NORMAL_BINOMIAL_VARIANCE: f64 = 1e10;

/// A binomial draw. Exact, by inversion starting at the mode and moving outwards (any fixed order of
/// the support is a valid inversion), in `O(sqrt(n p (1 - p)))` expected steps, no table; when the
/// variance `n p (1 - p)` exceeds [`NORMAL_BINOMIAL_VARIANCE`] (counts of tens of billions, which
/// `ScoreCounts::from_counts` accepts) the walk would take `10^5` steps or more per draw (`10^9` for
/// counts near `2^62`: a hang), so the draw is the normal approximation `N(n p, n p (1 - p))`, rounded
/// and clamped to `0..=n`, whose skewness there is below `10^-5`.
pub(crate) fn binomial(rng: &mut Rng, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let nf = n as f64;
    let variance = nf * p * (1.0 - p);
    if variance > NORMAL_BINOMIAL_VARIANCE {
        let draw = (nf * p + variance.sqrt() * normal(rng)).round();
        // `as` saturates: negative to 0, beyond u64::MAX to u64::MAX; then clamped to n.
        return (draw.max(0.0) as u64).min(n);
    }
    let mode = (((nf + 1.0) * p).floor() as u64).min(n);
    let ln_pmf = |k: u64| {
        ln_gamma(nf + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
            + k as f64 * p.ln()
            + (n - k) as f64 * (1.0 - p).ln()
    };
    let odds = p / (1.0 - p);
    let mut u = rng.uniform();
    let at_mode = ln_pmf(mode).exp();
    if u < at_mode {
        return mode;
    }
    u -= at_mode;
    let (mut up, mut up_pmf) = (mode, at_mode);
    let (mut down, mut down_pmf) = (mode, at_mode);
    loop {
        let mut moved = false;
        if up < n {
            up_pmf *= (n - up) as f64 / (up + 1) as f64 * odds;
            up += 1;
            if u < up_pmf {
                return up;
            }
            u -= up_pmf;
            moved = true;
        }
        if down > 0 {
            down_pmf *= down as f64 / (n - down + 1) as f64 / odds;
            down -= 1;
            if u < down_pmf {
                return down;
            }
            u -= down_pmf;
            moved = true;
        }
        if !moved || (up_pmf < 1e-300 && down_pmf < 1e-300) {
            return mode; // rounding left a sliver of probability: the mode takes it
        }
    }
}

/// A standard normal draw (Marsaglia's polar method).
pub(crate) fn normal(rng: &mut Rng) -> f64 {
    loop {
        let (u, v) = (2.0 * rng.uniform() - 1.0, 2.0 * rng.uniform() - 1.0);
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * s.ln() / s).sqrt();
        }
    }
}

/// A Gamma(shape, 1) draw (Marsaglia & Tsang 2000, ACM TOMS 26(3); shape < 1 by boosting).
pub(crate) fn gamma(rng: &mut Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u = rng.uniform().max(f64::MIN_POSITIVE);
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = rng.uniform();
        if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

use super::special::quantile_sorted as quantile;

fn normal_cdf(z: f64) -> f64 {
    super::special::normal_sf(-z)
}

/// The interval from replicates: percentile, or BCa with the jackknife values `(value, multiplicity)`.
fn interval_from(
    replicates: &mut [f64],
    estimate: f64,
    jackknife: &[(f64, f64)],
    method: ResamplingMethod,
    confidence: Confidence,
) -> (f64, f64) {
    replicates.sort_by(f64::total_cmp);
    let alpha = (1.0 - confidence.level()) / 2.0;
    let (mut q_lo, mut q_hi) = (alpha, 1.0 - alpha);
    if method == ResamplingMethod::BootstrapBca {
        let b = replicates.len() as f64;
        let below = replicates.iter().filter(|&&t| t < estimate).count() as f64 / b;
        let z0 = normal_quantile_as241(below.clamp(0.5 / b, 1.0 - 0.5 / b));
        let total: f64 = jackknife.iter().map(|(_, m)| m).sum();
        let mean = jackknife.iter().map(|(v, m)| v * m).sum::<f64>() / total;
        let num: f64 = jackknife.iter().map(|(v, m)| m * (mean - v).powi(3)).sum();
        let den: f64 = 6.0
            * jackknife
                .iter()
                .map(|(v, m)| m * (mean - v).powi(2))
                .sum::<f64>()
                .powf(1.5);
        let a = if den > 0.0 { num / den } else { 0.0 };
        let adjust = |z: f64| normal_cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)));
        let z_alpha = normal_quantile_as241(alpha);
        q_lo = adjust(z_alpha);
        q_hi = adjust(-z_alpha);
    }
    (quantile(replicates, q_lo), quantile(replicates, q_hi))
}

/// The most resamples (or posterior draws) one call may ask for: their statistics are kept in memory
/// (8 bytes each) to take quantiles, so 10^7 of them take 80 MB.
pub const MAX_RESAMPLES: usize = 10_000_000;

/// The largest Dirichlet or Beta prior pseudo-count accepted; a larger one swamps any survey and
/// makes the gamma draws lose all precision.
pub const MAX_PRIOR: f64 = 1e6;

/// `n_resamples` is at least 2 and at most [`MAX_RESAMPLES`].
fn check_n_resamples(n_resamples: usize) -> Result<()> {
    if n_resamples < 2 {
        return Err(Error::invalid_parameter(
            "n_resamples",
            n_resamples,
            "at least 2 resamples are needed",
        ));
    }
    if n_resamples > MAX_RESAMPLES {
        return Err(Error::invalid_parameter(
            "n_resamples",
            n_resamples,
            format!("at most {MAX_RESAMPLES} resamples (their statistics are kept in memory)"),
        ));
    }
    Ok(())
}

/// The number of resamples and the prior are in range.
pub(crate) fn check_options(options: &ResamplingOptions) -> Result<()> {
    check_n_resamples(options.n_resamples)?;
    if !(options.prior.is_finite() && options.prior > 0.0 && options.prior <= MAX_PRIOR) {
        return Err(Error::invalid_parameter(
            "prior",
            crate::error::Shortest(options.prior),
            format!("the prior pseudo-count must be positive and at most {MAX_PRIOR}"),
        ));
    }
    Ok(())
}

/// The resampling or Bayesian interval of the NPS of category counts `(detractors, passives,
/// promoters)`, in points, not clipped: a bootstrap replicate is one multinomial draw with the
/// observed shares (as two conditional binomials); the Bayesian interval takes posterior draws of
/// Dirichlet(d + prior, p + prior, r + prior); BCa takes its acceleration from the jackknife
/// (`docs/methods.md`, "Resampling intervals").
///
/// # Errors
/// [`Error::InvalidParameter`] for fewer than 2 or more than [`MAX_RESAMPLES`] resamples, or a
/// prior that is not in (0, [`MAX_PRIOR`]]; [`Error::EmptyData`] for no responses.
///
/// # Examples
/// ```
/// use cxmetrics::interval::resampling::{nps_counts_interval, ResamplingMethod, ResamplingOptions};
/// use cxmetrics::Confidence;
/// let options = ResamplingOptions::new(ResamplingMethod::Bootstrap).with_seed(7);
/// let (lo, hi) = nps_counts_interval((30, 20, 50), &options, Confidence::default())?;
/// assert!(lo < 20.0 && 20.0 < hi);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn nps_counts_interval(
    (d, p, r): (u64, u64, u64),
    options: &ResamplingOptions,
    confidence: Confidence,
) -> Result<(f64, f64)> {
    check_options(options)?;
    let n = d
        .checked_add(p)
        .and_then(|n| n.checked_add(r))
        .ok_or(Error::InvalidCounts {
            reason: "the category counts overflow 64 bits".into(),
        })?;
    if n == 0 {
        return Err(Error::EmptyData {
            n_missing: 0,
            n_total: 0,
        });
    }
    let nf = n as f64;
    let value = 100.0 * (r as f64 - d as f64) / nf;
    let seed = options.seed.unwrap_or_else(Rng::fresh_seed);
    let mut rng = Rng::new(seed);
    let mut draws = Vec::with_capacity(options.n_resamples);
    match options.method {
        ResamplingMethod::Bayes => {
            let a = options.prior;
            for _ in 0..options.n_resamples {
                let (gd, gp, gr) = (
                    gamma(&mut rng, d as f64 + a),
                    gamma(&mut rng, p as f64 + a),
                    gamma(&mut rng, r as f64 + a),
                );
                draws.push(100.0 * (gr - gd) / (gd + gp + gr));
            }
        }
        _ => {
            let (pr, pd_given) = (
                r as f64 / nf,
                if r < n {
                    d as f64 / (n - r) as f64
                } else {
                    0.0
                },
            );
            for _ in 0..options.n_resamples {
                let rs = binomial(&mut rng, n, pr);
                let ds = binomial(&mut rng, n - rs, pd_given);
                draws.push(100.0 * (rs as f64 - ds as f64) / nf);
            }
        }
    }
    // Jackknife: leaving out one detractor, passive or promoter.
    let m = nf - 1.0;
    let jack = jackknife(
        n,
        &[
            (d, 100.0 * (r as f64 - (d as f64 - 1.0)) / m),
            (p, 100.0 * (r as f64 - d as f64) / m),
            (r, 100.0 * ((r as f64 - 1.0) - d as f64) / m),
        ],
    );
    Ok(interval_from(
        &mut draws,
        value,
        &jack,
        options.method,
        confidence,
    ))
}

/// The jackknife of a statistic of category counts, as `(value, weight)` pairs: each category's
/// leave-one-out value, weighted by the number of responses in it (empty categories dropped). Empty
/// with at most one response, where no leave-one-out sample exists.
fn jackknife(n: u64, leave_one_out: &[(u64, f64)]) -> Vec<(f64, f64)> {
    if n <= 1 {
        return Vec::new();
    }
    leave_one_out
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|&(count, value)| (value, count as f64))
        .collect()
}

/// The resampling or Bayesian interval of a share of `x` successes in `n`, in percent, not
/// clipped: a bootstrap replicate is one binomial draw; the Bayesian interval is the equal-tailed
/// interval of Beta(x + prior, n - x + prior), exact quantiles (`docs/methods.md`, "Resampling
/// intervals").
///
/// # Errors
/// As [`nps_counts_interval`]; [`Error::InvalidCounts`] when `x > n`.
pub fn share_counts_interval(
    x: u64,
    n: u64,
    options: &ResamplingOptions,
    confidence: Confidence,
) -> Result<(f64, f64)> {
    check_options(options)?;
    if n == 0 {
        return Err(Error::EmptyData {
            n_missing: 0,
            n_total: 0,
        });
    }
    if x > n {
        return Err(Error::InvalidCounts {
            reason: format!("{x} successes out of {n}"),
        });
    }
    let alpha = (1.0 - confidence.level()) / 2.0;
    Ok(match options.method {
        ResamplingMethod::Bayes => {
            let (a, b) = (x as f64 + options.prior, (n - x) as f64 + options.prior);
            (
                100.0 * beta_quantile(alpha, a, b),
                100.0 * beta_quantile(1.0 - alpha, a, b),
            )
        }
        _ => {
            let seed = options.seed.unwrap_or_else(Rng::fresh_seed);
            let mut rng = Rng::new(seed);
            let p = x as f64 / n as f64;
            let mut draws: Vec<f64> = (0..options.n_resamples)
                .map(|_| 100.0 * binomial(&mut rng, n, p) as f64 / n as f64)
                .collect();
            let m = n.saturating_sub(1) as f64;
            let jack = jackknife(
                n,
                &[
                    (x, 100.0 * (x as f64 - 1.0) / m),
                    (n - x, 100.0 * x as f64 / m),
                ],
            );
            interval_from(&mut draws, 100.0 * p, &jack, options.method, confidence)
        }
    })
}

/// The weighted mean of one resample with replacement of `rows` (value, weight) drawn with `rng`;
/// `fallback` when the drawn weights sum to 0.
#[inline(always)]
fn weighted_mean_resample(rows: &[(f64, f64)], mut rng: Rng, fallback: f64) -> f64 {
    let n = rows.len() as u64;
    let (mut w_total, mut wy_total) = (0.0, 0.0);
    for _ in 0..n {
        let (y, w) = rows[rng.below(n) as usize];
        w_total += w;
        wy_total += w * y;
    }
    if w_total > 0.0 {
        wy_total / w_total
    } else {
        fallback
    }
}

/// The bootstrap interval of a weighted mean `sum(w y) / sum(w)` of per-respondent `values` `y`
/// (NaN rows are skipped): each replicate resamples the respondents with replacement, keeping their
/// weights, and recomputes the weighted mean; BCa takes its acceleration from the weighted jackknife
/// (leaving out one respondent at a time). `estimate` is the full-sample value (the centre of BCa's
/// bias correction). Returns `(lower, upper)`, not clipped. Replicates are seeded per index, so the
/// interval does not depend on the number of threads (`docs/methods.md`, "Weighted bootstrap").
///
/// # Errors
/// [`Error::MethodNotWeighted`] for `Bayes`; [`Error::InvalidParameter`] for fewer than 2 or more
/// than [`MAX_RESAMPLES`] resamples; [`Error::Interrupted`] when the interrupt check fires;
/// [`Error::ZeroTotalWeight`] when the weights sum to 0.
pub fn weighted_bootstrap_interval(
    values: &[f64],
    weights: &[f64],
    estimate: f64,
    options: &ResamplingOptions,
    confidence: Confidence,
) -> Result<(f64, f64)> {
    if options.method == ResamplingMethod::Bayes {
        return Err(Error::MethodNotWeighted {
            method: "bayes",
            indicator: "resampling intervals",
            weighted: &["bootstrap", "bootstrap_bca"],
        });
    }
    check_n_resamples(options.n_resamples)?;
    if values.len() != weights.len() {
        return Err(Error::LengthMismatch {
            left_name: "values",
            left: values.len(),
            right_name: "weights",
            right: weights.len(),
        });
    }
    let rows: Vec<(f64, f64)> = values
        .iter()
        .zip(weights)
        .filter(|(y, _)| !y.is_nan())
        .map(|(&y, &w)| (y, w))
        .collect();
    let n = rows.len();
    let (sw, swy): (f64, f64) = rows
        .iter()
        .fold((0.0, 0.0), |(a, b), (y, w)| (a + w, b + w * y));
    if n == 0 || sw <= 0.0 {
        return Err(Error::ZeroTotalWeight { n: n as u64 });
    }
    let seed = options.seed.unwrap_or_else(Rng::fresh_seed);
    // Blocks of resamples of about 2^16 draws each, so that claiming a block costs nothing beside
    // its draws however small the sample.
    let per_block = ((1usize << 16) / n).clamp(1, options.n_resamples);
    let rows: &[(f64, f64)] = &rows;
    let blocks = crate::parallel::map_blocks(
        options.n_resamples.div_ceil(per_block),
        crate::parallel::threads(),
        |block| {
            let first = block * per_block;
            (first..(first + per_block).min(options.n_resamples))
                .map(|b| weighted_mean_resample(rows, Rng::stream(seed, b as u64), estimate))
                .collect::<Vec<f64>>()
        },
    )?;
    let mut draws: Vec<f64> = blocks.into_iter().flatten().collect();
    let jack: Vec<(f64, f64)> = if options.method == ResamplingMethod::BootstrapBca {
        rows.iter()
            .filter(|(_, w)| sw - w > 0.0)
            .map(|(y, w)| ((swy - w * y) / (sw - w), 1.0))
            .collect()
    } else {
        Vec::new()
    };
    Ok(interval_from(
        &mut draws,
        estimate,
        &jack,
        options.method,
        confidence,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_draws_have_the_right_moments() {
        let mut rng = Rng::new(3);
        // The last two take the normal branch (variance > NORMAL_BINOMIAL_VARIANCE); 2^62 once took
        // ~10^9 steps per draw.
        for (n, p) in [
            (10u64, 0.3),
            (1000, 0.02),
            (100_000, 0.45),
            (5, 0.999),
            (1u64 << 40, 0.3),
            (1u64 << 62, 0.5),
        ] {
            let draws: Vec<f64> = (0..40_000)
                .map(|_| binomial(&mut rng, n, p) as f64)
                .collect();
            let mean = draws.iter().sum::<f64>() / draws.len() as f64;
            let var =
                draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws.len() - 1) as f64;
            let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
            assert!(
                (mean - m).abs() < 5.0 * (v / 40_000.0).sqrt() + 1e-9,
                "n {n} p {p}: mean {mean} vs {m}"
            );
            if v >= 1.0 {
                // (with v < 1 most draws are the mode and the sample variance is too noisy to test)
                assert!(
                    (var / v - 1.0).abs() < 0.05,
                    "n {n} p {p}: var {var} vs {v}"
                );
            }
        }
    }

    #[test]
    fn gamma_draws_have_the_right_mean() {
        let mut rng = Rng::new(5);
        for shape in [0.5, 1.0, 7.5, 1e4] {
            let mean = (0..40_000).map(|_| gamma(&mut rng, shape)).sum::<f64>() / 40_000.0;
            assert!(
                (mean / shape - 1.0).abs() < 5.0 / (40_000.0 * shape).sqrt(),
                "shape {shape}: {mean}"
            );
        }
    }
}
