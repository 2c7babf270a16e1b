//! The streaming reader (issue 15, "a streaming reader over any BufRead"): on random, partly
//! corrupted CSV and JSON Lines files it gives exactly what the whole-file readers give (the same
//! responses, the same rejected fields with their lines, record numbers and kinds), record by
//! record; column renames; delimiters; a problem midway ends the iteration and `finish` returns it.

use cxmetrics::random::Rng;
use cxmetrics::read::{read_csv_from, read_jsonl_from, ReadOptions, RejectionKind, ResponseReader};
use cxmetrics::Error;

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

/// A CSV file of `n` records, some invalid in one or several fields, some malformed.
fn csv_file(rng: &mut Rng, n: usize, delimiter: char) -> String {
    csv_file_with(rng, n, delimiter, true)
}

/// As [`csv_file`]; `unclosed`: whether some records open a quote they never close.
fn csv_file_with(rng: &mut Rng, n: usize, delimiter: char, unclosed: bool) -> String {
    let d = delimiter;
    let mut out = format!(
        "respondent_id{d}recorded_at{d}touchpoint{d}nps{d}weight{d}region{d}response_id{d}\
         touchpoint_name{d}channel{d}journey_stage{d}intentional{d}comment{d}visits\n"
    );
    for i in 0..n {
        match rng.below(12) {
            0 => out.push('\n'),                                            // blank line
            1 => out.push_str(&format!("C{i}{d}2025-01-02T10:00:00Z\n")),   // too few fields
            2 if unclosed => out.push_str(&format!("\"C{i}{d}unclosed\n")), // quote never closed
            _ => {
                let nps = pick(rng, &["10", "9", "0", "7", "", "11", "x", "5"]);
                let at = pick(
                    rng,
                    &[
                        "2025-01-02T10:00:00Z",
                        "2025-03-30 01:30:00+01:00",
                        "yesterday",
                        "",
                    ],
                );
                let weight = pick(rng, &["1", "0.5", "-1", "2"]);
                let regions: &[&str] = if unclosed || i % 2 == 0 {
                    &["north", "\"south, east\"", "", "\"multi\nline\""]
                } else {
                    &["north", "\"south, east\"", ""]
                };
                let region = pick(rng, regions);
                let id = if rng.below(20) == 0 {
                    String::new()
                } else {
                    format!("C{i}")
                };
                out.push_str(&format!(
                    "{id}{d}{at}{d}store{d}{nps}{d}{weight}{d}{region}\n"
                ));
            }
        }
    }
    out
}

fn jsonl_file(rng: &mut Rng, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        match rng.below(10) {
            0 => out.push_str("   \n"),
            1 => out.push_str("{not json\n"),
            2 => out.push_str("[1, 2]\n"),
            _ => {
                let nps = pick(rng, &["10", "9", "\"8\"", "null", "11", "\"x\""]);
                let at = pick(rng, &["\"2025-01-02T10:00:00Z\"", "\"nope\"", "null"]);
                let dup = if rng.below(15) == 0 {
                    ", \"nps\": 3"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "{{\"respondent_id\": \"C{i}\", \"recorded_at\": {at}, \"touchpoint\": \"web\", \"nps\": {nps}{dup}}}\n"
                ));
            }
        }
    }
    out
}

