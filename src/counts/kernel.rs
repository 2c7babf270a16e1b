//! One-pass counting kernels: scores (any integer or float type) to per-point counts.
//!
//! The loops run over contiguous slices with one predictable branch per element. An invalid score stops
//! the pass and is reported with its position; a missing one (NaN) is counted or, under
//! [`MissingPolicy::Raise`], reported.

use crate::error::{Error, Result};
use crate::scale::Scale;

crate::names::named_enum! {
    /// What to do with missing scores (NaN in float input; integer input has none).
    #[derive(Default)]
    pub enum MissingPolicy {
        /// Exclude missing answers from the denominator and count them (`n_missing`). The default.
        #[default]
        Omit = "omit",
        /// Fail with [`Error::MissingValue`] at the first missing answer.
        Raise = "raise",
    }
    unknown = |name| Error::UnknownOption { option: "missing policy", name, valid: MissingPolicy::NAMES };
}

/// Where a score falls on a scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The zero-based point of the scale.
    Point(usize),
    /// A missing answer (NaN).
    Missing,
    /// Not a point of the scale (out of range, not a whole number, infinite).
    Invalid,
}

mod sealed {
    pub trait Sealed {}
}

/// A numeric type scores can be given in: `i8`-`i64`, `u8`-`u64`, `f32`, `f64`.
///
/// Floats carry missing answers as NaN; integer types have no missing value.
pub trait ScoreValue: Copy + Send + Sync + 'static + sealed::Sealed {
    /// Whether the type can hold a missing answer (NaN): the float types.
    #[doc(hidden)]
    const HAS_MISSING: bool = false;
    /// Where this score falls on a scale starting at `min` with `points` points.
    #[doc(hidden)]
    fn slot(self, min: i64, points: u64) -> Slot;
    /// Branch-free form of [`ScoreValue::slot`] for the counting loop: the point index, `points` for an
    /// invalid score, `points + 1` for a missing one.
    #[doc(hidden)]
    fn bin(self, min: i64, points: u64) -> usize;
    /// The score as `f64` (for error messages).
    fn to_f64(self) -> f64;
    /// The score exactly, for integer types (error messages name it even beyond 2^53).
    #[doc(hidden)]
    fn to_exact(self) -> Option<i128> {
        None
    }
    /// For the one-byte types (`u8`, `i8`): the raw byte, for a direct-indexed histogram.
    #[doc(hidden)]
    fn byte(self) -> Option<u8> {
        None
    }
    /// For the one-byte types: the score whose raw byte is `b`.
    #[doc(hidden)]
    fn from_byte(_b: u8) -> Option<Self> {
        None
    }
}

macro_rules! signed_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            #[inline(always)]
            fn slot(self, min: i64, points: u64) -> Slot {
                let offset = (self as i64).wrapping_sub(min) as u64;
                if offset < points { Slot::Point(offset as usize) } else { Slot::Invalid }
            }
            #[inline(always)]
            fn bin(self, min: i64, points: u64) -> usize {
                let offset = (self as i64).wrapping_sub(min) as u64;
                offset.min(points) as usize
            }
            fn to_f64(self) -> f64 { self as f64 }
            fn to_exact(self) -> Option<i128> { Some(self as i128) }
        }
    )*};
}
signed_score!(i16, i32, i64);

macro_rules! unsigned_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            #[inline(always)]
            fn slot(self, min: i64, points: u64) -> Slot {
                // Widen to i128 so that values above i64::MAX can never wrap into the scale.
                let offset = (self as i128) - (min as i128);
                if offset >= 0 && (offset as u128) < points as u128 {
                    Slot::Point(offset as usize)
                } else {
                    Slot::Invalid
                }
            }
            #[inline(always)]
            fn bin(self, min: i64, points: u64) -> usize {
                let offset = (self as i128) - (min as i128);
                (offset.clamp(0, points as i128) as usize) | (((offset < 0) as usize) * points as usize)
            }
            fn to_f64(self) -> f64 { self as f64 }
            fn to_exact(self) -> Option<i128> { Some(self as i128) }
        }
    )*};
}
unsigned_score!(u16, u32, u64);

macro_rules! byte_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            #[inline(always)]
            fn slot(self, min: i64, points: u64) -> Slot {
                let offset = (self as i64) - min;
                if offset >= 0 && (offset as u64) < points { Slot::Point(offset as usize) } else { Slot::Invalid }
            }
            #[inline(always)]
            fn bin(self, min: i64, points: u64) -> usize {
                match self.slot(min, points) {
                    Slot::Point(k) => k,
                    _ => points as usize,
                }
            }
            fn to_f64(self) -> f64 { self as f64 }
            #[inline(always)]
            fn byte(self) -> Option<u8> { Some(self as u8) }
            fn from_byte(b: u8) -> Option<Self> { Some(b as $t) }
        }
    )*};
}
byte_score!(u8, i8);

