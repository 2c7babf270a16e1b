//! What comes before the tokenizers: a byte source decoded to UTF-8 ([`decode`]: gzip detected by
//! its magic bytes and decompressed, the text encoding converted, the byte-order mark removed), a
//! guess of the encoding of bytes that are not UTF-8 ([`suggest_encoding`]) and the choice of the
//! CSV delimiter from the start of the text ([`sniff_delimiter`]).
//!
//! Decoding streams: whatever the size of the file, it holds one 64 KiB buffer of decoded text
//! (plus, for the encodings other than UTF-8, one 64 KiB buffer of input and the gzip decoder's own
//! buffers). UTF-8 text is read straight into the decoded buffer, untouched; Latin-1, cp1252 and
//! UTF-16 are converted a whole buffer at a time.

use std::fmt;
use std::io::{self, BufRead, BufReader, ErrorKind, Read};

use flate2::bufread::MultiGzDecoder;

use crate::error::{Error, Result};

/// The size of the buffers (input, decoded text) and of the head of the text that
/// [`DecodedSource::head`] fills and [`sniff_delimiter`] looks at.
const BUF: usize = 1 << 16;

/// The gzip magic bytes (RFC 1952, section 2.3.1).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
const UTF16_LE_BOM: [u8; 2] = [0xFF, 0xFE];
const UTF16_BE_BOM: [u8; 2] = [0xFE, 0xFF];

/// The text encoding of a file.
///
/// Parsed from its name case-insensitively: `"utf-8"` (`"utf8"`), `"latin-1"` (`"latin1"`,
/// `"iso-8859-1"`), `"cp1252"` (`"windows-1252"`) and `"utf-16"` (`"utf16"`).
///
/// # Examples
/// ```
/// use cxmetrics::read::Encoding;
/// assert_eq!(Encoding::default(), Encoding::Utf8);
/// assert_eq!("Windows-1252".parse::<Encoding>()?, Encoding::Cp1252);
/// assert_eq!(Encoding::Latin1.as_str(), "latin-1");
/// assert_eq!(Encoding::Utf16.to_string(), "utf-16");
/// let err = "ebcdic".parse::<Encoding>().unwrap_err();
/// assert_eq!(err.code(), "invalid_parameter");
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark (removed). Bytes pass through untouched: invalid
    /// UTF-8 is reported by the readers, per record.
    #[default]
    Utf8,
    /// ISO 8859-1: each byte is the code point of the same value (U+0000 to U+00FF).
    Latin1,
    /// Windows-1252 (what Excel writes in Western Europe and the Americas): Latin-1 except bytes
    /// 0x80-0x9F, which are `€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ`; the five bytes the
    /// code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are the C1 controls of the same
    /// value, as in the WHATWG Encoding Standard.
    Cp1252,
    /// UTF-16 with a byte-order mark (required; `FF FE` little-endian, `FE FF` big-endian), as
    /// Excel's "Unicode text" writes it.
    Utf16,
}

impl Encoding {
    /// Every encoding, in declaration order.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::Encoding;
    /// for e in Encoding::ALL {
    ///     assert_eq!(e.as_str().parse::<Encoding>()?, e);
    /// }
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub const ALL: [Encoding; 4] = [
        Encoding::Utf8,
        Encoding::Latin1,
        Encoding::Cp1252,
        Encoding::Utf16,
    ];

    /// The canonical name: `"utf-8"`, `"latin-1"`, `"cp1252"` or `"utf-16"`.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::Encoding;
    /// assert_eq!(Encoding::Cp1252.as_str(), "cp1252");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Latin1 => "latin-1",
            Encoding::Cp1252 => "cp1252",
            Encoding::Utf16 => "utf-16",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Encoding {
    type Err = Error;

    /// The encoding named `name` (case-insensitive); an [`Error::InvalidParameter`] listing the
    /// names otherwise.
    fn from_str(name: &str) -> Result<Self> {
        let lower = name.to_ascii_lowercase();
        Ok(match lower.as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "latin-1" | "latin1" | "iso-8859-1" => Encoding::Latin1,
            "cp1252" | "windows-1252" => Encoding::Cp1252,
            "utf-16" | "utf16" => Encoding::Utf16,
            _ => {
                return Err(Error::invalid_parameter(
                    "encoding",
                    format!("{name:?}"),
                    "the encodings are \"utf-8\" (also \"utf8\"), \"latin-1\" (also \"latin1\", \
                     \"iso-8859-1\"), \"cp1252\" (also \"windows-1252\") and \"utf-16\" (also \
                     \"utf16\"), in any case",
                ))
            }
        })
    }
}

