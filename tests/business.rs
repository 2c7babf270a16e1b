//! Loyalty index, secure customers and outcomes by NPS category against R on the demo data
//! (tests/references/business.R; values in business_R_output.txt).

use cxmetrics::indicator::items::Item;
use cxmetrics::indicator::loyalty::loyalty_index;
use cxmetrics::indicator::secure::secure_customers;
use cxmetrics::outcome::{outcome_by_category, OutcomeKind};
use cxmetrics::read::{read_responses, ReadOptions};
use cxmetrics::{Confidence, Error, ProportionMethod, Response, Scale};

fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1e-12),
        "got {got}, want {want}"
    );
}

struct Demo {
    nps: Vec<f64>,
    csat: Vec<f64>,
    rep: Vec<f64>,
    repeat: Vec<f64>,
    weight: Vec<f64>,
}

fn demo() -> Demo {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/python/cxmetrics/data/demo_responses.csv"
    );
    let read = read_responses(path, &ReadOptions::default()).unwrap();
    let item = |name: &str| -> Vec<f64> {
        read.responses
            .iter()
            .map(|r| r.answer(name).map_or(f64::NAN, |a| a.value() as f64))
            .collect()
    };
    Demo {
        nps: item("nps"),
        csat: item("csat"),
        rep: item("repurchase_intention"),
        repeat: read
            .responses
            .iter()
            .map(|r| {
                r.attribute("repeat_purchase_90d")
                    .map_or(f64::NAN, |v| v.parse().unwrap())
            })
            .collect(),
        weight: read.responses.iter().map(Response::weight).collect(),
    }
}

#[test]
fn loyalty_index_matches_r() {
    let d = demo();
    let items = [
        Item::new("nps", &d.nps, Scale::NPS),
        Item::new("csat", &d.csat, Scale::LIKERT_5),
        Item::new("repurchase_intention", &d.rep, Scale::LIKERT_5),
    ];
    let c = Confidence::default();
    let e = loyalty_index(&items, None, None, c).unwrap();
    assert_eq!((e.n(), e.n_missing()), (5511, 489));
    close(e.value(), 71.5502328675981);
    close(e.lower(), 71.0866018066898);
    close(e.upper(), 72.0138639285065);
    close(e.std_error(), 0.23649884413231);
    let iw = loyalty_index(&items, Some(&[2.0, 1.0, 1.0]), None, c).unwrap();
    close(iw.value(), 73.6245690437307);
    close(iw.lower(), 73.183367795239);
    close(iw.upper(), 74.0657702922224);
    let w = loyalty_index(&items, None, Some(&d.weight), c).unwrap();
    close(w.value(), 70.695941624039);
    close(w.std_error(), 0.24910236587329);
    close(w.lower(), 70.2076026869573);
    close(w.upper(), 71.1842805611206);
}

#[test]
fn secure_customers_matches_r() {
    let d = demo();
    let criteria = [
        (Item::new("nps", &d.nps, Scale::NPS), 2),
        (Item::new("csat", &d.csat, Scale::LIKERT_5), 2),
        (
            Item::new("repurchase_intention", &d.rep, Scale::LIKERT_5),
            2,
        ),
    ];
    let e = secure_customers(
        &criteria,
        None,
        ProportionMethod::Wilson,
        Confidence::default(),
    )
    .unwrap();
    assert_eq!(
        (e.n(), e.n_missing(), e.successes()),
        (5511, 489, Some(1532))
    );
    close(e.value(), 27.7989475594266);
    close(e.lower(), 26.6319025371544);
    close(e.upper(), 28.9969216408071);
}

#[test]
fn outcomes_by_category_match_r() {
    let d = demo();
    let r = outcome_by_category(&d.nps, &d.repeat, None, Confidence::default()).unwrap();
    assert_eq!(r.kind, OutcomeKind::Binary);
    assert_eq!(r.n, [1077, 2285, 2502]);
    let refs = [
        (28.133704735376, 25.5296252923818, 30.8932158045994),
        (51.3785557986871, 49.3286408602236, 53.4238433608749),
        (69.9840127897682, 68.1586010365577, 71.7481534981295),
    ];
    for (e, (value, lower, upper)) in r.estimates.iter().zip(refs) {
        let e = e.as_ref().unwrap();
        close(e.value(), value);
        close(e.lower(), lower);
        close(e.upper(), upper);
    }
    let diff = r.difference.unwrap();
    assert_eq!(diff.method(), "newcombe");
    close(
        diff.difference(),
        100.0 * (1751.0 / 2502.0 - 303.0 / 1077.0),
    );
    // A numeric outcome (the weight column as a stand-in): Welch, R t.test(var.equal = FALSE).
    let r = outcome_by_category(&d.nps, &d.weight, None, Confidence::default()).unwrap();
    assert_eq!(r.kind, OutcomeKind::Numeric);
    let diff = r.difference.unwrap();
    close(diff.difference(), -0.097053911188598);
    close(diff.lower(), -0.119709204276148);
    close(diff.upper(), -0.0743986181010483);
    assert!((diff.p_value() / 8.21186579229645e-17 - 1.0).abs() < 1e-6);
    close(diff.df().unwrap(), 2014.13571598345);
}

#[test]
fn invalid_items_are_named() {
    let a = [1.0, 2.0, 3.0];
    let b = [1.0, 7.0, 2.0];
    let items = [
        Item::new("a", &a, Scale::LIKERT_5),
        Item::new("b", &b, Scale::LIKERT_5),
    ];
    let err = loyalty_index(&items, None, None, Confidence::default()).unwrap_err();
    assert!(
        matches!(&err, Error::InColumn { column, .. } if column == "b"),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("column \"b\": score 7 at position 1"),
        "{err}"
    );
    let err = outcome_by_category(
        &[10.0, 9.0],
        &[0.5, 1.0],
        Some(OutcomeKind::Binary),
        Confidence::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("column \"outcome\""), "{err}");
}
