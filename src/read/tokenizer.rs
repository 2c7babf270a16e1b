//! The project's own RFC 4180 record splitter: a streaming iterator of raw CSV records over a
//! [`BufRead`], each with the physical line where it starts.
//!
//! Semantics are those of Python's `csv` module with its default dialect (so a reference parser
//! can check them): fields are separated by the delimiter; a field that starts with `"` is quoted,
//! `""` inside it is one quote, and text after its closing quote up to the delimiter is appended;
//! a quote in the middle of an unquoted field is literal. `\n`, `\r\n` and a lone `\r` each end a
//! line, inside and outside quotes, and each counts as one physical line. An empty line outside
//! quotes is not a record: it is counted as blank.
//!
//! A quoted field still open at the end of the input is an error of the record where it opened
//! ([`RawRecord::unclosed`] names the line of the opening quote); the lines after that line are
//! then read again as records, so one stray quote cannot swallow the rest of a file. Re-reading
//! needs the bytes after that line, which are kept only while a quoted field spans lines.
//!
//! No per-byte allocation: runs of ordinary bytes are found with `memchr` and copied in one go,
//! and the caller's [`RawRecord`] buffers are reused from record to record.

use std::io::{self, BufRead};

/// One record as the tokenizer found it: the bytes of its fields and where each ends.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRecord {
    /// The physical line where the record starts (1-based).
    pub line: u64,
    /// `Some(n)` when a quoted field that opened on line `n` is never closed: the record is
    /// incomplete (its last field runs to the end of the input).
    pub unclosed: Option<u64>,
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl RawRecord {
    /// The fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let field = &self.bytes[start..end];
            start = end;
            field
        })
    }

    fn clear(&mut self) {
        self.line = 0;
        self.unclosed = None;
        self.bytes.clear();
        self.ends.clear();
    }

    fn end_field(&mut self) {
        self.ends.push(self.bytes.len());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records (blank lines are counted here).
    StartRecord,
    /// At the start of a field.
    StartField,
    /// In an unquoted field (or after the closing quote of a quoted one).
    InField,
    /// In a quoted field.
    InQuoted,
    /// Just after a quote inside a quoted field: `"` again is an escaped quote, anything else
    /// closes the field.
    QuoteInQuoted,
}

/// The state of the splitter between two chunks of input.
#[derive(Debug)]
struct Machine {
    delimiter: u8,
    state: State,
    /// The current physical line (1-based).
    line: u64,
    /// The last byte consumed was a `\r`: a `\n` right after it belongs to the same line end.
    prev_cr: bool,
    n_blank: u64,
    /// The line where the current quoted field opened.
    quote_line: u64,
    /// While a quoted field spans lines: the bytes after the line where it opened (what is read
    /// again if it is never closed), and the line they start on.
    recording: bool,
    /// The `\n` of a `\r\n` that ended the opening line is not part of what is read again.
    skip_lf: bool,
    pending: Vec<u8>,
    restart_line: u64,
}

