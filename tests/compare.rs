//! Comparisons against values computed outside the project: statsmodels 0.15
//! `confint_proportions_2indep` / `test_proportions_2indep` / `multipletests`, scipy 1.17
//! `ttest_ind(equal_var=False)` (script: `tests/references/compare_refs.py`), and Newcombe (1998b).

use cxmetrics::compare::sample_size::{
    margin_of_error_n, minimum_detectable_difference, per_group_n, PlanningVariance,
};
use cxmetrics::compare::{
    adjust_p_values, compare, nps_paired, test_against, Alternative, CompareOptions,
    DifferenceMethod, PAdjust,
};
use cxmetrics::*;

fn close(actual: f64, expected: f64, rel: f64) {
    assert!(
        (actual - expected).abs() <= rel * expected.abs().max(1e-12),
        "got {actual:.15e}, expected {expected:.15e}"
    );
}

fn share(x: u64, n: u64) -> Estimate {
    top_box_from_counts(x, n, ProportionMethod::Wilson, Confidence::default()).unwrap()
}

#[test]
fn share_differences_match_statsmodels() {
    use DifferenceMethod::*;
    // (x1, n1, x2, n2, method, lower, upper, statistic, p-value); statsmodels' lower/upper as fractions.
    type Case = (u64, u64, u64, u64, DifferenceMethod, f64, f64, f64, f64);
    #[rustfmt::skip]
    let cases: &[Case] = &[
        (56, 70, 48, 80, Newcombe, 0.05243147240236498, 0.33387265403690614, 2.6413232722941253, 0.008258287929380758),
        (56, 70, 48, 80, AgrestiCaffo, 0.052452926638053676, 0.33575845547576744, 2.6857235383057505, 0.007237294467282502),
        (56, 70, 48, 80, Wald, 0.057504899149037114, 0.342495100850963, 2.750921221621508, 0.005942793304202759),
        (9, 10, 3, 10, Newcombe, 0.1705227239345029, 0.809017973535488, 2.6692695630078282, 0.007601641475220156),
        (9, 10, 3, 10, AgrestiCaffo, 0.16000080110040027, 0.8399991988995997, 2.8823067684915684, 0.003947751856903457),
        (9, 10, 3, 10, Wald, 0.26052427977714854, 0.9394757202228516, 3.4641016151377557, 0.0005320055051392466),
        (6, 7, 0, 8, Newcombe, 0.3648617896887696, 0.9743203756552563, 3.265986323710904, 0.001090835176125296),
        (5, 56, 0, 29, Newcombe, -0.038137147903536936, 0.19256001385511165, 1.648863244784115, 0.0991756545705508),
        (5, 56, 0, 29, AgrestiCaffo, -0.02886584630312586, 0.17124626899500572, 1.394520767340465, 0.16316040273530052),
        (5, 56, 0, 29, Wald, 0.014600240442591991, 0.1639711881288366, 2.3431167445160246, 0.019123398221958313),
        (12, 40, 30, 50, Newcombe, -0.4719771267848461, -0.09286764051649107, -2.8189410372387305, 0.00481823679917882),
        (12, 40, 30, 50, AgrestiCaffo, -0.47984746129194744, -0.09341261196812575, -2.90752529004706, 0.003643008860414271),
        (12, 40, 30, 50, Wald, -0.4964857784878488, -0.1035142215121512, -2.9925280083228984, 0.0027667727821701848),
    ];
    for &(x1, n1, x2, n2, method, lo, hi, stat, p) in cases {
        println!("{x1}/{n1} vs {x2}/{n2} {method:?}");
        let c = compare(
            &share(x1, n1),
            &share(x2, n2),
            CompareOptions::default().with_method(method),
        )
        .unwrap();
        close(c.lower(), 100.0 * lo, 1e-9);
        close(c.upper(), (100.0 * hi).min(100.0), 1e-9);
        close(c.statistic(), stat, 1e-9);
        close(c.p_value(), p, 1e-8);
    }
    // Miettinen-Nurminen: R PropCIs::diffscoreci(7, 34, 1, 34) = (0.0270416, 0.3452912) (quoted in
    // statsmodels' test suite); Newcombe (1998b) Table II, method 6: 56/70 vs 48/80 (0.0528, 0.3382),
    // 9/10 vs 3/10 (0.1700, 0.8406). (statsmodels 0.15's own score interval has a typo in its cubic,
    // statsmodels issue 10269, and differs.)
    let mn = |x1, n1, x2, n2| {
        compare(
            &share(x1, n1),
            &share(x2, n2),
            CompareOptions::default().with_method(DifferenceMethod::Score),
        )
        .unwrap()
    };
    let c = mn(7, 34, 1, 34);
    assert!((c.lower() - 2.70416).abs() < 5e-5 && (c.upper() - 34.52912).abs() < 5e-5);
    let c = mn(56, 70, 48, 80);
    assert!((c.lower() - 5.28).abs() < 5e-3 && (c.upper() - 33.82).abs() < 5e-3);
    close(c.statistic(), 2.6413232722941253, 1e-9); // the test at 0 (pooled) agrees with statsmodels
    let c = mn(9, 10, 3, 10);
    assert!((c.lower() - 17.00).abs() < 5e-3 && (c.upper() - 84.06).abs() < 5e-3);
    let (c, d) = (mn(1, 5, 1, 5), mn(1, 5, 1, 5));
    close(c.lower(), -51.7497, 1e-5);
    close(c.lower(), -d.upper(), 1e-12); // mirrored

    // statsmodels test_proportions_2indep(..., alternative="larger"/"smaller")
    let (a, b) = (share(56, 70), share(48, 80));
    let g = compare(
        &a,
        &b,
        CompareOptions::default().with_alternative(Alternative::Greater),
    )
    .unwrap();
    close(g.p_value(), 0.004129143964690379, 1e-8);
    let l = compare(
        &a,
        &b,
        CompareOptions::default()
            .with_method(DifferenceMethod::Wald)
            .with_alternative(Alternative::Less),
    )
    .unwrap();
    close(l.p_value(), 0.9970286033478987, 1e-10);
    // Newcombe (1998b), Table II, 4 decimals.
    assert_eq!((g.difference() * 100.0).round() / 100.0, 20.0);
}

