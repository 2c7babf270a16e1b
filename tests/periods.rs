//! Calendar periods against values computed outside the project (`tests/references/periods.py`,
//! Python's `datetime` and `date.isocalendar()`, cross-checked with NumPy): the period number, its
//! first instant and its label for 418 instants from 1900 to 2200 and every frequency; and typed
//! responses bucketed by `ResponseTrend` equal counts built by hand.

use cxmetrics::grouping::{GroupedCounts, IndicatorSpec};
use cxmetrics::trend::{Frequency, Period, ResponseTrend, TrendCells, TrendOptions};
use cxmetrics::{Indicator, MissingPolicy, NpsMethod, Response, Scale, Timestamp, Touchpoint};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    unix_seconds: i64,
    freq: String,
    index: i64,
    start: i64,
    label: String,
}

#[derive(Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[test]
fn periods_match_python_datetime() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/references/periods.json"
    ))
    .unwrap();
    let reference: Reference = serde_json::from_str(&text).unwrap();
    assert!(reference.cases.len() > 2000);
    for case in &reference.cases {
        let frequency: Frequency = case.freq.parse().unwrap();
        let at = Timestamp::from_unix(case.unix_seconds, 0).unwrap();
        let period = frequency.period_of(at);
        let what = format!("{} {}", case.unix_seconds, case.freq);
        assert_eq!(period.index(), case.index, "{what}");
        assert_eq!(period.start_unix_seconds(), case.start, "{what}");
        assert_eq!(period.to_string(), case.label, "{what}");
        assert_eq!(case.label.parse::<Period>().unwrap(), period, "{what}");
        assert!(period.contains(at) && !period.next().contains(at), "{what}");
        let json = serde_json::to_string(&period).unwrap();
        assert_eq!(json, format!("\"{}\"", case.label));
        assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), period);
    }
    assert!(serde_json::from_str::<Period>("\"2025-02-30\"").is_err());
    assert!("fortnight".parse::<Frequency>().is_err());
}

#[test]
fn responses_bucket_into_the_cells_built_by_hand() {
    // 300 responses over two touchpoints and 2024-2025, some without an NPS answer.
    let mut rng = cxmetrics::random::Rng::new(17);
    let start = Timestamp::parse("2024-01-01T00:00:00Z")
        .unwrap()
        .unix_seconds();
    let mut responses = Vec::new();
    for i in 0..300 {
        let at = Timestamp::from_unix(start + (rng.below(730 * 86_400)) as i64, 0).unwrap();
        let tp = if rng.below(3) == 0 { "store" } else { "web" };
        let mut b = Response::builder(&format!("C{i}"), at, Touchpoint::new(tp).unwrap());
        if rng.below(10) > 0 {
            b = b.nps(rng.below(11) as i64);
        }
        responses.push(b.build().unwrap());
    }
    for frequency in Frequency::ALL {
        let bucketed = ResponseTrend::from_responses(
            &responses,
            |r| r.touchpoint().id().to_string(),
            "nps",
            Scale::NPS,
            false,
            frequency,
        )
        .unwrap();
        assert_eq!(bucketed.keys(), ["store", "web"]);
        let periods = bucketed.periods();
        let first = periods[0].index();
        assert!(periods.windows(2).all(|w| w[1] == w[0].next()));
        let codes: Vec<u32> = responses
            .iter()
            .map(|r| {
                let g = u32::from(r.touchpoint().id() == "web");
                let t = (frequency.period_of(r.recorded_at()).index() - first) as u32;
                g * periods.len() as u32 + t
            })
            .collect();
        let scores: Vec<f64> = responses
            .iter()
            .map(|r| r.nps().map_or(f64::NAN, |v| v as f64))
            .collect();
        let by_hand = GroupedCounts::from_scores(
            &codes,
            2 * periods.len(),
            &scores,
            Scale::NPS,
            MissingPolicy::Omit,
        )
        .unwrap();
        assert_eq!(bucketed.cells().counts(), &by_hand, "{frequency}");
        let spec = IndicatorSpec::Nps {
            indicator: Indicator::Nps,
            method: NpsMethod::AdjustedWald,
        };
        let hand = TrendCells::new(by_hand, 2, periods.len()).unwrap();
        let options = TrendOptions::default().with_window(2).unwrap();
        let (a, b) = (
            bucketed.cells().trend(spec, options).unwrap(),
            hand.trend(spec, options).unwrap(),
        );
        assert_eq!(a.n, b.n);
        assert_eq!(a.n.iter().sum::<u64>() + a.n_missing.iter().sum::<u64>(), {
            // Rolling over 2 periods counts each response twice, except in each group's last period.
            let last: u64 = (0..2)
                .map(|g| {
                    hand.cell(g, periods.len() - 1).n()
                        + hand.cell(g, periods.len() - 1).n_missing()
                })
                .sum();
            2 * 300 - last
        });
    }
    assert!(
        ResponseTrend::from_responses(&[], |_| 0, "nps", Scale::NPS, false, Frequency::Day)
            .is_err()
    );
}
