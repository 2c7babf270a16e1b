//! Counts and indicators from raw bytes read as u8, i8, i16, u32, i64, u64, f32 and f64 scores (any
//! bit pattern: NaN, infinities, huge values), on scales chosen by the first bytes, with weights:
//! never a panic; estimates inside their range; and the counts (SIMD kernels, threads) equal to a
//! plain count by `ScoreValue::slot`, with the same first problem.
#![no_main]

use cxmetrics::{
    mean_score, nps, top_box, Confidence, Error, MissingPolicy, NpsMethod, ProportionMethod, Scale,
    ScoreCounts, ScoreValue,
};
use cxmetrics::counts::Slot;
use libfuzzer_sys::fuzz_target;

fn check(counts: &ScoreCounts) {
    let c = Confidence::default();
    for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
        if let Ok(e) = nps(counts, method, c) {
            assert!(-100.0 <= e.lower() && e.lower() <= e.upper() && e.upper() <= 100.0);
        }
    }
    if let Ok(e) = top_box(counts, 2, ProportionMethod::ClopperPearson, c) {
        assert!(0.0 <= e.lower() && e.lower() <= e.upper() && e.upper() <= 100.0);
    }
    let _ = mean_score(counts, c);
}

/// The plain count: per point, missing, and the position of the first problem.
fn reference<T: ScoreValue>(scores: &[T], scale: Scale, policy: MissingPolicy) -> Result<(Vec<u64>, u64), usize> {
    let mut counts = vec![0u64; scale.points()];
    let mut missing = 0;
    for (i, s) in scores.iter().enumerate() {
        match s.slot(scale.min(), scale.points() as u64) {
            Slot::Point(k) => counts[k] += 1,
            Slot::Missing if policy == MissingPolicy::Omit => missing += 1,
            _ => return Err(i),
        }
    }
    Ok((counts, missing))
}

fn position(e: &Error) -> Option<usize> {
    match e {
        Error::ScoreOutOfRange { position, .. }
        | Error::NonIntegerScore { position, .. }
        | Error::MissingValue { position } => Some(*position),
        _ => None,
    }
}

/// The kernels' counts against the plain count.
fn differential<T: ScoreValue>(scores: &[T], scale: Scale) {
    for policy in [MissingPolicy::Omit, MissingPolicy::Raise] {
        match (ScoreCounts::from_scores(scores, scale, policy), reference(scores, scale, policy)) {
            (Ok(c), Ok((counts, missing))) => {
                assert_eq!(c.counts(), &counts[..]);
                assert_eq!(c.n_missing(), missing);
            }
            (Err(e), Err(at)) => assert_eq!(position(&e), Some(at), "{e:?}"),
            (Err(Error::EmptyData { .. }), Ok((counts, _))) => assert_eq!(counts.iter().sum::<u64>(), 0),
            (got, want) => panic!("kernel {got:?}, reference {want:?}"),
        }
    }
}

fn words<const N: usize>(data: &[u8]) -> impl Iterator<Item = [u8; N]> + '_ {
    data.chunks_exact(N).map(|c| c.try_into().unwrap())
}

fuzz_target!(|data: &[u8]| {
    // A scale from the first two bytes: a minimum in -8..8 and 2 to 21 points (the vector paths take
    // up to 16), then the scores. Repeated so that some inputs pass the vector and thread sizes.
    if data.len() >= 2 {
        let min = (data[0] % 16) as i64 - 8;
        let scale = Scale::new(min, min + 1 + (data[1] % 20) as i64).unwrap();
        let body = &data[2..];
        let repeat = if body.len() % 3 == 0 { 1 } else { 64 };
        let body: Vec<u8> = body.iter().copied().cycle().take(body.len() * repeat).collect();
        // Small values are likely points: map most bytes into a window around the scale.
        let small: Vec<u8> = body.iter().map(|b| if b & 0x80 == 0 { b % 24 } else { *b }).collect();
        differential(&small, scale);
        differential(&small.iter().map(|&b| b as i8).collect::<Vec<_>>(), scale);
        differential(&words::<2>(&small).map(i16::from_le_bytes).map(|v| v % 30).collect::<Vec<_>>(), scale);
        differential(&words::<4>(&body).map(u32::from_le_bytes).map(|v| v % 40).collect::<Vec<_>>(), scale);
        differential(&words::<8>(&body).map(i64::from_le_bytes).map(|v| if v & 1 == 0 { v % 30 } else { v }).collect::<Vec<_>>(), scale);
        differential(&words::<8>(&body).map(u64::from_le_bytes).map(|v| if v & 1 == 0 { v % 30 } else { v }).collect::<Vec<_>>(), scale);
        differential(&words::<4>(&body).map(f32::from_le_bytes).collect::<Vec<_>>(), scale);
        differential(&words::<8>(&body).map(f64::from_le_bytes).map(|v| if v.to_bits() & 1 == 0 { (v.to_bits() % 40) as f64 / 2.0 - 8.0 } else { v }).collect::<Vec<_>>(), scale);
    }

    if let Ok(c) = ScoreCounts::from_scores(data, Scale::NPS, MissingPolicy::Omit) {
        check(&c);
    }
    let words: Vec<[u8; 8]> = data.chunks_exact(8).map(|c| c.try_into().unwrap()).collect();
    let ints: Vec<i64> = words.iter().map(|w| i64::from_le_bytes(*w)).collect();
    let floats: Vec<f64> = words.iter().map(|w| f64::from_le_bytes(*w)).collect();
    for policy in [MissingPolicy::Omit, MissingPolicy::Raise] {
        if let Ok(c) = ScoreCounts::from_scores(&ints, Scale::NPS, policy) {
            check(&c);
        }
        if let Ok(c) = ScoreCounts::from_scores(&floats, Scale::NPS, policy) {
            check(&c);
        }
    }
    let scores: Vec<u8> = data.iter().map(|b| b % 12).collect();
    let weights: Vec<f64> = floats.iter().chain(std::iter::repeat(&1.0)).take(scores.len()).copied().collect();
    if let Ok(c) = ScoreCounts::from_weighted_scores(&scores, &weights, Scale::NPS, MissingPolicy::Omit) {
        check(&c);
    }
});
