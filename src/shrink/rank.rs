//! Ranks of many groups with their uncertainty: each group's rank by its shrunk estimate, the
//! equal-tailed interval of its rank over joint draws from the groups' posteriors, and the
//! probability of being among the top and the bottom `k` (Goldstein & Spiegelhalter 1996, "League
//! tables and their limitations", JRSS A 159(3)).
//!
//! Each draw takes one value from every group's posterior (draw `d` from its own random stream of
//! the seed, so results do not depend on the threads) and ranks the groups, 1 the highest. Tied
//! values share their mid-rank, and a tied block that straddles the top-`k` (or bottom-`k`) cut
//! counts for each of its groups as the fraction of the block inside. A pooled fit (no spread between
//! groups) makes every group's posterior the same point: all ranks are then the mid-rank
//! `(G + 1) / 2` and every probability `k / G`.
//!
//! Methods and sources: `docs/methods.md#empirical-bayes-shrinkage`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::interval::resampling::{gamma, normal};
use crate::interval::special::quantile_sorted;
use crate::interval::Confidence;
use crate::random::Rng;

/// The most `draws x groups` rank values kept (4 bytes each).
pub const MAX_RANK_CELLS: usize = 50_000_000;

/// A group's posterior, for drawing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Posterior {
    /// A share: Beta(a, b), in percent.
    Beta(f64, f64),
    /// An NPS: Dirichlet(d, p, r) over the categories; the value is `100 (R - D)`.
    Dirichlet([f64; 3]),
    /// A mean: Normal(mean, sd).
    Normal(f64, f64),
    /// A known value (a pooled fit).
    Point(f64),
}

impl Posterior {
    fn draw(&self, rng: &mut Rng) -> f64 {
        match *self {
            Posterior::Beta(a, b) => {
                let (x, y) = (gamma(rng, a), gamma(rng, b));
                100.0 * x / (x + y)
            }
            Posterior::Dirichlet([d, p, r]) => {
                let (x, y, z) = (gamma(rng, d), gamma(rng, p), gamma(rng, r));
                100.0 * (z - x) / (x + y + z)
            }
            Posterior::Normal(m, s) => m + s * normal(rng),
            Posterior::Point(v) => v,
        }
    }
}

/// A group's rank and its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupRank {
    /// The rank of the group's estimate among the estimates (1 = the highest; ties: mid-rank).
    pub rank: f64,
    /// The equal-tailed interval of its rank over the draws.
    pub lower: f64,
    /// The upper limit.
    pub upper: f64,
    /// The probability of being among the `k` highest.
    pub p_top: f64,
    /// The probability of being among the `k` lowest.
    pub p_bottom: f64,
}

/// Mid-ranks (1 = the highest) of `values`, and each value's share of the top-`k` and bottom-`k`.
fn ranks(values: &[f64], k: usize, order: &mut Vec<usize>, out: &mut [(f64, f64, f64)]) {
    let n = values.len();
    order.clear();
    order.extend(0..n);
    order.sort_unstable_by(|&i, &j| values[j].total_cmp(&values[i]));
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) share the mid-rank; the block's overlap with the top k
        // (positions 0..k) and the bottom k (positions n-k..n), shared equally.
        let mid = (start + end + 1) as f64 / 2.0;
        let size = (end - start) as f64;
        let top = (k.min(end).saturating_sub(start)) as f64 / size;
        let bottom_from = n.saturating_sub(k);
        let bottom = (end.saturating_sub(bottom_from.max(start))) as f64 / size;
        for &i in &order[start..end] {
            out[i] = (mid, top, bottom);
        }
        start = end;
    }
}

