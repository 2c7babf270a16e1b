//! The typed model and the CSV / JSON Lines readers: every rejected record is reported with its
//! line, field, value and reason; strict mode stops at the first with the same information.

use cxmetrics::grouping::GroupedCounts;
use cxmetrics::read::{
    read_csv, read_csv_from, read_jsonl_from, read_responses, Column, ReadOptions, ResponseTable,
};
use cxmetrics::{
    Channel, Error, JourneyStage, MissingPolicy, Origin, Response, Scale, Schema, Timestamp,
    Touchpoint,
};

const HEADER: &str = "respondent_id,recorded_at,touchpoint,channel,journey_stage,intentional,weight,nps,csat,region,comment";

fn csv(rows: &[&str]) -> String {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    text
}

fn read(text: &str) -> cxmetrics::read::ReadOutcome {
    read_csv_from(text.as_bytes(), "test", &ReadOptions::default()).unwrap()
}

fn problems(outcome: &cxmetrics::read::ReadOutcome) -> Vec<(u64, &str, &str)> {
    outcome
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_str(), r.value.as_str()))
        .collect()
}

#[test]
fn valid_csv_rows_become_typed_responses() {
    let text = csv(&[
        "C1,2025-01-02T09:00:00Z,delivery,Delivery,delivery,true,0.5,9,4,north,\"Late, but \"\"friendly\"\"\"",
        "C2,2025-01-02T10:00:00+02:00,web_visit,Web,Discovery,no,1.5,,5,,",
    ]);
    let out = read(&text);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    assert_eq!(out.lines, [2, 3]);
    let (a, b) = (&out.responses[0], &out.responses[1]);
    assert_eq!(a.respondent_id(), "C1");
    assert_eq!(a.channel(), Some(&Channel::Delivery));
    assert_eq!(a.touchpoint().stage(), Some(&JourneyStage::Delivery));
    assert_eq!(a.touchpoint().origin(), Some(Origin::Intentional));
    assert_eq!((a.nps(), a.csat(), a.ces()), (Some(9), Some(4), None));
    assert_eq!(a.weight(), 0.5);
    assert_eq!(a.comment(), Some("Late, but \"friendly\""));
    assert_eq!(a.attribute("region"), Some("north"));
    assert_eq!(b.channel(), Some(&Channel::Web));
    assert_eq!(b.touchpoint().origin(), Some(Origin::Fortuitous));
    assert_eq!(b.nps(), None);
    assert_eq!(b.attribute("region"), None); // blank attribute = absent
    assert_eq!(b.comment(), None);
    assert_eq!(
        b.recorded_at().unix_seconds(),
        a.recorded_at().unix_seconds() + 3600 - 7200
    );
    assert_eq!(b.recorded_at().to_string(), "2025-01-02T10:00:00+02:00");
}

#[test]
fn every_invalid_field_is_reported_with_its_line() {
    let text = csv(&[
        "C1,2025-01-02T09:00:00Z,store,store,purchase,true,1,9,4,north,ok", // line 2: valid
        "C2,2025-01-02T09:00:00Z,store,store,purchase,true,1,11,4,north,ok", // line 3: nps off scale
        "C3,2025-02-30T09:00:00Z,store,store,purchase,maybe,-2,7.5,x,north,ok", // line 4: four problems
        ",2025-01-02T09:00:00Z,,store,purchase,true,,9,4,north,ok",             // line 5: blanks
        "C6,2025-01-02T09:00:00Z,store", // line 6: too few fields
        "C7,2025-01-02T09:00:00Z,store,store,purchase,true,1,10,5,south,\"two\nlines\"", // line 7: valid
        "C8,2025-01-02T09:00:00Z,store,store,purchase,true,1,0,0,south,ok", // line 9 (after the 2-line record)
    ]);
    let out = read(&text);
    assert_eq!(out.responses.len(), 2);
    assert_eq!(out.lines, [2, 7]);
    assert_eq!(out.n_records(), 7);
    assert_eq!(
        problems(&out),
        vec![
            (3, "nps", "11"),
            (4, "recorded_at", "2025-02-30T09:00:00Z"),
            (4, "intentional", "maybe"),
            (4, "weight", "-2"),
            (4, "nps", "7.5"),
            (4, "csat", "x"),
            (5, "weight", ""),
            (5, "respondent_id", ""),
            (5, "touchpoint", ""),
            (6, "", "C6,2025-01-02T09:00:00Z,store"),
            (9, "csat", "0"),
        ]
    );
    assert!(out.rejected[0].reason.contains("outside the scale 0-10"));
    assert!(out.rejected[4].reason.contains("not a whole number"));
    assert!(out.rejected[9]
        .reason
        .contains("3 fields, the header has 11"));
}

