//! Properties over many seeded random samples: intervals inside the range and ordered, width growing
//! with confidence, merging equal to counting the concatenation, the same answer from every input type.

use cxmetrics::*;

/// SplitMix64: a tiny seeded generator, so the tests need no extra dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, k: u64) -> u64 {
        self.next() % k
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn levels() -> Vec<Confidence> {
    [0.5, 0.8, 0.9, 0.95, 0.99, 0.999]
        .into_iter()
        .map(|c| Confidence::new(c).unwrap())
        .collect()
}

fn check(e: &Estimate, lo: f64, hi: f64) {
    assert!(e.lower() <= e.upper(), "{e:?}");
    assert!(e.lower() >= lo && e.upper() <= hi, "{e:?}");
    assert!(e.value() >= lo && e.value() <= hi, "{e:?}");
}

#[test]
fn nps_intervals_are_ordered_inside_the_range_and_widen_with_confidence() {
    let mut rng = Rng(1);
    for _ in 0..400 {
        let n = 1 + rng.below(60);
        let d = rng.below(n + 1);
        let r = rng.below(n - d + 1);
        let p = n - d - r;
        for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
            let mut prev_width = -1.0;
            for c in levels() {
                let e = nps_from_counts(d, p, r, method, c).unwrap();
                check(&e, -100.0, 100.0);
                let width = e.upper() - e.lower();
                assert!(width >= prev_width - 1e-9, "{d}/{p}/{r} {method:?}");
                prev_width = width;
                if method != NpsMethod::AdjustedWald {
                    assert!(e.lower() <= e.value() && e.value() <= e.upper());
                }
            }
        }
    }
}

#[test]
fn share_intervals_are_ordered_inside_the_range_and_widen_with_confidence() {
    let mut rng = Rng(2);
    for _ in 0..400 {
        let n = 1 + rng.below(200);
        let x = rng.below(n + 1);
        for method in ProportionMethod::ALL {
            let mut prev_width = -1.0;
            for c in levels() {
                let e = top_box_from_counts(x, n, method, c).unwrap();
                check(&e, 0.0, 100.0);
                let width = e.upper() - e.lower();
                assert!(width >= prev_width - 1e-9, "{x}/{n} {method:?}");
                prev_width = width;
                assert!(e.lower() <= e.value() + 1e-9 && e.value() <= e.upper() + 1e-9);
            }
        }
    }
}

#[test]
fn only_wald_is_ever_zero_width() {
    for n in 1..40u64 {
        for x in [0, n] {
            for method in ProportionMethod::ALL {
                let e = top_box_from_counts(x, n, method, Confidence::default()).unwrap();
                assert_eq!(
                    e.upper() - e.lower() == 0.0,
                    method == ProportionMethod::Wald
                );
            }
        }
        for (d, r) in [(n, 0), (0, n)] {
            for method in NpsMethod::ALL {
                let e = nps_from_counts(d, 0, r, method, Confidence::default()).unwrap();
                assert_eq!(e.upper() - e.lower() == 0.0, method == NpsMethod::Wald);
            }
        }
    }
}

fn random_scores(rng: &mut Rng, len: usize, scale: Scale) -> Vec<i64> {
    (0..len)
        .map(|_| scale.min() + rng.below(scale.points() as u64) as i64)
        .collect()
}

#[test]
fn merging_counts_equals_counting_the_concatenation() {
    let mut rng = Rng(3);
    for _ in 0..100 {
        let len = 1 + rng.below(300) as usize;
        let all = random_scores(&mut rng, len, Scale::NPS);
        let weights: Vec<f64> = all.iter().map(|_| rng.unit() * 3.0).collect();
        let cut = rng.below(all.len() as u64 + 1) as usize;
        let mut merged =
            ScoreCounts::from_scores(&all[..cut], Scale::NPS, MissingPolicy::Omit).unwrap();
        merged
            .merge(&ScoreCounts::from_scores(&all[cut..], Scale::NPS, MissingPolicy::Omit).unwrap())
            .unwrap();
        assert_eq!(
            merged,
            ScoreCounts::from_scores(&all, Scale::NPS, MissingPolicy::Omit).unwrap()
        );
        let whole =
            ScoreCounts::from_weighted_scores(&all, &weights, Scale::NPS, MissingPolicy::Omit)
                .unwrap();
        let mut merged = ScoreCounts::from_weighted_scores(
            &all[..cut],
            &weights[..cut],
            Scale::NPS,
            MissingPolicy::Omit,
        )
        .unwrap();
        merged
            .merge(
                &ScoreCounts::from_weighted_scores(
                    &all[cut..],
                    &weights[cut..],
                    Scale::NPS,
                    MissingPolicy::Omit,
                )
                .unwrap(),
            )
            .unwrap();
        let (a, b) = (
            nps(&merged, NpsMethod::Wald, Confidence::default()),
            nps(&whole, NpsMethod::Wald, Confidence::default()),
        );
        if let (Ok(a), Ok(b)) = (a, b) {
            assert!((a.value() - b.value()).abs() < 1e-9);
            assert!((a.std_error() - b.std_error()).abs() < 1e-9);
        }
    }
}

#[test]
fn every_input_type_gives_the_same_counts() {
    let mut rng = Rng(4);
    let scores = random_scores(&mut rng, 500, Scale::NPS);
    let expected = ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit).unwrap();
    macro_rules! same {
        ($($t:ty),*) => {$(
            let typed: Vec<$t> = scores.iter().map(|&s| s as $t).collect();
            assert_eq!(ScoreCounts::from_scores(&typed, Scale::NPS, MissingPolicy::Omit).unwrap(), expected);
        )*};
    }
    same!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);
}

#[test]
fn order_of_responses_does_not_matter() {
    let mut rng = Rng(5);
    let mut scores = random_scores(&mut rng, 200, Scale::LIKERT_5);
    let before = mean_score(
        &ScoreCounts::from_scores(&scores, Scale::LIKERT_5, MissingPolicy::Omit).unwrap(),
        Confidence::default(),
    )
    .unwrap();
    scores.reverse();
    scores.rotate_left(37);
    let after = mean_score(
        &ScoreCounts::from_scores(&scores, Scale::LIKERT_5, MissingPolicy::Omit).unwrap(),
        Confidence::default(),
    )
    .unwrap();
    assert_eq!(before, after);
}

#[test]
fn unit_weights_give_the_unweighted_estimate() {
    let mut rng = Rng(6);
    let scores = random_scores(&mut rng, 250, Scale::NPS);
    let ones = vec![1.0; scores.len()];
    let plain = nps(
        &ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit).unwrap(),
        NpsMethod::Wald,
        Confidence::default(),
    )
    .unwrap();
    let weighted = nps(
        &ScoreCounts::from_weighted_scores(&scores, &ones, Scale::NPS, MissingPolicy::Omit)
            .unwrap(),
        NpsMethod::Wald,
        Confidence::default(),
    )
    .unwrap();
    assert!((plain.value() - weighted.value()).abs() < 1e-10);
    assert_eq!(weighted.effective_n(), 250.0);
    // The linearisation SE carries n/(n-1) (R survey); the multinomial SE divides by n.
    let ratio = weighted.std_error() / plain.std_error();
    assert!((ratio - (250.0f64 / 249.0).sqrt()).abs() < 1e-12);
}
