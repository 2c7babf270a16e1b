//! Issue 15: what comes before the tokenizers. Decoding (gzip, Latin-1, cp1252, UTF-16, UTF-8 with
//! or without BOM) against Python's codecs (tests/references/encodings/cases.json, made by
//! make_encoding_cases.py beside it) and in random round trips read through readers that return 1
//! to 7 bytes at a time, so that buffer boundaries fall everywhere; the errors (corrupt gzip,
//! UTF-16 without BOM, unpaired surrogates, odd length, a UTF-16 BOM in UTF-8); the encoding
//! suggestion; the choice of the CSV delimiter, with a property test over random tables.

use std::collections::HashMap;
use std::io::{self, BufRead, ErrorKind, Read, Write};

use cxmetrics::random::Rng;
use cxmetrics::read::{
    decode, read_csv_from, sniff_delimiter, suggest_encoding, Encoding, ReadOptions,
};
use cxmetrics::Error;
use flate2::write::GzEncoder;
use flate2::Compression;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A reader giving between 1 and `max` bytes per read (random sizes from the seed).
struct Chunked<'a> {
    data: &'a [u8],
    rng: Rng,
    max: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (1 + self.rng.below(self.max as u64) as usize)
            .min(buf.len())
            .min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fn trickle(data: &[u8], seed: u64) -> Chunked<'_> {
    Chunked {
        data,
        rng: Rng::new(seed),
        max: 7,
    }
}

