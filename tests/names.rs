//! Enum names come from one source: each enum's `as_str` is the name serde writes and the name
//! `str::parse` reads back (issue 17, "enum names from one source shared with serde").

use cxmetrics::compare::{Alternative, ComparisonKind};
use cxmetrics::interval::resampling::ResamplingMethod;
use cxmetrics::{Indicator, NpsMethod, ProportionMethod};

fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap()
        .trim_matches('"')
        .to_string()
}

#[test]
fn indicator_names_are_the_serde_names_and_parse_back() {
    for i in Indicator::ALL {
        assert_eq!(serde_name(&i), i.as_str());
        assert_eq!(i.as_str().parse::<Indicator>().unwrap(), i);
    }
    assert_eq!(
        Indicator::share_named("mean").unwrap_err().code(),
        "unknown_option"
    );
    assert_eq!(Indicator::share_named("csat").unwrap(), Indicator::Csat);
}

#[test]
fn method_names_are_the_serde_names_and_parse_back() {
    for m in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
        assert_eq!(serde_name(&m), m.as_str());
        assert_eq!(m.as_str().parse::<NpsMethod>().unwrap(), m);
    }
    for m in [
        ProportionMethod::Wald,
        ProportionMethod::Wilson,
        ProportionMethod::WilsonCc,
        ProportionMethod::AgrestiCoull,
        ProportionMethod::ClopperPearson,
        ProportionMethod::Jeffreys,
    ] {
        assert_eq!(serde_name(&m), m.as_str());
        assert_eq!(m.as_str().parse::<ProportionMethod>().unwrap(), m);
    }
    for m in [
        ResamplingMethod::Bootstrap,
        ResamplingMethod::BootstrapBca,
        ResamplingMethod::Bayes,
    ] {
        assert_eq!(serde_name(&m), m.as_str());
        assert_eq!(ResamplingMethod::from_name(m.as_str()), Some(m));
    }
    for k in [
        ComparisonKind::Independent,
        ComparisonKind::Paired,
        ComparisonKind::Target,
    ] {
        assert_eq!(serde_name(&k), k.as_str());
    }
    for a in [
        Alternative::TwoSided,
        Alternative::Greater,
        Alternative::Less,
    ] {
        assert_eq!(serde_name(&a), a.as_str());
        assert_eq!(a.as_str().parse::<Alternative>().unwrap(), a);
    }
}
