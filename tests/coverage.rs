//! Coverage: the exact enumeration agrees with an independent one (statsmodels + scipy), and the
//! default methods keep their promise: at 95%, mean coverage over the grid within [93.5%, 96.5%]
//! for every n >= 30, minimum coverage at least 90% for n >= 50 (docs/coverage.md has the tables).

use cxmetrics::coverage::{nps_coverage, share_coverage, NPS_GRID, SHARE_GRID, SIZES};
use cxmetrics::{Confidence, NpsMethod, ProportionMethod};

#[test]
fn exact_share_coverage_matches_an_independent_enumeration() {
    // Python: x = arange(n + 1); lo, hi = statsmodels proportion_confint(x, n, method="wilson");
    // coverage = scipy binom.pmf(x, n, p)[(lo <= p) & (p <= hi)].sum()
    for (p, n, want) in [
        (0.5, 30, 0.9572260547429324),
        (0.01, 50, 0.9105646869039692),
        (0.1, 30, 0.9741732113380898),
    ] {
        let c = share_coverage(ProportionMethod::Wilson, p, n, Confidence::default()).unwrap();
        assert!(
            (c.coverage - want).abs() < 1e-9,
            "p {p} n {n}: {}",
            c.coverage
        );
    }
}

fn check_default(name: &str, coverages: &[(u64, Vec<f64>)]) {
    for (n, cov) in coverages {
        let mean = cov.iter().sum::<f64>() / cov.len() as f64;
        let min = cov.iter().copied().fold(f64::INFINITY, f64::min);
        if *n >= 30 {
            assert!(
                (0.935..=0.965).contains(&mean),
                "{name}, n = {n}: mean coverage {mean}"
            );
        }
        if *n >= 50 {
            assert!(
                min >= 0.90,
                "{name}, n = {n}: minimum coverage {min} ({cov:?})"
            );
        }
    }
}

#[test]
fn default_share_method_keeps_its_coverage() {
    let c = Confidence::default();
    let table: Vec<(u64, Vec<f64>)> = SIZES
        .iter()
        .map(|&n| {
            (
                n,
                SHARE_GRID
                    .iter()
                    .map(|&p| {
                        share_coverage(ProportionMethod::default(), p, n, c)
                            .unwrap()
                            .coverage
                    })
                    .collect(),
            )
        })
        .collect();
    check_default("shares (wilson)", &table);
}

#[test]
fn default_nps_method_keeps_its_coverage() {
    let c = Confidence::default();
    let table: Vec<(u64, Vec<f64>)> = SIZES
        .iter()
        .filter(|&&n| n >= 30)
        .map(|&n| {
            (
                n,
                NPS_GRID
                    .iter()
                    .map(|&s| {
                        nps_coverage(NpsMethod::default(), s, n, c)
                            .unwrap()
                            .coverage
                    })
                    .collect(),
            )
        })
        .collect();
    check_default("nps (adjusted_wald)", &table);
}