/// Reads everything; the text before an error and the error.
fn read_through(mut reader: impl BufRead) -> (Vec<u8>, Option<io::Error>) {
    let mut out = Vec::new();
    loop {
        match reader.fill_buf() {
            Ok([]) => return (out, None),
            Ok(chunk) => {
                let n = chunk.len();
                out.extend_from_slice(chunk);
                reader.consume(n);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return (out, Some(e)),
        }
    }
}

/// `data` decoded as `encoding` through a reader of 1-7 bytes per read (`seed`).
fn decode_trickled(data: &[u8], encoding: Encoding, seed: u64) -> io::Result<String> {
    let source = decode(trickle(data, seed), encoding, "test").expect("decodes");
    let (bytes, error) = read_through(source);
    match error {
        Some(e) => Err(e),
        None => Ok(String::from_utf8(bytes).expect("decoded text is UTF-8")),
    }
}

/// The same through `read_to_string` on a reader of chunks up to 100,000 bytes, so that the
/// decoder's own 64 KiB buffers fill and their ends fall inside characters.
fn decode_chunked(data: &[u8], encoding: Encoding, seed: u64) -> io::Result<String> {
    let reader = Chunked {
        data,
        rng: Rng::new(seed),
        max: 100_000,
    };
    let mut source = decode(reader, encoding, "test").expect("decodes");
    let mut text = String::new();
    source.read_to_string(&mut text)?;
    Ok(text)
}

fn gzip(members: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for member in members {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(member).unwrap();
        out.extend(gz.finish().unwrap());
    }
    out
}

fn from_hex(hex: &str) -> Vec<u8> {
    assert_eq!(hex.len() % 2, 0, "{hex}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn reason(err: &Error) -> &str {
    match err {
        Error::Read { reason, .. } => reason,
        other => panic!("expected Error::Read, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Reference values from Python's codecs

struct Cases {
    decoded: Vec<(Encoding, Vec<u8>, String, String)>,
    errors: Vec<serde_json::Value>,
}

fn cases() -> Cases {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/references/encodings/cases.json"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let decoded = json["decoded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            (
                case["encoding"].as_str().unwrap().parse().unwrap(),
                from_hex(case["hex"].as_str().unwrap()),
                case["text"].as_str().unwrap().to_owned(),
                case["reference"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    Cases {
        decoded,
        errors: json["errors"].as_array().unwrap().clone(),
    }
}

fn error_bytes(case: &serde_json::Value) -> Vec<u8> {
    let mut data = Vec::new();
    for part in case["parts"].as_array().unwrap() {
        let bytes = from_hex(part[0].as_str().unwrap());
        for _ in 0..part[1].as_u64().unwrap() {
            data.extend_from_slice(&bytes);
        }
    }
    data
}

#[test]
fn every_byte_and_text_decodes_as_pythons_codecs() {
    let cases = cases();
    let count = |e: Encoding, singles: bool| {
        cases
            .decoded
            .iter()
            .filter(|c| c.0 == e && (!singles || c.1.len() == 1))
            .count()
    };
    assert_eq!(count(Encoding::Latin1, true), 256);
    assert_eq!(count(Encoding::Cp1252, true), 256);
    assert_eq!(
        cases.decoded.iter().filter(|c| c.3 == "whatwg").count(),
        5,
        "the five undefined cp1252 bytes"
    );
    assert!(count(Encoding::Utf16, false) >= 20);
    for (i, (encoding, bytes, text, _)) in cases.decoded.iter().enumerate() {
        let seed = i as u64;
        let got = decode_trickled(bytes, *encoding, seed).unwrap();
        assert_eq!(&got, text, "{encoding} {bytes:02x?}");
        let mut whole = String::new();
        decode(&bytes[..], *encoding, "test")
            .unwrap()
            .read_to_string(&mut whole)
            .unwrap();
        assert_eq!(&whole, text, "{encoding} in one read");
        // Compressed, in one member and in two split at a random byte.
        let cut = Rng::new(seed).below(bytes.len() as u64 + 1) as usize;
        for compressed in [gzip(&[bytes]), gzip(&[&bytes[..cut], &bytes[cut..]])] {
            let source = decode(trickle(&compressed, seed), *encoding, "test.gz").unwrap();
            assert!(source.compressed());
            assert_eq!(source.encoding(), *encoding);
            let (got, error) = read_through(source);
            assert!(error.is_none(), "{error:?}");
            assert_eq!(String::from_utf8(got).unwrap(), *text);
        }
    }
}

#[test]
fn invalid_utf16_is_refused_at_pythons_offset() {
    let cases = cases();
    assert!(cases.errors.len() >= 20);
    for (i, case) in cases.errors.iter().enumerate() {
        let data = error_bytes(case);
        let what = case["what"].as_str().unwrap();
        match case["problem"].as_str().unwrap() {
            "bom" => {
                let err = decode(&data[..], Encoding::Utf16, "survey.csv").unwrap_err();
                assert_eq!(err.code(), "read");
                let message = err.to_string();
                assert!(message.starts_with("cannot read survey.csv: "), "{message}");
                assert!(
                    message.contains("byte-order mark (FF FE or FE FF)"),
                    "{what}: {message}"
                );
            }
            problem => {
                let offset = case["offset"].as_u64().unwrap() as usize;
                for compressed in [false, true] {
                    let input = if compressed {
                        gzip(&[&data])
                    } else {
                        data.clone()
                    };
                    let source = decode(trickle(&input, i as u64), Encoding::Utf16, "t").unwrap();
                    let (before, error) = read_through(source);
                    let error = error.unwrap_or_else(|| panic!("{what}: no error"));
                    assert_eq!(error.kind(), ErrorKind::InvalidData, "{what}");
                    let message = error.to_string();
                    assert!(
                        message.contains(&format!("at byte offset {offset}")),
                        "{what}: {message}"
                    );
                    let named = match problem {
                        "surrogate" => "surrogate",
                        "odd" => "odd number of bytes",
                        other => panic!("{other}"),
                    };
                    assert!(message.contains(named), "{what}: {message}");
                    // The text before the problem was delivered first.
                    let big_endian = data.starts_with(&[0xFE, 0xFF]);
                    let units: Vec<u16> = data[2..offset]
                        .chunks(2)
                        .map(|p| {
                            if big_endian {
                                u16::from_be_bytes([p[0], p[1]])
                            } else {
                                u16::from_le_bytes([p[0], p[1]])
                            }
                        })
                        .collect();
                    let expected = String::from_utf16(&units).unwrap();
                    assert_eq!(String::from_utf8(before).unwrap(), expected, "{what}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Random round trips

/// The cp1252 encoder, from the reference decodings of single bytes (Python's table).
fn cp1252_encoder() -> HashMap<char, u8> {
    cases()
        .decoded
        .iter()
        .filter(|c| c.0 == Encoding::Cp1252 && c.1.len() == 1)
        .map(|c| {
            let mut chars = c.2.chars();
            let ch = chars.next().unwrap();
            assert!(chars.next().is_none());
            (ch, c.1[0])
        })
        .collect()
}

/// Random text of `n` characters from `pick`; line ends and delimiters now and then.
fn random_text(rng: &mut Rng, n: usize, pick: &mut dyn FnMut(&mut Rng) -> char) -> String {
    (0..n)
        .map(|_| match rng.below(20) {
            0 => '\n',
            1 => ';',
            2..=7 => char::from(b'a' + rng.below(26) as u8),
            _ => pick(rng),
        })
        .collect()
}

fn random_scalar(rng: &mut Rng) -> char {
    loop {
        let c = match rng.below(4) {
            0 => rng.below(0x80),
            1 => 0x80 + rng.below(0x800 - 0x80),
            2 => 0x800 + rng.below(0x10000 - 0x800),
            _ => 0x10000 + rng.below(0x110000 - 0x10000),
        };
        if let Some(c) = char::from_u32(c as u32) {
            return c;
        }
    }
}

fn encode(text: &str, encoding: Encoding, big_endian: bool, cp1252: &HashMap<char, u8>) -> Vec<u8> {
    match encoding {
        Encoding::Latin1 => text.chars().map(|c| u8::try_from(c).unwrap()).collect(),
        Encoding::Cp1252 => text.chars().map(|c| cp1252[&c]).collect(),
        Encoding::Utf16 => {
            let mut out = if big_endian {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for u in text.encode_utf16() {
                out.extend(if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
            out
        }
        _ => {
            let mut out = if big_endian {
                vec![0xEF, 0xBB, 0xBF] // "big_endian" stands for "with a BOM" here
            } else {
                Vec::new()
            };
            out.extend_from_slice(text.as_bytes());
            out
        }
    }
}

#[test]
fn random_text_round_trips_in_every_encoding_and_chunking() {
    let cp1252 = cp1252_encoder();
    let repertoire: Vec<char> = {
        let mut chars: Vec<char> = cp1252.keys().copied().collect();
        chars.sort_unstable();
        chars
    };
    assert_eq!(repertoire.len(), 256);
    let mut rng = Rng::new(20260515);
    for round in 0..60u64 {
        // Mostly short texts; some longer than the decoder's 64 KiB buffers.
        let n = if round % 10 == 9 {
            40_000 + rng.below(40_000) as usize
        } else {
            rng.below(300) as usize
        };
        for encoding in Encoding::ALL {
            for flag in [false, true] {
                let mut pick = |r: &mut Rng| match encoding {
                    Encoding::Latin1 => char::from(r.below(256) as u8),
                    Encoding::Cp1252 => repertoire[r.below(256) as usize],
                    _ => random_scalar(r),
                };
                let text = random_text(&mut rng, n, &mut pick);
                let bytes = encode(&text, encoding, flag, &cp1252);
                let seed = rng.next_u64();
                let what = format!("{encoding} round {round} flag {flag}");
                assert_eq!(
                    decode_trickled(&bytes, encoding, seed).unwrap(),
                    text,
                    "{what}"
                );
                assert_eq!(
                    decode_chunked(&bytes, encoding, seed).unwrap(),
                    text,
                    "{what}"
                );
                let cut = rng.below(bytes.len() as u64 + 1) as usize;
                let compressed = gzip(&[&bytes[..cut], &bytes[cut..]]);
                assert_eq!(
                    decode_trickled(&compressed, encoding, seed).unwrap(),
                    text,
                    "{what} gz"
                );
                assert_eq!(
                    decode_chunked(&compressed, encoding, seed).unwrap(),
                    text,
                    "{what} gz"
                );
            }
        }
    }
}

#[test]
fn surrogate_pairs_split_at_every_position_of_the_64_kib_buffer() {
    // A pair of units straddles the end of the first 64 KiB of input for each shift of the text.
    for shift in 0..4usize {
        for big_endian in [false, true] {
            let mut text = "x".repeat(32_760 + shift);
            text.push_str(&"😀é€".repeat(10));
            let bytes = encode(&text, Encoding::Utf16, big_endian, &HashMap::new());
            let mut source = decode(&bytes[..], Encoding::Utf16, "t").unwrap();
            let mut got = String::new();
            source.read_to_string(&mut got).unwrap();
            assert_eq!(got, text, "shift {shift}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// gzip and encoding errors

#[test]
fn corrupt_or_truncated_gzip_is_an_error_naming_gzip() {
    let text = "respondent_id,recorded_at,touchpoint,nps\n".repeat(2_000);
    let good = gzip(&[text.as_bytes()]);
    // A damaged deflate stream (or checksum), a truncated one, a header only.
    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x55;
    damaged[middle + 1] ^= 0xAA;
    let mut bad_crc = good.clone();
    let n = bad_crc.len();
    bad_crc[n - 6] ^= 1;
    let truncated = good[..good.len() - 20].to_vec();
    let garbage_member = [good.clone(), b"not gzip at all".to_vec()].concat();
    for (what, data) in [
        ("damaged", damaged),
        ("bad crc", bad_crc),
        ("truncated", truncated),
        ("garbage after a member", garbage_member),
    ] {
        match decode(trickle(&data, 3), Encoding::Utf8, "survey.csv.gz") {
            Err(err) => {
                assert!(reason(&err).contains("gzip"), "{what}: {err}");
            }
            Ok(source) => {
                assert!(source.compressed());
                let (_, error) = read_through(source);
                let error = error.unwrap_or_else(|| panic!("{what}: no error"));
                assert!(
                    matches!(
                        error.kind(),
                        ErrorKind::InvalidData | ErrorKind::UnexpectedEof
                    ),
                    "{what}: {error:?}"
                );
                assert!(
                    error.to_string().contains("gzip-compressed data is"),
                    "{what}: {error}"
                );
                // The caller turns it into Error::Read naming the file.
                let err = Error::io("survey.csv.gz", error);
                assert!(
                    err.to_string()
                        .starts_with("cannot read survey.csv.gz: the gzip"),
                    "{err}"
                );
            }
        }
    }
    // Every read after the error fails again (the gzip decoder alone would report an end).
    let mut bad_crc = good.clone();
    bad_crc[n - 6] ^= 1;
    for encoding in [Encoding::Utf8, Encoding::Latin1] {
        let mut source = decode(&bad_crc[..], encoding, "t").unwrap();
        let mut sink = Vec::new();
        let err = source.read_to_end(&mut sink).unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
        assert_eq!(sink, text.as_bytes(), "the text before the checksum");
        assert!(source.read_to_end(&mut sink).is_err());
        assert!(source.fill_buf().is_err());
    }
    // Only the magic bytes: the header cannot be read.
    let err = decode(&[0x1f, 0x8b][..], Encoding::Utf8, "x.gz").unwrap_err();
    assert!(
        reason(&err).contains("gzip-compressed data is truncated"),
        "{err}"
    );
}

#[test]
fn a_file_that_cannot_be_read_is_an_error_read_with_its_kind() {
    struct Broken;
    impl Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::new(ErrorKind::PermissionDenied, "denied"))
        }
    }
    let err = decode(Broken, Encoding::Utf8, "locked.csv").unwrap_err();
    match &err {
        Error::Read { path, kind, .. } => {
            assert_eq!(path, "locked.csv");
            assert_eq!(*kind, Some(ErrorKind::PermissionDenied));
        }
        other => panic!("{other:?}"),
    }
    // An error of the file inside a gzip stream keeps its kind and message.
    struct FailsLater(Vec<u8>);
    impl Read for FailsLater {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::new(ErrorKind::ConnectionReset, "reset"));
            }
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0.drain(..n);
            Ok(n)
        }
    }
    let mut rng = Rng::new(1);
    let noise: Vec<u8> = (0..200_000).map(|_| rng.below(256) as u8).collect();
    let compressed = gzip(&[&noise]);
    let half = compressed[..compressed.len() / 2].to_vec();
    let (_, error) = read_through(decode(FailsLater(half), Encoding::Utf8, "t").unwrap());
    let error = error.unwrap();
    assert_eq!(error.kind(), ErrorKind::ConnectionReset);
    assert_eq!(error.to_string(), "reset");
}

#[test]
fn a_bom_of_another_encoding_says_which_encoding_to_pass() {
    let text = "respondent_id,nps\nC1,9\n";
    let utf16_le = encode(text, Encoding::Utf16, false, &HashMap::new());
    let utf16_be = encode(text, Encoding::Utf16, true, &HashMap::new());
    for data in [&utf16_le, &utf16_be] {
        for compressed in [false, true] {
            let input = if compressed {
                gzip(&[data])
            } else {
                data.clone()
            };
            for encoding in [Encoding::Utf8, Encoding::Latin1, Encoding::Cp1252] {
                let err = decode(&input[..], encoding, "export.csv").unwrap_err();
                let message = err.to_string();
                assert!(message.contains("UTF-16"), "{message}");
                assert!(message.contains("pass encoding=\"utf-16\""), "{message}");
            }
            assert_eq!(decode_trickled(&input, Encoding::Utf16, 1).unwrap(), text);
        }
    }
    let utf8_bom = encode(text, Encoding::Utf8, true, &HashMap::new());
    for encoding in [Encoding::Latin1, Encoding::Cp1252, Encoding::Utf16] {
        let err = decode(&utf8_bom[..], encoding, "export.csv").unwrap_err();
        assert!(err.to_string().contains("pass encoding=\"utf-8\""), "{err}");
    }
    // Empty input is empty text in every encoding, UTF-16 included.
    for encoding in Encoding::ALL {
        assert_eq!(decode_trickled(b"", encoding, 0).unwrap(), "");
        assert_eq!(decode_trickled(&gzip(&[b""]), encoding, 0).unwrap(), "");
    }
}

#[test]
fn utf8_bytes_pass_through_untouched() {
    // Invalid UTF-8 is the readers' to report, per record.
    let data = b"a,b\n\xe9t\xe9,\xff\n";
    assert_eq!(
        read_through(decode(trickle(data, 9), Encoding::Utf8, "t").unwrap()).0,
        data
    );
    let compressed = gzip(&[b"\xEF\xBB", b"\xBFnps\n"]);
    assert_eq!(
        decode_trickled(&compressed, Encoding::Utf8, 2).unwrap(),
        "nps\n"
    );
}

#[test]
fn a_decoded_cp1252_gzip_export_reads_as_csv() {
    let csv = "respondent_id,recorded_at,touchpoint,nps,comment\n\
               C1,2025-03-14T10:22:05Z,tienda,9,\"Atención rápida, ¡gracias!\"\n\
               C2,2025-03-14T11:00:00Z,entrega,3,“Tarde” – 5 €\n";
    let bytes = encode(csv, Encoding::Cp1252, false, &cp1252_encoder());
    let compressed = gzip(&[&bytes]);
    let source = decode(&compressed[..], Encoding::Cp1252, "export.csv.gz").unwrap();
    let read = read_csv_from(source, "export.csv.gz", &ReadOptions::default()).unwrap();
    assert_eq!(read.responses.len(), 2, "{:?}", read.rejected);
    assert_eq!(
        read.responses[0].comment(),
        Some("Atención rápida, ¡gracias!")
    );
    assert_eq!(read.responses[1].comment(), Some("“Tarde” – 5 €"));
    // Read as UTF-8, the same bytes are rejected per record, and the suggestion names cp1252.
    let read = read_csv_from(&bytes[..], "export.csv", &ReadOptions::default()).unwrap();
    assert_eq!(read.n_rejected, 2);
    assert_eq!(suggest_encoding(&bytes), Some(Encoding::Cp1252));
}

// ---------------------------------------------------------------------------------------------
// suggest_encoding

#[test]
fn the_suggested_encoding_of_bytes_that_are_not_utf8() {
    let cp1252 = cp1252_encoder();
    let latin = |s: &str| encode(s, Encoding::Latin1, false, &cp1252);
    let windows = |s: &str| encode(s, Encoding::Cp1252, false, &cp1252);
    assert_eq!(suggest_encoding("ñandú, café".as_bytes()), None);
    assert_eq!(suggest_encoding(b"plain ascii"), None);
    assert_eq!(suggest_encoding(b""), None);
    assert_eq!(
        suggest_encoding(&latin("ñandú, café")),
        Some(Encoding::Latin1)
    );
    assert_eq!(suggest_encoding(&latin("Größe")), Some(Encoding::Latin1));
    for s in ["it’s", "“great”", "5 €", "a – b", "wait…", "Œuvre"] {
        assert_eq!(suggest_encoding(&windows(s)), Some(Encoding::Cp1252), "{s}");
    }
    // The undefined cp1252 bytes are no evidence of cp1252.
    assert_eq!(suggest_encoding(b"caf\xe9 \x81"), Some(Encoding::Latin1));
    let utf16 = encode("respondent_id", Encoding::Utf16, false, &HashMap::new());
    assert_eq!(suggest_encoding(&utf16), Some(Encoding::Utf16));
    let no_bom: Vec<u8> = "né".encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(suggest_encoding(&no_bom), Some(Encoding::Utf16));
}

// ---------------------------------------------------------------------------------------------
// sniff_delimiter

#[test]
fn each_delimiter_is_found() {
    for d in [b',', b';', b'\t', b'|'] {
        let d = char::from(d);
        let text = format!("respondent_id{d}nps{d}comment\nC1{d}9{d}ok\nC2{d}10{d}\n");
        assert_eq!(char::from(sniff_delimiter(text.as_bytes())), d);
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(char::from(sniff_delimiter(crlf.as_bytes())), d, "CRLF");
        let cr = text.replace('\n', "\r");
        assert_eq!(char::from(sniff_delimiter(cr.as_bytes())), d, "CR");
    }
}

#[test]
fn quoted_fields_hide_other_candidates_and_line_breaks() {
    let text = b"id;comment;nps\n\
                 1;\"good, fast, cheap | really\";9\n\
                 2;\"line one,\nline two,\r\nline three\";10\n\
                 3;\"he said \"\"a,b,c\"\"\";7\n";
    assert_eq!(sniff_delimiter(text), b';');
    let text = b"id,comment\n1,\"a;b;c\"\n2,\"x;y\tz\"\n";
    assert_eq!(sniff_delimiter(text), b',');
    // A quoted header field too.
    let text = b"\"id;x\"\t\"name, full\"\n1\t\"a|b\"\n";
    assert_eq!(sniff_delimiter(text), b'\t');
}

#[test]
fn a_header_only_file() {
    assert_eq!(
        sniff_delimiter(b"respondent_id;recorded_at;touchpoint\n"),
        b';'
    );
    assert_eq!(
        sniff_delimiter(b"respondent_id;recorded_at;touchpoint"),
        b';'
    );
    assert_eq!(
        sniff_delimiter(b"respondent_id|recorded_at|touchpoint\r\n"),
        b'|'
    );
    assert_eq!(sniff_delimiter(b"respondent_id\n"), b',');
    assert_eq!(sniff_delimiter(b""), b',');
}

#[test]
fn inconsistent_lines_fall_back_to_the_header() {
    // A malformed record: no candidate is consistent; the header's most frequent wins.
    let text = b"a;b;c\n1;2;3\n4;5\n6;7;8;9\n";
    assert_eq!(sniff_delimiter(text), b';');
    // Semicolon-delimited with decimal commas: commas vary from line to line.
    let text = b"id;score;weight\n1;4,5;0,8\n2;3;1\n3;2,25;1,5\n";
    assert_eq!(sniff_delimiter(text), b';');
    // The consistent candidate wins over a more frequent but inconsistent one.
    let text = b"a,b,c,d;e\n1,2;3\n4,5,6,7,8;9\n";
    assert_eq!(sniff_delimiter(text), b';');
    // An incomplete last line (the head cut in the middle of a record) is left out.
    let text = b"a|b|c\n1|2|3\n4|5";
    assert_eq!(sniff_delimiter(text), b'|');
    let text = b"a|b|c\n1|2|3\n4|\"5\n6,7,8";
    assert_eq!(sniff_delimiter(text), b'|');
}

#[test]
fn tab_delimited_free_text_with_commas_and_the_reverse() {
    let text = b"id\tnps\tcomment\n\
                 1\t9\tFast, friendly, and cheap, thanks\n\
                 2\t3\tslow\n\
                 3\t10\tGreat, great, great\n";
    assert_eq!(sniff_delimiter(text), b'\t');
    // Tabs inside unquoted comments of a comma file.
    let text = b"id,nps,comment\n1,9,tab\there\n2,3,none\n3,7,two\ttabs\there\n";
    assert_eq!(sniff_delimiter(text), b',');
    // Commas in the header only (a single-column tab file whose header has commas) versus tabs.
    let text = b"a\tb, c\n1\t2\n";
    assert_eq!(sniff_delimiter(text), b'\t');
}

#[test]
fn only_the_first_64_kib_count() {
    let mut text = b"a;b\n".repeat(20_000);
    text.extend_from_slice(b"1,2,3\n".repeat(100_000).as_slice());
    assert_eq!(sniff_delimiter(&text), b';');
}

/// A random field: unquoted (letters, digits, spaces, accents; no candidate, quote or line end)
/// or quoted with anything inside (candidates, quotes doubled, line breaks).
fn random_field(rng: &mut Rng, out: &mut String) {
    const PLAIN: &[&str] = &["a", "b", "z", "0", "7", " ", "é", "ñ", "€", "-", ".", "x y"];
    const ANY: &[&str] = &[
        "a", "7", " ", ",", ";", "\t", "|", "\"", "\n", "\r\n", "ü", ",;", "||",
    ];
    let n = rng.below(8) as usize;
    if rng.below(3) == 0 {
        out.push('"');
        for _ in 0..n {
            let piece = ANY[rng.below(ANY.len() as u64) as usize];
            out.push_str(&piece.replace('"', "\"\""));
        }
        out.push('"');
    } else {
        for _ in 0..n {
            out.push_str(PLAIN[rng.below(PLAIN.len() as u64) as usize]);
        }
    }
}

#[test]
fn property_random_tables_are_sniffed_correctly() {
    let candidates = [',', ';', '\t', '|'];
    let mut rng = Rng::new(15);
    for case in 0..3_000 {
        let delimiter = candidates[rng.below(4) as usize];
        let columns = 2 + rng.below(7) as usize;
        let rows = 1 + rng.below(12) as usize; // the header included
        let end = ["\n", "\r\n", "\r"][rng.below(3) as usize];
        let mut text = String::new();
        for _ in 0..rows {
            for c in 0..columns {
                if c > 0 {
                    text.push(delimiter);
                }
                random_field(&mut rng, &mut text);
            }
            text.push_str(end);
        }
        // Sometimes cut inside the last record, as a head of a larger file is.
        if rng.below(4) == 0 && rows > 1 {
            let last_start = text[..text.len() - end.len()]
                .rfind(end)
                .map_or(0, |i| i + end.len());
            let mut cut = last_start + rng.below((text.len() - last_start) as u64) as usize;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        assert_eq!(
            char::from(sniff_delimiter(text.as_bytes())),
            delimiter,
            "case {case}: {text:?}"
        );
    }
}
