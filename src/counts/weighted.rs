//! Counting weighted scores: per point, the number of responses, the sum of their weights and the sum
//! of their squared weights (all the linearisation variance needs, see
//! [`ScoreCounts::linear_statistic`](super::ScoreCounts::linear_statistic)).
//!
//! One pass over fixed blocks of [`BLOCK`] scores. Each block's scores are turned into codes (the
//! vector narrowing of [`super::narrow`] where it applies, [`ScoreValue::bin`] otherwise), then
//! accumulated in four interleaved tables (so that consecutive additions to one bin do not wait on each
//! other), with a branch-free check of every weight. Blocks are shared between threads, and the
//! per-block sums are added in block order, so the result does not depend on the number of threads.
//! Only when a block holds a problem (an invalid weight or score, or a missing score under
//! [`MissingPolicy::Raise`]) is the input scanned again, in order, to name the first one.

use super::kernel::{first_weighted_problem, MissingPolicy, ScoreValue};
use crate::error::{Error, Result};
use crate::scale::Scale;

/// Scores per block: the unit of work and of the (thread-count independent) summation order.
const BLOCK: usize = 1 << 14;
/// Inputs from this many scores on are counted on several threads.
const PARALLEL_SCORES: usize = 1 << 18;

/// One block's (or one thread's) sums per bin: the points, then the invalid and the missing bin.
struct Sums {
    count: Vec<u64>,
    sum: Vec<f64>,
    sum_sq: Vec<f64>,
    /// Whether some weight was negative, NaN or infinite.
    bad_weight: bool,
}

/// Adds weighted scores to `counts`, `sum_w` and `sum_w2` (one entry per point); returns the number of
/// missing scores. Every weight must be finite and non-negative, also those of missing scores.
pub(crate) fn count_weighted_scores<T: ScoreValue>(
    scores: &[T],
    weights: &[f64],
    scale: Scale,
    policy: MissingPolicy,
    counts: &mut [u64],
    sum_w: &mut [f64],
    sum_w2: &mut [f64],
) -> Result<u64> {
    if scores.len() != weights.len() {
        return Err(Error::LengthMismatch {
            left_name: "scores",
            left: scores.len(),
            right_name: "weights",
            right: weights.len(),
        });
    }
    let points = scale.points();
    let blocks = scores.len().div_ceil(BLOCK);
    let threads = if scores.len() >= PARALLEL_SCORES {
        crate::parallel::threads().min(blocks)
    } else {
        1
    };
    let per_thread = crate::parallel::for_each_block(
        blocks,
        threads,
        || (vec![0u8; BLOCK], Vec::new()),
        |(codes, sums), b| {
            let range = b * BLOCK..((b + 1) * BLOCK).min(scores.len());
            sums.push((
                b,
                block_sums(&scores[range.clone()], &weights[range], scale, codes),
            ));
        },
    );
    // Block order, whichever thread counted each block.
    let mut per_block: Vec<(usize, Sums)> =
        per_thread.into_iter().flat_map(|(_, sums)| sums).collect();
    per_block.sort_unstable_by_key(|(b, _)| *b);
    let mut total = Sums {
        count: vec![0; points + 2],
        sum: vec![0.0; points + 2],
        sum_sq: vec![0.0; points + 2],
        bad_weight: false,
    };
    for (_, block) in per_block {
        for k in 0..points + 2 {
            total.count[k] += block.count[k];
            total.sum[k] += block.sum[k];
            total.sum_sq[k] += block.sum_sq[k];
        }
        total.bad_weight |= block.bad_weight;
    }
    let missing = total.count[points + 1];
    if total.bad_weight
        || total.count[points] > 0
        || (missing > 0 && policy == MissingPolicy::Raise)
    {
        // A rescan that finds nothing means the inputs were written to during the call.
        return Err(
            first_weighted_problem(scores, weights, scale, policy).unwrap_or(Error::InputChanged {
                what: "scores or weights",
            }),
        );
    }
    for k in 0..points {
        counts[k] += total.count[k];
        sum_w[k] += total.sum[k];
        sum_w2[k] += total.sum_sq[k];
    }
    Ok(missing)
}