/// Windows-1252 bytes 0x80-0x9F; the five undefined ones are the C1 control of the same value
/// (WHATWG Encoding Standard, index-windows-1252).
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Whether cp1252 leaves `byte` (0x80-0x9F) undefined.
fn cp1252_undefined(byte: u8) -> bool {
    matches!(byte, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
}

/// How the decoded bytes come from the input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conversion {
    /// UTF-8: untouched.
    None,
    Latin1,
    Cp1252,
    Utf16 {
        big_endian: bool,
    },
}

impl Conversion {
    /// The most input bytes whose conversion fits in `space` output bytes.
    fn max_input(self, space: usize) -> usize {
        match self {
            Conversion::None => space,
            // A byte is at most 2 bytes of UTF-8 (U+0080..U+00FF).
            Conversion::Latin1 => space / 2,
            // A byte is at most 3 bytes of UTF-8 (the euro sign, the quotes...).
            Conversion::Cp1252 => space / 3,
            // A unit (2 bytes) is at most 3 bytes of UTF-8, a surrogate pair (4 bytes) 4; whole
            // units only.
            Conversion::Utf16 { .. } => space / 3 * 2,
        }
    }
}

/// The input of the decoder: the bytes of the file, decompressed when they are gzip.
enum Raw<R> {
    Plain(R),
    Gzip {
        decoder: Box<MultiGzDecoder<BufReader<Prefixed<R>>>>,
        /// The first error of the decompression: every read after it fails the same way (the
        /// gzip decoder itself reports an end of file after its error).
        failed: Option<(ErrorKind, String)>,
    },
}

impl<R: Read> Read for Raw<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Raw::Plain(reader) => reader.read(buf),
            Raw::Gzip { decoder, failed } => {
                if let Some((kind, message)) = failed {
                    return Err(io::Error::new(*kind, message.clone()));
                }
                match decoder.read(buf) {
                    Err(e) if e.kind() != ErrorKind::Interrupted => {
                        let e = if decoder.get_ref().get_ref().inner_failed {
                            // The file itself could not be read: its error as it is.
                            e
                        } else if e.kind() == ErrorKind::UnexpectedEof {
                            io::Error::new(
                                ErrorKind::UnexpectedEof,
                                format!("the gzip-compressed data is truncated ({e})"),
                            )
                        } else {
                            io::Error::new(
                                ErrorKind::InvalidData,
                                format!("the gzip-compressed data is corrupt ({e})"),
                            )
                        };
                        *failed = Some((e.kind(), e.to_string()));
                        Err(e)
                    }
                    other => other,
                }
            }
        }
    }
}

/// A reader that gives back the bytes already read from its start, then the rest; notes whether
/// its last read of the rest failed (to tell an error of the file from one of the gzip data).
struct Prefixed<R> {
    head: [u8; 3],
    start: usize,
    end: usize,
    inner: R,
    inner_failed: bool,
}

impl<R: Read> Read for Prefixed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.start < self.end {
            let n = buf.len().min(self.end - self.start);
            buf[..n].copy_from_slice(&self.head[self.start..self.start + n]);
            self.start += n;
            return Ok(n);
        }
        let result = self.inner.read(buf);
        self.inner_failed = result.is_err();
        result
    }
}

/// Reads up to `head.len()` bytes (fewer only at the end of the input).
fn read_head(reader: &mut impl Read, head: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A byte source decoded to UTF-8: gzip detected by its magic bytes (`1f 8b`) and decompressed
/// (concatenated members too), then the [`Encoding`] converted and the byte-order mark removed.
/// Made by [`decode`]; read it through [`Read`] or [`BufRead`].
///
/// Errors while reading are [`std::io::Error`]s (the caller names the file, as
/// [`Error::io`] does): corrupt or truncated gzip data (`InvalidData`, `UnexpectedEof`), and in
/// UTF-16 an unpaired surrogate or an odd final byte (`InvalidData`, the message naming the byte
/// offset in the decompressed file, byte-order mark included). The text before the problem is
/// delivered first; every read after an error fails again.
///
/// # Examples
/// ```
/// use std::io::Read;
/// use cxmetrics::read::{decode, Encoding};
/// // "café;ñandú" in cp1252, as Excel in Spain writes it.
/// let bytes = b"caf\xe9;\xf1and\xfa\n";
/// let mut source = decode(&bytes[..], Encoding::Cp1252, "inline")?;
/// let mut text = String::new();
/// source.read_to_string(&mut text).unwrap();
/// assert_eq!(text, "café;ñandú\n");
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub struct DecodedSource<R> {
    raw: Raw<R>,
    encoding: Encoding,
    conversion: Conversion,
    /// Decoded text; `buf[pos..len]` is not read yet.
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    /// Input not converted yet (empty without a conversion); `input[..carry]` holds the bytes of
    /// an incomplete UTF-16 unit or surrogate pair carried to the next read.
    input: Box<[u8]>,
    carry: usize,
    /// The offset in the (decompressed) file of `input[0]`.
    offset: u64,
    eof: bool,
    /// The error of the conversion, delivered once the text before it is read, then again at
    /// every read.
    failed: Option<(ErrorKind, String)>,
}

impl<R> fmt::Debug for DecodedSource<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodedSource")
            .field("encoding", &self.encoding)
            .field("compressed", &matches!(self.raw, Raw::Gzip { .. }))
            .field("buffered", &(self.len - self.pos))
            .finish_non_exhaustive()
    }
}

