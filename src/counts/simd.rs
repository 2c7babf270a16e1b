//! Counting one-byte scores with SIMD compares (AVX2, detected at run time), on several threads for
//! large inputs: for each scale point, compare 32 bytes at once with the point's byte and subtract
//! the all-ones mask from a byte counter; every 255 blocks the byte counters are widened with
//! `_mm256_sad_epu8`. Bytes matching no point are the invalid scores (total minus the counted).

/// Inputs from this many bytes on are split between threads.
pub(super) const PARALLEL_BYTES: usize = 1 << 21;
/// Bytes per unit of work claimed by a thread (a multiple of 255 × 32).
const CLAIM_BYTES: usize = 16 * 255 * 32;
/// The most scale points this path counts (NPS has 11, Likert scales 5 to 10).
pub(crate) const MAX_POINTS: usize = 16;
/// The most byte values one pass counts: every point plus the code of a missing score.
pub(super) const MAX_TARGETS: usize = MAX_POINTS + 1;

/// Counts of `targets[k]` in `bytes`, added to `out[k]`; `None` when the CPU lacks AVX2 or there are
/// more than [`MAX_POINTS`] targets.
pub(crate) fn count_byte_values(bytes: &[u8], targets: &[u8], out: &mut [u64]) -> Option<()> {
    if targets.len() > MAX_POINTS || targets.is_empty() {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return None;
        }
        let threads = if bytes.len() >= PARALLEL_BYTES {
            crate::parallel::threads().min(bytes.len() / (PARALLEL_BYTES / 2))
        } else {
            1
        };
        let blocks = bytes.len().div_ceil(CLAIM_BYTES);
        let partial = crate::parallel::for_each_block(
            blocks,
            threads,
            || [0u64; MAX_TARGETS],
            |totals, b| {
                let part = &bytes[b * CLAIM_BYTES..((b + 1) * CLAIM_BYTES).min(bytes.len())];
                // SAFETY: AVX2 is available (checked above).
                let found = unsafe { count_avx2(part, targets) };
                for (t, f) in totals.iter_mut().zip(found) {
                    *t += f;
                }
            },
        );
        for p in partial {
            for (o, c) in out.iter_mut().zip(p) {
                *o += c;
            }
        }
        Some(())
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (bytes, out);
        None
    }
}

/// Dispatches to the kernel compiled for the number of points (so its counters live in registers).
///
/// # Safety
/// The CPU must support AVX2; `targets` has 1 to [`MAX_TARGETS`] values.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn count_avx2(bytes: &[u8], targets: &[u8]) -> [u64; MAX_TARGETS] {
    macro_rules! by_points {
        ($($p:literal),*) => {
            match targets.len() {
                $($p => count_avx2_n::<$p>(bytes, targets),)*
                _ => unreachable!("at most MAX_TARGETS targets"),
            }
        };
    }
    by_points!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn count_avx2_n<const P: usize>(bytes: &[u8], targets: &[u8]) -> [u64; MAX_TARGETS] {
    use std::arch::x86_64::*;
    let mut totals = [0u64; MAX_TARGETS];
    let mut wanted = [_mm256_setzero_si256(); P];
    for k in 0..P {
        wanted[k] = _mm256_set1_epi8(targets[k] as i8);
    }
    let zero = _mm256_setzero_si256();
    let mut wide = [zero; P];
    let whole = bytes.len() / 32 * 32;
    let (body, tail) = bytes.split_at(whole);
    // Groups of at most 255 vectors, so no byte counter can overflow; the inner loop has no branch
    // but its own, so the counters stay in registers.
    for group in body.chunks(255 * 32) {
        let mut counters = [zero; P];
        for block in group.chunks_exact(32) {
            // SAFETY: `block` has exactly 32 bytes; unaligned load.
            let v = _mm256_loadu_si256(block.as_ptr() as *const __m256i);
            for k in 0..P {
                counters[k] = _mm256_sub_epi8(counters[k], _mm256_cmpeq_epi8(v, wanted[k]));
            }
        }
        for k in 0..P {
            wide[k] = _mm256_add_epi64(wide[k], _mm256_sad_epu8(counters[k], zero));
        }
    }
    for k in 0..P {
        let mut lanes = [0u64; 4];
        _mm256_storeu_si256(lanes.as_mut_ptr() as *mut __m256i, wide[k]);
        totals[k] =
            lanes.iter().sum::<u64>() + tail.iter().filter(|&&b| b == targets[k]).count() as u64;
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_plain_count() {
        let mut state = 5u64;
        for len in [
            0usize,
            1,
            31,
            32,
            33,
            255 * 32 + 7,
            300_000,
            PARALLEL_BYTES + 12_345,
        ] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 33) % 13) as u8
                })
                .collect();
            let targets: Vec<u8> = (0..11).collect();
            let mut out = vec![0u64; 11];
            if count_byte_values(&bytes, &targets, &mut out).is_none() {
                return; // no AVX2 on this machine
            }
            for (k, &t) in targets.iter().enumerate() {
                assert_eq!(
                    out[k],
                    bytes.iter().filter(|&&b| b == t).count() as u64,
                    "len {len} value {t}"
                );
            }
        }
    }
}
