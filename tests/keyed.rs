//! The keyed grouped accumulator: merging partial accumulators equals counting everything at once,
//! in any split and order; a failed merge changes nothing; serialisation round-trips and is
//! checked; the report gives the reason of every missing figure.

use cxmetrics::grouping::{IndicatorSpec, KeyedCounts};
use cxmetrics::random::Rng;
use cxmetrics::{Confidence, MissingPolicy, Scale, ScoreCounts};

fn random_batches(seed: u64) -> Vec<(String, Vec<f64>)> {
    let mut rng = Rng::new(seed);
    (0..40)
        .map(|_| {
            let key = format!("store-{}", rng.below(7));
            let n = rng.below(30) as usize;
            let scores = (0..n)
                .map(|_| {
                    if rng.below(10) == 0 {
                        f64::NAN
                    } else {
                        rng.below(11) as f64
                    }
                })
                .collect();
            (key, scores)
        })
        .collect()
}

#[test]
fn merging_parts_equals_counting_everything() {
    for seed in 0..20 {
        let batches = random_batches(seed);
        let mut all = KeyedCounts::new(Scale::NPS);
        for (key, scores) in &batches {
            all.add_scores(key, scores, MissingPolicy::Omit).unwrap();
        }
        // Split the batches among three accumulators, merge them in reverse order.
        let mut parts = vec![KeyedCounts::new(Scale::NPS); 3];
        for (i, (key, scores)) in batches.iter().enumerate() {
            parts[(i * 7 + seed as usize) % 3]
                .add_scores(key, scores, MissingPolicy::Omit)
                .unwrap();
        }
        let mut merged = KeyedCounts::new(Scale::NPS);
        for part in parts.iter().rev() {
            merged.merge(part).unwrap();
        }
        assert_eq!(merged, all, "seed {seed}");
        // Each group equals ScoreCounts of its scores.
        for (key, counts) in all.iter() {
            let scores: Vec<f64> = batches
                .iter()
                .filter(|(k, _)| k == key)
                .flat_map(|(_, s)| s.clone())
                .collect();
            assert_eq!(
                counts,
                &ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit).unwrap()
            );
        }
    }
}

#[test]
fn a_failed_merge_changes_nothing() {
    let mut a = KeyedCounts::new(Scale::NPS);
    a.add_scores("a", &[1u8, 2, 3], MissingPolicy::Omit)
        .unwrap();
    a.add_scores("z", &[10u8], MissingPolicy::Omit).unwrap();
    let before = a.clone();
    // `b` has a new group "b" (merged first, in key order) and an overflowing count for "z".
    let json = serde_json::to_string(&a).unwrap();
    let huge = json.replacen(
        "[0,0,0,0,0,0,0,0,0,0,1]",
        &format!("[0,0,0,0,0,0,0,0,0,0,{}]", u64::MAX),
        1,
    );
    assert_ne!(huge, json, "the serialised form changed: {json}");
    let mut b: KeyedCounts = serde_json::from_str(&huge).unwrap();
    b.add_scores("b", &[9u8], MissingPolicy::Omit).unwrap();
    assert!(a.merge(&b).is_err());
    assert_eq!(a, before);
    // Another scale or weighting is refused.
    assert!(a.merge(&KeyedCounts::new(Scale::LIKERT_5)).is_err());
    assert!(a.merge(&KeyedCounts::new_weighted(Scale::NPS)).is_err());
    assert_eq!(a, before);
}

#[test]
fn serialisation_round_trips_and_is_checked() {
    let mut w = KeyedCounts::new_weighted(Scale::NPS);
    w.add_weighted_scores("web", &[10u8, 3, 9], &[1.0, 2.5, 0.5], MissingPolicy::Omit)
        .unwrap();
    let json = serde_json::to_string(&w).unwrap();
    assert_eq!(serde_json::from_str::<KeyedCounts>(&json).unwrap(), w);
    let lied = json.replacen("\"weighted\":true", "\"weighted\":false", 1);
    assert_ne!(lied, json);
    assert!(serde_json::from_str::<KeyedCounts>(&lied).is_err());
}

#[test]
fn the_report_says_why_a_figure_is_missing() {
    let mut k = KeyedCounts::new(Scale::LIKERT_5);
    k.add_scores("one", &[4u8], MissingPolicy::Omit).unwrap();
    k.add_scores("none", &[f64::NAN, f64::NAN], MissingPolicy::Omit)
        .unwrap();
    k.add_scores("many", &[1u8, 5, 4, 4], MissingPolicy::Omit)
        .unwrap();
    let mean = IndicatorSpec::parse("mean", None, None, Scale::LIKERT_5, false).unwrap();
    let rows = k.report(&mean, Confidence::default());
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["many", "none", "one"]);
    assert!(rows[0].estimate.is_some() && rows[0].missing_reason.is_none());
    assert_eq!(rows[1].missing_reason.as_ref().unwrap().code, "empty_data");
    assert_eq!((rows[1].n, rows[1].n_missing), (0, 2));
    assert_eq!(
        rows[2].missing_reason.as_ref().unwrap().code,
        "insufficient_data"
    );
}
