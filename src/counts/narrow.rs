//! Counting wide scores (16- to 64-bit integers, `f32`, `f64`) on scales of at most
//! [`MAX_POINTS`](super::simd::MAX_POINTS) points with AVX2, at close to memory speed.
//!
//! Each block of scores is first narrowed to one byte code per score, exactly as
//! [`ScoreValue::bin`] defines it: the point index, `points` for an invalid score, `points + 1` for a
//! missing one (NaN). The codes of 32 scores are computed with vector compares and blends and packed
//! into one 32-byte vector (`packs`, which keep small non-negative values, then a permutation that
//! restores the order of the scores, which the weighted sums need). The byte codes of the block, which stay in L1 cache, are then
//! counted with the compare-and-count kernel of [`super::simd`]. Large inputs are split between
//! threads.
//!
//! Every vector path is an exact restatement of the scalar [`ScoreValue::bin`] (the same wrapping
//! integer differences, the same `f64` arithmetic for floats), and the tests compare the two on edge
//! values of every type.

use super::kernel::ScoreValue;
use super::simd::{MAX_POINTS, MAX_TARGETS};
use std::any::TypeId;

/// Scores narrowed per block: a multiple of 32, and of 255 × 32 so the byte counters of the counting
/// kernel are widened exactly once per block.
const BLOCK: usize = 255 * 32;
/// Scores per unit of work claimed by a thread.
const CLAIM: usize = 8 * BLOCK;

/// The counts of `scores` by bin (the points, then the invalid and the missing bin, as
/// [`ScoreValue::bin`]), or `None` when this path does not apply: not x86-64 with AVX2, more than
/// [`MAX_POINTS`] points, or a one-byte type (counted directly by [`super::simd`]).
pub(super) fn count_wide<T: ScoreValue>(scores: &[T], min: i64, points: usize) -> Option<Vec<u64>> {
    if points == 0 || points > MAX_POINTS || std::mem::size_of::<T>() == 1 {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return None;
        }
        // The codes to count: every bin when they are few enough for the kernel of consecutive
        // values; otherwise every point and the missing code (floats only), the invalid scores
        // being what is left.
        let all_bins = points + 2 <= 16;
        let targets: Vec<u8> = if all_bins {
            (0..points as u8 + 2).collect()
        } else if T::HAS_MISSING {
            (0..points as u8).chain([points as u8 + 1]).collect()
        } else {
            (0..points as u8).collect()
        };
        let targets = &targets[..];
        let found = super::simd::sum_over_parts(scores, CLAIM, |part| {
            // SAFETY: AVX2 is available (checked above); at most MAX_TARGETS targets.
            unsafe { count_part(part, min, points, targets) }
        });
        let mut totals = vec![0u64; points + 2];
        if all_bins {
            totals.copy_from_slice(&found[..points + 2]);
        } else {
            totals[..points].copy_from_slice(&found[..points]);
            if T::HAS_MISSING {
                totals[points + 1] = found[points];
            }
        }
        if !all_bins {
            let counted: u64 = totals.iter().sum();
            totals[points] = scores.len() as u64 - counted;
        }
        Some(totals)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (scores, min);
        None
    }
}

/// Writes the code of every score of `block` (as [`ScoreValue::bin`], so at most `points + 1`) into
/// `codes` (same length) with the vector narrowing; `false`, with nothing written, where it does not
/// apply (no AVX2, more than [`MAX_POINTS`] points).
pub(crate) fn codes<T: ScoreValue>(block: &[T], min: i64, points: usize, codes: &mut [u8]) -> bool {
    debug_assert_eq!(block.len(), codes.len());
    if points == 0 || points > MAX_POINTS {
        return false;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 is available.
            unsafe { narrow(block, min, points, codes) };
            return true;
        }
    }
    let _ = (block, min, codes);
    false
}

/// Narrows and counts one thread's part, block by block.
///
/// # Safety
/// The CPU must support AVX2; `targets` has at most [`MAX_TARGETS`] values.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn count_part<T: ScoreValue>(
    part: &[T],
    min: i64,
    points: usize,
    targets: &[u8],
) -> [u64; MAX_TARGETS] {
    let mut codes = [0u8; BLOCK];
    let mut totals = [0u64; MAX_TARGETS];
    for block in part.chunks(BLOCK) {
        let codes = &mut codes[..block.len()];
        narrow(block, min, points, codes);
        let found = super::simd::count_avx2(codes, targets);
        for (t, f) in totals.iter_mut().zip(found) {
            *t += f;
        }
    }
    totals
}