/// Decodes `reader` to UTF-8 text: gzip data (recognised by its first two bytes, `1f 8b`, whatever
/// the file's name) is decompressed, then the text is converted from `encoding` and its byte-order
/// mark removed. `source` names the input in errors.
///
/// UTF-8 bytes pass through untouched (invalid UTF-8 is left for the readers to report, per
/// record). An empty input is empty text in every encoding.
///
/// # Examples
/// ```
/// use std::io::{Read, Write};
/// use cxmetrics::read::{decode, Encoding};
/// // UTF-16 little-endian with its byte-order mark, gzip-compressed.
/// let mut utf16 = vec![0xFF, 0xFE];
/// utf16.extend("nps\n9\n".encode_utf16().flat_map(u16::to_le_bytes));
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
/// gz.write_all(&utf16).unwrap();
/// let compressed = gz.finish().unwrap();
///
/// let mut source = decode(&compressed[..], Encoding::Utf16, "survey.csv.gz")?;
/// assert!(source.compressed());
/// let mut text = String::new();
/// source.read_to_string(&mut text).unwrap();
/// assert_eq!(text, "nps\n9\n");
///
/// // A UTF-16 file read as UTF-8 is refused with the encoding to pass.
/// let err = decode(&utf16[..], Encoding::Utf8, "survey.csv").unwrap_err();
/// assert!(err.to_string().contains("encoding=\"utf-16\""));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
///
/// # Errors
/// [`Error::Read`] naming `source` when its first bytes cannot be read or decompressed, when a
/// UTF-16 input has no byte-order mark, and when the byte-order mark at its start says the text is
/// in another encoding than `encoding` (a UTF-16 mark with UTF-8, Latin-1 or cp1252; a UTF-8 mark
/// with Latin-1, cp1252 or UTF-16), the message giving the encoding to pass.
pub fn decode<R: Read>(
    mut reader: R,
    encoding: Encoding,
    source: &str,
) -> Result<DecodedSource<R>> {
    let mut head = [0u8; 3];
    let mut n = read_head(&mut reader, &mut head).map_err(|e| Error::io(source, e))?;
    let mut raw = if head[..n].starts_with(&GZIP_MAGIC) {
        let file = Prefixed {
            head,
            start: 0,
            end: n,
            inner: reader,
            inner_failed: false,
        };
        Raw::Gzip {
            decoder: Box::new(MultiGzDecoder::new(BufReader::with_capacity(BUF, file))),
            failed: None,
        }
    } else {
        Raw::Plain(reader)
    };
    if let Raw::Gzip { .. } = raw {
        n = read_head(&mut raw, &mut head).map_err(|e| Error::io(source, e))?;
    }
    let head = &head[..n];
    let wrong = |found: &str, pass: Encoding| {
        Error::unreadable(
            source,
            format!(
                "the text starts with a {found} byte-order mark: it is {} text, not {}; pass \
                 encoding=\"{}\"",
                pass.as_str().to_uppercase(),
                encoding.as_str(),
                pass.as_str()
            ),
        )
    };
    let utf16_bom = head.starts_with(&UTF16_LE_BOM) || head.starts_with(&UTF16_BE_BOM);
    let (conversion, bom) = match encoding {
        Encoding::Utf8 if utf16_bom => return Err(wrong("UTF-16", Encoding::Utf16)),
        Encoding::Utf8 if head.starts_with(&UTF8_BOM) => (Conversion::None, 3),
        Encoding::Utf8 => (Conversion::None, 0),
        Encoding::Latin1 | Encoding::Cp1252 if utf16_bom => {
            return Err(wrong("UTF-16", Encoding::Utf16))
        }
        Encoding::Latin1 | Encoding::Cp1252 if head.starts_with(&UTF8_BOM) => {
            return Err(wrong("UTF-8", Encoding::Utf8))
        }
        Encoding::Latin1 => (Conversion::Latin1, 0),
        Encoding::Cp1252 => (Conversion::Cp1252, 0),
        Encoding::Utf16 if head.starts_with(&UTF16_LE_BOM) => {
            (Conversion::Utf16 { big_endian: false }, 2)
        }
        Encoding::Utf16 if head.starts_with(&UTF16_BE_BOM) => {
            (Conversion::Utf16 { big_endian: true }, 2)
        }
        Encoding::Utf16 if head.starts_with(&UTF8_BOM) => {
            return Err(wrong("UTF-8", Encoding::Utf8))
        }
        Encoding::Utf16 if head.is_empty() => (Conversion::Utf16 { big_endian: false }, 0),
        Encoding::Utf16 => {
            let start: Vec<String> = head.iter().take(2).map(|b| format!("{b:02X}")).collect();
            return Err(Error::unreadable(
                source,
                format!(
                    "encoding=\"utf-16\" needs a byte-order mark (FF FE or FE FF) at the start of \
                     the text to tell little- from big-endian, and the text starts with {}; save \
                     the file as UTF-16 with a byte-order mark (Excel's \"Unicode text\" does), \
                     or pass the encoding it is in",
                    start.join(" ")
                ),
            ));
        }
    };
    let rest = &head[bom..];
    // UTF-8 is read into the decoded buffer itself; a conversion reads 64 KiB of input at most
    // and writes up to 3 bytes per byte of it.
    let (decoded_size, input_size) = match conversion {
        Conversion::None => (BUF, 0),
        _ => (3 * BUF, BUF),
    };
    let mut decoded = DecodedSource {
        raw,
        encoding,
        conversion,
        buf: vec![0; decoded_size].into_boxed_slice(),
        pos: 0,
        len: 0,
        input: vec![0; input_size].into_boxed_slice(),
        carry: 0,
        offset: bom as u64,
        eof: false,
        failed: None,
    };
    if conversion == Conversion::None {
        decoded.buf[..rest.len()].copy_from_slice(rest);
        decoded.len = rest.len();
    } else {
        decoded.input[..rest.len()].copy_from_slice(rest);
        decoded.carry = rest.len();
    }
    Ok(decoded)
}