/// The sums of one block, in a fixed order: four interleaved tables (by position modulo 4), added
/// together at the end.
fn block_sums<T: ScoreValue>(
    scores: &[T],
    weights: &[f64],
    scale: Scale,
    codes: &mut [u8],
) -> Sums {
    let (min, points) = (scale.min(), scale.points());
    let bad_weight = !all_valid_weights(weights);
    let codes = &mut codes[..scores.len()];
    let mut sums = if super::narrow::codes(scores, min, points, codes) {
        small_scale_sums(codes, weights, points)
    } else {
        let bins = points + 2;
        let mut count = vec![0u64; 4 * bins];
        let mut sum = vec![0.0f64; 4 * bins];
        let mut sum_sq = vec![0.0f64; 4 * bins];
        let mut add = |lane: usize, bin: usize, w: f64| {
            let at = lane * bins + bin;
            count[at] += 1;
            sum[at] += w;
            sum_sq[at] += w * w;
        };
        let mut quads = scores.chunks_exact(4).zip(weights.chunks_exact(4));
        for (s, w) in &mut quads {
            for lane in 0..4 {
                add(lane, s[lane].bin(min, points as u64), w[lane]);
            }
        }
        let done = scores.len() / 4 * 4;
        for (&s, &w) in scores[done..].iter().zip(&weights[done..]) {
            add(0, s.bin(min, points as u64), w);
        }
        let fold_f = |v: &[f64]| {
            (0..bins)
                .map(|k| (v[k] + v[bins + k]) + (v[2 * bins + k] + v[3 * bins + k]))
                .collect()
        };
        Sums {
            count: (0..bins)
                .map(|k| (0..4).map(|l| count[l * bins + k]).sum())
                .collect(),
            sum: fold_f(&sum),
            sum_sq: fold_f(&sum_sq),
            bad_weight: false,
        }
    };
    sums.bad_weight = bad_weight;
    sums
}

/// Whether every weight is a finite, non-negative number (not NaN), in one branch-free pass: with
/// SSE2 compares two at a time on x86-64 (where the compiler would otherwise test the bits of each
/// weight one by one).
fn all_valid_weights(weights: &[f64]) -> bool {
    let valid = |w: f64| (0.0..=f64::MAX).contains(&w);
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        let pairs = weights.chunks_exact(2);
        let rest = pairs.remainder();
        // SAFETY: SSE2 is part of x86-64; each load reads the two weights of a pair (unaligned).
        let all = unsafe {
            let (zero, max) = (_mm_setzero_pd(), _mm_set1_pd(f64::MAX));
            let mut ok = _mm_cmpeq_pd(zero, zero);
            for pair in pairs {
                let w = _mm_loadu_pd(pair.as_ptr());
                // Ordered compares: false for NaN.
                ok = _mm_and_pd(ok, _mm_and_pd(_mm_cmpge_pd(w, zero), _mm_cmple_pd(w, max)));
            }
            _mm_movemask_pd(ok) == 0b11
        };
        all && rest.iter().all(|&w| valid(w))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        weights.iter().all(|&w| valid(w))
    }
}

