//! Issue 14 §1, as classes: every record of a CSV or JSON Lines file is kept or rejected once, at
//! the physical line where it starts, for LF, CRLF and CR files, blank lines, quoted line breaks,
//! unclosed quotes, wrong field counts and invalid values; plus the issue's examples as
//! regressions.
//!
//! The generators build a file and, independently of the reader, the model of it: each record's
//! start offset (its line is 1 + the line ends `\r\n`, `\r`, `\n` before it, counted on the final
//! text), whether it is valid, and the blank lines.

use std::collections::BTreeSet;

use cxmetrics::read::{read_csv_from, read_jsonl_from, ReadOptions, ReadOutcome};
use cxmetrics::Error;
use proptest::prelude::*;

/// 1 + the number of line ends in `text` (`\r\n` is one).
fn line_at(text: &[u8]) -> u64 {
    let mut n = 1;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\n' => n += 1,
            b'\r' => {
                n += 1;
                if text.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    n
}

#[derive(Debug, Clone)]
enum Kind {
    Valid(Option<u8>),
    BadNps(&'static str),
    WrongCount,
}

#[derive(Debug, Clone)]
struct Rec {
    blanks_before: usize,
    kind: Kind,
    /// Comment tokens; quoted when any needs quotes.
    comment: Vec<&'static str>,
    quoted: bool,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        4 => proptest::option::of(0u8..=10).prop_map(Kind::Valid),
        1 => prop_oneof![Just("11"), Just("x"), Just("-1"), Just("5.5")].prop_map(Kind::BadNps),
        1 => Just(Kind::WrongCount),
    ]
}

fn rec(no_quotes: bool) -> impl Strategy<Value = Rec> {
    let quoted_tok = prop_oneof![
        Just("a"),
        Just(" "),
        Just(","),
        Just("\"\""),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just("é")
    ];
    let plain_tok = if no_quotes {
        prop_oneof![Just("a"), Just(" "), Just("b")].boxed()
    } else {
        prop_oneof![Just("a"), Just(" "), Just("b\"c")].boxed()
    };
    (
        0usize..3,
        kind(),
        any::<bool>(),
        proptest::collection::vec(quoted_tok, 0..6),
        proptest::collection::vec(plain_tok, 0..4),
    )
        .prop_map(move |(blanks_before, kind, q, qt, pt)| {
            let quoted = q && !no_quotes;
            Rec {
                blanks_before,
                kind,
                comment: if quoted { qt } else { pt },
                quoted,
            }
        })
}

#[derive(Debug, Clone)]
struct CsvFile {
    eol: &'static str,
    records: Vec<Rec>,
    /// A record whose comment opens a quote that is never closed, then records without quotes.
    unclosed: Option<(String, Vec<Rec>)>,
    blanks_after: usize,
    final_eol: bool,
}

fn csv_file() -> impl Strategy<Value = CsvFile> {
    (
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        proptest::collection::vec(rec(false), 0..8),
        proptest::option::of(("[a-z ,]{0,6}", proptest::collection::vec(rec(true), 0..5))),
        0usize..3,
        any::<bool>(),
    )
        .prop_map(
            |(eol, records, unclosed, blanks_after, final_eol)| CsvFile {
                eol,
                records,
                unclosed,
                blanks_after,
                final_eol,
            },
        )
}

/// The expected outcome of one record.
#[derive(Debug, Clone, PartialEq)]
struct Expect {
    line: u64,
    id: String,
    kept: bool,
}

/// The file's text, its records (in order) and its blank lines.
fn render_csv(f: &CsvFile) -> (Vec<u8>, Vec<Expect>, u64) {
    let mut out = b"respondent_id,recorded_at,touchpoint,nps,comment".to_vec();
    let mut expect = Vec::new();
    let mut blanks = 0u64;
    let mut n = 0;
    let mut push = |out: &mut Vec<u8>, r: &Rec, expect: &mut Vec<Expect>, blanks: &mut u64| {
        out.extend_from_slice(f.eol.as_bytes());
        for _ in 0..r.blanks_before {
            out.extend_from_slice(f.eol.as_bytes());
            *blanks += 1;
        }
        n += 1;
        let id = format!("R{n}");
        let line = line_at(out);
        let (nps, kept) = match r.kind {
            Kind::Valid(v) => (v.map(|v| v.to_string()).unwrap_or_default(), true),
            Kind::BadNps(s) => (s.to_string(), false),
            Kind::WrongCount => ("3".to_string(), false),
        };
        out.extend_from_slice(format!("{id},2025-01-02T09:00:00Z,store,{nps},").as_bytes());
        if r.quoted {
            out.push(b'"');
        }
        for t in &r.comment {
            out.extend_from_slice(t.as_bytes());
        }
        if r.quoted {
            out.push(b'"');
        }
        if matches!(r.kind, Kind::WrongCount) {
            out.extend_from_slice(b",extra");
        }
        expect.push(Expect { line, id, kept });
    };
    for r in &f.records {
        push(&mut out, r, &mut expect, &mut blanks);
    }
    if let Some((rest, tail)) = &f.unclosed {
        out.extend_from_slice(f.eol.as_bytes());
        let line = line_at(&out);
        expect.push(Expect {
            line,
            id: "unclosed".into(),
            kept: false,
        });
        out.extend_from_slice(format!("U,2025-01-02T09:00:00Z,store,5,\"{rest}").as_bytes());
        for r in tail {
            push(&mut out, r, &mut expect, &mut blanks);
        }
    }
    for _ in 0..f.blanks_after {
        out.extend_from_slice(f.eol.as_bytes());
        blanks += 1;
    }
    if f.final_eol {
        out.extend_from_slice(f.eol.as_bytes());
    } else if f.blanks_after > 0 {
        // The last "blank" line has no end, so it is the empty tail of the file, not a line.
        blanks -= 1;
    }
    (out, expect, blanks)
}

/// The invariants every outcome must satisfy against its model.
fn check(out: &ReadOutcome, expect: &[Expect], blanks: u64, n_lines: u64) {
    let kept: Vec<(u64, &str)> = expect
        .iter()
        .filter(|e| e.kept)
        .map(|e| (e.line, e.id.as_str()))
        .collect();
    let got: Vec<(u64, &str)> = out
        .lines
        .iter()
        .copied()
        .zip(out.responses.iter().map(|r| r.respondent_id()))
        .collect();
    assert_eq!(got, kept, "kept records and their lines");
    let rejected: BTreeSet<u64> = expect.iter().filter(|e| !e.kept).map(|e| e.line).collect();
    let got_rejected: BTreeSet<u64> = out.rejected.iter().map(|r| r.line).collect();
    assert_eq!(got_rejected, rejected, "rejected lines: {:?}", out.rejected);
    assert_eq!(out.n_rejected, rejected.len(), "each rejected record once");
    assert_eq!(out.n_records(), expect.len());
    assert_eq!(out.n_blank, blanks, "blank lines");
    let kept_lines: BTreeSet<u64> = out.lines.iter().copied().collect();
    assert!(kept_lines.is_disjoint(&got_rejected));
    assert!(out.lines.windows(2).all(|w| w[0] < w[1]));
    assert!(out.rejected.windows(2).all(|w| w[0].line <= w[1].line));
    assert!(out
        .lines
        .iter()
        .chain(got_rejected.iter())
        .all(|&l| (2..=n_lines).contains(&l)));
}

fn first_rejected(expect: &[Expect]) -> Option<u64> {
    expect.iter().find(|e| !e.kept).map(|e| e.line)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn csv_every_record_once_at_its_physical_line(f in csv_file()) {
        let (text, expect, blanks) = render_csv(&f);
        let out = read_csv_from(&text[..], "prop", &ReadOptions::default()).unwrap();
        check(&out, &expect, blanks, line_at(&text));
        let strict = {
let mut o = ReadOptions::default();
o.strict = true;
o
};
        match (read_csv_from(&text[..], "prop", &strict), first_rejected(&expect)) {
            (Ok(s), None) => prop_assert_eq!(s.responses.len(), out.responses.len()),
            (Err(Error::InvalidRecord { line, .. }), Some(first)) => prop_assert_eq!(line, first),
            (other, first) => prop_assert!(false, "strict: {:?}, expected first reject {:?}", other.map(|o| o.n_records()), first),
        }
    }

    #[test]
    fn jsonl_every_record_once_at_its_physical_line(
        eol in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        lines in proptest::collection::vec((0usize..3, 0u8..6, proptest::option::of(0u8..=12)), 0..12),
        final_eol in any::<bool>(),
    ) {
        let mut text = Vec::new();
        let mut expect = Vec::new();
        let mut blanks = 0;
        for (i, (blank, shape, nps)) in lines.iter().enumerate() {
            for _ in 0..*blank {
                text.extend_from_slice(if i % 2 == 0 { b"" } else { b"  \t" });
                text.extend_from_slice(eol.as_bytes());
                blanks += 1;
            }
            let id = format!("J{i}");
            let line = line_at(&text);
            let nps_text = nps.map_or("null".to_string(), |v| v.to_string());
            let valid_nps = nps.is_none_or(|v| v <= 10);
            let base = format!(r#""respondent_id":"{id}","recorded_at":"2025-01-02T09:00:00Z","touchpoint":"store""#);
            let (record, kept) = match shape {
                0 => (format!(r#"{{{base},"nps":{nps_text}}}"#), valid_nps),
                1 => (format!(r#"{{{base},"answers":{{"nps":{nps_text}}},"attributes":{{"region":"n"}}}}"#), valid_nps),
                2 => (format!(r#"{{{base},"nps":{nps_text},"nps":9}}"#), false),
                3 => (format!(r#"{{{base},"attributes":{{"nps":"7"}}}}"#), false),
                4 => (format!(r#"{{{base},"region":"a","attributes":{{"region":"b"}}}}"#), false),
                _ => (format!(r#"{{{base},"nps":"#), false),
            };
            text.extend_from_slice(record.as_bytes());
            if i + 1 < lines.len() || final_eol {
                text.extend_from_slice(eol.as_bytes());
            }
            expect.push(Expect { line, id, kept });
        }
        let out = read_jsonl_from(&text[..], "prop", &ReadOptions::default()).unwrap();
        // JSON Lines has no header: shift the model's lower bound by checking from line 1.
        let kept: Vec<(u64, String)> = expect.iter().filter(|e| e.kept).map(|e| (e.line, e.id.clone())).collect();
        let got: Vec<(u64, String)> = out.lines.iter().copied().zip(out.responses.iter().map(|r| r.respondent_id().to_string())).collect();
        prop_assert_eq!(got, kept);
        let rejected: BTreeSet<u64> = expect.iter().filter(|e| !e.kept).map(|e| e.line).collect();
        let got_rejected: BTreeSet<u64> = out.rejected.iter().map(|r| r.line).collect();
        prop_assert_eq!(&got_rejected, &rejected);
        prop_assert_eq!(out.n_rejected, rejected.len());
        prop_assert_eq!(out.n_records(), expect.len());
        prop_assert_eq!(out.n_blank, blanks);
    }
}

// ---- The issue's examples -------------------------------------------------------------------

fn csv(text: &str) -> ReadOutcome {
    read_csv_from(text.as_bytes(), "t", &ReadOptions::default()).unwrap()
}

fn jsonl(text: &str) -> ReadOutcome {
    read_jsonl_from(text.as_bytes(), "t", &ReadOptions::default()).unwrap()
}

const H: &str = "respondent_id,recorded_at,touchpoint,nps,comment";

#[test]
fn an_unclosed_quote_rejects_its_record_and_the_next_lines_are_read_again() {
    let text = format!(
        "{H}\nA,2025-01-02T09:00:00Z,store,9,ok\nB,2025-01-02T09:00:00Z,store,3,\"never closed\n\
         C,2025-01-02T09:00:00Z,store,10,fine\nD,2025-01-02T09:00:00Z,store,12,bad\n"
    );
    let out = csv(&text);
    let ids: Vec<&str> = out.responses.iter().map(|r| r.respondent_id()).collect();
    assert_eq!(ids, ["A", "C"]);
    assert_eq!(out.lines, [2, 4]);
    let rejected: Vec<(u64, &str)> = out
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(rejected, [(3, ""), (5, "nps")]); // the whole record is unreadable
    assert!(
        out.rejected[0].reason.contains("line 3")
            && out.rejected[0].reason.contains("never closed"),
        "{}",
        out.rejected[0].reason
    );
    assert_eq!((out.n_records(), out.n_rejected), (4, 2));
    let strict = {
        let mut o = ReadOptions::default();
        o.strict = true;
        o
    };
    let lone = format!(
        "{H}\nA,2025-01-02T09:00:00Z,store,9,ok\nB,2025-01-02T09:00:00Z,store,3,\"x\nC,2025-01-02T09:00:00Z,store,10,y\n"
    );
    match read_csv_from(lone.as_bytes(), "t", &strict) {
        Err(Error::InvalidRecord { line, reason, .. }) => {
            assert_eq!(line, 3);
            assert!(reason.contains("line 3"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn physical_lines_for_crlf_blank_lines_quoted_crlf_and_cr_only() {
    let rows = [
        "A,2025-01-02T09:00:00Z,store,9,x",
        "B,2025-01-02T09:00:00Z,store,11,x",
        "C,2025-01-02T09:00:00Z,store,12,x",
    ];
    for eol in ["\n", "\r\n", "\r"] {
        let text = format!("{H}{eol}{}{eol}", rows.join(eol));
        let out = csv(&text);
        assert_eq!(out.lines, [2], "{eol:?}");
        let lines: Vec<u64> = out.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4], "{eol:?}");
        assert_eq!(out.n_rejected, 2, "{eol:?}");
    }
    let blank = format!("{H}\n\n\nA,2025-01-02T09:00:00Z,store,11,x\n\n");
    let out = csv(&blank);
    assert_eq!((out.rejected[0].line, out.n_blank), (4, 3));
    let quoted = format!(
        "{H}\r\nA,2025-01-02T09:00:00Z,store,9,\"two\r\nlines\"\r\nB,2025-01-02T09:00:00Z,store,11,x\r\n"
    );
    let out = csv(&quoted);
    assert_eq!(out.responses[0].comment(), Some("two\r\nlines"));
    assert_eq!((out.lines[0], out.rejected[0].line), (2, 4));
}

#[test]
fn json_lines_cr_only_duplicates_and_clashes() {
    let r = r#""respondent_id":"A","recorded_at":"2025-01-02T09:00:00Z","touchpoint":"s""#;
    let out = jsonl(&format!("{{{r}}}\r{{{r},\"nps\":11}}\r\r{{{r}}}\r"));
    assert_eq!(out.lines, [1, 4]);
    assert_eq!((out.rejected[0].line, out.n_blank), (2, 1));

    let out = jsonl(&format!("{{{r},\"nps\":11,\"nps\":9}}\n"));
    assert!(out.responses.is_empty());
    assert_eq!(out.rejected[0].field, "nps");
    assert!(
        out.rejected[0].reason.contains("more than once"),
        "{:?}",
        out.rejected
    );

    let out = jsonl(&format!("{{{r},\"answers\":{{\"csat\":4,\"csat\":5}}}}\n"));
    assert_eq!(
        (out.n_rejected, out.rejected[0].field.as_str()),
        (1, "csat")
    );

    let out = jsonl(&format!(
        "{{{r},\"nps\":9,\"attributes\":{{\"nps\":\"x\"}}}}\n"
    ));
    assert_eq!(out.n_rejected, 1, "an attribute named like an answer");
    let out = jsonl(&format!(
        "{{{r},\"region\":\"a\",\"attributes\":{{\"region\":\"b\"}}}}\n"
    ));
    assert_eq!(
        out.n_rejected, 1,
        "a top-level field repeated under attributes"
    );
    assert_eq!(out.rejected[0].field, "region");
}

#[test]
fn twenty_digit_ids_and_attributes_keep_their_text() {
    let text = "respondent_id,recorded_at,touchpoint,account\n\
        12345678901234567890,2025-01-02T09:00:00Z,s,12345678901234567890\n\
        12345678901234567891,2025-01-02T09:00:00Z,s,12345678901234567891\n";
    let out = csv(text);
    assert_eq!(out.responses[0].respondent_id(), "12345678901234567890");
    assert_eq!(out.responses[1].respondent_id(), "12345678901234567891");
    assert_eq!(
        out.responses[1].attribute("account"),
        Some("12345678901234567891")
    );
    let out = jsonl(
        r#"{"respondent_id":12345678901234567890123,"recorded_at":"2025-01-02T09:00:00Z","touchpoint":"s","attributes":{"x":1.50}}"#,
    );
    assert_eq!(out.responses[0].respondent_id(), "12345678901234567890123");
    assert_eq!(out.responses[0].attribute("x"), Some("1.50"));
}

#[test]
fn many_distinct_keys_are_refused_before_building_columns() {
    let mut text = String::new();
    for i in 0..20_001 {
        text.push_str(&format!(
            "{{\"respondent_id\":\"A{i}\",\"recorded_at\":\"2025-01-02T09:00:00Z\",\"touchpoint\":\"s\",\"k{i}\":1}}\n"
        ));
    }
    let t = std::time::Instant::now();
    match read_jsonl_from(text.as_bytes(), "keys", &ReadOptions::default()) {
        Err(Error::Read { reason, .. }) => {
            assert!(
                reason.contains("10000") && reason.contains("max_fields"),
                "{reason}"
            );
            assert!(reason.contains("k99"), "names the field: {reason}");
        }
        other => panic!("{:?}", other.map(|o| o.n_records())),
    }
    // Raised, and without the bound on sparse tables (20,001 x 20,004 cells, 4 given per row).
    let options = {
        let mut o = ReadOptions::default();
        o.max_fields = 30_000;
        o.max_cells = usize::MAX;
        o
    };
    let out = read_jsonl_from(text.as_bytes(), "keys", &options).unwrap();
    assert_eq!(out.responses.len(), 20_001);
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
}