#[test]
fn strict_mode_stops_at_the_first_invalid_record() {
    let text = csv(&[
        "C1,2025-01-02T09:00:00Z,store,store,purchase,true,1,9,4,north,ok",
        "C2,2025-01-02T09:00:00Z,store,store,purchase,true,1,9,6,north,ok",
        "C3,2025-01-02T09:00:00Z,store,store,purchase,true,1,12,4,north,ok",
    ]);
    let options = {
        let mut o = ReadOptions::default();
        o.strict = true;
        o
    };
    let err = read_csv_from(text.as_bytes(), "test", &options).unwrap_err();
    assert_eq!(
        err,
        Error::InvalidRecord {
            line: 3,
            field: "csat".into(),
            value: "6".into(),
            reason: "outside the scale 1-5".into()
        }
    );
    assert!(err
        .to_string()
        .starts_with("line 3: csat = \"6\" is invalid"));
}

#[test]
fn file_level_problems_are_errors_in_both_modes() {
    let read_err =
        |text: &str| read_csv_from(text.as_bytes(), "f.csv", &ReadOptions::default()).unwrap_err();
    assert!(matches!(read_err(""), Error::Read { kind: None, .. }));
    let missing = read_err("respondent_id,touchpoint,nps\nC1,store,9\n");
    assert!(missing.to_string().contains("\"recorded_at\""), "{missing}");
    let repeated = read_err("respondent_id,recorded_at,touchpoint,nps,nps\n");
    assert!(
        repeated.to_string().contains("repeats the column \"nps\""),
        "{repeated}"
    );
    let err = read_csv("/no/such/file.csv", &ReadOptions::default()).unwrap_err();
    assert!(matches!(
        err,
        Error::Read {
            kind: Some(std::io::ErrorKind::NotFound),
            ..
        }
    ));
}

#[test]
fn byte_order_mark_and_invalid_utf8() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(b"respondent_id,recorded_at,touchpoint,comment\nC1,2025-01-02T09:00:00Z,store,caf\xE9\nC2,2025-01-02T09:00:00Z,store,\xC3\xA9\n");
    let out = read_csv_from(&bytes[..], "bom", &ReadOptions::default()).unwrap();
    assert_eq!(out.responses.len(), 1);
    assert_eq!(out.responses[0].comment(), Some("é"));
    assert_eq!(problems(&out), vec![(2, "comment", "caf\u{FFFD}")]);
}

#[test]
fn an_undecodable_required_field_is_a_reject_not_a_panic() {
    // Invalid UTF-8 in recorded_at (found by proptest): the decoding problem is reported and the
    // record rejected; the reader does not go on to build a response without a time.
    let bytes =
        b"respondent_id,recorded_at,touchpoint\nC1,\x80,store\nC2,2025-01-02T09:00:00Z,web\n";
    let out = read_csv_from(&bytes[..], "utf8", &ReadOptions::default()).unwrap();
    assert_eq!(out.responses.len(), 1);
    let found = problems(&out);
    assert!(
        !found.is_empty() && found.iter().all(|p| p.0 == 2),
        "{found:?}"
    );
    assert_eq!(found[0].1, "recorded_at");
}

