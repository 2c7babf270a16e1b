//! The CSV reader on arbitrary bytes, with and without a valid header: never a panic; every
//! response read is valid.
#![no_main]

use cxmetrics::read::{read_csv_from, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions::default();
    let _ = read_csv_from(data, "fuzz", &options);
    let mut with_header = b"respondent_id,recorded_at,touchpoint,nps,csat,weight,comment\n".to_vec();
    with_header.extend_from_slice(data);
    if let Ok(out) = read_csv_from(&with_header[..], "fuzz", &options) {
        for r in &out.responses {
            assert!(r.nps().is_none_or(|v| (0..=10).contains(&v)));
            assert!(r.weight().is_finite() && r.weight() >= 0.0);
        }
        assert!(out.n_records() >= out.responses.len());
    }
});
