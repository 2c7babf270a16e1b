//! The CSV reader on arbitrary bytes, with and without a valid header: never a panic, and every
//! record accounted for once. Each response read is valid; the lines of kept and rejected records
//! are disjoint, ascending and within the file's physical lines (LF, CRLF and CR each end one);
//! `n_records` is the kept records plus the distinct rejected lines; strict mode agrees (an error at
//! the first rejected line, or the same responses).
#![no_main]

use std::collections::BTreeSet;

use cxmetrics::read::{read_csv_from, read_table_in_parts, Format, ReadOptions, ReadOutcome};
use cxmetrics::Error;
use libfuzzer_sys::fuzz_target;

/// 1 + the line ends of `text` (`\r\n` is one).
fn physical_lines(text: &[u8]) -> u64 {
    let mut n = 1;
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'\n' || text[i] == b'\r' {
            n += 1;
            if text[i] == b'\r' && text.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        }
        i += 1;
    }
    n
}

fn check(text: &[u8], out: &ReadOutcome) {
    let n_lines = physical_lines(text);
    for r in &out.responses {
        assert!(r.nps().is_none_or(|v| (0..=10).contains(&v)));
        assert!(r.weight().is_finite() && r.weight() >= 0.0);
        assert!(!r.respondent_id().is_empty());
    }
    assert_eq!(out.lines.len(), out.responses.len());
    assert!(out.lines.windows(2).all(|w| w[0] < w[1]), "{:?}", out.lines);
    assert!(out.rejected.windows(2).all(|w| w[0].line <= w[1].line));
    let rejected: BTreeSet<u64> = out.rejected.iter().map(|r| r.line).collect();
    assert_eq!(out.n_rejected, rejected.len(), "each rejected record once");
    assert!(out.lines.iter().all(|l| !rejected.contains(l)));
    assert!(out
        .lines
        .iter()
        .chain(&rejected)
        .all(|&l| (2..=n_lines).contains(&l)));
    assert!(out.n_blank < n_lines);
    assert!(
        out.n_records() as u64 + out.n_blank < n_lines,
        "header + records + blanks"
    );
}

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions::default();
    if let Ok(out) = read_csv_from(data, "fuzz", &options) {
        check(data, &out);
    }
    let mut text = b"respondent_id,recorded_at,touchpoint,nps,csat,weight,comment\n".to_vec();
    text.extend_from_slice(data);
    let out = match read_csv_from(&text[..], "fuzz", &options) {
        Ok(out) => out,
        Err(Error::Read { .. }) => return, // not UTF-8 and the like: the whole file is refused
        Err(e) => panic!("lenient mode returned {e:?}"),
    };
    check(&text, &out);
    // The columnar reader, cut into small parts, gives the same rows and rejects.
    let (_, columnar) =
        read_table_in_parts(&text[..], Format::Csv, "fuzz", &options, 1 + data.len() % 97)
            .expect("the response reader read it");
    assert_eq!(columnar.lines, out.lines);
    assert_eq!(columnar.rejected, out.rejected);
    assert_eq!(columnar.n_blank, out.n_blank);
    let strict = ReadOptions::default().with_strict(true);
    match read_csv_from(&text[..], "fuzz", &strict) {
        Ok(s) => {
            assert!(out.rejected.is_empty());
            assert_eq!(s.lines, out.lines);
        }
        Err(Error::InvalidRecord { line, .. }) => {
            assert_eq!(Some(line), out.rejected.first().map(|r| r.line))
        }
        Err(e) => panic!("strict mode returned {e:?}"),
    }
});
