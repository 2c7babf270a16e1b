//! Issue 14 §2-§3 in the core: overflowing counts in control charts, non-finite chart
//! parameters and observations, the Bayesian prior bound, validated deserialisation of an
//! [`Estimate`] (and exact JSON round trips), and the zero-variance comparison of means.

use cxmetrics::compare::{compare, Alternative, CompareOptions};
use cxmetrics::indicator::resampled::resampled_share;
use cxmetrics::interval::resampling::{ResamplingMethod, ResamplingOptions, MAX_PRIOR};
use cxmetrics::monitor::{cusum, ewma, nps_chart, p_chart};
use cxmetrics::{
    mean_score, nps, nps_from_counts, top_box_from_counts, Confidence, Error, Estimate, Indicator,
    NpsMethod, ProportionMethod, Scale, ScoreCounts,
};
use proptest::prelude::*;

fn counts(scale: (i64, i64), c: Vec<u64>) -> ScoreCounts {
    ScoreCounts::from_counts(Scale::new(scale.0, scale.1).unwrap(), c, 0).unwrap()
}

#[test]
fn control_chart_sums_that_overflow_are_errors_not_wrapped() {
    let big = u64::MAX / 2 + 1;
    // Every series of p_chart and nps_chart, overflowing alone.
    let cases: Vec<Result<_, Error>> = vec![
        p_chart(&[big, big], &[big, big], 3.0).map(|_| ()),
        p_chart(&[0, 0], &[big, big], 3.0).map(|_| ()),
        nps_chart(&[big, big], &[0, 0], &[0, 0], 3.0).map(|_| ()),
        nps_chart(&[0, 0], &[big, big], &[0, 0], 3.0).map(|_| ()),
        nps_chart(&[0, 0], &[0, 0], &[big, big], 3.0).map(|_| ()),
        // Each series fits, their total does not.
        nps_chart(&[big], &[big], &[0], 3.0).map(|_| ()),
    ];
    for (i, r) in cases.into_iter().enumerate() {
        match r {
            Err(Error::InvalidCounts { reason }) => {
                assert!(reason.contains("2^64"), "{i}: {reason}")
            }
            other => panic!("case {i}: {other:?}"),
        }
    }
    // Large sums that fit still work.
    let chart = p_chart(&[big - 1], &[big], 3.0).unwrap();
    assert!(chart[0].value.is_finite());
}

