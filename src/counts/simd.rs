//! Counting one-byte scores with SIMD (AVX2, detected at run time), on several threads for large
//! inputs. Bytes matching no target are the invalid scores (total minus the counted).
//!
//! Two kernels, both on 32 bytes at a time:
//!
//! - **Consecutive targets** (the points of a scale, up to 16): each byte, minus the first target, is
//!   looked up (`vpshufb`) in one table per pair of targets that gives 1 for the first target of the
//!   pair and 16 for the second, so one byte addition counts two targets in two 4-bit fields. Every
//!   15 vectors the fields are split into byte counters, and every 255 vectors those are widened
//!   with `vpsadbw`. About one instruction per target and vector.
//! - **Any targets**: for each target, compare with the target's byte and subtract the all-ones mask
//!   from a byte counter, widened every 255 vectors. Two instructions per target and vector.

/// Inputs from this many bytes on are split between threads.
const PARALLEL_BYTES: usize = 1 << 21;
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
        // SAFETY: AVX2 is available (checked above).
        let found = sum_over_parts(bytes, CLAIM_BYTES, |part| unsafe {
            count_avx2(part, targets)
        });
        for (o, c) in out.iter_mut().zip(found) {
            *o += c;
        }
        Some(())
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (bytes, out);
        None
    }
}

/// The sum of `count(part)` over the parts of `claim` items of `items`. From [`PARALLEL_BYTES`]
/// bytes on, the parts are claimed by several threads.
pub(super) fn sum_over_parts<T: Sync>(
    items: &[T],
    claim: usize,
    count: impl Fn(&[T]) -> [u64; MAX_TARGETS] + Sync,
) -> [u64; MAX_TARGETS] {
    let bytes = std::mem::size_of_val(items);
    let threads = if bytes >= PARALLEL_BYTES {
        crate::parallel::threads().min(bytes / (PARALLEL_BYTES / 2))
    } else {
        1
    };
    let partial = crate::parallel::for_each_block(
        items.len().div_ceil(claim),
        threads,
        || [0u64; MAX_TARGETS],
        |totals, b| {
            let found = count(&items[b * claim..((b + 1) * claim).min(items.len())]);
            for (t, f) in totals.iter_mut().zip(found) {
                *t += f;
            }
        },
    );
    let mut totals = [0u64; MAX_TARGETS];
    for p in partial {
        for (t, c) in totals.iter_mut().zip(p) {
            *t += c;
        }
    }
    totals
}

/// Dispatches to the kernel compiled for the number of points (so its counters live in registers).
///
/// # Safety
/// The CPU must support AVX2; `targets` has 1 to [`MAX_TARGETS`] values.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn count_avx2(bytes: &[u8], targets: &[u8]) -> [u64; MAX_TARGETS] {
    let consecutive = targets
        .windows(2)
        .all(|pair| pair[1] == pair[0].wrapping_add(1));
    if consecutive && targets.len() <= 16 {
        macro_rules! by_pairs {
            ($($a:literal),*) => {
                match targets.len().div_ceil(2) {
                    $($a => return count_consecutive::<$a>(bytes, targets[0], targets.len()),)*
                    _ => unreachable!("at most 16 consecutive targets"),
                }
            };
        }
        by_pairs!(1, 2, 3, 4, 5, 6, 7, 8)
    }
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

