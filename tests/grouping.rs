//! Grouped counts equal counting each group alone; bad codes and scores are named with their position.

use cxmetrics::grouping::{report, GroupedCounts, IndicatorSpec};
use cxmetrics::*;

#[test]
fn each_group_equals_counting_it_alone() {
    let codes: Vec<u32> = (0..300).map(|i| (i * 7 % 5) as u32).collect();
    let scores: Vec<f64> = (0..300)
        .map(|i| {
            if i % 13 == 0 {
                f64::NAN
            } else {
                (i % 11) as f64
            }
        })
        .collect();
    let weights: Vec<f64> = (0..300).map(|i| 0.5 + (i % 4) as f64).collect();
    let g =
        GroupedCounts::from_scores(&codes, 5, &scores, Scale::NPS, MissingPolicy::Omit).unwrap();
    let gw = GroupedCounts::from_weighted_scores(
        &codes,
        5,
        &scores,
        &weights,
        Scale::NPS,
        MissingPolicy::Omit,
    )
    .unwrap();
    for k in 0..5u32 {
        let (s, w): (Vec<f64>, Vec<f64>) = codes
            .iter()
            .zip(scores.iter().zip(&weights))
            .filter(|(c, _)| **c == k)
            .map(|(_, (s, w))| (*s, *w))
            .unzip();
        assert_eq!(
            g.group(k as usize),
            &ScoreCounts::from_scores(&s, Scale::NPS, MissingPolicy::Omit).unwrap()
        );
        let alone =
            ScoreCounts::from_weighted_scores(&s, &w, Scale::NPS, MissingPolicy::Omit).unwrap();
        let (a, b) = (
            nps(gw.group(k as usize), NpsMethod::Wald, Confidence::default()).unwrap(),
            nps(&alone, NpsMethod::Wald, Confidence::default()).unwrap(),
        );
        assert_eq!(a, b);
    }
    assert_eq!(
        g.total(),
        &ScoreCounts::from_scores(&scores, Scale::NPS, MissingPolicy::Omit).unwrap()
    );

    let spec = IndicatorSpec::Nps {
        indicator: Indicator::Nps,
        method: NpsMethod::AdjustedWald,
    };
    let (overall, rows) = report(&g, spec, Confidence::default());
    assert_eq!(
        overall.unwrap(),
        nps(g.total(), NpsMethod::AdjustedWald, Confidence::default()).unwrap()
    );
    for (k, row) in rows.iter().enumerate() {
        let own = nps(g.group(k), NpsMethod::AdjustedWald, Confidence::default()).unwrap();
        assert_eq!(row.estimate.as_ref().unwrap(), &own);
        let rest = nps(&g.rest(k), NpsMethod::AdjustedWald, Confidence::default()).unwrap();
        let c = compare::compare(&own, &rest, None, None, Alternative::TwoSided).unwrap();
        assert_eq!(row.versus_rest.as_ref().unwrap(), &c);
        assert_eq!((row.n, row.n_missing), (own.n(), own.n_missing()));
    }
}

#[test]
fn bad_codes_and_scores_are_named() {
    let err =
        GroupedCounts::from_scores(&[0, 3, 1], 2, &[1u8, 2, 3], Scale::NPS, MissingPolicy::Omit)
            .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidGroupCode {
            code: 3,
            position: 1,
            n_groups: 2
        }
    ));
    let err = GroupedCounts::from_scores(
        &[0, 1, 1],
        2,
        &[1u8, 2, 30],
        Scale::NPS,
        MissingPolicy::Omit,
    )
    .unwrap_err();
    assert!(matches!(err, Error::ScoreOutOfRange { position: 2, .. }));
    let err = GroupedCounts::from_scores(&[0, 1], 2, &[1u8, 2, 3], Scale::NPS, MissingPolicy::Omit)
        .unwrap_err();
    assert!(matches!(err, Error::LengthMismatch { .. }));
    let err = GroupedCounts::from_weighted_scores(
        &[0, 1],
        2,
        &[1u8, 2],
        &[1.0, -1.0],
        Scale::NPS,
        MissingPolicy::Omit,
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidWeight { position: 1, .. }));
}
