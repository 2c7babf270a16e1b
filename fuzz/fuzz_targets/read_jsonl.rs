//! The JSON Lines reader on arbitrary bytes: never a panic; every response read is valid.
#![no_main]

use cxmetrics::read::{read_jsonl_from, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(out) = read_jsonl_from(data, "fuzz", &ReadOptions::default()) {
        for r in &out.responses {
            assert!(r.nps().is_none_or(|v| (0..=10).contains(&v)));
            assert!(!r.respondent_id().is_empty());
        }
    }
});
