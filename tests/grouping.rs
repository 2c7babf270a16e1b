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
        let c = compare::compare(&own, &rest, compare::CompareOptions::default()).unwrap();
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

mod columns {
    use cxmetrics::compare::{adjust_p_values, PAdjust};
    use cxmetrics::grouping::{
        group_columns, report, report_columns, GroupKeys, GroupedCounts, IndicatorSpec,
        ScoreColumn, PARALLEL_ROWS,
    };
    use cxmetrics::*;

    /// A reproducible pseudo-random sequence: the crate's own generator.
    fn lcg(seed: u64) -> impl FnMut() -> u64 {
        let mut rng = cxmetrics::random::Rng::new(seed);
        move || rng.next_u64() >> 33
    }

    /// Each group of `group_columns` equals `ScoreCounts` of that group's rows alone.
    fn check_against_filtering(keys: &[i64], ltr: &[f64], sat: &[u8], weights: Option<&[f64]>) {
        let grouped = group_columns(
            GroupKeys::Integers(keys),
            &[
                (ScoreColumn::F64(ltr), Scale::NPS),
                (ScoreColumn::U8(sat), Scale::LIKERT_5),
            ],
            weights,
            MissingPolicy::Omit,
        )
        .unwrap();
        let mut distinct: Vec<i64> = keys.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(grouped.keys, distinct);
        for (g, &key) in distinct.iter().enumerate() {
            let rows: Vec<usize> = (0..keys.len()).filter(|&i| keys[i] == key).collect();
            let l: Vec<f64> = rows.iter().map(|&i| ltr[i]).collect();
            let s: Vec<u8> = rows.iter().map(|&i| sat[i]).collect();
            let (alone_l, alone_s) = match weights {
                None => (
                    ScoreCounts::from_scores(&l, Scale::NPS, MissingPolicy::Omit).unwrap(),
                    ScoreCounts::from_scores(&s, Scale::LIKERT_5, MissingPolicy::Omit).unwrap(),
                ),
                Some(w) => {
                    let w: Vec<f64> = rows.iter().map(|&i| w[i]).collect();
                    (
                        ScoreCounts::from_weighted_scores(&l, &w, Scale::NPS, MissingPolicy::Omit)
                            .unwrap(),
                        ScoreCounts::from_weighted_scores(
                            &s,
                            &w,
                            Scale::LIKERT_5,
                            MissingPolicy::Omit,
                        )
                        .unwrap(),
                    )
                }
            };
            assert_eq!(
                grouped.columns[0].group(g).counts(),
                alone_l.counts(),
                "key {key}"
            );
            assert_eq!(grouped.columns[0].group(g).n_missing(), alone_l.n_missing());
            assert_eq!(grouped.columns[1].group(g).counts(), alone_s.counts());
            if let (Some(a), Some(b)) = (
                grouped.columns[0].group(g).weight_sums(),
                alone_l.weight_sums(),
            ) {
                for (x, y) in a.sum.iter().zip(&b.sum) {
                    assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0));
                }
            }
        }
    }

    #[test]
    fn dense_sparse_threaded_and_weighted_keys_equal_filtering() {
        let mut next = lcg(11);
        let n = PARALLEL_ROWS + 12_345; // above the threading threshold
        let dense: Vec<i64> = (0..n).map(|_| (next() % 37) as i64 - 5).collect();
        let sparse: Vec<i64> = (0..n)
            .map(|_| (next() % 29) as i64 * 1_000_000_007 - 4_000_000_000)
            .collect();
        let ltr: Vec<f64> = (0..n)
            .map(|_| match next() % 20 {
                0 => f64::NAN,
                x => (x % 11) as f64,
            })
            .collect();
        let sat: Vec<u8> = (0..n).map(|_| (next() % 5 + 1) as u8).collect();
        let w: Vec<f64> = (0..n).map(|_| 0.25 + (next() % 8) as f64 / 4.0).collect();
        check_against_filtering(&dense, &ltr, &sat, None);
        check_against_filtering(&sparse, &ltr, &sat, None);
        check_against_filtering(&dense, &ltr, &sat, Some(&w));
        // Small inputs (one thread), extreme keys.
        let keys = [i64::MIN, i64::MAX, 0, i64::MIN, 7];
        check_against_filtering(
            &keys,
            &[10.0, 0.0, 9.0, 8.0, f64::NAN],
            &[5, 4, 3, 2, 1],
            None,
        );
    }

    #[test]
    fn a_cell_with_more_rows_than_u16_holds_is_counted_exactly() {
        let n = 200_003;
        let keys = vec![4i64; n];
        let ltr = vec![10u8; n];
        let grouped = group_columns(
            GroupKeys::Integers(&keys),
            &[(ScoreColumn::U8(&ltr), Scale::NPS)],
            None,
            MissingPolicy::Omit,
        )
        .unwrap();
        assert_eq!(grouped.keys, [4]);
        assert_eq!(grouped.columns[0].group(0).count(10), n as u64);
    }

    #[test]
    fn codes_keep_empty_groups_and_match_the_per_column_api() {
        let codes = [0u32, 2, 0, 2, 2, 0];
        let ltr = [10i64, 3, 9, 8, 10, 0];
        let grouped = group_columns(
            GroupKeys::Codes {
                codes: &codes,
                n_groups: 3,
            },
            &[(ScoreColumn::I64(&ltr), Scale::NPS)],
            None,
            MissingPolicy::Omit,
        )
        .unwrap();
        assert!(grouped.keys.is_empty());
        let alone =
            GroupedCounts::from_scores(&codes, 3, &ltr, Scale::NPS, MissingPolicy::Omit).unwrap();
        assert_eq!(grouped.columns[0], alone);
        assert_eq!(grouped.columns[0].group(1).n(), 0);
    }

    #[test]
    fn report_columns_equal_the_per_group_report() {
        let codes: Vec<u32> = (0..400).map(|i| (i % 7) as u32).collect();
        let ltr: Vec<u8> = (0..400).map(|i| ((i * 7 + i / 3) % 11) as u8).collect();
        let grouped =
            GroupedCounts::from_scores(&codes, 7, &ltr, Scale::NPS, MissingPolicy::Omit).unwrap();
        let spec = IndicatorSpec::Nps {
            indicator: Indicator::Nps,
            method: NpsMethod::AdjustedWald,
        };
        let table = report_columns(&grouped, spec, Confidence::default(), PAdjust::Holm).unwrap();
        let (overall, groups) = report(&grouped, spec, Confidence::default());
        assert_eq!(table.value[0], overall.unwrap().value());
        let p: Vec<f64> = groups
            .iter()
            .map(|g| g.versus_rest.as_ref().unwrap().p_value())
            .collect();
        assert_eq!(table.p_value[1..], p[..]);
        assert_eq!(
            table.p_adjusted[1..],
            adjust_p_values(&p, PAdjust::Holm).unwrap()[..]
        );
        for (g, r) in groups.iter().enumerate() {
            let e = r.estimate.as_ref().unwrap();
            assert_eq!(
                (table.lower[g + 1], table.upper[g + 1], table.n[g + 1]),
                (e.lower(), e.upper(), e.n())
            );
        }
    }

    #[test]
    fn errors_name_the_column_and_position() {
        let keys = [1i64, 2, 3];
        let bad = [1.0, 9.5, 2.0];
        let err = group_columns(
            GroupKeys::Integers(&keys),
            &[
                (ScoreColumn::F64(&[1.0, 2.0, 3.0]), Scale::LIKERT_5),
                (ScoreColumn::F64(&bad), Scale::LIKERT_5),
            ],
            None,
            MissingPolicy::Omit,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "column \"1\": score 9.5 at position 1 is not a whole number; scores must be scale points");
        let err = group_columns(
            GroupKeys::Codes {
                codes: &[0, 5, 1],
                n_groups: 2,
            },
            &[(ScoreColumn::F64(&[1.0, 2.0, 3.0]), Scale::LIKERT_5)],
            None,
            MissingPolicy::Omit,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidGroupCode {
                code: 5,
                position: 1,
                n_groups: 2
            }
        ));
        let err = group_columns(
            GroupKeys::Integers(&keys),
            &[(ScoreColumn::F64(&[1.0, f64::NAN, 3.0]), Scale::LIKERT_5)],
            Some(&[1.0, -1.0, 1.0]),
            MissingPolicy::Omit,
        )
        .unwrap_err();
        assert!(matches!(err, Error::InvalidWeight { position: 1, .. }));
        let err = group_columns(
            GroupKeys::Integers(&keys),
            &[(ScoreColumn::F64(&[1.0, f64::NAN, 3.0]), Scale::LIKERT_5)],
            None,
            MissingPolicy::Raise,
        )
        .unwrap_err();
        assert!(err.to_string().contains("position 1"), "{err}");
    }
}
