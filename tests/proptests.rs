//! Property-based tests (proptest, with shrinking) over the public API: no panics on any input;
//! intervals inside the indicator's range and ordered; results invariant to the order of responses;
//! merging associative; the same answer from every input type; readers total on arbitrary bytes.

use cxmetrics::compare::{compare, Alternative, CompareOptions};
use cxmetrics::grouping::{group_columns, GroupKeys, ScoreColumn};
use cxmetrics::read::{read_csv_from, read_jsonl_from, ReadOptions};
use cxmetrics::*;
use proptest::prelude::*;

fn check_estimate(e: &Estimate) {
    let (lo, hi) = match e.unit() {
        Unit::Points => (-100.0, 100.0),
        Unit::Percent | Unit::Index => (0.0, 100.0),
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    };
    assert!(e.lower() <= e.upper(), "{e:?}");
    assert!(e.lower() >= lo - 1e-9 && e.upper() <= hi + 1e-9, "{e:?}");
    assert!(e.value() >= lo - 1e-9 && e.value() <= hi + 1e-9, "{e:?}");
    assert!(e.std_error() >= 0.0, "{e:?}");
}

/// Any f64, biased towards scale points, NaN and awkward values.
fn any_score() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => (0i64..=10).prop_map(|x| x as f64),
        1 => Just(f64::NAN),
        1 => prop_oneof![Just(f64::INFINITY), Just(-1.0), Just(10.5), Just(1e300), Just(-0.0), Just(11.0)],
        1 => any::<f64>(),
    ]
}