/// Reinterprets `values` as a slice of `U` when `T` is `U`.
fn cast<T: 'static, U: 'static>(values: &[T]) -> Option<&[U]> {
    // SAFETY: T and U are the same type, so the layout is the same.
    (TypeId::of::<T>() == TypeId::of::<U>())
        .then(|| unsafe { std::slice::from_raw_parts(values.as_ptr() as *const U, values.len()) })
}

/// Writes the byte code of every score of `block` into `codes` (same length).
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn narrow<T: ScoreValue>(block: &[T], min: i64, points: usize, codes: &mut [u8]) {
    let whole = block.len() / 32 * 32;
    let (head, tail) = codes.split_at_mut(whole);
    let done = if let Some(v) = cast::<T, i64>(block) {
        vector::i64s(&v[..whole], min, points, head);
        true
    } else if let Some(v) = cast::<T, u64>(block).filter(|_| min >= 0) {
        // Read as i64: with min >= 0, (x - min) mod 2^64 < points exactly when x - min is a point
        // (x below min wraps to at least 2^64 - 2^53; x at or above 2^63 is negative as i64 and so
        // wraps to at least 2^63).
        let v = std::slice::from_raw_parts(v.as_ptr() as *const i64, v.len());
        vector::i64s(&v[..whole], min, points, head);
        true
    } else if let (Some(v), Ok(min32)) = (cast::<T, i32>(block), i32::try_from(min)) {
        vector::i32s(&v[..whole], min32, points, head);
        true
    } else if let (Some(v), true) = (cast::<T, u32>(block), (0..=i32::MAX as i64).contains(&min)) {
        // Read as i32: with 0 <= min < 2^31, (x - min) mod 2^32 < points exactly when x - min is a
        // point (negative differences are above -2^31 and wrap to above 2^31).
        let v = std::slice::from_raw_parts(v.as_ptr() as *const i32, v.len());
        vector::i32s(&v[..whole], min as i32, points, head);
        true
    } else if let (Some(v), Ok(min32)) = (cast::<T, i16>(block), i32::try_from(min)) {
        vector::i16s(&v[..whole], min32, points, head);
        true
    } else if let (Some(v), Ok(min32)) = (cast::<T, u16>(block), i32::try_from(min)) {
        vector::u16s(&v[..whole], min32, points, head);
        true
    } else if let Some(v) = cast::<T, f64>(block) {
        vector::f64s(&v[..whole], min as f64, points, head);
        true
    } else if let Some(v) = cast::<T, f32>(block) {
        vector::f32s(&v[..whole], min as f64, points, head);
        true
    } else {
        false
    };
    let start = if done { whole } else { 0 };
    let rest = if done { tail } else { codes };
    for (c, &v) in rest.iter_mut().zip(&block[start..]) {
        *c = v.bin(min, points as u64) as u8;
    }
}

/// The vector narrowing of 32 scores at a time, one function per lane type. Each takes a slice whose
/// length is a multiple of 32 and writes the code of each score, in order, to `codes`.
#[cfg(target_arch = "x86_64")]
mod vector {
    use std::arch::x86_64::*;