/// Counts of the `k` consecutive byte values `first, first + 1, ..` (wrapping), with `A = ceil(k / 2)`
/// tables of two 4-bit counters each.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn count_consecutive<const A: usize>(
    bytes: &[u8],
    first: u8,
    k: usize,
) -> [u64; MAX_TARGETS] {
    use std::arch::x86_64::*;
    // Table j: 1 at offset 2j, 16 at offset 2j + 1 (within the k targets), 0 elsewhere.
    let tables: [__m256i; A] = std::array::from_fn(|j| {
        let mut entries = [0i8; 16];
        entries[2 * j] = 1;
        if 2 * j + 1 < k {
            entries[2 * j + 1] = 16;
        }
        let lane = _mm_loadu_si128(entries.as_ptr() as *const __m128i);
        _mm256_broadcastsi128_si256(lane)
    });
    let first_v = _mm256_set1_epi8(first as i8);
    // Offsets 0..=15 become 0x70..=0x7f (the table index in the low 4 bits, the high bit clear);
    // larger offsets saturate to 0x80 or more, for which `vpshufb` gives 0.
    let bias = _mm256_set1_epi8(0x70);
    let low4 = _mm256_set1_epi8(0x0f);
    let zero = _mm256_setzero_si256();
    let mut wide = [[zero; 2]; A];
    let whole = bytes.len() / 32 * 32;
    let (body, tail) = bytes.split_at(whole);
    for group in body.chunks(255 * 32) {
        // Byte counters: at most 255 vectors, so at most 255 per byte.
        let mut counters = [[zero; 2]; A];
        for run in group.chunks(15 * 32) {
            // 4-bit fields: at most 15 vectors, so at most 15 per field.
            let mut fields = [zero; A];
            for block in run.chunks_exact(32) {
                // SAFETY: `block` has exactly 32 bytes; unaligned load.
                let v = _mm256_loadu_si256(block.as_ptr() as *const __m256i);
                let index = _mm256_adds_epu8(_mm256_sub_epi8(v, first_v), bias);
                for j in 0..A {
                    fields[j] = _mm256_add_epi8(fields[j], _mm256_shuffle_epi8(tables[j], index));
                }
            }
            for j in 0..A {
                let low = _mm256_and_si256(fields[j], low4);
                let high = _mm256_and_si256(_mm256_srli_epi16::<4>(fields[j]), low4);
                counters[j][0] = _mm256_add_epi8(counters[j][0], low);
                counters[j][1] = _mm256_add_epi8(counters[j][1], high);
            }
        }
        for j in 0..A {
            for h in 0..2 {
                wide[j][h] = _mm256_add_epi64(wide[j][h], _mm256_sad_epu8(counters[j][h], zero));
            }
        }
    }
    let mut totals = [0u64; MAX_TARGETS];
    for (t, total) in totals.iter_mut().enumerate().take(k) {
        let mut lanes = [0u64; 4];
        _mm256_storeu_si256(lanes.as_mut_ptr() as *mut __m256i, wide[t / 2][t % 2]);
        let value = first.wrapping_add(t as u8);
        *total = lanes.iter().sum::<u64>() + tail.iter().filter(|&&b| b == value).count() as u64;
    }
    totals
}

/// Counts of any `P` distinct byte values, by compare and subtract.
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
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        let target_sets: Vec<Vec<u8>> = vec![
            (0..11).collect(),
            (1..6).collect(),
            vec![7],
            (0..16).collect(),
            (0..15).collect(),
            (250..=255).chain(0..5).collect(), // consecutive, wrapping (i8 scales)
            (200..216).collect(),
            vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12], // with a gap: compare kernel
            vec![3, 9, 200],
            (0..17).collect(), // 17 targets: compare kernel
        ];
        for len in [
            0usize,
            1,
            31,
            32,
            33,
            15 * 32 + 1,
            255 * 32 + 7,
            300_000,
            PARALLEL_BYTES + 12_345,
        ] {
            // Any byte (1 in 4), or one of a few values near the targets; a run of one value, to fill
            // the counters of one target to their limit.
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 4 == 0 {
                        (r >> 8) as u8
                    } else {
                        ((r >> 8) % 18) as u8
                    }
                })
                .collect();
            let run = len.min(70_000);
            bytes[..run].fill(9);
            for targets in &target_sets {
                let mut out = vec![0u64; targets.len()];
                if count_byte_values(&bytes, targets, &mut out).is_none() {
                    assert!(targets.len() > MAX_POINTS);
                    continue;
                }
                for (k, &t) in targets.iter().enumerate() {
                    assert_eq!(
                        out[k],
                        bytes.iter().filter(|&&b| b == t).count() as u64,
                        "len {len} targets {targets:?} value {t}"
                    );
                }
            }
        }
    }
}
