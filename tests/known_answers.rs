//! Known answers computed outside this project: statsmodels 0.15 `proportion_confint`, R 4.2.2
//! `prop.test`, `t.test`, `survey` 4.1.1 `svymean`, and the Tango score interval as transcribed from R
//! `contingencytables` and solved to 1e-15 (cross-checked with 40-digit mpmath). The scripts and their
//! output are summarised in `tests/references/REFERENCES.md`.

use cxmetrics::interval::nps::{nps_interval, NpsMethod};
use cxmetrics::interval::proportion::{binomial_interval, ProportionMethod};
use cxmetrics::*;

fn close(actual: f64, expected: f64, rel: f64) {
    let tol = rel * expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= tol.max(1e-13),
        "got {actual:.15e}, expected {expected:.15e}"
    );
}

fn conf(level: f64) -> Confidence {
    Confidence::new(level).unwrap()
}

/// statsmodels `proportion_confint(x, n, alpha, method)`; wilson_cc from R `prop.test(correct=TRUE)`
/// (Newcombe's formula at x = n/2); jeffreys from `scipy.stats.beta.ppf` with the end-point rule.
#[test]
fn proportion_intervals_match_statsmodels_and_r() {
    use ProportionMethod::*;
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, ProportionMethod, f64, f64)] = &[
        (18.0, 20.0, 0.95, Wald, 0.768521618913513, 1.0),
        (18.0, 20.0, 0.95, Wilson, 0.698966354771513, 0.972133518786232),
        (18.0, 20.0, 0.95, AgrestiCoull, 0.686756112559607, 0.984343760998137),
        (18.0, 20.0, 0.95, ClopperPearson, 0.683017285980918, 0.987651472829705),
        (18.0, 20.0, 0.95, Jeffreys, 0.716146742695748, 0.978627511977525),
        (18.0, 20.0, 0.95, WilsonCc, 0.668722403162941, 0.982487361226571),
        (0.0, 30.0, 0.95, Wilson, 0.0, 0.113513393173969),
        (0.0, 30.0, 0.95, AgrestiCoull, 0.0, 0.134711696139626),
        (0.0, 30.0, 0.95, ClopperPearson, 0.0, 0.115703308222028),
        (0.0, 30.0, 0.95, Jeffreys, 0.0, 0.07967817381726),
        (0.0, 30.0, 0.95, WilsonCc, 0.0, 0.141320479682452),
        (0.0, 30.0, 0.95, Wald, 0.0, 0.0),
        (30.0, 30.0, 0.95, Wilson, 0.886486606826031, 1.0),
        (30.0, 30.0, 0.95, ClopperPearson, 0.884296691777972, 1.0),
        (30.0, 30.0, 0.95, Jeffreys, 0.92032182618274, 1.0),
        (30.0, 30.0, 0.95, WilsonCc, 0.858679520317548, 1.0),
        (1.0, 30.0, 0.95, Wald, 0.0, 0.0975673689058453),
        (1.0, 30.0, 0.95, Wilson, 0.00590859038161246, 0.166703909914092),
        (1.0, 30.0, 0.95, AgrestiCoull, 0.0, 0.180917984532611),
        (1.0, 30.0, 0.95, ClopperPearson, 0.000843570926630479, 0.172169455633413),
        (1.0, 30.0, 0.95, Jeffreys, 0.00362046437379166, 0.14541777735402),
        (1.0, 30.0, 0.95, WilsonCc, 0.00174246705238487, 0.190530216347821),
        (37.0, 100.0, 0.90, Wald, 0.290585758257751, 0.449414241742249),
        (37.0, 100.0, 0.90, Wilson, 0.294988491953312, 0.451860615450313),
        (37.0, 100.0, 0.90, AgrestiCoull, 0.294915736269499, 0.451933371134126),
        (37.0, 100.0, 0.90, ClopperPearson, 0.289355367440998, 0.456565906520074),
        (37.0, 100.0, 0.90, Jeffreys, 0.294028347065446, 0.451458839762703),
        (37.0, 100.0, 0.90, WilsonCc, 0.290337144665098, 0.456937089598205),
        (537.0, 1000.0, 0.99, Wald, 0.496384227487237, 0.577615772512763),
        (537.0, 1000.0, 0.99, Wilson, 0.496273693730735, 0.577238560066413),
        (537.0, 1000.0, 0.99, AgrestiCoull, 0.496272964012324, 0.577239289784824),
        (537.0, 1000.0, 0.99, ClopperPearson, 0.495785224086307, 0.577857641579611),
        (537.0, 1000.0, 0.99, Jeffreys, 0.496285841808077, 0.577363044963725),
        (537.0, 1000.0, 0.99, WilsonCc, 0.495774017407694, 0.577732251921716),
        (5.0, 7.0, 0.95, Wilson, 0.358934451832619, 0.917781075995943),
        (5.0, 7.0, 0.95, ClopperPearson, 0.290420863737343, 0.963307433823914),
        (5.0, 7.0, 0.95, Jeffreys, 0.352338345040579, 0.935271733050517),
        (5.0, 7.0, 0.95, WilsonCc, 0.302560029813928, 0.948875693954224),
        (19.0, 38.0, 0.95, Wilson, 0.348499283643951, 0.651500716356049),
        (19.0, 38.0, 0.95, ClopperPearson, 0.333789006113097, 0.666210993886903),
        (19.0, 38.0, 0.95, WilsonCc, 0.33659706345321, 0.66340293654679),
    ];
    for &(x, n, level, method, lo, hi) in cases {
        let ci = binomial_interval(x, n, method, conf(level));
        println!("{x}/{n} {level} {method:?}");
        close(ci.lower, lo, 1e-9);
        close(ci.upper, hi, 1e-9);
    }
}