#[test]
fn the_stream_gives_what_the_whole_file_reader_gives() {
    for seed in 0..40u64 {
        let mut rng = Rng::new(seed);
        let delimiter = [',', ';', '\t', '|'][(seed % 4) as usize];
        let csv = csv_file(&mut rng, 200, delimiter);
        let jsonl = jsonl_file(&mut rng, 200);
        let options = ReadOptions::default().with_delimiter(Some(delimiter as u8));
        for (text, is_csv) in [(csv, true), (jsonl, false)] {
            let whole = if is_csv {
                read_csv_from(text.as_bytes(), "t", &options).unwrap()
            } else {
                read_jsonl_from(text.as_bytes(), "t", &options).unwrap()
            };
            let open = || {
                if is_csv {
                    ResponseReader::csv(text.as_bytes(), "t", options.clone()).unwrap()
                } else {
                    ResponseReader::jsonl(text.as_bytes(), "t", options.clone()).unwrap()
                }
            };
            // As an iterator of responses and rejected fields.
            let mut reader = open();
            let (mut responses, mut rejected) = (Vec::new(), Vec::new());
            for item in &mut reader {
                match item {
                    Ok(r) => responses.push(r),
                    Err(e) => rejected.push(e),
                }
            }
            let summary = reader.finish().unwrap();
            assert_eq!(responses, whole.responses, "seed {seed}");
            assert_eq!(rejected, whole.rejected, "seed {seed}");
            assert_eq!(summary.n_rejected as usize, whole.n_rejected);
            assert_eq!(summary.n_records as usize, whole.n_records());
            assert_eq!(summary.n_blank, whole.n_blank);
            assert_eq!(summary.fields, whole.fields);
            // Record by record: numbers are consecutive, lines ascending, every problem carries
            // its record's line and number.
            let mut reader = open();
            let (mut expected, mut last_line) = (0u64, 0u64);
            while let Some(read) = reader.next_record().unwrap() {
                assert_eq!(read.record, expected);
                assert!(read.line > last_line);
                if let Err(problems) = &read.result {
                    assert!(!problems.is_empty());
                    for p in problems {
                        assert_eq!((p.line, p.record), (read.line, read.record));
                    }
                }
                expected += 1;
                last_line = read.line;
            }
            assert_eq!(expected as usize, whole.n_records());
        }
    }
}

#[test]
fn rejected_fields_say_their_kind() {
    let text = "respondent_id,recorded_at,touchpoint,nps,weight\n\
                ,2025-01-02T10:00:00Z,store,9,1\n\
                C2,yesterday,store,9,1\n\
                C3,2025-01-02T10:00:00Z,store,12,1\n\
                C4,2025-01-02T10:00:00Z,store,9,-1\n\
                C5,2025-01-02T10:00:00Z\n";
    let read = read_csv_from(text.as_bytes(), "t", &ReadOptions::default()).unwrap();
    let kinds: Vec<(u64, u64, RejectionKind)> = read
        .rejected
        .iter()
        .map(|r| (r.line, r.record, r.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (2, 0, RejectionKind::Missing),
            (3, 1, RejectionKind::Timestamp),
            (4, 2, RejectionKind::Answer),
            (5, 3, RejectionKind::Weight),
            (6, 4, RejectionKind::Malformed),
        ]
    );
    let bytes =
        b"respondent_id,recorded_at,touchpoint,region\nC1,2025-01-02T10:00:00Z,store,Le\xf3n\n";
    let read = read_csv_from(&bytes[..], "t", &ReadOptions::default()).unwrap();
    assert_eq!(read.rejected[0].kind, RejectionKind::Encoding);
    assert!(
        read.rejected[0].reason.contains("latin-1"),
        "{}",
        read.rejected[0].reason
    );
    let jsonl = "{\"respondent_id\": \"C1\", \"recorded_at\": \"2025-01-02T10:00:00Z\", \"touchpoint\": \"web\", \"nps\": 3, \"nps\": 4}\n";
    let read = read_jsonl_from(jsonl.as_bytes(), "t", &ReadOptions::default()).unwrap();
    assert_eq!(read.rejected[0].kind, RejectionKind::Duplicate);
}

#[test]
fn columns_are_renamed_and_unknown_targets_named() {
    let rename = |pairs: &[(&str, &str)]| {
        ReadOptions::default().with_columns(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    };
    let options = rename(&[
        ("Respondent", "respondent_id"),
        ("Date", "recorded_at"),
        ("Q1 Likelihood to recommend", "nps"),
    ]);
    let csv =
        "Respondent;Date;touchpoint;Q1 Likelihood to recommend\nC1;2025-01-02T10:00:00Z;web;9\n";
    let read = read_csv_from(
        csv.as_bytes(),
        "t",
        &options.clone().with_delimiter(Some(b';')),
    )
    .unwrap();
    assert_eq!(read.responses[0].nps(), Some(9));
    assert_eq!(
        read.fields,
        ["respondent_id", "recorded_at", "touchpoint", "nps"]
    );
    let jsonl = "{\"Respondent\": \"C1\", \"Date\": \"2025-01-02T10:00:00Z\", \"touchpoint\": \"web\", \"Q1 Likelihood to recommend\": 3}\n";
    let read = read_jsonl_from(jsonl.as_bytes(), "t", &options).unwrap();
    assert_eq!(read.responses[0].nps(), Some(3));
    // An unknown target, a target given twice, a source missing from the header.
    for (pairs, needle) in [
        (&[("Region", "regoin")][..], "regoin"),
        (&[("A", "nps"), ("B", "nps")][..], "renamed to \"nps\" too"),
    ] {
        let err = read_csv_from(csv.as_bytes(), "t", &rename(pairs)).unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { .. }), "{err}");
        assert!(err.to_string().contains(needle), "{err}");
    }
    let err = read_csv_from(
        csv.as_bytes(),
        "t",
        &rename(&[("Nope", "nps")]).with_delimiter(Some(b';')),
    )
    .unwrap_err();
    assert!(err.to_string().contains("\"Nope\""), "{err}");
}