impl<R> DecodedSource<R> {
    /// Whether the input was gzip-compressed.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::{decode, Encoding};
    /// let source = decode(&b"nps\n9\n"[..], Encoding::Utf8, "inline")?;
    /// assert!(!source.compressed());
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn compressed(&self) -> bool {
        matches!(self.raw, Raw::Gzip { .. })
    }

    /// The encoding the text is decoded from.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::{decode, Encoding};
    /// let source = decode(&b"nps\n9\n"[..], Encoding::Latin1, "inline")?;
    /// assert_eq!(source.encoding(), Encoding::Latin1);
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
}

impl<R: Read> DecodedSource<R> {
    /// The start of the decoded text not read yet, without consuming it: at least 64 KiB of it,
    /// or all of it when it is shorter (what [`sniff_delimiter`] looks at). Less when a decoding
    /// error comes sooner; the error then comes with the reads after that text.
    ///
    /// # Examples
    /// ```
    /// use std::io::BufRead;
    /// use cxmetrics::read::{decode, sniff_delimiter, Encoding};
    /// let mut source = decode(&b"id;nps\nA;9\nB;10\n"[..], Encoding::Utf8, "inline")?;
    /// let delimiter = sniff_delimiter(source.head().unwrap());
    /// assert_eq!(delimiter, b';');
    /// let mut header = String::new();
    /// source.read_line(&mut header).unwrap(); // nothing was consumed by `head`
    /// assert_eq!(header, "id;nps\n");
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    ///
    /// # Errors
    /// The input's I/O error, or the decompression's.
    pub fn head(&mut self) -> io::Result<&[u8]> {
        if self.len - self.pos < BUF && self.pos > 0 {
            // Room for 64 KiB (the decoded buffer holds at least that much).
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
        }
        while self.len - self.pos < BUF && !self.eof && self.failed.is_none() {
            match self.fill_more() {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                // A conversion error right after the text buffered: it comes with the reads
                // after that text.
                Err(_) if self.failed.is_some() => break,
                Err(e) => return Err(e),
            }
        }
        Ok(&self.buf[self.pos..self.len])
    }