/// R `NPS` package tests (Var1 and SE) and the Wald interval of counts 20/30/50 (docs/methods.md).
#[test]
fn nps_wald_matches_r_nps() {
    let e = nps_from_counts(1, 2, 3, NpsMethod::Wald, Confidence::default()).unwrap();
    close(e.value(), 100.0 / 3.0, 1e-14);
    close(e.std_error(), 100.0 * (5.0f64 / 9.0 / 6.0).sqrt(), 1e-14);
    close(e.lower(), -26.3064714572385, 1e-12);
    close(e.upper(), 92.9731381239052, 1e-12);
    for (d, p, r, var1) in [
        (1u64, 0u64, 1u64, 1.0),
        (0, 1, 1, 0.25),
        (1, 1, 1, 2.0 / 3.0),
    ] {
        let e = nps_from_counts(d, p, r, NpsMethod::Wald, Confidence::default()).unwrap();
        close(
            e.std_error(),
            100.0 * (var1 / (d + p + r) as f64).sqrt(),
            1e-14,
        );
    }
    let e = nps_from_counts(20, 30, 50, NpsMethod::Wald, Confidence::default()).unwrap();
    close(e.std_error(), 7.81024967590665, 1e-12);
    close(e.lower(), 14.6921919249573, 1e-12);
    close(e.upper(), 45.3078080750427, 1e-12);
    // contingencytables Wald_CI_diff_paired_2x2(cavo_2012): same variance, D=16, P=139, R=6.
    let e = nps_from_counts(16, 139, 6, NpsMethod::Wald, Confidence::default()).unwrap();
    close(e.lower(), -11.839965766158, 1e-11);
    close(e.upper(), -0.58239448228922, 1e-11);
}

/// Adjusted Wald (computed in R from Rocks 2016) and Tango's score interval (contingencytables
/// transcription solved to 1e-15; agrees with 40-digit mpmath and with the package's printed
/// -0.1240 to -0.0054 for the Cavo et al. 2012 table).
#[test]
fn nps_adjusted_wald_and_score_match_references() {
    /// Detractors, passives, promoters, adjusted Wald limits, score limits (points).
    type Case = (u64, u64, u64, [f64; 2], [f64; 2]);
    #[rustfmt::skip]
    let cases: &[Case] = &[
        (20, 30, 50, [14.0511301787616, 44.2012970057044], [13.9551416141957, 44.3393066335859]),
        (1, 2, 3, [-26.7432587941045, 71.187703238549], [-31.1073784624224, 75.395666356387]),
        (5, 10, 85, [67.3584693391513, 87.9813364860914], [67.2669466318971, 87.8152675716331]),
        (0, 10, 20, [42.4171156835074, 78.7950055286138], [47.7477678043386, 80.7695019163239]),
        (10, 0, 0, [-100.0, -47.5035515447902], [-100.0, -44.4934400274222]),
        (3, 4, 3, [-41.2890956242421, 41.2890956242421], [-44.4217809095524, 44.4217809095524]),
        (16, 139, 6, [f64::NAN, f64::NAN], [-12.4023432464068, -0.543339573167708]),
        (7, 13, 1, [f64::NAN, f64::NAN], [-51.7232276421377, -2.60030324808685]),
    ];
    for &(d, p, r, adj, score) in cases {
        println!("{d}/{p}/{r}");
        if !adj[0].is_nan() {
            let e =
                nps_from_counts(d, p, r, NpsMethod::AdjustedWald, Confidence::default()).unwrap();
            close(e.lower(), adj[0], 1e-12);
            close(e.upper(), adj[1], 1e-12);
            assert_eq!(
                e.value(),
                100.0 * (r as f64 - d as f64) / (d + p + r) as f64
            );
        }
        let e = nps_from_counts(d, p, r, NpsMethod::Score, Confidence::default()).unwrap();
        close(e.lower(), score[0], 1e-11);
        close(e.upper(), score[1], 1e-11);
    }
}