fn is_line_end(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

impl Machine {
    /// Feeds `chunk`; returns how many bytes were consumed and whether a record is complete.
    fn feed(&mut self, chunk: &[u8], rec: &mut RawRecord) -> (usize, bool) {
        let mut i = 0;
        // Where the bytes to keep for a re-read start in this chunk (while recording).
        let mut keep_from = 0;
        let done = loop {
            let Some(&b) = chunk.get(i) else {
                break false;
            };
            if self.prev_cr {
                self.prev_cr = false;
                if b == b'\n' {
                    // The second byte of a `\r\n`: the line was already counted.
                    if self.state == State::InQuoted {
                        rec.bytes.push(b);
                    }
                    i += 1;
                    if self.skip_lf {
                        keep_from = i;
                    }
                    self.skip_lf = false;
                    continue;
                }
            }
            self.skip_lf = false;
            match self.state {
                State::StartRecord => {
                    if is_line_end(b) {
                        self.n_blank += 1;
                        self.new_line(b);
                        i += 1;
                        continue;
                    }
                    rec.line = self.line;
                    self.state = State::StartField;
                }
                State::StartField => {
                    if is_line_end(b) {
                        rec.end_field();
                        self.new_line(b);
                        i += 1;
                        break true;
                    } else if b == b'"' {
                        self.quote_line = self.line;
                        self.state = State::InQuoted;
                        i += 1;
                    } else if b == self.delimiter {
                        rec.end_field();
                        i += 1;
                    } else {
                        self.state = State::InField;
                    }
                }
                State::InField => {
                    let rest = &chunk[i..];
                    let run =
                        memchr::memchr3(self.delimiter, b'\n', b'\r', rest).unwrap_or(rest.len());
                    rec.bytes.extend_from_slice(&rest[..run]);
                    i += run;
                    let Some(&b) = chunk.get(i) else {
                        break false;
                    };
                    i += 1;
                    rec.end_field();
                    if b == self.delimiter {
                        self.state = State::StartField;
                    } else {
                        self.new_line(b);
                        break true;
                    }
                }
                State::InQuoted => {
                    let rest = &chunk[i..];
                    let run = memchr::memchr3(b'"', b'\n', b'\r', rest).unwrap_or(rest.len());
                    rec.bytes.extend_from_slice(&rest[..run]);
                    i += run;
                    let Some(&b) = chunk.get(i) else {
                        break false;
                    };
                    i += 1;
                    if b == b'"' {
                        self.state = State::QuoteInQuoted;
                    } else {
                        rec.bytes.push(b);
                        self.new_line(b);
                        if !self.recording {
                            // The quoted field spans lines: keep what follows its opening line.
                            self.recording = true;
                            self.pending.clear();
                            self.restart_line = self.line;
                            self.skip_lf = b == b'\r';
                            keep_from = i;
                        }
                    }
                }
                State::QuoteInQuoted => {
                    if b == b'"' {
                        rec.bytes.push(b);
                        self.state = State::InQuoted;
                        i += 1;
                        continue;
                    }
                    // The quote closed the field.
                    self.stop_recording();
                    i += 1;
                    if b == self.delimiter {
                        rec.end_field();
                        self.state = State::StartField;
                    } else if is_line_end(b) {
                        rec.end_field();
                        self.new_line(b);
                        break true;
                    } else {
                        rec.bytes.push(b);
                        self.state = State::InField;
                    }
                }
            }
        };
        if self.recording {
            self.pending.extend_from_slice(&chunk[keep_from.min(i)..i]);
        }
        if done {
            self.state = State::StartRecord;
        }
        (i, done)
    }

    fn new_line(&mut self, b: u8) {
        self.line += 1;
        self.prev_cr = b == b'\r';
    }

    fn stop_recording(&mut self) {
        self.recording = false;
        self.skip_lf = false;
        self.pending.clear();
    }

    /// The end of the input: completes the record in progress, if any. When a quoted field is
    /// still open, returns the bytes to read again.
    fn finish(&mut self, rec: &mut RawRecord) -> (bool, Option<Vec<u8>>) {
        let state = std::mem::replace(&mut self.state, State::StartRecord);
        match state {
            State::StartRecord => (false, None),
            State::StartField | State::InField | State::QuoteInQuoted => {
                self.stop_recording();
                rec.end_field();
                (true, None)
            }
            State::InQuoted => {
                rec.end_field();
                rec.unclosed = Some(self.quote_line);
                let again = if self.recording {
                    self.line = self.restart_line;
                    self.prev_cr = false;
                    Some(std::mem::take(&mut self.pending))
                } else {
                    None
                };
                self.recording = false;
                self.skip_lf = false;
                (true, again)
            }
        }
    }
}

/// A streaming iterator of the records of a CSV input. See the module documentation.
pub(crate) struct Tokenizer<R> {
    reader: R,
    /// Bytes to read again (after an unclosed quote) before the rest of `reader`.
    again: Vec<u8>,
    again_pos: usize,
    machine: Machine,
}

impl<R: BufRead> Tokenizer<R> {
    /// A tokenizer of `reader`, whose first byte is on line 1.
    pub fn new(reader: R, delimiter: u8) -> Self {
        Tokenizer {
            reader,
            again: Vec::new(),
            again_pos: 0,
            machine: Machine {
                delimiter,
                state: State::StartRecord,
                line: 1,
                prev_cr: false,
                n_blank: 0,
                quote_line: 0,
                recording: false,
                skip_lf: false,
                pending: Vec::new(),
                restart_line: 0,
            },
        }
    }

    /// The physical line the next byte is on (1-based): after a whole input that ends with a
    /// line end, one more than its number of lines.
    pub fn line(&self) -> u64 {
        self.machine.line
    }

    /// The number of blank lines met so far (outside quoted fields).
    pub fn n_blank(&self) -> u64 {
        self.machine.n_blank
    }

    /// Reads the next record into `rec` (its buffers are reused); `false` at the end of input.
    ///
    /// # Errors
    /// The I/O errors of the reader.
    pub fn next_record(&mut self, rec: &mut RawRecord) -> io::Result<bool> {
        rec.clear();
        loop {
            let (used, done) = if self.again_pos < self.again.len() {
                let chunk = &self.again[self.again_pos..];
                let (used, done) = self.machine.feed(chunk, rec);
                self.again_pos += used;
                (used, done)
            } else {
                let chunk = match self.reader.fill_buf() {
                    Ok(chunk) => chunk,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                if chunk.is_empty() {
                    let (done, again) = self.machine.finish(rec);
                    if let Some(again) = again {
                        self.again = again;
                        self.again_pos = 0;
                    }
                    return Ok(done);
                }
                let (used, done) = self.machine.feed(chunk, rec);
                self.reader.consume(used);
                (used, done)
            };
            debug_assert!(used > 0 || done);
            if done {
                return Ok(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One record: its line, its fields and the line of an unclosed quote.
    type Split = (u64, Vec<String>, Option<u64>);

    /// Every record as (line, fields, unclosed), and the blank count; `chunk` bytes at a time.
    fn split(text: &[u8], chunk: usize) -> (Vec<Split>, u64) {
        let reader = io::BufReader::with_capacity(chunk.max(1), text);
        let mut t = Tokenizer::new(reader, b',');
        let mut rec = RawRecord::default();
        let mut out = Vec::new();
        while t.next_record(&mut rec).unwrap() {
            let fields = rec
                .iter()
                .map(|f| String::from_utf8(f.to_vec()).unwrap())
                .collect();
            out.push((rec.line, fields, rec.unclosed));
        }
        (out, t.n_blank())
    }

    fn lines_of(text: &str) -> Vec<(u64, Vec<String>, Option<u64>)> {
        let whole = split(text.as_bytes(), 1 << 16);
        for chunk in [1, 2, 3, 7] {
            assert_eq!(split(text.as_bytes(), chunk), whole, "chunk {chunk}");
        }
        whole.0
    }

    fn rec(line: u64, fields: &[&str]) -> (u64, Vec<String>, Option<u64>) {
        (line, fields.iter().map(|f| f.to_string()).collect(), None)
    }

    #[test]
    fn line_ends_of_every_style_count_one_line_each() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["h", "a", "", "\"b", "c\"", "d"].join(end);
            assert_eq!(
                lines_of(&text),
                [
                    rec(1, &["h"]),
                    rec(2, &["a"]),
                    rec(4, &[&format!("b{end}c")]),
                    rec(6, &["d"])
                ],
                "{end:?}"
            );
        }
        assert_eq!(split(b"a\n\n\r\n\rb\n", 4).1, 3);
    }

    #[test]
    fn quotes_follow_python_csv() {
        assert_eq!(
            lines_of("a\"b,\"c\"\"d\"e,\"\",x\"\n"),
            [rec(1, &["a\"b", "c\"de", "", "x\""])]
        );
        assert_eq!(lines_of(",\n"), [rec(1, &["", ""])]);
        assert_eq!(lines_of("\"a\""), [rec(1, &["a"])]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error_of_its_record_and_the_lines_after_are_read_again() {
        let text = "h,c\n1,\"open\n2,x\r\n3,\"\"\"\"\r4,z";
        assert_eq!(
            lines_of(text),
            [
                rec(1, &["h", "c"]),
                (
                    2,
                    vec!["1".into(), "open\n2,x\r\n3,\"\"\r4,z".into()],
                    Some(2)
                ),
                rec(3, &["2", "x"]),
                rec(4, &["3", "\""]),
                rec(5, &["4", "z"]),
            ]
        );
        // Opened on a later line of a multi-line record: the lines after the opening line.
        let text = "\"a\nb\",\"c\nd\n\ne";
        assert_eq!(
            lines_of(text),
            [
                (1, vec!["a\nb".into(), "c\nd\n\ne".into()], Some(2)),
                rec(3, &["d"]),
                rec(5, &["e"]),
            ]
        );
        assert_eq!(split(text.as_bytes(), 3).1, 1);
    }
}