#[test]
fn custom_items_and_scales_come_from_the_schema() {
    let text = "respondent_id,recorded_at,touchpoint,csat,ease\nC1,2025-01-02T09:00:00Z,store,9,2\nC2,2025-01-02T09:00:00Z,store,4,7\n";
    let schema = Schema::default()
        .with_item("csat", Scale::new(1, 10).unwrap())
        .unwrap()
        .with_item("ease", Scale::LIKERT_5)
        .unwrap();
    let out = read_csv_from(text.as_bytes(), "t", &{
        let mut o = ReadOptions::default();
        o.schema = schema;
        o
    })
    .unwrap();
    assert_eq!(out.responses.len(), 1);
    assert_eq!(out.responses[0].answer("ease").unwrap().value(), 2);
    assert_eq!(
        out.responses[0].answer("csat").unwrap().scale(),
        Scale::new(1, 10).unwrap()
    );
    assert_eq!(problems(&out), vec![(3, "ease", "7")]);
    // With the default schema, CSAT is 1-5 and `ease` is a text attribute.
    let plain = read(text);
    assert_eq!(problems(&plain), vec![(2, "csat", "9")]);
    assert_eq!(plain.responses[0].attribute("ease"), Some("7"));
}

#[test]
fn json_lines_nested_and_flat() {
    let text = concat!(
        r#"{"respondent_id": "C1", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "answers": {"nps": 10, "csat": 5.0}, "attributes": {"tier": "vip", "visits": 3}}"#,
        "\n\n",
        r#"{"respondent_id": "C2", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "nps": null, "weight": 2, "intentional": false}"#,
        "\n",
        r#"{"respondent_id": "C3", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "answers": {"nps": 9.5, "loyalty": 3}, "tags": ["a"]}"#,
        "\n",
        "[1, 2]\n",
        "{\"respondent_id\": \"C5\",\n",
        r#"{"respondent_id": "C6", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "attributes": {"weight": "3"}}"#,
        "\n",
    );
    let out = read_jsonl_from(text.as_bytes(), "t", &ReadOptions::default()).unwrap();
    assert_eq!(out.responses.len(), 2);
    assert_eq!(out.lines, [1, 3]);
    let a = &out.responses[0];
    assert_eq!((a.nps(), a.csat()), (Some(10), Some(5)));
    assert_eq!(
        (a.attribute("tier"), a.attribute("visits")),
        (Some("vip"), Some("3"))
    );
    let b = &out.responses[1];
    assert_eq!(
        (b.nps(), b.weight(), b.touchpoint().origin()),
        (None, 2.0, Some(Origin::Fortuitous))
    );
    let got: Vec<(u64, &str)> = out
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (4, "tags"),
            (4, "nps"),
            (4, "loyalty"),
            (5, ""),
            (6, ""),
            (7, "weight")
        ]
    );
    assert!(out.rejected[3].reason.contains("not a JSON object"));
    assert!(out.rejected[4].reason.contains("not valid JSON"));
    assert_eq!(out.n_records(), 6);
    assert_eq!(
        out.fields[..4],
        ["respondent_id", "recorded_at", "touchpoint", "nps"]
    );
}

#[test]
fn reads_the_demo_file_and_groups_like_the_columnar_api() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/python/cxmetrics/data/demo_responses.csv"
    );
    let out = read_responses(path, &ReadOptions::default()).unwrap();
    assert_eq!((out.responses.len(), out.rejected.len()), (6000, 0));
    let table = ResponseTable::new(&out.responses, &out.fields, &Schema::default());
    let Some(Column::Integer(nps)) = table.column("nps") else {
        panic!("nps is an integer column")
    };
    let Some(Column::Text(touchpoints)) = table.column("touchpoint") else {
        panic!()
    };
    assert!(matches!(
        table.column("repeat_purchase_90d"),
        Some(Column::Integer(_))
    ));
    assert!(matches!(table.column("weight"), Some(Column::Float(_))));
    assert!(matches!(table.column("intentional"), Some(Column::Bool(_))));
    // Grouping typed responses = grouping the columns with codes.
    let (keys, grouped) = GroupedCounts::from_responses(
        &out.responses,
        |r| r.touchpoint().id().to_string(),
        "nps",
        Scale::NPS,
        false,
    )
    .unwrap();
    let codes: Vec<u32> = touchpoints
        .iter()
        .map(|t| keys.iter().position(|k| Some(k.as_str()) == t).unwrap() as u32)
        .collect();
    let scores: Vec<f64> = nps
        .iter()
        .map(|v| v.map_or(f64::NAN, |v| v as f64))
        .collect();
    let columnar =
        GroupedCounts::from_scores(&codes, keys.len(), &scores, Scale::NPS, MissingPolicy::Omit)
            .unwrap();
    assert_eq!(grouped, columnar);
    assert_eq!(keys.len(), 9);
    assert_eq!(grouped.total().n() + grouped.total().n_missing(), 6000);
}