    /// Packs 32-bit lanes holding the codes (0..=255, so unchanged by saturation) of 32 consecutive
    /// scores, 8 per vector, into 32 bytes in the same order.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn pack_i32x32(a: __m256i, b: __m256i, c: __m256i, d: __m256i) -> __m256i {
        let ab = _mm256_packs_epi32(a, b);
        let cd = _mm256_packs_epi32(c, d);
        // The packs work within 128-bit lanes: the groups of 4 codes come out as 0, 2, 4, 6 in the
        // low lane and 1, 3, 5, 7 in the high one.
        let groups = _mm256_packus_epi16(ab, cd);
        _mm256_permutevar8x32_epi32(groups, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7))
    }

    /// `a < b` for 32-bit lanes read as unsigned, given `b` with its sign bit flipped.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn below_u32(a: __m256i, b_flipped: __m256i) -> __m256i {
        _mm256_cmpgt_epi32(b_flipped, _mm256_xor_si256(a, _mm256_set1_epi32(i32::MIN)))
    }

    /// The codes of 8 scores already widened to 32-bit lanes: `x - min` (wrapping) when it is below
    /// `points` read as unsigned, otherwise `points`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn code_i32(x: __m256i, min: __m256i, limit: __m256i, invalid: __m256i) -> __m256i {
        let offset = _mm256_sub_epi32(x, min);
        _mm256_blendv_epi8(invalid, offset, below_u32(offset, limit))
    }

    /// Scores of type `i64`: the wrapping difference from `min`, compared as unsigned with `points`
    /// (as `ScoreValue::bin` for i64).
    #[target_feature(enable = "avx2")]
    pub(super) fn i64s(values: &[i64], min: i64, points: usize, codes: &mut [u8]) {
        let min = _mm256_set1_epi64x(min);
        let sign = _mm256_set1_epi64x(i64::MIN);
        let limit = _mm256_set1_epi64x(points as i64 ^ i64::MIN);
        let invalid = _mm256_set1_epi64x(points as i64);
        let code = |p: *const i64| {
            // SAFETY: the caller reads 4 values inside `values` (unaligned load).
            let x = unsafe { _mm256_loadu_si256(p as *const __m256i) };
            let offset = _mm256_sub_epi64(x, min);
            let valid = _mm256_cmpgt_epi64(limit, _mm256_xor_si256(offset, sign));
            // A code (< 256) in the low half of each 64-bit lane and zero in the high half: as
            // 32-bit lanes, the code and a zero.
            _mm256_blendv_epi8(invalid, offset, valid)
        };
        for (src, dst) in values.chunks_exact(32).zip(codes.chunks_exact_mut(32)) {
            let p = src.as_ptr();
            // SAFETY: `src` has 32 values, read 4 at a time.
            let c: [__m256i; 8] = std::array::from_fn(|j| code(unsafe { p.add(4 * j) }));
            // 64-bit lanes to 16-bit (codes with zeros between), to 8-bit, then the zeros dropped.
            let a = _mm256_packs_epi32(c[0], c[1]);
            let b = _mm256_packs_epi32(c[2], c[3]);
            let d = _mm256_packs_epi32(c[4], c[5]);
            let e = _mm256_packs_epi32(c[6], c[7]);
            let ab = _mm256_packs_epi16(a, b);
            let de = _mm256_packs_epi16(d, e);
            // Pairs of codes come out as 0, 2, .., 14 in the low 128-bit lane and 1, 3, .., 15 in
            // the high one: 64-bit groups to [0-6 | 1-7 | 8-14 | 9-15], then the pairs interleaved.
            let pairs = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packus_epi16(ab, de));
            let order = _mm256_setr_epi8(
                0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15, 0, 1, 8, 9, 2, 3, 10, 11, 4,
                5, 12, 13, 6, 7, 14, 15,
            );
            let out = _mm256_shuffle_epi8(pairs, order);
            // SAFETY: `dst` has 32 bytes (unaligned store).
            unsafe { _mm256_storeu_si256(dst.as_mut_ptr() as *mut __m256i, out) };
        }
    }

    /// Scores of type `i32` (or `u32` read as `i32`), with `min` in the i32 range.
    #[target_feature(enable = "avx2")]
    pub(super) fn i32s(values: &[i32], min: i32, points: usize, codes: &mut [u8]) {
        let p = values.as_ptr();
        // SAFETY: `lanes_32` asks for 8 values at `k` with `k + 8 <= values.len()` (unaligned).
        let load = |k: usize| unsafe { _mm256_loadu_si256(p.add(k) as *const __m256i) };
        lanes_32(values.len(), load, min, points, codes);
    }

    /// Scores of type `i16`, widened to 32 bits (the difference from an i32 `min` cannot wrap onto a
    /// point).
    #[target_feature(enable = "avx2")]
    pub(super) fn i16s(values: &[i16], min: i32, points: usize, codes: &mut [u8]) {
        let p = values.as_ptr();
        // SAFETY: `lanes_32` asks for 8 values at `k` with `k + 8 <= values.len()` (unaligned).
        let load = |k: usize| {
            _mm256_cvtepi16_epi32(unsafe { _mm_loadu_si128(p.add(k) as *const __m128i) })
        };
        lanes_32(values.len(), load, min, points, codes);
    }

    /// Scores of type `u16`, zero-extended to 32 bits.
    #[target_feature(enable = "avx2")]
    pub(super) fn u16s(values: &[u16], min: i32, points: usize, codes: &mut [u8]) {
        let p = values.as_ptr();
        // SAFETY: `lanes_32` asks for 8 values at `k` with `k + 8 <= values.len()` (unaligned).
        let load = |k: usize| {
            _mm256_cvtepu16_epi32(unsafe { _mm_loadu_si128(p.add(k) as *const __m128i) })
        };
        lanes_32(values.len(), load, min, points, codes);
    }

    /// The codes of `len` integer scores (a multiple of 32), `load(k)` giving scores `k..k + 8` in
    /// 32-bit lanes.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn lanes_32(
        len: usize,
        load: impl Fn(usize) -> __m256i,
        min: i32,
        points: usize,
        codes: &mut [u8],
    ) {
        let min = _mm256_set1_epi32(min);
        let limit = _mm256_set1_epi32(points as i32 ^ i32::MIN);
        let invalid = _mm256_set1_epi32(points as i32);
        for (block, dst) in codes[..len].chunks_exact_mut(32).enumerate() {
            let c: [__m256i; 4] =
                std::array::from_fn(|j| code_i32(load(32 * block + 8 * j), min, limit, invalid));
            let out = pack_i32x32(c[0], c[1], c[2], c[3]);
            // SAFETY: `dst` has 32 bytes (unaligned store).
            unsafe { _mm256_storeu_si256(dst.as_mut_ptr() as *mut __m256i, out) };
        }
    }

    /// The codes of 4 `f64` scores, as 4 i32: as `ScoreValue::bin` for floats, `x - min` in `f64` is
    /// a point when it is a whole number in `[0, points)`; a NaN score is missing (`points + 1`);
    /// anything else is invalid (`points`).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn code_f64(x: __m256d, min: __m256d, points: __m256d, missing: __m256d) -> __m128i {
        let offset = _mm256_sub_pd(x, min);
        let whole = _mm256_round_pd::<{ _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC }>(offset);
        let integral = _mm256_cmp_pd::<_CMP_EQ_OQ>(offset, whole);
        let in_range = _mm256_and_pd(
            _mm256_cmp_pd::<_CMP_GE_OQ>(offset, _mm256_setzero_pd()),
            _mm256_cmp_pd::<_CMP_LT_OQ>(offset, points),
        );
        let valid = _mm256_and_pd(integral, in_range);
        let nan = _mm256_cmp_pd::<_CMP_UNORD_Q>(x, x);
        let other = _mm256_blendv_pd(points, missing, nan);
        // Every lane is now a small whole number, so the conversion is exact.
        _mm256_cvttpd_epi32(_mm256_blendv_pd(other, offset, valid))
    }

    /// Scores of type `f64`.
    #[target_feature(enable = "avx2")]
    pub(super) fn f64s(values: &[f64], min: f64, points: usize, codes: &mut [u8]) {
        let p = values.as_ptr();
        // SAFETY: `floats` asks for 4 values at `k` with `k + 4 <= values.len()` (unaligned load).
        floats(
            values.len(),
            |k| unsafe { _mm256_loadu_pd(p.add(k)) },
            min,
            points,
            codes,
        );
    }

    /// Scores of type `f32`, widened to `f64` exactly (as `ScoreValue::bin` does).
    #[target_feature(enable = "avx2")]
    pub(super) fn f32s(values: &[f32], min: f64, points: usize, codes: &mut [u8]) {
        let p = values.as_ptr();
        // SAFETY: `floats` asks for 4 values at `k` with `k + 4 <= values.len()` (unaligned load).
        let load = |k: usize| _mm256_cvtps_pd(unsafe { _mm_loadu_ps(p.add(k)) });
        floats(values.len(), load, min, points, codes);
    }

    /// The codes of `len` float scores (a multiple of 32), `load(k)` giving scores `k..k + 4` as
    /// `f64`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn floats(
        len: usize,
        load: impl Fn(usize) -> __m256d,
        min: f64,
        points: usize,
        codes: &mut [u8],
    ) {
        let min = _mm256_set1_pd(min);
        let missing = _mm256_set1_pd(points as f64 + 1.0);
        let points = _mm256_set1_pd(points as f64);
        for (block, dst) in codes[..len].chunks_exact_mut(32).enumerate() {
            let c: [__m256i; 4] = std::array::from_fn(|j| {
                let at = 32 * block + 8 * j;
                _mm256_set_m128i(
                    code_f64(load(at + 4), min, points, missing),
                    code_f64(load(at), min, points, missing),
                )
            });
            let out = pack_i32x32(c[0], c[1], c[2], c[3]);
            // SAFETY: `dst` has 32 bytes (unaligned store).
            unsafe { _mm256_storeu_si256(dst.as_mut_ptr() as *mut __m256i, out) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counts::kernel::ScoreValue;

    /// The plain count by `bin`, the definition the vector paths must reproduce.
    fn plain<T: ScoreValue>(scores: &[T], min: i64, points: usize) -> Vec<u64> {
        let mut totals = vec![0u64; points + 2];
        for &v in scores {
            totals[v.bin(min, points as u64)] += 1;
        }
        totals
    }

    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state >> 33
    }

    /// Mixes the edge values into a long run of valid scores at random positions, for lengths around
    /// the block and vector sizes and above the threading threshold, on several scales.
    fn agrees<T: ScoreValue + std::fmt::Debug>(edges: &[T], from_point: impl Fn(i64) -> T) {
        let mut state = 7u64;
        for (min, points) in [
            (0i64, 11usize),
            (1, 5),
            (-3, 7),
            (0, 16),
            (1, 1),
            (-100, 16),
        ] {
            for len in [0usize, 1, 31, 32, 33, 1000, BLOCK + 37, 300_017] {
                let scores: Vec<T> = (0..len)
                    .map(|_| {
                        let r = lcg(&mut state);
                        if r.is_multiple_of(7) && !edges.is_empty() {
                            edges[(r / 7) as usize % edges.len()]
                        } else {
                            from_point(min + (r % points as u64) as i64)
                        }
                    })
                    .collect();
                if let Some(got) = count_wide(&scores, min, points) {
                    assert_eq!(
                        got,
                        plain(&scores, min, points),
                        "min {min} points {points} len {len}"
                    );
                }
                let mut got = vec![0u8; len];
                if codes(&scores, min, points, &mut got) {
                    let want: Vec<u8> = scores
                        .iter()
                        .map(|v| v.bin(min, points as u64) as u8)
                        .collect();
                    assert_eq!(
                        got, want,
                        "codes in order, min {min} points {points} len {len}"
                    );
                }
            }
        }
        // Every edge value alone, at every position of a 32-score vector.
        for &e in edges {
            for pos in [0usize, 5, 31, 32, 40] {
                let mut scores: Vec<T> = (0..64).map(|k| from_point(k % 11)).collect();
                scores[pos] = e;
                for (min, points) in [(0i64, 11usize), (-3, 16), (5, 3)] {
                    if let Some(got) = count_wide(&scores, min, points) {
                        assert_eq!(got, plain(&scores, min, points), "{e:?} at {pos}");
                    }
                }
            }
        }
    }

    #[test]
    fn i64_agrees_with_bin() {
        agrees(
            &[
                i64::MIN,
                i64::MAX,
                -1,
                -4,
                10,
                11,
                12,
                16,
                17,
                1 << 32,
                (1 << 32) + 3,
                -(1 << 53),
            ],
            |v| v,
        );
    }

    #[test]
    fn u64_agrees_with_bin() {
        agrees(
            &[
                u64::MAX,
                u64::MAX - 2,
                1 << 63,
                (1 << 63) + 1,
                11,
                16,
                17,
                1 << 32,
                (1 << 32) + 2,
            ],
            |v| v.max(0) as u64,
        );
    }

    #[test]
    fn i32_and_u32_agree_with_bin() {
        agrees(
            &[i32::MIN, i32::MAX, -1, -4, 11, 16, 17, i32::MIN + 3],
            |v| v as i32,
        );
        agrees(
            &[u32::MAX, u32::MAX - 2, 1 << 31, (1 << 31) + 1, 11, 16, 17],
            |v| v.max(0) as u32,
        );
    }

    #[test]
    fn i16_and_u16_agree_with_bin() {
        agrees(&[i16::MIN, i16::MAX, -1, -4, 11, 16, 17], |v| v as i16);
        agrees(&[u16::MAX, u16::MAX - 2, 1 << 15, 11, 16, 17], |v| {
            v.max(0) as u16
        });
    }

    #[test]
    fn floats_agree_with_bin() {
        agrees(
            &[
                f64::NAN,
                -f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                -0.0,
                0.5,
                -0.5,
                10.5,
                10.999999999999998,
                11.0,
                16.0,
                1e300,
                -1e300,
                4503599627370497.0,
                f64::MIN_POSITIVE,
                5e-324,
            ],
            |v| v as f64,
        );
        agrees(
            &[
                f32::NAN,
                f32::INFINITY,
                -0.0,
                0.5,
                10.5,
                11.0,
                16.0,
                3e38,
                f32::MIN_POSITIVE,
            ],
            |v| v as f32,
        );
    }

    #[test]
    fn scales_far_from_zero_use_the_plain_path_where_needed() {
        // min beyond i32: the 32-bit vector paths must not be taken, and the result stays exact.
        let big = 1i64 << 40;
        let scores: Vec<i32> = (0..1000).map(|k| k % 7).collect();
        if let Some(got) = count_wide(&scores, big, 11) {
            assert_eq!(got, plain(&scores, big, 11));
            assert_eq!(got[11], 1000, "every score is invalid on that scale");
        }
        let scores: Vec<u64> = (0..1000)
            .map(|k| (k % 7) as u64)
            .chain([u64::MAX - 1])
            .collect();
        if let Some(got) = count_wide(&scores, -3, 11) {
            assert_eq!(got, plain(&scores, -3, 11));
        }
    }
}