fn methods() -> impl Strategy<Value = (NpsMethod, ProportionMethod)> {
    (
        prop_oneof![
            Just(NpsMethod::Wald),
            Just(NpsMethod::AdjustedWald),
            Just(NpsMethod::Score)
        ],
        prop_oneof![
            Just(ProportionMethod::Wilson),
            Just(ProportionMethod::WilsonCc),
            Just(ProportionMethod::AgrestiCoull),
            Just(ProportionMethod::ClopperPearson),
            Just(ProportionMethod::Jeffreys),
            Just(ProportionMethod::Wald),
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_scores_give_a_valid_estimate_or_an_error(
        scores in prop::collection::vec(any_score(), 0..60),
        (nm, pm) in methods(),
        level in 0.5f64..0.999,
    ) {
        let c = Confidence::new(level).unwrap();
        for policy in [MissingPolicy::Omit, MissingPolicy::Raise] {
            if let Ok(counts) = ScoreCounts::from_scores(&scores, Scale::NPS, policy) {
                if let Ok(e) = nps(&counts, nm, c) { check_estimate(&e); }
                if let Ok(e) = top_box(&counts, 2, pm, c) { check_estimate(&e); }
                if let Ok(e) = mean_score(&counts, c) { check_estimate(&e); }
            }
        }
    }

    #[test]
    fn weighted_estimates_are_valid(
        scores in prop::collection::vec(0i64..=10, 1..60),
        weights in prop::collection::vec(prop_oneof![Just(0.0), 0.01f64..100.0, Just(-1.0), Just(f64::NAN)], 60),
    ) {
        let w = &weights[..scores.len()];
        if let Ok(counts) = ScoreCounts::from_weighted_scores(&scores, w, Scale::NPS, MissingPolicy::Omit) {
            let c = Confidence::default();
            if let Ok(e) = nps(&counts, NpsMethod::Wald, c) { check_estimate(&e); }
            if let Ok(e) = top_box(&counts, 2, ProportionMethod::Wilson, c) { check_estimate(&e); }
            if let Ok(e) = mean_score(&counts, c) { check_estimate(&e); }
        }
    }

    #[test]
    fn order_does_not_matter(scores in prop::collection::vec(0u8..=10, 2..80), seed in any::<u64>()) {
        let mut shuffled = scores.clone();
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let a = ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit).unwrap();
        let b = ScoreCounts::from_scores(&shuffled, Scale::NPS, MissingPolicy::Omit).unwrap();
        prop_assert_eq!(&a, &b);
        let c = Confidence::default();
        prop_assert_eq!(nps(&a, NpsMethod::Score, c).unwrap(), nps(&b, NpsMethod::Score, c).unwrap());
    }

    #[test]
    fn merge_is_associative_and_equals_counting_everything(
        a in prop::collection::vec(0u8..=10, 0..40),
        b in prop::collection::vec(0u8..=10, 0..40),
        c in prop::collection::vec(0u8..=10, 0..40),
    ) {
        let count = |x: &[u8]| ScoreCounts::from_scores(x, Scale::NPS, MissingPolicy::Omit).unwrap();
        let (ca, cb, cc) = (count(&a), count(&b), count(&c));
        let mut left = ca.clone();
        left.merge(&cb).unwrap();
        left.merge(&cc).unwrap();
        let mut right_tail = cb.clone();
        right_tail.merge(&cc).unwrap();
        let mut right = ca.clone();
        right.merge(&right_tail).unwrap();
        prop_assert_eq!(&left, &right);
        let all: Vec<u8> = a.iter().chain(&b).chain(&c).copied().collect();
        prop_assert_eq!(&left, &count(&all));
    }

    #[test]
    fn every_input_type_gives_the_same_counts(scores in prop::collection::vec(0u8..=10, 0..60)) {
        let reference = ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit).unwrap();
        macro_rules! same {
            ($($t:ty),*) => {$(
                let converted: Vec<$t> = scores.iter().map(|&s| s as $t).collect();
                prop_assert_eq!(&ScoreCounts::from_scores(&converted, Scale::NPS, MissingPolicy::Omit).unwrap(), &reference);
            )*};
        }
        same!(i8, i16, i32, i64, u16, u32, u64, f32, f64);
    }

    #[test]
    fn grouped_counts_never_panic_and_add_up(
        keys in prop::collection::vec(prop_oneof![-3i64..3, Just(i64::MIN), Just(i64::MAX)], 0..80),
        scores in prop::collection::vec(any_score(), 80),
    ) {
        let scores = &scores[..keys.len()];
        if let Ok(g) = group_columns(GroupKeys::Integers(&keys), &[(ScoreColumn::F64(scores), Scale::NPS)], None, MissingPolicy::Omit) {
            let total = g.columns[0].total();
            prop_assert_eq!(total.n() + total.n_missing(), keys.len() as u64);
        }
    }

    #[test]
    fn comparisons_never_panic(
        (d1, p1, r1) in (0u64..50, 0u64..50, 0u64..50),
        (d2, p2, r2) in (0u64..50, 0u64..50, 0u64..50),
        level in 0.5f64..0.999,
    ) {
        let c = Confidence::new(level).unwrap();
        if let (Ok(a), Ok(b)) = (nps_from_counts(d1, p1, r1, NpsMethod::AdjustedWald, c), nps_from_counts(d2, p2, r2, NpsMethod::AdjustedWald, c)) {
            for alt in [Alternative::TwoSided, Alternative::Greater, Alternative::Less] {
                let cmp = compare(&a, &b, CompareOptions::default().with_alternative(alt)).unwrap();
                prop_assert!(cmp.lower() <= cmp.upper());
                prop_assert!((0.0..=1.0).contains(&cmp.p_value()));
            }
        }
    }

    #[test]
    fn readers_are_total_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let options = ReadOptions::default();
        let _ = read_csv_from(&bytes[..], "fuzz", &options);
        let _ = read_jsonl_from(&bytes[..], "fuzz", &options);
        let mut with_header = b"respondent_id,recorded_at,touchpoint,nps\n".to_vec();
        with_header.extend_from_slice(&bytes);
        if let Ok(out) = read_csv_from(&with_header[..], "fuzz", &options) {
            for r in &out.responses {
                prop_assert!(r.nps().is_none_or(|v| (0..=10).contains(&v)));
            }
        }
    }
}
