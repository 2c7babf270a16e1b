//! The JSON Lines reader on arbitrary bytes: never a panic, and every line accounted for once.
//! Each response read is valid; the lines of kept and rejected records are disjoint, ascending and
//! within the file's physical lines (LF, CRLF and CR each end one); every physical line is a
//! record or blank (`n_records + n_blank` is the number of lines); strict mode agrees.
#![no_main]

use std::collections::BTreeSet;

use cxmetrics::read::{read_jsonl_from, ReadOptions};
use cxmetrics::Error;
use libfuzzer_sys::fuzz_target;

/// The number of lines of `text` after a UTF-8 byte-order mark (`\r\n` ends one; a last line
/// without an end counts).
fn lines(text: &[u8]) -> u64 {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let mut n = 0;
    let mut i = 0;
    let mut open = false;
    while i < text.len() {
        if text[i] == b'\n' || text[i] == b'\r' {
            n += 1;
            open = false;
            if text[i] == b'\r' && text.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        } else {
            open = true;
        }
        i += 1;
    }
    n + u64::from(open)
}

fuzz_target!(|data: &[u8]| {
    let out = match read_jsonl_from(data, "fuzz", &ReadOptions::default()) {
        Ok(out) => out,
        Err(Error::Read { .. }) => return,
        Err(e) => panic!("lenient mode returned {e:?}"),
    };
    let n_lines = lines(data);
    for r in &out.responses {
        assert!(r.nps().is_none_or(|v| (0..=10).contains(&v)));
        assert!(!r.respondent_id().is_empty());
    }
    assert!(out.lines.windows(2).all(|w| w[0] < w[1]));
    assert!(out.rejected.windows(2).all(|w| w[0].line <= w[1].line));
    let rejected: BTreeSet<u64> = out.rejected.iter().map(|r| r.line).collect();
    assert_eq!(out.n_rejected, rejected.len());
    assert!(out.lines.iter().all(|l| !rejected.contains(l)));
    assert!(out
        .lines
        .iter()
        .chain(&rejected)
        .all(|&l| (1..=n_lines).contains(&l)));
    assert_eq!(
        out.n_records() as u64 + out.n_blank,
        n_lines,
        "every line a record or blank"
    );
    let strict = ReadOptions::default().with_strict(true);
    match read_jsonl_from(data, "fuzz", &strict) {
        Ok(s) => assert!(out.rejected.is_empty() && s.lines == out.lines),
        Err(Error::InvalidRecord { line, .. }) => {
            assert_eq!(Some(line), out.rejected.first().map(|r| r.line))
        }
        Err(e) => panic!("strict mode returned {e:?}"),
    }
});