    /// Appends decoded text at `buf[len..]`; returns how many bytes (0 at the end of the text).
    fn fill_more(&mut self) -> io::Result<usize> {
        if let Some((kind, message)) = &self.failed {
            return Err(io::Error::new(*kind, message.clone()));
        }
        if self.conversion == Conversion::None {
            let n = self.raw.read(&mut self.buf[self.len..])?;
            self.len += n;
            if n == 0 {
                self.eof = true;
            }
            return Ok(n);
        }
        loop {
            let space = self.buf.len() - self.len;
            let room = self
                .conversion
                .max_input(space)
                .min(self.input.len())
                .saturating_sub(self.carry);
            debug_assert!(room > 0, "fill_more needs room");
            let n = if self.eof {
                0
            } else {
                self.raw
                    .read(&mut self.input[self.carry..self.carry + room])?
            };
            if n == 0 {
                self.eof = true;
            }
            let available = self.carry + n;
            let (consumed, produced, problem) = convert(
                self.conversion,
                &self.input[..available],
                &mut self.buf[self.len..],
                self.eof,
                self.offset,
            );
            self.input.copy_within(consumed..available, 0);
            self.carry = available - consumed;
            self.offset += consumed as u64;
            self.len += produced;
            if let Some(e) = problem {
                self.failed = Some((e.kind(), e.to_string()));
                if produced == 0 {
                    return Err(e);
                }
            }
            if produced > 0 || self.eof {
                return Ok(produced);
            }
        }
    }
}

impl<R: Read> Read for DecodedSource<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.len
            && self.conversion == Conversion::None
            && out.len() >= self.buf.len()
            && self.failed.is_none()
        {
            // A large read of UTF-8: straight into the caller's buffer.
            return self.raw.read(out);
        }
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for DecodedSource<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.len {
            self.pos = 0;
            self.len = 0;
            loop {
                match self.fill_more() {
                    Ok(_) => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.pos..self.len])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.len);
    }
}

/// Converts `input` into `out` (which has room for all of it): returns the bytes of input
/// consumed, the bytes of UTF-8 produced and the error that stopped the conversion, if any.
/// An incomplete UTF-16 unit or surrogate pair at the end of `input` is left unconsumed unless
/// `at_end`, where it is an error. `offset` is the position of `input[0]` in the file.
fn convert(
    conversion: Conversion,
    input: &[u8],
    out: &mut [u8],
    at_end: bool,
    offset: u64,
) -> (usize, usize, Option<io::Error>) {
    match conversion {
        Conversion::None => {
            out[..input.len()].copy_from_slice(input);
            (input.len(), input.len(), None)
        }
        Conversion::Latin1 => (input.len(), single_byte(input, out, false), None),
        Conversion::Cp1252 => (input.len(), single_byte(input, out, true), None),
        Conversion::Utf16 { big_endian } => utf16(input, out, big_endian, at_end, offset),
    }
}

/// The end of the run of ASCII bytes of `bytes` starting at `i`, 8 bytes at a time.
fn ascii_run_end(bytes: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        if word & HIGH != 0 {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i] < 0x80 {
        i += 1;
    }
    i
}

/// Latin-1 (or cp1252) bytes as UTF-8; returns the bytes written.
fn single_byte(input: &[u8], out: &mut [u8], cp1252: bool) -> usize {
    let mut i = 0;
    let mut o = 0;
    while i < input.len() {
        let end = ascii_run_end(input, i);
        out[o..o + end - i].copy_from_slice(&input[i..end]);
        o += end - i;
        i = end;
        let Some(&byte) = input.get(i) else { break };
        i += 1;
        if cp1252 && byte < 0xA0 {
            o += CP1252_HIGH[usize::from(byte - 0x80)]
                .encode_utf8(&mut out[o..])
                .len();
        } else {
            out[o] = 0xC0 | (byte >> 6);
            out[o + 1] = 0x80 | (byte & 0x3F);
            o += 2;
        }
    }
    o
}

fn invalid_data(message: String) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, message)
}