/// R survey 4.1.1: svydesign(ids=~1, weights=~w); svymean; SE; confint(df = degf(design)).
#[test]
fn weighted_estimates_match_r_survey() {
    let y = [
        10.0, 9.0, 0.0, 7.0, 8.0, 3.0, 10.0, 6.0, 9.0, 10.0, 2.0, 8.0,
    ];
    let w = [1.5, 0.5, 2.0, 1.0, 1.0, 3.0, 0.25, 1.0, 2.0, 1.0, 0.75, 1.0];
    let counts =
        ScoreCounts::from_weighted_scores(&y, &w, Scale::NPS, MissingPolicy::Omit).unwrap();
    let e = nps(&counts, NpsMethod::Wald, Confidence::default()).unwrap();
    close(e.value(), -10.0, 1e-13);
    close(e.std_error(), 31.8909125462145, 1e-12);
    close(e.lower(), -72.505040024697, 1e-12);
    close(e.upper(), 52.505040024697, 1e-12);
    close(e.effective_n(), 8.95522388059701, 1e-13);
    let b = e.nps_breakdown().unwrap();
    close(b.promoter_share, 35.0, 1e-13);
    close(b.detractor_share, 45.0, 1e-13);
    assert_eq!((b.detractors, b.passives, b.promoters), (4, 3, 5));
    assert!(matches!(
        nps(&counts, NpsMethod::AdjustedWald, Confidence::default()),
        Err(Error::MethodNotWeighted { .. })
    ));

    let y5 = [5u8, 4, 4, 3, 5, 1, 2, 5, 4, 4];
    let w5 = [1.0, 2.0, 1.0, 0.5, 1.0, 1.0, 3.0, 1.0, 1.0, 0.5];
    let counts =
        ScoreCounts::from_weighted_scores(&y5, &w5, Scale::LIKERT_5, MissingPolicy::Omit).unwrap();
    let e = mean_score(&counts, Confidence::default()).unwrap();
    close(e.value(), 3.45833333333333, 1e-13);
    close(e.std_error(), 0.51370507848824, 1e-12);
    close(e.lower(), 2.29625171046535, 1e-12);
    close(e.upper(), 4.62041495620132, 1e-12);
    close(e.effective_n(), 7.38461538461539, 1e-13);
    let e = csat(&counts, ProportionMethod::Wald, Confidence::default()).unwrap();
    close(e.value(), 62.5, 1e-13);
    close(e.std_error(), 20.2314682388295, 1e-12);
    close(e.lower(), 22.8470508975283, 1e-12);
    assert_eq!(e.upper(), 100.0); // survey's 102.15 clipped to the range
    assert!(matches!(
        csat(
            &counts,
            ProportionMethod::ClopperPearson,
            Confidence::default()
        ),
        Err(Error::MethodNotWeighted { .. })
    ));
}

/// Weighted Wilson: Wilson's interval at p with n* = p(1-p)/V; with equal weights V = p(1-p)/(n-1)
/// (survey's n/(n-1)), so n* = n - 1 and the interval equals statsmodels' Wilson at x = p(n-1), n - 1.
#[test]
fn weighted_wilson_uses_the_design_effective_n() {
    // 19 of 38 top-box with unit weights: n* = 37, p = 0.5.
    let scores: Vec<u8> = (0..38).map(|i| if i < 19 { 5 } else { 1 }).collect();
    let ones = vec![1.0; 38];
    let c = ScoreCounts::from_weighted_scores(&scores, &ones, Scale::LIKERT_5, MissingPolicy::Omit)
        .unwrap();
    let e = csat(&c, ProportionMethod::Wilson, Confidence::default()).unwrap();
    let direct = binomial_interval(18.5, 37.0, ProportionMethod::Wilson, Confidence::default());
    close(e.lower(), 100.0 * direct.lower, 1e-12);
    close(e.upper(), 100.0 * direct.upper, 1e-12);
}

/// R t.test(x)$conf.int and scipy.stats.t.interval.
#[test]
fn mean_t_interval_matches_r() {
    let xa = [5u8, 4, 4, 3, 5, 1, 2, 5, 4, 4];
    let c = ScoreCounts::from_scores(&xa, Scale::LIKERT_5, MissingPolicy::Omit).unwrap();
    let e = mean_score(&c, Confidence::default()).unwrap();
    close(e.lower(), 2.74321478103839, 1e-12);
    close(e.upper(), 4.65678521896161, 1e-12);
    close(e.std_error(), 0.422952584681651, 1e-12);
    let e = mean_score(&c, conf(0.90)).unwrap();
    close(e.lower(), 2.92468014711968, 1e-12);
    close(e.upper(), 4.47531985288032, 1e-12);
    let xb = [7i64, 6, 7, 5, 3, 7, 6, 2, 4, 5, 6, 7, 1];
    let c = ScoreCounts::from_scores(&xb, Scale::LIKERT_7, MissingPolicy::Omit).unwrap();
    let e = mean_score(&c, Confidence::default()).unwrap();
    close(e.value(), 5.07692307692308, 1e-13);
    close(e.lower(), 3.85676947475757, 1e-12);
    close(e.upper(), 6.29707667908859, 1e-12);
}

#[test]
fn nps_interval_on_unit_range_is_clipped() {
    let ci = nps_interval(
        10.0,
        0.0,
        0.0,
        NpsMethod::AdjustedWald,
        Confidence::default(),
    );
    assert_eq!(ci.lower, -1.0);
}