macro_rules! float_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            const HAS_MISSING: bool = true;
            #[inline(always)]
            fn slot(self, min: i64, points: u64) -> Slot {
                let offset = self as f64 - min as f64;
                if offset >= 0.0 && offset < points as f64 && offset == offset.trunc() {
                    Slot::Point(offset as usize)
                } else if self.is_nan() {
                    Slot::Missing
                } else {
                    Slot::Invalid
                }
            }
            #[inline(always)]
            fn bin(self, min: i64, points: u64) -> usize {
                // `offset as i64` truncates (saturating, NaN to 0); comparing back avoids a libm
                // trunc() call.
                let offset = self as f64 - min as f64;
                let index = offset as i64;
                let valid = (index as u64) < points && index as f64 == offset;
                let other = points as usize + self.is_nan() as usize;
                if valid { index as usize } else { other }
            }
            fn to_f64(self) -> f64 { self as f64 }
        }
    )*};
}
float_score!(f32, f64);

/// The error for an invalid score: not a whole number, or outside the scale.
pub(crate) fn invalid_score(value: f64, position: usize, scale: Scale) -> Error {
    invalid_score_exact(value, None, position, scale)
}

/// [`invalid_score`] of a score that may be an integer `f64` cannot hold (`exact`).
pub(crate) fn invalid_score_exact(
    value: f64,
    exact: Option<i128>,
    position: usize,
    scale: Scale,
) -> Error {
    if exact.is_none() && value.is_finite() && value.fract() != 0.0 {
        Error::NonIntegerScore { value, position }
    } else {
        Error::ScoreOutOfRange {
            value,
            exact: exact.filter(|x| x.unsigned_abs() > 1 << 53),
            position,
            min: scale.min(),
            max: scale.max(),
        }
    }
}

/// Adds the scores to `counts` (one slot per scale point); returns the number of missing scores.
///
/// The loop is branch-free: each score goes to its point's bin, or to an "invalid" or "missing" bin,
/// in four interleaved histograms (so consecutive increments of one bin do not wait on each other).
/// Only when the invalid bin (or, under [`MissingPolicy::Raise`], the missing bin) is not empty is
/// the input scanned again, to name the first offending score and its position.
pub(crate) fn count_scores<T: ScoreValue>(
    scores: &[T],
    scale: Scale,
    policy: MissingPolicy,
    counts: &mut [u64],
) -> Result<u64> {
    debug_assert_eq!(counts.len(), scale.points());
    if T::from_byte(0).is_some() {
        return count_bytes(scores, scale, policy, counts);
    }
    let points = scale.points();
    let bins = points + 2;
    if let Some(totals) = super::narrow::count_wide(scores, scale.min(), points) {
        return finish(scores, scale, policy, counts, &totals);
    }
    // Large inputs: the histogram of each part on its own thread, then summed.
    let threads = if scores.len() >= PARALLEL_SCORES && bins <= 4096 {
        crate::parallel::threads().min(scores.len() / (PARALLEL_SCORES / 2))
    } else {
        1
    };
    let claim = PARALLEL_SCORES / 8;
    let totals = crate::parallel::for_each_block(
        scores.len().div_ceil(claim),
        threads,
        || vec![0u64; bins],
        |totals, b| {
            let part = &scores[b * claim..((b + 1) * claim).min(scores.len())];
            for (t, h) in totals.iter_mut().zip(histogram(part, scale)) {
                *t += h;
            }
        },
    )
    .into_iter()
    .reduce(|mut acc, part| {
        for (a, b) in acc.iter_mut().zip(part) {
            *a += b;
        }
        acc
    })
    .unwrap_or_else(|| vec![0u64; bins]);
    finish(scores, scale, policy, counts, &totals)
}

/// Adds the point totals of a counting pass (points, then the invalid and the missing bin) to
/// `counts` and returns the missing count, or names the first problem when there is one.
fn finish<T: ScoreValue>(
    scores: &[T],
    scale: Scale,
    policy: MissingPolicy,
    counts: &mut [u64],
    totals: &[u64],
) -> Result<u64> {
    let points = scale.points();
    let (invalid, missing) = (totals[points], totals[points + 1]);
    if invalid > 0 || (missing > 0 && policy == MissingPolicy::Raise) {
        return Err(problem_seen(scores, scale, policy));
    }
    for (c, t) in counts.iter_mut().zip(totals) {
        *c += t;
    }
    Ok(missing)
}