/// UTF-16 units as UTF-8; see [`convert`].
fn utf16(
    input: &[u8],
    out: &mut [u8],
    big_endian: bool,
    at_end: bool,
    offset: u64,
) -> (usize, usize, Option<io::Error>) {
    let unit = |i: usize| {
        let pair = [input[i], input[i + 1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    };
    let mut i = 0;
    let mut o = 0;
    let order = if big_endian {
        "big-endian"
    } else {
        "little-endian"
    };
    while i + 2 <= input.len() {
        let u = unit(i);
        if u < 0x80 {
            out[o] = u as u8;
            o += 1;
            i += 2;
            continue;
        }
        let c = match u {
            0xD800..=0xDBFF => {
                if i + 4 > input.len() {
                    // The low surrogate is in the next read, or missing.
                    break;
                }
                let low = unit(i + 2);
                if !(0xDC00..=0xDFFF).contains(&low) {
                    let at = offset + i as u64;
                    return (
                        i,
                        o,
                        Some(invalid_data(format!(
                            "invalid UTF-16 ({order}): the high surrogate 0x{u:04X} at byte \
                             offset {at} is not followed by a low surrogate (0x{low:04X} comes \
                             next); the file is not UTF-16 or is damaged"
                        ))),
                    );
                }
                let scalar = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                i += 2;
                char::from_u32(scalar).expect("a surrogate pair is a scalar value")
            }
            0xDC00..=0xDFFF => {
                let at = offset + i as u64;
                return (
                    i,
                    o,
                    Some(invalid_data(format!(
                        "invalid UTF-16 ({order}): the low surrogate 0x{u:04X} at byte offset \
                         {at} does not follow a high surrogate; the file is not UTF-16 or is \
                         damaged"
                    ))),
                );
            }
            _ => char::from_u32(u32::from(u)).expect("not a surrogate"),
        };
        i += 2;
        o += c.encode_utf8(&mut out[o..]).len();
    }
    let left = input.len() - i;
    if !at_end || left == 0 {
        return (i, o, None);
    }
    // What is left is a lone byte, or a high surrogate (and maybe a lone byte after it).
    let at = offset + i as u64;
    let problem =
        if left == 1 {
            format!(
            "invalid UTF-16 ({order}): the text has an odd number of bytes, a lone byte is left \
             at byte offset {at} at its end; UTF-16 has 2 bytes per unit, so the file is \
             truncated or not UTF-16"
        )
        } else {
            format!(
            "invalid UTF-16 ({order}): the high surrogate 0x{:04X} at byte offset {at} ends the \
             text without its low surrogate{}; the file is truncated or damaged",
            unit(i),
            if left == 3 { " (a lone byte follows it)" } else { "" }
        )
        };
    (i, o, Some(invalid_data(problem)))
}

/// The encoding that bytes which are not valid UTF-8 are likely in, for the message that reports
/// them: [`Encoding::Utf16`] when they start with a UTF-16 byte-order mark or a quarter or more of
/// them are zero bytes (ASCII text in UTF-16); [`Encoding::Cp1252`] when bytes 0x80-0x9F appear
/// that are printable cp1252 characters (`€ ‚ „ … ’ “ ” – —` ...: in Latin-1 they would be
/// control characters, which text does not contain); [`Encoding::Latin1`] otherwise. `None` when
/// the bytes are valid UTF-8.
///
/// # Examples
/// ```
/// use cxmetrics::read::{suggest_encoding, Encoding};
/// assert_eq!(suggest_encoding("déjà vu".as_bytes()), None); // valid UTF-8
/// assert_eq!(suggest_encoding(b"d\xe9j\xe0 vu"), Some(Encoding::Latin1));
/// assert_eq!(suggest_encoding(b"it\x92s \x80 10"), Some(Encoding::Cp1252)); // it's € 10
/// assert_eq!(suggest_encoding(b"\xff\xfen\x00p\x00s\x00"), Some(Encoding::Utf16));
/// ```
pub fn suggest_encoding(bytes: &[u8]) -> Option<Encoding> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let zeros = bytes.iter().filter(|&&b| b == 0).count();
    if bytes.starts_with(&UTF16_LE_BOM)
        || bytes.starts_with(&UTF16_BE_BOM)
        || zeros * 4 >= bytes.len()
    {
        return Some(Encoding::Utf16);
    }
    if bytes
        .iter()
        .any(|&b| (0x80..0xA0).contains(&b) && !cp1252_undefined(b))
    {
        Some(Encoding::Cp1252)
    } else {
        Some(Encoding::Latin1)
    }
}

/// The candidate delimiters of [`sniff_delimiter`], in the order that breaks ties.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Chooses the CSV delimiter among `,`, `;`, tab and `|` from the start of the decoded text (the
/// header and the first records; the first 64 KiB of `head` are looked at, and an incomplete last
/// line is ignored).
///
/// Each candidate is counted on each line outside double-quoted fields (RFC 4180: a field that
/// starts with `"`, at the start of a line or after any candidate, is quoted up to its closing
/// `"`; `""` inside is a quote; quoted fields may hold delimiters and line breaks). Blank lines do
/// not count. The delimiter is the candidate found the same number of times, not zero, on every
/// complete line, the header included (the largest such number when several are; ties go to `,`
/// then `;`, tab, `|`); when no candidate is, the one found most often in the header; `,` when
/// none is found.
///
/// # Examples
/// ```
/// use cxmetrics::read::sniff_delimiter;
/// assert_eq!(sniff_delimiter(b"id;nps;comment\nA;9;\"good, fast\"\nB;4;slow\n"), b';');
/// assert_eq!(sniff_delimiter(b"id\tnps\tcomment\nA\t9\tgood, fast, cheap\n"), b'\t');
/// assert_eq!(sniff_delimiter(b"id,nps\n"), b',');
/// assert_eq!(sniff_delimiter(b"nps\n9\n"), b','); // one column: the default
/// ```
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        StartField,
        InField,
        InQuoted,
        QuoteInQuoted,
    }
    let head = &head[..head.len().min(BUF)];
    let mut state = State::StartField;
    // The counts on the current line, whether it has anything, the counts on the first line.
    let mut counts = [0usize; 4];
    let mut content = false;
    let mut header: Option<[usize; 4]> = None;
    // Per candidate: whether its count was the same on every complete line so far.
    let mut consistent = [true; 4];
    let mut complete_lines = 0usize;
    for &b in head {
        if state == State::InQuoted {
            if b == b'"' {
                state = State::QuoteInQuoted;
            }
            continue;
        }
        if state == State::QuoteInQuoted {
            if b == b'"' {
                state = State::InQuoted;
                continue;
            }
            // The quoted field is closed; what follows is read as in an unquoted field.
            state = State::InField;
        }
        if let Some(k) = CANDIDATES.iter().position(|&c| c == b) {
            counts[k] += 1;
            content = true;
            state = State::StartField;
        } else if b == b'\n' || b == b'\r' {
            if content {
                match header {
                    None => header = Some(counts),
                    Some(first) => {
                        for ((same, count), expected) in
                            consistent.iter_mut().zip(counts).zip(first)
                        {
                            *same &= count == expected;
                        }
                    }
                }
                complete_lines += 1;
            }
            counts = [0; 4];
            content = false;
            state = State::StartField;
        } else {
            content = true;
            state = if b == b'"' && state == State::StartField {
                State::InQuoted
            } else {
                State::InField
            };
        }
    }
    let first = match header {
        Some(first) => first,
        // Only an incomplete first line: the header as far as it goes.
        None => counts,
    };
    // The candidate with the largest count among those allowed, the earliest on ties.
    let largest = |allowed: &dyn Fn(usize) -> bool| {
        (0..CANDIDATES.len())
            .filter(|&k| allowed(k) && first[k] > 0)
            .fold(None, |best: Option<usize>, k| match best {
                Some(j) if first[j] >= first[k] => Some(j),
                _ => Some(k),
            })
    };
    let best = if complete_lines > 0 {
        largest(&|k| consistent[k])
    } else {
        None
    };
    best.or_else(|| largest(&|_| true))
        .map_or(b',', |k| CANDIDATES[k])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

    /// A reader giving 1 to 7 bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        rng: Rng,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = (1 + self.rng.below(7) as usize)
                .min(buf.len())
                .min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn read_all(bytes: &[u8], encoding: Encoding, seed: u64) -> io::Result<String> {
        let reader = Trickle {
            data: bytes,
            rng: Rng::new(seed),
        };
        let mut source = decode(reader, encoding, "test").expect("decodes");
        let mut text = String::new();
        source.read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn names_parse_case_insensitively() {
        for (name, e) in [
            ("UTF-8", Encoding::Utf8),
            ("utf8", Encoding::Utf8),
            ("Latin-1", Encoding::Latin1),
            ("LATIN1", Encoding::Latin1),
            ("ISO-8859-1", Encoding::Latin1),
            ("cp1252", Encoding::Cp1252),
            ("Windows-1252", Encoding::Cp1252),
            ("utf-16", Encoding::Utf16),
            ("UTF16", Encoding::Utf16),
        ] {
            assert_eq!(name.parse::<Encoding>().unwrap(), e, "{name}");
        }
        let err = "utf-32".parse::<Encoding>().unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("encoding = \"utf-32\" is invalid"),
            "{message}"
        );
        for e in Encoding::ALL {
            assert!(
                message.contains(&format!("\"{}\"", e.as_str())),
                "{message}"
            );
        }
    }

    #[test]
    fn cp1252_table_matches_the_code_page() {
        // Spot checks against the Windows-1252 table; the full table is checked against Python's
        // codec in tests/read_source.rs.
        assert_eq!(CP1252_HIGH[0x80 - 0x80], '€');
        assert_eq!(CP1252_HIGH[0x92 - 0x80], '’');
        assert_eq!(CP1252_HIGH[0x93 - 0x80], '“');
        assert_eq!(CP1252_HIGH[0x94 - 0x80], '”');
        assert_eq!(CP1252_HIGH[0x9F - 0x80], 'Ÿ');
        for b in [0x81u8, 0x8D, 0x8F, 0x90, 0x9D] {
            assert!(cp1252_undefined(b));
            assert_eq!(CP1252_HIGH[usize::from(b - 0x80)] as u32, u32::from(b));
        }
    }

    #[test]
    fn single_byte_conversion_of_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        let latin1: String = all.iter().map(|&b| char::from(b)).collect();
        let cp1252: String = all
            .iter()
            .map(|&b| {
                if (0x80..0xA0).contains(&b) {
                    CP1252_HIGH[usize::from(b - 0x80)]
                } else {
                    char::from(b)
                }
            })
            .collect();
        for seed in 0..5 {
            assert_eq!(read_all(&all, Encoding::Latin1, seed).unwrap(), latin1);
            assert_eq!(read_all(&all, Encoding::Cp1252, seed).unwrap(), cp1252);
        }
    }

    #[test]
    fn utf8_passes_through_and_loses_its_bom() {
        let text = "respondent_id,nps\nA,9\n";
        let mut with_bom = UTF8_BOM.to_vec();
        with_bom.extend_from_slice(text.as_bytes());
        assert_eq!(read_all(&with_bom, Encoding::Utf8, 1).unwrap(), text);
        assert_eq!(read_all(text.as_bytes(), Encoding::Utf8, 2).unwrap(), text);
        // Invalid UTF-8 is left for the readers.
        let mut source = decode(&b"a\xff\xfeb"[..], Encoding::Utf8, "t").unwrap();
        let mut bytes = Vec::new();
        source.read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, b"a\xff\xfeb");
        // Shorter than a BOM.
        assert_eq!(read_all(b"a", Encoding::Utf8, 3).unwrap(), "a");
        assert_eq!(read_all(b"", Encoding::Utf8, 3).unwrap(), "");
        assert_eq!(read_all(&UTF8_BOM, Encoding::Utf8, 3).unwrap(), "");
    }

    #[test]
    fn utf16_surrogate_pairs_and_errors() {
        let text = "a😀b\u{FFFD}\u{10FFFF}é";
        for big_endian in [false, true] {
            let mut bytes = if big_endian {
                UTF16_BE_BOM.to_vec()
            } else {
                UTF16_LE_BOM.to_vec()
            };
            for u in text.encode_utf16() {
                bytes.extend(if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
            for seed in 0..20 {
                assert_eq!(read_all(&bytes, Encoding::Utf16, seed).unwrap(), text);
            }
            // An odd final byte.
            let mut odd = bytes.clone();
            odd.push(b'x');
            let err = read_all(&odd, Encoding::Utf16, 0).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidData);
            let at = odd.len() - 1;
            assert!(
                err.to_string().contains(&format!(
                    "odd number of bytes, a lone byte is left at byte offset {at}"
                )),
                "{err}"
            );
        }
    }

    #[test]
    fn text_before_an_error_comes_first() {
        // "ab" then a lone low surrogate at offset 6.
        let bytes = [0xFF, 0xFE, b'a', 0, b'b', 0, 0x00, 0xDC, b'c', 0];
        let mut source = decode(&bytes[..], Encoding::Utf16, "t").unwrap();
        assert_eq!(source.fill_buf().unwrap(), b"ab");
        source.consume(2);
        let err = source.fill_buf().unwrap_err();
        assert!(
            err.to_string()
                .contains("low surrogate 0xDC00 at byte offset 6"),
            "{err}"
        );
        // And again.
        assert!(source.fill_buf().is_err());
        let mut source = decode(&bytes[..], Encoding::Utf16, "t").unwrap();
        assert_eq!(source.head().unwrap(), b"ab");
    }

    #[test]
    fn head_fills_64_kib_without_consuming() {
        let line = "a;b;c\n".repeat(30_000);
        for encoding in [Encoding::Utf8, Encoding::Latin1] {
            let mut source = decode(
                Trickle {
                    data: line.as_bytes(),
                    rng: Rng::new(5),
                },
                encoding,
                "t",
            )
            .unwrap();
            let mut first = [0u8; 4];
            source.read_exact(&mut first).unwrap();
            assert_eq!(&first, b"a;b;");
            let head = source.head().unwrap();
            assert!(head.len() >= BUF, "{}", head.len());
            assert!(head.starts_with(b"c\na;b;c\n"));
            // After the first line, which was left incomplete by the read.
            assert_eq!(sniff_delimiter(&head[2..]), b';');
            let mut rest = String::new();
            source.read_to_string(&mut rest).unwrap();
            assert_eq!(rest.len(), line.len() - 4);
        }
    }

    #[test]
    fn sniffing_rules() {
        assert_eq!(sniff_delimiter(b""), b',');
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n"), b'|');
        // Consistent wins over more frequent in the header.
        assert_eq!(sniff_delimiter(b"a;b,c,d\n1;2 3 4\n"), b';');
        // The incomplete last line is ignored.
        assert_eq!(sniff_delimiter(b"a;b\n1;2\n3,4,5,6,7"), b';');
        // Only an incomplete first line: its most frequent candidate.
        assert_eq!(sniff_delimiter(b"a;b;c,d"), b';');
        // Ties go to the earlier candidate.
        assert_eq!(sniff_delimiter(b"a,b;c\n1,2;3\n"), b',');
        // CRLF and blank lines.
        assert_eq!(sniff_delimiter(b"a\tb\r\n\r\n1\t2\r\n"), b'\t');
    }
}
