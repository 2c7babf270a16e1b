//! Bad input gives an error that names the problem, never a panic or a silently wrong number.

use cxmetrics::*;

#[test]
fn counts_that_overflow_are_errors() {
    let err = nps_from_counts(
        u64::MAX,
        u64::MAX,
        2,
        NpsMethod::Wald,
        Confidence::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidCounts { .. }), "{err}");
    assert!(err.to_string().contains("overflow"));

    let mut big =
        ScoreCounts::from_counts(Scale::LIKERT_5, vec![u64::MAX - 1, 0, 0, 0, 0], 0).unwrap();
    let one = ScoreCounts::from_scores(&[1u8, 2], Scale::LIKERT_5, MissingPolicy::Omit).unwrap();
    assert!(matches!(big.merge(&one), Err(Error::Incompatible { .. })));
    // A failed merge leaves the accumulator untouched.
    assert_eq!(big.n(), u64::MAX - 1);

    let json = format!(
        r#"{{"scale":{{"min":1,"max":2}},"counts":[{},{}],"n_missing":0}}"#,
        u64::MAX,
        1
    );
    assert!(serde_json::from_str::<ScoreCounts>(&json).is_err());
}

#[test]
fn deserialised_weight_sums_must_be_consistent_with_the_counts() {
    let ok = r#"{"scale":{"min":1,"max":2},"counts":[2,0],"weights":{"sum":[3.0,0.0],"sum_sq":[5.0,0.0]},"n_missing":0}"#;
    assert!(serde_json::from_str::<ScoreCounts>(ok).is_ok());
    for bad in [
        // weight at a point without responses
        r#"{"scale":{"min":1,"max":2},"counts":[2,0],"weights":{"sum":[3.0,1.0],"sum_sq":[5.0,1.0]},"n_missing":0}"#,
        // sum of squares larger than the squared sum
        r#"{"scale":{"min":1,"max":2},"counts":[2,0],"weights":{"sum":[3.0,0.0],"sum_sq":[10.0,0.0]},"n_missing":0}"#,
        // squared sum larger than count * sum of squares (Kish n above n)
        r#"{"scale":{"min":1,"max":2},"counts":[2,0],"weights":{"sum":[3.0,0.0],"sum_sq":[4.0,0.0]},"n_missing":0}"#,
        // negative
        r#"{"scale":{"min":1,"max":2},"counts":[2,0],"weights":{"sum":[-3.0,0.0],"sum_sq":[5.0,0.0]},"n_missing":0}"#,
    ] {
        let err = serde_json::from_str::<ScoreCounts>(bad).unwrap_err();
        assert!(err.to_string().contains("invalid counts"), "{err}");
    }
}

#[test]
fn scales_must_be_exact_in_floating_point() {
    assert!(Scale::new(-(1 << 53), 1 << 53).is_err()); // too many points
    assert!(Scale::new((1 << 53) - 10, 1 << 53).is_ok());
    let err = Scale::new((1 << 60) + 1, (1 << 60) + 11).unwrap_err();
    assert!(err.to_string().contains("2^53"), "{err}");
    assert_eq!(Scale::new(-5, -1).unwrap().to_string(), "-5 to -1");
}

#[test]
fn a_share_cannot_be_labelled_as_nps() {
    let c = ScoreCounts::from_scores(&[5u8, 4, 1], Scale::LIKERT_5, MissingPolicy::Omit).unwrap();
    let err = top_box_as(
        Indicator::Nps,
        &c,
        2,
        ProportionMethod::Wilson,
        Confidence::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotAShare { .. }));
}

#[test]
fn weights_that_overflow_or_underflow_are_errors() {
    // Weights whose sums overflow are refused when counted (they could not be estimated from,
    // serialised or merged).
    let big = ScoreCounts::from_weighted_scores(
        &[10u8, 0],
        &[1e308, 1e308],
        Scale::NPS,
        MissingPolicy::Omit,
    );
    assert!(matches!(big, Err(Error::UnusableWeights { .. })));
    let tiny = ScoreCounts::from_weighted_scores(
        &[10u8, 0],
        &[1e-320, 1e-320],
        Scale::NPS,
        MissingPolicy::Omit,
    )
    .unwrap();
    assert!(matches!(
        mean_score(&tiny, Confidence::default()),
        Err(Error::UnusableWeights { .. })
    ));
}

#[test]
fn all_missing_counts_every_missing_answer() {
    let c = ScoreCounts::from_scores(&[f64::NAN; 3], Scale::NPS, MissingPolicy::Omit).unwrap();
    let err = nps(&c, NpsMethod::AdjustedWald, Confidence::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no usable responses: 3 missing of 3; an estimate needs at least one answer"
    );
    assert_eq!(
        "x".parse::<MissingPolicy>().unwrap_err().to_string(),
        "unknown missing policy \"x\"; valid values are: \"omit\", \"raise\""
    );
}

#[test]
fn every_error_has_a_stable_code() {
    use std::collections::HashSet;
    let codes: HashSet<&str> = Error::CODES.iter().copied().collect();
    assert_eq!(codes.len(), Error::CODES.len(), "codes are unique");
    for code in Error::CODES {
        assert!(
            code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{code} is snake case"
        );
    }
    let out_of_range = cxmetrics::ScoreCounts::from_scores(
        &[11.0],
        cxmetrics::Scale::NPS,
        cxmetrics::MissingPolicy::Omit,
    )
    .unwrap_err();
    assert_eq!(out_of_range.code(), "score_out_of_range");
    assert_eq!(
        out_of_range.clone().in_column("nps").code(),
        "score_out_of_range",
        "a column error has the code of the error inside"
    );
    assert_eq!(
        cxmetrics::Confidence::new(2.0).unwrap_err().code(),
        "invalid_confidence"
    );
    assert_eq!(
        Error::invalid_parameter("n_resamples", 0, "at least 2").code(),
        "invalid_parameter"
    );
    assert_eq!(Error::Interrupted.code(), "interrupted");
}

#[test]
fn core_messages_speak_no_python() {
    let missing = cxmetrics::ScoreCounts::from_scores(
        &[f64::NAN],
        cxmetrics::Scale::NPS,
        cxmetrics::MissingPolicy::Raise,
    )
    .unwrap_err();
    let text = missing.to_string();
    assert!(!text.contains("nan_policy"), "{text}");
    assert!(text.contains("omit missing-value policy"), "{text}");
}

#[cfg(feature = "read")]
#[test]
fn an_io_error_is_kept_as_the_source() {
    use std::error::Error as _;
    let err = cxmetrics::read::read_responses(
        std::path::Path::new("/nonexistent/cxmetrics.csv"),
        &cxmetrics::read::ReadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "read");
    let source = err.source().expect("the io::Error is the source");
    let io = source
        .downcast_ref::<cxmetrics::error::IoSource>()
        .expect("an IoSource");
    assert_eq!(io.io_error().kind(), std::io::ErrorKind::NotFound);
    assert!(io.source().is_some());
}