/// Inputs from this many scores on are counted on several threads.
const PARALLEL_SCORES: usize = 1 << 20;

/// The histogram of `scores` over the scale's points plus an invalid and a missing bin, in four
/// interleaved histograms (so consecutive increments of one bin do not wait on each other).
fn histogram<T: ScoreValue>(scores: &[T], scale: Scale) -> Vec<u64> {
    let min = scale.min();
    let points = scale.points();
    let bins = points + 2;
    let mut hist = vec![0u64; 4 * bins];
    let (h0, rest) = hist.split_at_mut(bins);
    let (h1, rest) = rest.split_at_mut(bins);
    let (h2, h3) = rest.split_at_mut(bins);
    let mut chunks = scores.chunks_exact(4);
    for c in &mut chunks {
        h0[c[0].bin(min, points as u64)] += 1;
        h1[c[1].bin(min, points as u64)] += 1;
        h2[c[2].bin(min, points as u64)] += 1;
        h3[c[3].bin(min, points as u64)] += 1;
    }
    for &v in chunks.remainder() {
        h0[v.bin(min, points as u64)] += 1;
    }
    (0..bins).map(|k| h0[k] + h1[k] + h2[k] + h3[k]).collect()
}

/// [`count_scores`] for one-byte types: a direct-indexed 256-bin histogram (four interleaved), folded
/// onto the scale afterwards.
fn count_bytes<T: ScoreValue>(
    scores: &[T],
    scale: Scale,
    policy: MissingPolicy,
    counts: &mut [u64],
) -> Result<u64> {
    let points = scale.points();
    if points <= super::simd::MAX_POINTS && std::mem::size_of::<T>() == 1 {
        // The byte of each scale point that the type can hold (u8: 0..=255; i8: -128..=127).
        let unsigned = T::from_byte(255).is_some_and(|v| v.to_f64() > 0.0);
        let byte_of = |v: i64| {
            if unsigned {
                (0..=255).contains(&v).then_some(v as u8)
            } else {
                (-128..=127).contains(&v).then_some(v as i8 as u8)
            }
        };
        let (mut targets, mut slots) = (Vec::new(), Vec::new());
        for k in 0..points {
            if let Some(b) = byte_of(scale.min() + k as i64) {
                targets.push(b);
                slots.push(k);
            }
        }
        // SAFETY: the one-byte score types are u8 and i8 (the trait is sealed), plain bytes.
        let bytes =
            unsafe { std::slice::from_raw_parts(scores.as_ptr() as *const u8, scores.len()) };
        let mut found = vec![0u64; targets.len()];
        if super::simd::count_byte_values(bytes, &targets, &mut found).is_some() {
            if found.iter().sum::<u64>() != scores.len() as u64 {
                return Err(problem_seen(scores, scale, policy));
            }
            for (&k, c) in slots.iter().zip(found) {
                counts[k] += c;
            }
            return Ok(0);
        }
    }
    let mut hist = [[0u64; 256]; 4];
    let mut chunks = scores.chunks_exact(4);
    let byte = |v: T| v.byte().unwrap_or(0) as usize;
    for c in &mut chunks {
        hist[0][byte(c[0])] += 1;
        hist[1][byte(c[1])] += 1;
        hist[2][byte(c[2])] += 1;
        hist[3][byte(c[3])] += 1;
    }
    for &v in chunks.remainder() {
        hist[0][byte(v)] += 1;
    }
    let points = scale.points() as u64;
    let mut folded = vec![0u64; counts.len()];
    for b in 0..=255u8 {
        let total: u64 = hist.iter().map(|h| h[b as usize]).sum();
        if total == 0 {
            continue;
        }
        match T::from_byte(b).map(|v| v.slot(scale.min(), points)) {
            Some(Slot::Point(k)) => folded[k] += total,
            _ => return Err(problem_seen(scores, scale, policy)),
        }
    }
    for (c, f) in counts.iter_mut().zip(folded) {
        *c += f;
    }
    Ok(0)
}

/// The problem that the counting pass saw, named by a rescan: [`first_problem`], or
/// [`Error::InputChanged`] when the rescan finds none (the scores were written to during the call).
pub(crate) fn problem_seen<T: ScoreValue>(
    scores: &[T],
    scale: Scale,
    policy: MissingPolicy,
) -> Error {
    first_problem(scores, scale, policy).unwrap_or(Error::InputChanged { what: "scores" })
}

/// The first invalid score (or missing one, under [`MissingPolicy::Raise`]), as an error; `None`
/// when there is none.
pub(crate) fn first_problem<T: ScoreValue>(
    scores: &[T],
    scale: Scale,
    policy: MissingPolicy,
) -> Option<Error> {
    scores
        .iter()
        .enumerate()
        .find_map(|(position, &score)| score_problem(score, position, scale, policy))
}

