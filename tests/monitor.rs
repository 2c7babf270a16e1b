//! Control charts against Montgomery, Introduction to Statistical Quality Control, Table 9.1 (20
//! observations from N(10, 1), then 10 from N(11, 1)): tabular CUSUM (k = 0.5, h = 5) and EWMA
//! (lambda = 0.1, L = 2.7).

use cxmetrics::monitor::{cusum, ewma, nps_chart, p_chart};

const DATA: [f64; 30] = [
    9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34, 9.03, 11.47, 10.51, 9.40,
    10.08, 9.37, 10.62, 10.31, 8.52, 10.84, 10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62,
    11.31, 10.52,
];

#[test]
fn montgomery_cusum_signals_at_29() {
    let c = cusum(&DATA, 10.0, 1.0, 0.5, 5.0).unwrap();
    // Montgomery Example 9.1: C+_29 = 5.28 > H = 5, the first signal; C- stays at 0 at the end.
    assert!((c[28].upper_sum - 5.28).abs() < 5e-3);
    assert_eq!(c.iter().position(|p| p.signal), Some(28));
    assert_eq!(c[29].lower_sum, 0.0);
}

#[test]
fn montgomery_ewma() {
    let e = ewma(&DATA, 10.0, 1.0, 0.1, 2.7).unwrap();
    assert!((e[0].ewma - 9.945).abs() < 1e-12); // 0.1 * 9.45 + 0.9 * 10
    assert!((e[1].ewma - 9.7495).abs() < 1e-12);
    assert!((e[0].upper_limit - 10.27).abs() < 5e-3 && (e[0].lower_limit - 9.73).abs() < 5e-3);
    // The limits approach the steady state 10 +- 2.7 sqrt(0.1 / 1.9).
    let steady = 2.7 * (0.1f64 / 1.9).sqrt();
    assert!((e[29].upper_limit - 10.0 - steady).abs() < 1e-3);
    assert!(e.iter().any(|p| p.signal) && !e[..20].iter().any(|p| p.signal));
}

#[test]
fn p_and_nps_charts() {
    let p = p_chart(&[40, 45, 20, 0], &[100, 100, 100, 0], 3.0).unwrap();
    assert!((p[0].center - 35.0).abs() < 1e-12);
    assert!(p[2].signal && !p[0].signal);
    assert!(p[3].value.is_nan() && !p[3].signal); // an empty period
    let half = 3.0 * (0.35f64 * 0.65 / 100.0).sqrt();
    assert!((p[0].upper_limit - 100.0 * (0.35 + half)).abs() < 1e-9);
    let n = nps_chart(&[10, 30], &[20, 20], &[70, 50], 3.0).unwrap();
    let var1 = 0.6 + 0.2 - 0.16;
    assert!((n[0].center - 40.0).abs() < 1e-12);
    assert!((n[0].lower_limit - 100.0 * (0.4 - 3.0 * (var1 / 100.0f64).sqrt())).abs() < 1e-9);
    assert!(p_chart(&[5], &[3], 3.0).is_err() && cusum(&[1.0], 0.0, 0.0, 0.5, 5.0).is_err());
}