/// The groups' ranks by `estimates` with intervals and top/bottom-`k` probabilities from `draws`
/// joint draws of their `posteriors`.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for `draws` below 10, or
/// `draws x groups` above [`MAX_RANK_CELLS`]; [`Error::Interrupted`].
///
/// # Examples
/// ```
/// use cxmetrics::shrink::{rank_posteriors, Posterior};
/// use cxmetrics::Confidence;
/// // Three stores: clearly best, clearly worst, and one in between.
/// let posteriors = [Posterior::Beta(90.0, 10.0), Posterior::Beta(10.0, 90.0), Posterior::Beta(50.0, 50.0)];
/// let ranks = rank_posteriors(&[90.0, 10.0, 50.0], &posteriors, 1, 2000, 7, Confidence::default())?;
/// assert_eq!((ranks[0].rank, ranks[1].rank, ranks[2].rank), (1.0, 3.0, 2.0));
/// assert!(ranks[0].p_top > 0.999 && ranks[1].p_bottom > 0.999);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn rank_posteriors(
    estimates: &[f64],
    posteriors: &[Posterior],
    k: usize,
    draws: usize,
    seed: u64,
    confidence: Confidence,
) -> Result<Vec<GroupRank>> {
    let n = posteriors.len();
    if estimates.len() != n {
        return Err(Error::LengthMismatch {
            left_name: "estimates",
            left: estimates.len(),
            right_name: "posteriors",
            right: n,
        });
    }
    if draws < 10 {
        return Err(Error::invalid_parameter(
            "draws",
            draws,
            "must be at least 10",
        ));
    }
    if draws.saturating_mul(n) > MAX_RANK_CELLS {
        return Err(Error::invalid_parameter(
            "draws",
            draws,
            format!("{draws} draws x {n} groups is more than {MAX_RANK_CELLS} ranks to keep; use fewer draws"),
        ));
    }
    let mut order = Vec::new();
    let mut point = vec![(0.0, 0.0, 0.0); n];
    ranks(estimates, k, &mut order, &mut point);
    // Per draw: every group's rank and top/bottom shares, computed in blocks of draws.
    const PER_BLOCK: usize = 16;
    let blocks = draws.div_ceil(PER_BLOCK);
    let parts = crate::parallel::map_blocks(blocks, crate::parallel::threads(), |b| {
        let (mut order, mut values) = (Vec::new(), vec![0.0; n]);
        let mut out = vec![(0.0, 0.0, 0.0); n];
        let mut ranks_of = Vec::with_capacity(PER_BLOCK * n);
        let (mut top, mut bottom) = (vec![0.0; n], vec![0.0; n]);
        for d in b * PER_BLOCK..((b + 1) * PER_BLOCK).min(draws) {
            let mut rng = Rng::stream(seed, d as u64);
            for (v, p) in values.iter_mut().zip(posteriors) {
                *v = p.draw(&mut rng);
            }
            ranks(&values, k, &mut order, &mut out);
            for (g, &(r, t, bo)) in out.iter().enumerate() {
                ranks_of.push(r as f32);
                top[g] += t;
                bottom[g] += bo;
            }
        }
        (ranks_of, top, bottom)
    })?;
    let (mut top, mut bottom) = (vec![0.0; n], vec![0.0; n]);
    let mut by_group: Vec<Vec<f64>> = vec![Vec::with_capacity(draws); n];
    for (ranks_of, t, bo) in parts {
        for (g, r) in ranks_of.iter().enumerate() {
            by_group[g % n].push(f64::from(*r));
        }
        for g in 0..n {
            top[g] += t[g];
            bottom[g] += bo[g];
        }
    }
    let tail = confidence.alpha() / 2.0;
    Ok(by_group
        .into_iter()
        .enumerate()
        .map(|(g, mut r)| {
            r.sort_unstable_by(f64::total_cmp);
            GroupRank {
                rank: point[g].0,
                lower: quantile_sorted(&r, tail),
                upper: quantile_sorted(&r, 1.0 - tail),
                p_top: top[g] / draws as f64,
                p_bottom: bottom[g] / draws as f64,
            }
        })
        .collect())
}