/// The problem with the score at `position`, if any: invalid on `scale`, or missing under
/// [`MissingPolicy::Raise`].
pub(crate) fn score_problem<T: ScoreValue>(
    score: T,
    position: usize,
    scale: Scale,
    policy: MissingPolicy,
) -> Option<Error> {
    match score.slot(scale.min(), scale.points() as u64) {
        Slot::Point(_) => None,
        Slot::Missing if policy == MissingPolicy::Omit => None,
        Slot::Missing => Some(Error::MissingValue { position }),
        Slot::Invalid => Some(invalid_score_exact(
            score.to_f64(),
            score.to_exact(),
            position,
            scale,
        )),
    }
}

/// The first problem of weighted scores, in position order (at one position, the weight first): an
/// invalid weight (negative, NaN, infinite), an invalid score, or under [`MissingPolicy::Raise`] a
/// missing one. `None` when there is none.
pub(super) fn first_weighted_problem<T: ScoreValue>(
    scores: &[T],
    weights: &[f64],
    scale: Scale,
    policy: MissingPolicy,
) -> Option<Error> {
    scores
        .iter()
        .zip(weights)
        .enumerate()
        .find_map(|(position, (&score, &w))| {
            if !(w >= 0.0 && w.is_finite()) {
                return Some(Error::InvalidWeight { value: w, position });
            }
            score_problem(score, position, scale, policy)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_for_every_type() {
        assert_eq!(5u8.slot(0, 11), Slot::Point(5));
        assert_eq!(11u8.slot(0, 11), Slot::Invalid);
        assert_eq!((-1i8).slot(0, 11), Slot::Invalid);
        assert_eq!((-3i32).slot(-5, 11), Slot::Point(2));
        assert_eq!(u64::MAX.slot(-5, 11), Slot::Invalid);
        assert_eq!((u64::MAX - 2).slot(-5, 11), Slot::Invalid);
        assert_eq!(i64::MIN.slot(0, 11), Slot::Invalid);
        assert_eq!(7.0f64.slot(0, 11), Slot::Point(7));
        assert_eq!(7.5f64.slot(0, 11), Slot::Invalid);
        assert_eq!(f64::NAN.slot(0, 11), Slot::Missing);
        assert_eq!(f64::INFINITY.slot(0, 11), Slot::Invalid);
        assert_eq!((-0.0f32).slot(0, 11), Slot::Point(0));
        assert_eq!(1e300f64.slot(0, 11), Slot::Invalid);
    }

    #[test]
    fn bin_agrees_with_slot() {
        fn agree<T: ScoreValue + std::fmt::Debug>(values: &[T], min: i64, points: u64) {
            for &v in values {
                let expected = match v.slot(min, points) {
                    Slot::Point(k) => k,
                    Slot::Invalid => points as usize,
                    Slot::Missing => points as usize + 1,
                };
                assert_eq!(v.bin(min, points), expected, "{v:?}");
            }
        }
        agree(&[0u8, 5, 10, 11, 255], 0, 11);
        agree(&[0u64, 5, 10, 11, u64::MAX, u64::MAX - 2, 1 << 63], -5, 11);
        agree(&[-6i64, -5, 0, 5, 6, i64::MIN, i64::MAX], -5, 11);
        agree(&[-1i8, 0, 1, 10, 11, i8::MIN, i8::MAX], 0, 11);
        agree(
            &[
                0.0f64,
                7.5,
                -0.0,
                10.0,
                10.5,
                11.0,
                -1.0,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                1e300,
            ],
            0,
            11,
        );
        agree(&[1.0f32, 5.0, 0.5, f32::NAN, 6.0], 1, 5);
    }

    #[test]
    fn invalid_scores_are_named_with_position() {
        let mut c = vec![0; 11];
        let err =
            count_scores(&[1.0, 2.0, 7.5], Scale::NPS, MissingPolicy::Omit, &mut c).unwrap_err();
        assert_eq!(
            err,
            Error::NonIntegerScore {
                value: 7.5,
                position: 2
            }
        );
        let mut c = vec![0; 11];
        let err = count_scores(&[1i64, 99], Scale::NPS, MissingPolicy::Omit, &mut c).unwrap_err();
        assert!(matches!(err, Error::ScoreOutOfRange { position: 1, .. }));
        let mut c = vec![0; 11];
        let err =
            count_scores(&[1.0, f64::NAN], Scale::NPS, MissingPolicy::Raise, &mut c).unwrap_err();
        assert_eq!(err, Error::MissingValue { position: 1 });
    }
}