#[test]
fn responses_round_trip_through_serde_and_are_validated_on_the_way_in() {
    let at = Timestamp::parse("2025-06-01T08:00:00.5-03:00").unwrap();
    let tp = Touchpoint::new("complaint")
        .unwrap()
        .with_stage(JourneyStage::Complaint)
        .with_origin(Origin::Intentional);
    let r = Response::builder("C9", at, tp)
        .channel(Channel::parse("contact center").unwrap())
        .nps(2)
        .answer("effort", 3, Scale::LIKERT_5)
        .attribute("tier", "gold")
        .weight(1.25)
        .comment("no callback")
        .build()
        .unwrap();
    let json = serde_json::to_string(&r).unwrap();
    let back: Response = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.channel(), Some(&Channel::ContactCenter));
    let tampered = json.replace("\"weight\":1.25", "\"weight\":-1.0");
    assert_ne!(tampered, json);
    let err = serde_json::from_str::<Response>(&tampered).unwrap_err();
    assert!(err.to_string().contains("weight"), "{err}");
    // The standard item is a plain number in the documented shape, the custom one keeps its scale.
    assert!(json.contains("\"nps\":2"), "{json}");
    assert!(json.contains("\"effort\":{\"value\":3"), "{json}");
    let off_scale = json.replace("\"nps\":2", "\"nps\":12");
    assert_ne!(off_scale, json);
    assert!(serde_json::from_str::<Response>(&off_scale).is_err());
    let custom_off_scale = json.replace("\"value\":3", "\"value\":13");
    assert!(serde_json::from_str::<Response>(&custom_off_scale).is_err());
}

/// `Response` JSON is the documented input shape of the JSON Lines reader (issue 15): every line of
/// a file in that shape deserialises to the response the reader reads from it, and a serialised
/// response reads back through the reader unchanged.
#[test]
fn response_json_is_the_documented_input_shape() {
    let lines = [
        r#"{"respondent_id": "C1", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "nps": 10, "csat": "5", "region": "north"}"#,
        r#"{"respondent_id": "C2", "recorded_at": "2025-01-02T09:30:00+01:00", "touchpoint": "web", "touchpoint_name": "Web visit", "channel": "Contact Center", "journey_stage": "post-sale", "intentional": false, "weight": 0.5, "answers": {"nps": 3, "ces": null}, "attributes": {"tier": "gold", "visits": 3}, "comment": "slow"}"#,
        r#"{"response_id": "R3", "respondent_id": "C3", "recorded_at": "2025-01-02T10:00:00Z", "touchpoint": "app", "intentional": "yes", "repurchase_intention": 4}"#,
    ];
    let text = lines.join("\n");
    let read = read_jsonl_from(text.as_bytes(), "inline", &ReadOptions::default()).unwrap();
    assert!(read.rejected.is_empty(), "{:?}", read.rejected);
    for (line, expected) in lines.iter().zip(&read.responses) {
        let parsed: Response = serde_json::from_str(line).unwrap();
        assert_eq!(&parsed, expected, "{line}");
        let written = serde_json::to_string(&parsed).unwrap();
        let again = read_jsonl_from(written.as_bytes(), "again", &ReadOptions::default()).unwrap();
        assert_eq!(again.responses, std::slice::from_ref(&parsed), "{written}");
        assert_eq!(serde_json::from_str::<Response>(&written).unwrap(), parsed);
    }
    for bad in [
        r#"{"respondent_id": "C1", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "nps": 11}"#,
        r#"{"respondent_id": "C1", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "answers": {"effort": 3}}"#,
        r#"{"respondent_id": "C1", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": "store", "nps": 3, "answers": {"nps": 4}}"#,
        r#"{"respondent_id": "C1", "recorded_at": "2025-01-02T09:00:00Z", "touchpoint": " "}"#,
    ] {
        assert!(serde_json::from_str::<Response>(bad).is_err(), "{bad}");
    }
}