/// [`block_sums`] over byte codes (scales of at most 16 points, so codes below 32): fixed tables
/// indexed by code and lane, which stay in L1 cache and need no bounds checks.
fn small_scale_sums(codes: &[u8], weights: &[f64], points: usize) -> Sums {
    let mut count = [[0u64; 4]; 32];
    let mut sum = [[0.0f64; 4]; 32];
    let mut sum_sq = [[0.0f64; 4]; 32];
    let mut quads = codes.chunks_exact(4).zip(weights.chunks_exact(4));
    for (c, w) in &mut quads {
        for lane in 0..4 {
            let bin = (c[lane] & 31) as usize;
            count[bin][lane] += 1;
            sum[bin][lane] += w[lane];
            sum_sq[bin][lane] += w[lane] * w[lane];
        }
    }
    let done = codes.len() / 4 * 4;
    for (&c, &w) in codes[done..].iter().zip(&weights[done..]) {
        let bin = (c & 31) as usize;
        count[bin][0] += 1;
        sum[bin][0] += w;
        sum_sq[bin][0] += w * w;
    }
    let fold = |v: &[f64; 4]| (v[0] + v[1]) + (v[2] + v[3]);
    let bins = points + 2;
    Sums {
        count: count[..bins].iter().map(|c| c.iter().sum()).collect(),
        sum: sum[..bins].iter().map(fold).collect(),
        sum_sq: sum_sq[..bins].iter().map(fold).collect(),
        bad_weight: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counts::kernel::Slot;

    /// The plain sequential sums, the definition.
    fn plain<T: ScoreValue>(
        scores: &[T],
        weights: &[f64],
        scale: Scale,
    ) -> (Vec<u64>, Vec<f64>, Vec<f64>, u64) {
        let p = scale.points();
        let (mut c, mut s, mut q, mut missing) = (vec![0; p], vec![0.0; p], vec![0.0; p], 0);
        for (&x, &w) in scores.iter().zip(weights) {
            match x.slot(scale.min(), p as u64) {
                Slot::Point(k) => {
                    c[k] += 1;
                    s[k] += w;
                    q[k] += w * w;
                }
                Slot::Missing => missing += 1,
                Slot::Invalid => panic!("valid input only"),
            }
        }
        (c, s, q, missing)
    }

    fn check<T: ScoreValue>(scores: &[T], weights: &[f64], scale: Scale) {
        let p = scale.points();
        let (mut c, mut s, mut q) = (vec![0; p], vec![0.0; p], vec![0.0; p]);
        let missing = count_weighted_scores(
            scores,
            weights,
            scale,
            MissingPolicy::Omit,
            &mut c,
            &mut s,
            &mut q,
        )
        .unwrap();
        let (pc, ps, pq, pm) = plain(scores, weights, scale);
        assert_eq!((c, missing), (pc, pm), "len {}", scores.len());
        for (a, b) in s.iter().zip(&ps).chain(q.iter().zip(&pq)) {
            assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} vs {b}");
        }
    }

    #[test]
    fn equals_the_plain_sums_for_every_path() {
        let mut state = 3u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        for len in [
            0usize,
            1,
            5,
            4096,
            BLOCK + 3,
            PARALLEL_SCORES + 4 * BLOCK + 7,
        ] {
            let raw: Vec<u64> = (0..len).map(|_| next()).collect();
            let weights: Vec<f64> = raw.iter().map(|r| (r % 1000) as f64 / 250.0).collect();
            let f: Vec<f64> = raw
                .iter()
                .map(|r| {
                    if r % 17 == 0 {
                        f64::NAN
                    } else {
                        (r % 11) as f64
                    }
                })
                .collect();
            check(&f, &weights, Scale::NPS);
            let b: Vec<u8> = raw.iter().map(|r| (r % 11) as u8).collect();
            check(&b, &weights, Scale::NPS);
            let i: Vec<i64> = raw.iter().map(|r| (r % 40) as i64 - 20).collect();
            check(&i, &weights, Scale::new(-20, 19).unwrap());
            let wide: Vec<i32> = raw.iter().map(|r| (r % 300) as i32).collect();
            check(&wide, &weights, Scale::new(0, 299).unwrap());
        }
    }

    #[test]
    fn the_first_problem_is_named_wherever_it_is() {
        let n = PARALLEL_SCORES + 3 * BLOCK + 5;
        let scores: Vec<f64> = (0..n).map(|k| (k % 11) as f64).collect();
        let weights = vec![1.0; n];
        let run = |s: &[f64], w: &[f64], policy| {
            let (mut c, mut a, mut b) = (vec![0; 11], vec![0.0; 11], vec![0.0; 11]);
            count_weighted_scores(s, w, Scale::NPS, policy, &mut c, &mut a, &mut b)
        };
        for bad in [f64::NAN, -1.0, f64::INFINITY, -f64::INFINITY, -1e-300] {
            for at in [0, 1, BLOCK - 1, n - 1, n / 2 + 1] {
                let mut w = weights.clone();
                w[at] = bad;
                match run(&scores, &w, MissingPolicy::Omit) {
                    Err(Error::InvalidWeight { position, .. }) => assert_eq!(position, at),
                    other => panic!("{bad} at {at}: {other:?}"),
                }
                // An earlier invalid score is named first; a later one is not.
                let mut s = scores.clone();
                s[at / 2] = 11.0;
                if at / 2 < at {
                    assert!(matches!(
                        run(&s, &w, MissingPolicy::Omit),
                        Err(Error::ScoreOutOfRange { position, .. }) if position == at / 2
                    ));
                }
            }
        }
        // -0.0 and the largest finite weight are valid; a missing score is counted, or named.
        let mut w = weights.clone();
        w[3] = -0.0;
        w[n - 2] = f64::MAX;
        let mut s = scores.clone();
        s[BLOCK + 1] = f64::NAN;
        assert_eq!(run(&s, &w, MissingPolicy::Omit), Ok(1));
        assert_eq!(
            run(&s, &w, MissingPolicy::Raise),
            Err(Error::MissingValue {
                position: BLOCK + 1
            })
        );
        assert!(matches!(
            run(&s[1..], &w, MissingPolicy::Omit),
            Err(Error::LengthMismatch { .. })
        ));
    }
}
