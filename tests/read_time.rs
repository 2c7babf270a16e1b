//! The timestamp reader (`cxmetrics::read::TimeReader`) against cases computed outside the project
//! (tests/references/time/make_time_cases.py: Python's `datetime`, `zoneinfo` with PEP 495 `fold`,
//! and `strptime`, on the same IANA tzdb release as the bundled one), plus round trips of random
//! instants through local wall-clock text.

use std::collections::BTreeMap;

use cxmetrics::random::Rng;
use cxmetrics::read::TimeReader;
use cxmetrics::Timestamp;
use serde_json::Value;

const CASES: &str = include_str!("references/time/cases.json");

fn reader(tz: Option<&str>, format: Option<&str>) -> TimeReader {
    TimeReader::new(tz, format).unwrap_or_else(|e| panic!("tz={tz:?} format={format:?}: {e}"))
}

#[test]
fn every_reference_case() {
    let doc: Value = serde_json::from_str(CASES).expect("cases.json is JSON");
    let cases = doc["cases"].as_array().expect("a list of cases");
    assert!(cases.len() > 1000, "{} cases", cases.len());
    let mut readers: BTreeMap<(Option<String>, Option<String>), TimeReader> = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in cases {
        let text = case["text"].as_str().unwrap();
        let tz = case["tz"].as_str().map(str::to_string);
        let format = case["format"].as_str().map(str::to_string);
        let expect = case["expect"].as_str().unwrap();
        *seen.entry(expect.to_string()).or_default() += 1;
        let r = readers
            .entry((tz.clone(), format.clone()))
            .or_insert_with(|| reader(tz.as_deref(), format.as_deref()));
        let got = r.read(text);
        let wrong = match (expect, &got) {
            ("ok", Ok(t)) => {
                let offset = case["offset_seconds"].as_i64().unwrap();
                // The offset is kept when it is whole minutes (local mean times are UTC).
                let offset_minutes = if offset % 60 == 0 { offset / 60 } else { 0 };
                t.unix_seconds() != case["unix_seconds"].as_i64().unwrap()
                    || i64::from(t.nanosecond()) != case["nanosecond"].as_i64().unwrap()
                    || i64::from(t.offset_minutes()) != offset_minutes
            }
            ("ambiguous" | "nonexistent", Err(reason)) => {
                !reason.contains(expect) || !reason.contains(tz.as_deref().unwrap())
            }
            ("no_zone", Err(reason)) => !reason.contains("tz="),
            ("out_of_range", Err(reason)) => !(reason.contains("1900") && reason.contains("2200")),
            ("invalid", Err(reason)) => !reason.starts_with("no such"),
            _ => true,
        };
        if wrong {
            failures.push(format!(
                "{text:?} tz={tz:?} format={format:?}: expected {case}, got {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // Every kind of outcome is exercised.
    for kind in [
        "ok",
        "ambiguous",
        "nonexistent",
        "no_zone",
        "out_of_range",
        "invalid",
    ] {
        assert!(seen.get(kind).copied().unwrap_or(0) > 0, "no {kind} case");
    }
}

#[test]
fn parameters_are_checked() {
    for zone in [
        "Europe/Madird",
        "America/Mexico",
        "",
        "Etc/Unknown",
        "CET+1",
    ] {
        let err = TimeReader::new(Some(zone), None).unwrap_err();
        assert_eq!(err.code(), "invalid_parameter");
        let message = err.to_string();
        assert!(message.starts_with("tz = "), "{message}");
        assert!(message.contains(&format!("{zone:?}")), "{message}");
    }
    for format in [
        "%H:%M",
        "%d/%m %H:%M",
        "%Y-%m-%d %J",
        "%x",
        "%Y-%m-%d %I:%M",
        "",
        "%Y-%m-%d %",
    ] {
        let err = TimeReader::new(Some("UTC"), Some(format)).unwrap_err();
        assert_eq!(err.code(), "invalid_parameter");
        let message = err.to_string();
        assert!(message.starts_with("time_format = "), "{message}");
    }
    let r = reader(Some("europe/MADRID"), Some("%d/%m/%Y"));
    assert_eq!(r.zone_name(), Some("Europe/Madrid"));
    assert_eq!(r.format(), Some("%d/%m/%Y"));
}

#[test]
fn reasons_name_the_fix() {
    let none = TimeReader::default();
    for text in ["2025-03-14 10:22", "2025-03-14T10:22:05.5", "2025-03-14"] {
        let reason = none.read(text).unwrap_err();
        assert!(reason.contains("tz="), "{reason}");
    }
    let madrid = reader(Some("Europe/Madrid"), None);
    let reason = madrid.read("2025-10-26 02:30").unwrap_err();
    assert!(
        reason.starts_with("2025-10-26 02:30 is ambiguous in Europe/Madrid (clocks go back"),
        "{reason}"
    );
    assert!(reason.contains("give the offset"), "{reason}");
    let reason = madrid.read("2025-03-30 02:30").unwrap_err();
    assert!(
        reason.starts_with("2025-03-30 02:30 is nonexistent in Europe/Madrid (clocks go forward"),
        "{reason}"
    );
    let reason = madrid.read("14/03/2025 10:22").unwrap_err();
    assert!(reason.contains("time_format="), "{reason}");
    let reason = reader(None, Some("%d/%m/%Y %H:%M"))
        .read("14-03-2025")
        .unwrap_err();
    assert!(
        reason.contains("time_format=\"%d/%m/%Y %H:%M\""),
        "{reason}"
    );
}

/// The zones of the property test: both hemispheres, half-hour offsets, a zone that dropped
/// daylight saving time, and one whose changes are at midnight.
const ZONES: [&str; 8] = [
    "Europe/Madrid",
    "America/Mexico_City",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Santiago",
    "Australia/Lord_Howe",
    "UTC",
];

#[test]
fn local_text_reads_back_as_the_instant() {
    let mut rng = Rng::new(20_250_314);
    let span = (Timestamp::LATEST_UNIX_SECONDS - Timestamp::EARLIEST_UNIX_SECONDS) as u64;
    let db = jiff::tz::TimeZoneDatabase::bundled();
    let zones: Vec<_> = ZONES
        .iter()
        .map(|&zone| {
            (
                zone,
                db.get(zone).unwrap(),
                reader(Some(zone), None),
                reader(Some(zone), Some("%d/%m/%Y %H:%M:%S")),
            )
        })
        .collect();
    let in_range = Timestamp::EARLIEST_UNIX_SECONDS..=Timestamp::LATEST_UNIX_SECONDS;
    let mut ambiguous = 0;
    for i in 0..20_000 {
        let (zone, tz, plain, with_format) = &zones[i % zones.len()];
        // Half the instants in 2015-2035 (where the changes are dense), half over 1900-2200; a
        // fifth of them within an hour of a change.
        let mut seconds = if i % 2 == 0 {
            1_420_070_400 + rng.below(631_152_000) as i64
        } else {
            Timestamp::EARLIEST_UNIX_SECONDS + rng.below(span) as i64
        };
        if i % 5 == 0 {
            let instant = jiff::Timestamp::from_second(seconds).unwrap();
            if let Some(change) = tz.following(instant).next() {
                let near = change.timestamp().as_second() + rng.below(7200) as i64 - 3600;
                if in_range.contains(&near) {
                    seconds = near;
                }
            }
        }
        let instant = jiff::Timestamp::from_second(seconds).unwrap();
        let local = tz.to_datetime(instant);
        let offset = tz.to_offset(instant).seconds();
        let iso_t = local.strftime("%Y-%m-%dT%H:%M:%S").to_string();
        let iso_space = local.strftime("%Y-%m-%d %H:%M:%S").to_string();
        let custom = local.strftime("%d/%m/%Y %H:%M:%S").to_string();
        for (r, text) in [(plain, &iso_t), (plain, &iso_space), (with_format, &custom)] {
            match r.read(text) {
                Ok(t) => {
                    assert_eq!(t.unix_seconds(), seconds, "{text} in {zone}");
                    // The zone's offset is kept when it is whole minutes (else UTC).
                    let minutes = if offset % 60 == 0 { offset / 60 } else { 0 };
                    assert_eq!(i32::from(t.offset_minutes()), minutes, "{text} in {zone}");
                }
                Err(reason) => {
                    assert!(reason.contains("ambiguous"), "{text} in {zone}: {reason}");
                    assert!(
                        tz.to_ambiguous_timestamp(local).is_ambiguous(),
                        "{text} in {zone}: {reason}"
                    );
                    ambiguous += 1;
                }
            }
        }
        // With the offset written, it always reads back, whatever the zone.
        if offset % 60 == 0 {
            let sign = if offset < 0 { '-' } else { '+' };
            let minutes = offset.unsigned_abs() / 60;
            let aware = format!("{iso_t}{sign}{:02}:{:02}", minutes / 60, minutes % 60);
            let t = plain
                .read(&aware)
                .unwrap_or_else(|e| panic!("{aware}: {e}"));
            assert_eq!(t.unix_seconds(), seconds, "{aware}");
        }
    }
    assert!(
        ambiguous > 100,
        "only {ambiguous} ambiguous local times met"
    );
}

/// Rough throughput of the common cases (run with `--ignored --nocapture`, in release).
#[test]
#[ignore]
fn throughput() {
    let cases = [
        (None, "2025-03-14T10:22:05Z"),
        (None, "2025-03-14T11:22:05.250+01:00"),
        (Some("Europe/Madrid"), "2025-03-14 11:22:05"),
        (Some("UTC"), "2025-03-14 11:22:05"),
    ];
    for (zone, text) in cases {
        let r = reader(zone, None);
        let n = 2_000_000;
        let start = std::time::Instant::now();
        let mut sum = 0i64;
        for _ in 0..n {
            sum = sum.wrapping_add(r.read(std::hint::black_box(text)).unwrap().unix_seconds());
        }
        let ns = start.elapsed().as_nanos() as f64 / n as f64;
        println!("{text:32} tz={zone:?}: {ns:.1} ns/read ({sum})");
    }
    let n = 2_000_000;
    let start = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(
            Timestamp::parse(std::hint::black_box("2025-03-14T10:22:05Z")).unwrap(),
        );
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    println!("Timestamp::parse (the baseline): {ns:.1} ns/read");
    let r = reader(Some("Europe/Madrid"), Some("%d/%m/%Y %H:%M"));
    let n = 500_000;
    let start = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(r.read(std::hint::black_box("14/03/2025 11:22")).unwrap());
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    println!("14/03/2025 11:22 with a format: {ns:.1} ns/read");
}