#[test]
fn welch_matches_scipy() {
    let xa = [5u8, 4, 4, 3, 5, 1, 2, 5, 4, 4];
    let xb = [7u8, 6, 7, 5, 3, 7, 6, 2, 4, 5, 6, 7, 1];
    let scale = Scale::LIKERT_7;
    let a = mean_score(
        &ScoreCounts::from_scores(&xa, scale, MissingPolicy::Omit).unwrap(),
        Confidence::default(),
    )
    .unwrap();
    let b = mean_score(
        &ScoreCounts::from_scores(&xb, scale, MissingPolicy::Omit).unwrap(),
        Confidence::default(),
    )
    .unwrap();
    let c = compare(&a, &b, CompareOptions::default()).unwrap();
    assert_eq!(c.method(), "welch");
    close(c.statistic(), -1.9620374198475627, 1e-12);
    close(c.p_value(), 0.06338334489057484, 1e-10);
    close(c.df().unwrap(), 20.64013516165646, 1e-12);
    close(c.lower(), -2.8379101338533452, 1e-12);
    close(c.upper(), 0.08406398000719228, 1e-10);
    let less = compare(
        &a,
        &b,
        CompareOptions::default().with_alternative(Alternative::Less),
    )
    .unwrap();
    close(less.p_value(), 0.03169167244528742, 1e-10);
    close(less.upper(), -0.16836481055028196, 1e-10);
    assert_eq!(less.lower(), -6.0); // scipy: -inf; clipped to the span of the 1-7 scale
}

#[test]
fn nps_differences_keep_their_sign() {
    let a = nps_from_counts(20, 30, 50, NpsMethod::AdjustedWald, Confidence::default()).unwrap();
    let b = nps_from_counts(30, 30, 40, NpsMethod::AdjustedWald, Confidence::default()).unwrap();
    let ab = compare(
        &a,
        &b,
        CompareOptions::default().with_method(DifferenceMethod::Wald),
    )
    .unwrap();
    let ba = compare(
        &b,
        &a,
        CompareOptions::default().with_method(DifferenceMethod::Wald),
    )
    .unwrap();
    assert_eq!(ab.difference(), 20.0);
    assert_eq!(ba.difference(), -20.0);
    close(ab.lower(), -ba.upper(), 1e-12);
    // SE = sqrt(Var1_a/n_a + Var1_b/n_b), Var1 = pr + pd - (pr - pd)^2
    let se = ((0.7 - 0.09) / 100.0 + (0.7 - 0.01) / 100.0f64).sqrt() * 100.0;
    close(ab.std_error(), se, 1e-12);
    let adj = compare(&a, &b, CompareOptions::default()).unwrap();
    assert_eq!(adj.method(), "adjusted_wald");
    assert_eq!(adj.difference(), 20.0);
}

