//! Counts and indicators from raw bytes read as u8, i64 and f64 scores (any bit pattern: NaN,
//! infinities, huge values), with weights: never a panic; estimates inside their range.
#![no_main]

use cxmetrics::{mean_score, nps, top_box, Confidence, MissingPolicy, NpsMethod, ProportionMethod, Scale, ScoreCounts};
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

fuzz_target!(|data: &[u8]| {
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