#[test]
fn builder_reports_every_problem() {
    let at = Timestamp::parse("2025-06-01T08:00:00Z").unwrap();
    let b = Response::builder(" ", at, Touchpoint::new("web").unwrap())
        .nps(12)
        .answer("nps5", 6, Scale::LIKERT_5)
        .answer("weight", 1, Scale::LIKERT_5)
        .weight(f64::NAN);
    let fields: Vec<String> = b
        .problems()
        .into_iter()
        .map(|e| match e {
            Error::InvalidField { field, .. } => field,
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(fields, ["respondent_id", "weight", "nps", "nps5", "weight"]);
    assert!(b.build().is_err());
    let twice = Response::builder("C1", at, Touchpoint::new("web").unwrap())
        .nps(3)
        .nps(4)
        .build();
    assert!(twice.unwrap_err().to_string().contains("answered twice"));
}

/// Issue 14 §2 (bounded memory): a JSON Lines file whose records each give a few of very many
/// fields would be a dense table of `records x fields` mostly empty cells (9,990 records with a
/// key each: 0.9 MB of file, 10^8 cells). It is refused before the columns are built, naming the
/// cells and the limit; a dense file of the same cells is read, and so is the sparse one when
/// `max_cells` is raised.
#[test]
fn a_sparse_table_beyond_max_cells_is_refused_naming_the_limit() {
    let record = |i: usize, key: &str| {
        format!(
            "{{\"respondent_id\":\"R{i}\",\"recorded_at\":\"2025-01-02T09:00:00Z\",\"touchpoint\":\"s\",\"{key}\":1}}\n"
        )
    };
    let sparse: String = (0..4_000).map(|i| record(i, &format!("k{i}"))).collect();
    // 4,000 x 4,003 = 16 million cells for 16,000 values: refused under a 10 million cell limit.
    let options = {
        let mut o = ReadOptions::default();
        o.max_cells = 10_000_000;
        o
    };
    match read_jsonl_from(sparse.as_bytes(), "sparse", &options) {
        Err(Error::Read { reason, .. }) => {
            assert!(
                reason.contains("16012000 cells")
                    && reason.contains("max_cells = 10000000")
                    && reason.contains("16000 values given"),
                "{reason}"
            );
        }
        other => panic!("{:?}", other.map(|o| o.n_records())),
    }
    let wide = {
        let mut o = ReadOptions::default();
        o.max_cells = 20_000_000;
        o
    };
    assert_eq!(
        read_jsonl_from(sparse.as_bytes(), "sparse", &wide)
            .unwrap()
            .responses
            .len(),
        4_000
    );
    // Dense (each record gives every field): read whatever its size.
    let dense: String = (0..40_000).map(|i| record(i, "k")).collect();
    let tiny = {
        let mut o = ReadOptions::default();
        o.max_cells = 1_000;
        o
    };
    assert_eq!(
        read_jsonl_from(dense.as_bytes(), "dense", &tiny)
            .unwrap()
            .responses
            .len(),
        40_000
    );
    // The default limit refuses the issue's file shape (one new key per record).
    let issue: String = (0..9_990).map(|i| record(i, &format!("k{i}"))).collect();
    assert!(matches!(
        read_jsonl_from(issue.as_bytes(), "issue", &ReadOptions::default()),
        Err(Error::Read { reason, .. }) if reason.contains("max_cells")
    ));
}