#[test]
fn a_problem_midway_ends_the_stream_and_finish_returns_it() {
    let mut text = String::new();
    for i in 0..5 {
        text.push_str(&format!(
            "{{\"respondent_id\": \"C{i}\", \"recorded_at\": \"2025-01-02T10:00:00Z\", \"touchpoint\": \"web\", \"f{i}\": 1}}\n"
        ));
    }
    let options = ReadOptions::default().with_max_fields(5);
    let mut reader = ResponseReader::jsonl(text.as_bytes(), "t", options).unwrap();
    let items: Vec<_> = (&mut reader).collect();
    assert_eq!(items.len(), 2, "the third record brings a sixth field");
    let err = reader.finish().unwrap_err();
    assert!(matches!(err, Error::Read { .. }), "{err}");
    assert!(err.to_string().contains("max_fields"), "{err}");
}

#[test]
fn channels_are_kept_as_written_and_every_mapping_is_reported() {
    use cxmetrics::read::{NameConflict, ValueMapping};
    use cxmetrics::Channel;
    let text = "respondent_id,recorded_at,touchpoint,touchpoint_name,channel,journey_stage\n\
                C1,2025-01-02T10:00:00Z,tp1,Store visit,online,renewal\n\
                C2,2025-01-02T10:00:00Z,tp1,store visit,Contact Center,Post-Sale\n\
                C3,2025-01-02T10:00:00Z,tp1,Store visit,phone,\n\
                C4,2025-01-02T10:00:00Z,tp2,,Contact Center,\n\
                C5,2025-01-02T10:00:00Z,tp2,Web,web,\n";
    let read = read_csv_from(text.as_bytes(), "t", &ReadOptions::default()).unwrap();
    let channels: Vec<Option<&Channel>> = read.responses.iter().map(|r| r.channel()).collect();
    assert_eq!(
        channels,
        [
            Some(&Channel::Custom("online".into())),
            Some(&Channel::ContactCenter),
            Some(&Channel::Custom("phone".into())),
            Some(&Channel::ContactCenter),
            Some(&Channel::Web),
        ]
    );
    let mapping = |field: &str, written: &str, to: &str, count| ValueMapping {
        field: field.into(),
        written: written.into(),
        mapped_to: to.into(),
        count,
    };
    assert_eq!(
        read.mappings,
        [
            mapping("channel", "Contact Center", "contact_center", 2),
            mapping("journey_stage", "Post-Sale", "post_sale", 1),
        ]
    );
    assert_eq!(
        read.name_conflicts,
        [NameConflict {
            touchpoint: "tp1".into(),
            names: vec![("Store visit".into(), 2), ("store visit".into(), 1)],
        }]
    );
}