#[test]
fn charts_reject_non_finite_parameters_and_infinite_observations() {
    let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
    for &x in &bad {
        for r in [
            ewma(&[1.0], x, 1.0, 0.2, 3.0).map(|_| ()),
            ewma(&[1.0], 0.0, x, 0.2, 3.0).map(|_| ()),
            ewma(&[1.0], 0.0, 1.0, x, 3.0).map(|_| ()),
            ewma(&[1.0], 0.0, 1.0, 0.2, x).map(|_| ()),
            cusum(&[1.0], x, 1.0, 0.5, 5.0).map(|_| ()),
            cusum(&[1.0], 0.0, x, 0.5, 5.0).map(|_| ()),
            cusum(&[1.0], 0.0, 1.0, x, 5.0).map(|_| ()),
            cusum(&[1.0], 0.0, 1.0, 0.5, x).map(|_| ()),
            p_chart(&[1], &[2], x).map(|_| ()),
            nps_chart(&[1], &[1], &[1], x).map(|_| ()),
        ] {
            assert!(
                matches!(r, Err(Error::InvalidParameter { .. })),
                "{x}: {r:?}"
            );
        }
    }
    // Products that overflow.
    assert!(matches!(
        ewma(&[1.0], 0.0, 1e300, 0.2, 1e300),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        cusum(&[1.0], 0.0, 1e300, 1e300, 5.0),
        Err(Error::InvalidParameter { .. })
    ));
    // Infinite observations are named with their position; NaN stays a missing period.
    for &x in &[f64::INFINITY, f64::NEG_INFINITY] {
        for r in [
            ewma(&[1.0, x], 0.0, 1.0, 0.2, 3.0).map(|_| ()),
            cusum(&[1.0, x], 0.0, 1.0, 0.5, 5.0).map(|_| ()),
        ] {
            match r {
                Err(Error::NonFiniteValue { position, .. }) => assert_eq!(position, 1),
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(ewma(&[1.0, f64::NAN], 0.0, 1.0, 0.2, 3.0).is_ok());
    assert!(cusum(&[1.0, f64::NAN], 0.0, 1.0, 0.5, 5.0).is_ok());
}

#[test]
fn bayesian_prior_is_bounded_and_named() {
    let c = counts((1, 5), vec![1, 2, 3, 4, 5]);
    for prior in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300, MAX_PRIOR * 2.0] {
        let mut options = ResamplingOptions::new(ResamplingMethod::Bayes);
        options.prior = prior;
        match resampled_share(Indicator::Csat, &c, 2, &options, Confidence::default()) {
            Err(Error::InvalidParameter { parameter, .. }) => assert_eq!(parameter, "prior"),
            other => panic!("{prior}: {other:?}"),
        }
    }
    for prior in [1e-6, 0.5, 1.0, MAX_PRIOR] {
        let mut options = ResamplingOptions::new(ResamplingMethod::Bayes);
        options.prior = prior;
        let e = resampled_share(Indicator::Csat, &c, 2, &options, Confidence::default()).unwrap();
        assert!(e.lower().is_finite() && e.upper().is_finite(), "{prior}");
        assert!(e.lower() <= e.upper());
    }
}

#[test]
fn zero_variance_means_are_not_compared() {
    let a = mean_score(&counts((1, 5), vec![0, 0, 4, 0, 0]), Confidence::default()).unwrap();
    let b = mean_score(&counts((1, 5), vec![0, 0, 0, 3, 0]), Confidence::default()).unwrap();
    assert_eq!(a.std_error(), 0.0);
    for alt in [
        Alternative::TwoSided,
        Alternative::Greater,
        Alternative::Less,
    ] {
        assert!(matches!(
            compare(&a, &b, CompareOptions::default().with_alternative(alt)),
            Err(Error::NotComparable { .. })
        ));
    }
    // One constant side is a defined Welch test (df of the other side), finite throughout.
    let c = mean_score(&counts((1, 5), vec![1, 0, 2, 0, 1]), Confidence::default()).unwrap();
    let cmp = compare(&a, &c, CompareOptions::default()).unwrap();
    assert!(cmp.lower().is_finite() && cmp.upper().is_finite() && cmp.p_value().is_finite());
}

fn json_with(e: &Estimate, field: &str, value: serde_json::Value) -> String {
    let mut v = serde_json::to_value(e).unwrap();
    v[field] = value;
    v.to_string()
}

#[test]
fn estimate_deserialisation_validates_like_a_computed_estimate() {
    let share =
        top_box_from_counts(40, 100, ProportionMethod::Wilson, Confidence::default()).unwrap();
    let npse = nps_from_counts(20, 30, 50, NpsMethod::Wald, Confidence::default()).unwrap();
    let mean = mean_score(&counts((1, 5), vec![1, 2, 3, 4, 5]), Confidence::default()).unwrap();
    use serde_json::json;
    let bad: Vec<(&Estimate, &str, serde_json::Value)> = vec![
        (&share, "value", json!(150.0)),
        (&share, "value", json!(-1.0)),
        (&share, "value", json!(null)),
        (&share, "lower", json!(90.0)),
        (&share, "upper", json!(101.0)),
        (&share, "confidence", json!(2.0)),
        (&share, "confidence", json!(0.0)),
        (&share, "confidence", json!(1.0)),
        (&share, "successes", json!(101)),
        (&share, "std_error", json!(-1.0)),
        (&share, "effective_n", json!(1000.0)),
        (&share, "unit", json!("points")),
        (&npse, "value", json!(-100.5)),
        (&npse, "n", json!(99)),
        (&mean, "value", json!(6.0)),
        (&mean, "lower", json!(0.5)),
    ];
    for (e, field, value) in bad {
        let text = json_with(e, field, value.clone());
        assert!(
            serde_json::from_str::<Estimate>(&text).is_err(),
            "{field} = {value} was accepted"
        );
    }
    let mut v = serde_json::to_value(&npse).unwrap();
    v["nps"]["promoter_share"] = json!(101.0);
    assert!(serde_json::from_str::<Estimate>(&v.to_string()).is_err());
}

fn round_trip(e: &Estimate) {
    let text = serde_json::to_string(e).unwrap();
    let back: Estimate = serde_json::from_str(&text).unwrap_or_else(|err| panic!("{err}: {text}"));
    assert_eq!(&back, e);
    for (x, y) in [
        (back.value(), e.value()),
        (back.lower(), e.lower()),
        (back.upper(), e.upper()),
        (back.std_error(), e.std_error()),
        (back.effective_n(), e.effective_n()),
    ] {
        assert_eq!(x.to_bits(), y.to_bits());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn every_computed_estimate_round_trips_exactly_through_json(
        c in proptest::collection::vec(0u64..50, 11),
        level in 0.5f64..0.999,
    ) {
        prop_assume!(c.iter().sum::<u64>() >= 2);
        let conf = Confidence::new(level).unwrap();
        let sc = counts((0, 10), c.clone());
        for m in NpsMethod::ALL {
            if let Ok(e) = nps(&sc, m, conf) { round_trip(&e); }
        }
        for m in ProportionMethod::ALL {
            if let Ok(e) = cxmetrics::top_box(&sc, 2, m, conf) { round_trip(&e); }
        }
        round_trip(&mean_score(&sc, conf).unwrap());
    }

    /// The adjusted Wald interval (the NPS default) is centred on the adjusted estimate
    /// `(R - D + 0.75 - 0.75) / (n + 3)`, not on the raw NPS: the interval always contains the
    /// adjusted centre and always lies in -100..100, but it can exclude the raw estimate when the
    /// sample is small and extreme (`nps([0])` is -100 with the interval -98.5 to 48.5).
    #[test]
    fn adjusted_wald_contains_its_adjusted_centre(
        d in 0u64..200, p in 0u64..200, r in 0u64..200,
    ) {
        prop_assume!(d + p + r > 0);
        let e = nps_from_counts(d, p, r, NpsMethod::AdjustedWald, Confidence::default()).unwrap();
        let n = (d + p + r) as f64;
        let centre = 100.0 * (r as f64 - d as f64) / (n + 3.0);
        prop_assert!(e.lower() <= centre + 1e-9 && centre <= e.upper() + 1e-9);
        prop_assert!(e.lower() >= -100.0 && e.upper() <= 100.0);
    }
}

#[test]
fn adjusted_wald_excludes_the_estimate_for_a_single_detractor() {
    let e = nps_from_counts(1, 0, 0, NpsMethod::AdjustedWald, Confidence::default()).unwrap();
    assert_eq!(e.value(), -100.0);
    assert!(e.lower() > e.value());
}

/// One weight rule everywhere: weights whose totals overflow (1e200 each) or whose squares
/// underflow (1e-200 each) get the same `UnusableWeights` error from the NPS, a share, a mean
/// score, a mean of raw values and the loyalty index; weights of any moderate scale give the same
/// answer as the weights divided by their mean (scale-free).
#[test]
fn one_weight_rule_for_every_weighted_indicator() {
    use cxmetrics::indicator::items::Item;
    use cxmetrics::indicator::loyalty::loyalty_index;
    use cxmetrics::indicator::mean::mean_of_values;
    use cxmetrics::MissingPolicy;
    let scores = [0.0, 9.0, 10.0, 5.0, 7.0];
    let sat = [1.0, 2.0, 5.0, 4.0, 3.0];
    let base = [1.0, 2.0, 1.0, 0.5, 3.0];
    let conf = Confidence::default();
    let run = |w: &[f64]| -> Vec<Result<Estimate, Error>> {
        let items = [
            Item::new("ltr", &scores, Scale::NPS),
            Item::new("sat", &sat, Scale::LIKERT_5),
        ];
        let counts = ScoreCounts::from_weighted_scores(&scores, w, Scale::NPS, MissingPolicy::Omit);
        vec![
            counts.clone().and_then(|c| nps(&c, NpsMethod::Wald, conf)),
            counts
                .clone()
                .and_then(|c| cxmetrics::top_box(&c, 2, ProportionMethod::Wald, conf)),
            counts.and_then(|c| mean_score(&c, conf)),
            mean_of_values(&scores, Some(w), conf),
            loyalty_index(&items, None, Some(w), conf),
        ]
    };
    for scale in [1e200, 1e300, 1e-200, 1e-300] {
        let w: Vec<f64> = base.iter().map(|x| x * scale).collect();
        for (i, r) in run(&w).into_iter().enumerate() {
            assert!(
                matches!(r, Err(Error::UnusableWeights { .. })),
                "{scale} indicator {i}: {r:?}"
            );
        }
    }
    let reference = run(&base);
    for scale in [1e-100, 1e-10, 3.0, 1e10, 1e100] {
        let w: Vec<f64> = base.iter().map(|x| x * scale).collect();
        for (r, e) in run(&w).into_iter().zip(&reference) {
            let (r, e) = (r.unwrap(), e.as_ref().unwrap());
            for (x, y) in [
                (r.value(), e.value()),
                (r.lower(), e.lower()),
                (r.upper(), e.upper()),
                (r.effective_n(), e.effective_n()),
            ] {
                assert!(
                    (x - y).abs() <= 1e-9 * (1.0 + y.abs()),
                    "{scale}: {x} vs {y}"
                );
            }
        }
    }
}

#[test]
fn weighted_counts_with_an_infinite_total_cannot_be_built() {
    use cxmetrics::MissingPolicy;
    // Built from scores.
    assert!(matches!(
        ScoreCounts::from_weighted_scores(
            &[1.0, 2.0],
            &[1e200, 1e200],
            Scale::LIKERT_5,
            MissingPolicy::Omit
        ),
        Err(Error::UnusableWeights { .. })
    ));
    // Merged: each part is fine, the sum of squares of both overflows.
    let part =
        ScoreCounts::from_weighted_scores(&[1.0], &[1e154], Scale::LIKERT_5, MissingPolicy::Omit)
            .unwrap();
    let mut merged = part.clone();
    for _ in 0..20 {
        if merged.merge(&merged.clone()).is_err() {
            break;
        }
    }
    assert!(merged.total_weight().is_finite());
    // Deserialised: finite per-point sums whose total overflows.
    let text = r#"{"scale":{"min":1,"max":5},"counts":[1,1,0,0,0],"weights":{"sum":[1.7e308,1.7e308,0,0,0],"sum_sq":[1e300,1e300,0,0,0]},"n_missing":0}"#;
    assert!(serde_json::from_str::<ScoreCounts>(text).is_err());
}

/// Driver analysis is scale-invariant: a driver (or the outcome) multiplied by any power of ten
/// in 1e-200..1e200 gives the same R^2 and importances, and its performance scaled by the factor;
/// only a truly constant column is "constant".
#[test]
fn drivers_are_scale_invariant() {
    use cxmetrics::drivers::{driver_analysis, DriverOptions};
    let overall = [7.0, 9.0, 6.0, 8.0, 10.0, 4.0, 8.0, 9.0, 5.0, 7.0];
    let delivery = [6.0, 9.0, 5.0, 8.0, 9.0, 3.0, 7.0, 9.0, 6.0, 6.0];
    let web = [8.0, 7.0, 7.0, 6.0, 9.0, 5.0, 9.0, 8.0, 4.0, 8.0];
    let options = DriverOptions::default();
    let reference = driver_analysis(
        ("overall", &overall),
        &[("delivery", &delivery[..]), ("web", &web[..])],
        None,
        &options,
    )
    .unwrap();
    for factor in [1e-200, 1e-100, 1e-10, 1e10, 1e100, 1e200, 1e300] {
        let scaled: Vec<f64> = delivery.iter().map(|x| x * factor).collect();
        let outcome: Vec<f64> = overall.iter().map(|x| x * factor).collect();
        for (o, d) in [(&overall[..], &scaled[..]), (&outcome[..], &delivery[..])] {
            let a = driver_analysis(
                ("overall", o),
                &[("delivery", d), ("web", &web[..])],
                None,
                &options,
            )
            .unwrap_or_else(|e| panic!("{factor}: {e}"));
            assert!((a.r_squared - reference.r_squared).abs() < 1e-9, "{factor}");
            for (x, y) in a.drivers.iter().zip(&reference.drivers) {
                assert!((x.importance - y.importance).abs() < 1e-9, "{factor}");
            }
        }
        let a = driver_analysis(
            ("overall", &overall),
            &[("delivery", &scaled[..]), ("web", &web[..])],
            None,
            &options,
        )
        .unwrap();
        let perf = a
            .drivers
            .iter()
            .find(|d| d.name == "delivery")
            .unwrap()
            .performance;
        let ref_perf = reference
            .drivers
            .iter()
            .find(|d| d.name == "delivery")
            .unwrap()
            .performance;
        assert!(
            (perf / factor - ref_perf).abs() < 1e-9 * ref_perf,
            "{factor}"
        );
    }
    let constant = [3e200; 10];
    assert!(matches!(
        driver_analysis(
            ("overall", &overall),
            &[("c", &constant[..]), ("web", &web[..])],
            None,
            &options
        ),
        Err(Error::ConstantDriver { .. })
    ));
}

/// Integer scores beyond 2^53 are named exactly in messages (not rounded through f64).
#[test]
fn messages_name_huge_integer_scores_exactly() {
    use cxmetrics::{MissingPolicy, ScoreCounts};
    for (scores, text) in [
        (
            vec![3i64, i64::MAX],
            "score 9223372036854775807 at position 1",
        ),
        (
            vec![i64::MIN + 1, 3],
            "score -9223372036854775807 at position 0",
        ),
    ] {
        let err = ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit).unwrap_err();
        assert!(err.to_string().contains(text), "{err}");
    }
    let err = ScoreCounts::from_scores(&[u64::MAX], Scale::NPS, MissingPolicy::Omit).unwrap_err();
    assert!(
        err.to_string().contains("score 18446744073709551615 "),
        "{err}"
    );
    // Small integers and floats keep their usual form.
    let err = ScoreCounts::from_scores(&[11i64], Scale::NPS, MissingPolicy::Omit).unwrap_err();
    assert!(
        err.to_string().starts_with("score 11 at position 0"),
        "{err}"
    );
}