#[test]
fn incomparable_estimates_are_errors() {
    let a = share(5, 10);
    let b = nps_from_counts(1, 2, 3, NpsMethod::Wald, Confidence::default()).unwrap();
    assert!(matches!(
        compare(&a, &b, CompareOptions::default()),
        Err(Error::NotComparable { .. })
    ));
    let c = top_box_from_counts(
        5,
        10,
        ProportionMethod::Wilson,
        Confidence::new(0.9).unwrap(),
    )
    .unwrap();
    assert!(matches!(
        compare(&a, &c, CompareOptions::default()),
        Err(Error::NotComparable { .. })
    ));
    assert!(compare(
        &a,
        &c,
        CompareOptions::default().with_confidence(Confidence::default())
    )
    .is_ok());
    assert!(matches!(
        compare(
            &a,
            &a,
            CompareOptions::default().with_method(DifferenceMethod::Welch)
        ),
        Err(Error::UnknownMethod { .. })
    ));
}

#[test]
fn paired_and_target() {
    let before = [6.0, 7.0, 9.0, 3.0, 10.0, 8.0];
    let after = [9.0, 9.0, 9.0, 7.0, 10.0, f64::NAN];
    let c = nps_paired(
        &before,
        &after,
        Confidence::default(),
        Alternative::TwoSided,
    )
    .unwrap();
    // d = (+2, +1, 0, +1, 0)/... in categories: 6->9 = +2, 7->9 = +1, 9->9 = 0, 3->7 = +1, 10->10 = 0
    let d = [2.0, 1.0, 0.0, 1.0, 0.0];
    let mean: f64 = d.iter().sum::<f64>() / 5.0;
    let sd = (d.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 4.0).sqrt();
    close(c.difference(), 100.0 * mean, 1e-12);
    close(c.std_error(), 100.0 * sd / 5f64.sqrt(), 1e-12);
    close(
        c.lower(),
        100.0 * (mean - 1.959963984540054 * sd / 5f64.sqrt()),
        1e-12,
    );
    assert_eq!(c.n_missing(), 1);

    let e = nps_from_counts(20, 30, 50, NpsMethod::Wald, Confidence::default()).unwrap();
    let t = test_against(&e, 40.0, Alternative::Less).unwrap();
    close(t.statistic(), -10.0 / e.std_error(), 1e-12);
    assert!(t.p_value() < 0.5);
    assert!(test_against(&e, 150.0, Alternative::TwoSided).is_err());
}

#[test]
fn adjusted_p_values_match_statsmodels() {
    let p = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2];
    let holm = adjust_p_values(&p, PAdjust::Holm).unwrap();
    let bh = adjust_p_values(&p, PAdjust::BenjaminiHochberg).unwrap();
    let bonf = adjust_p_values(&p, PAdjust::Bonferroni).unwrap();
    for (got, want) in holm.iter().zip([0.05, 0.12, 0.12, 0.03, 0.5, 0.4]) {
        close(*got, want, 1e-12);
    }
    for (got, want) in bh.iter().zip([0.03, 0.06, 0.06, 0.03, 0.5, 0.24]) {
        close(*got, want, 1e-12);
    }
    for (got, want) in bonf.iter().zip([0.06, 0.24, 0.18, 0.03, 1.0, 1.0]) {
        close(*got, want, 1e-12);
    }
    assert!(matches!(
        adjust_p_values(&[0.1, f64::NAN], PAdjust::Holm),
        Err(Error::InvalidPValue { position: 1, .. })
    ));
}

#[test]
fn sample_sizes() {
    let c = Confidence::default();
    assert_eq!(
        margin_of_error_n(0.05, PlanningVariance::Share(0.5), c, None).unwrap(),
        385
    );
    // n0 = 384.146; with N = 1000: 384.146 / (1 + 383.146/1000) = 277.74 -> 278
    assert_eq!(
        margin_of_error_n(0.05, PlanningVariance::Share(0.5), c, Some(1000)).unwrap(),
        278
    );
    assert_eq!(
        margin_of_error_n(0.05, PlanningVariance::Nps(None), c, None).unwrap(),
        1537
    );
    let n = per_group_n(
        0.1,
        PlanningVariance::Nps(None),
        PlanningVariance::Nps(None),
        0.8,
        c,
    )
    .unwrap();
    let mdd = minimum_detectable_difference(
        n,
        n,
        PlanningVariance::Nps(None),
        PlanningVariance::Nps(None),
        0.8,
        c,
    )
    .unwrap();
    assert!(mdd <= 0.1 && mdd > 0.0999);
    assert!(margin_of_error_n(0.0, PlanningVariance::Share(0.5), c, None).is_err());
    assert!(per_group_n(
        0.1,
        PlanningVariance::Mean(-1.0),
        PlanningVariance::Mean(1.0),
        0.8,
        c
    )
    .is_err());
}