#[test]
fn exports_in_any_delimiter_encoding_and_compression_read_alike() {
    use cxmetrics::read::{read_responses, Encoding};
    use std::io::Write;
    let rows = [
        (
            "C1",
            "2025-01-02T10:00:00Z",
            "tienda",
            "9",
            "León; \"centro\"",
        ),
        ("C2", "2025-01-03T10:00:00Z", "web", "3", "Peña, €"),
    ];
    let dir = std::env::temp_dir().join(format!("cxmetrics-read-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut reference = None;
    for delimiter in [',', ';', '\t', '|'] {
        for encoding in [
            Encoding::Utf8,
            Encoding::Latin1,
            Encoding::Cp1252,
            Encoding::Utf16,
        ] {
            for gzip in [false, true] {
                if encoding == Encoding::Latin1 && rows.iter().any(|r| r.4.contains('€')) {
                    continue; // the euro sign is not in Latin-1
                }
                let d = delimiter;
                let mut text = format!("respondent_id{d}recorded_at{d}touchpoint{d}nps{d}region\n");
                for (a, b, c, n, region) in rows {
                    let region = format!("\"{}\"", region.replace('"', "\"\""));
                    text.push_str(&format!("{a}{d}{b}{d}{c}{d}{n}{d}{region}\n"));
                }
                let mut bytes: Vec<u8> = match encoding {
                    Encoding::Utf8 => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
                    Encoding::Latin1 => text.chars().map(|c| c as u32 as u8).collect(),
                    Encoding::Cp1252 => text
                        .chars()
                        .map(|c| if c == '€' { 0x80 } else { c as u32 as u8 })
                        .collect(),
                    _ => {
                        let mut b = vec![0xFF, 0xFE];
                        for u in text.encode_utf16() {
                            b.extend_from_slice(&u.to_le_bytes());
                        }
                        b
                    }
                };
                if gzip {
                    let mut e = flate2_encoder();
                    e.write_all(&bytes).unwrap();
                    bytes = e.finish().unwrap();
                }
                let path = dir.join(format!(
                    "x{}.csv{}",
                    delimiter as u32,
                    if gzip { ".gz" } else { "" }
                ));
                std::fs::write(&path, &bytes).unwrap();
                let options = ReadOptions::default().with_encoding(encoding);
                let read = read_responses(&path, &options).unwrap();
                assert!(
                    read.rejected.is_empty(),
                    "{delimiter:?} {encoding:?} {gzip}: {:?}",
                    read.rejected
                );
                assert_eq!(read.delimiter, Some(delimiter as u8), "sniffed");
                assert_eq!((read.encoding, read.compressed), (encoding, gzip));
                let regions: Vec<_> = read
                    .responses
                    .iter()
                    .map(|r| r.attribute("region").unwrap().to_string())
                    .collect();
                match &reference {
                    None => reference = Some((read.responses.len(), regions)),
                    Some(r) => assert_eq!(r, &(read.responses.len(), regions)),
                }
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn flate2_encoder() -> flate2::write::GzEncoder<Vec<u8>> {
    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast())
}

/// The columnar reader (`read_table_from`) gives exactly the table and the outcome of the
/// response reader, on random, partly corrupted CSV files of many batches, in any thread setting.
#[test]
fn the_columnar_reader_equals_the_response_reader() {
    use cxmetrics::read::{read_table_in_parts, Format, ResponseTable};
    use cxmetrics::{with_threads, Threads};
    for seed in 0..12u64 {
        let mut rng = Rng::new(100 + seed);
        let delimiter = [',', ';', '\t', '|'][(seed % 4) as usize];
        // Half the files have a quote never closed (read in one pass), half not (read in parts,
        // multi-line quoted fields across the cuts included).
        let text = csv_file_with(&mut rng, 30_000, delimiter, seed % 2 == 0);
        // Some files without any line end inside quotes: every cut is kept.
        let text = if seed % 4 == 1 {
            text.replace("\"multi\nline\"", "multi")
        } else {
            text
        };
        let text = if seed % 3 == 0 {
            text.replace('\n', "\r\n")
        } else {
            text
        };
        let options = ReadOptions::default();
        let whole = read_csv_from(text.as_bytes(), "t", &options).unwrap();
        let expected = ResponseTable::new(&whole.responses, &whole.fields, &options.schema);
        for threads in [Threads::Count(1), Threads::Count(3)] {
            let part_bytes = 1 + (seed as usize * 7919) % 50_000;
            let (table, outcome) = with_threads(threads, || {
                read_table_in_parts(text.as_bytes(), Format::Csv, "t", &options, part_bytes)
                    .unwrap()
            });
            assert_eq!(table, expected, "seed {seed}");
            assert_eq!(outcome.rejected, whole.rejected);
            assert_eq!(outcome.lines, whole.lines);
            assert_eq!(
                (outcome.n_records(), outcome.n_rejected, outcome.n_blank),
                (whole.n_records(), whole.n_rejected, whole.n_blank)
            );
            assert_eq!(outcome.fields, whole.fields);
            assert_eq!(outcome.delimiter, whole.delimiter);
            assert_eq!(outcome.mappings, whole.mappings);
            assert_eq!(outcome.name_conflicts, whole.name_conflicts);
        }
    }
}
