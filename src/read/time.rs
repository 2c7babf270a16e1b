//! How the readers turn a `recorded_at` text into a [`Timestamp`]: RFC 3339 / ISO 8601 date-times
//! with or without a UTC offset, local times in an IANA time zone, and strftime-style layouts.
//!
//! Sources: RFC 3339 ("Date and Time on the Internet: Timestamps", section 5.6 `date-time`) and
//! ISO 8601-1:2019 (extended format) for the text; the IANA time zone database (tzdb, bundled into
//! the binary by the `jiff` crate, so that a local time reads the same on every machine) for the
//! offsets and daylight-saving rules of each zone. Methods: `docs/methods.md#timestamps-and-time-zones`.

use std::fmt::Write as _;
use std::sync::OnceLock;

use jiff::civil::DateTime;
use jiff::fmt::strtime::{self, BrokenDownTime};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone, TimeZoneDatabase};

use crate::error::{Error, Result};
use crate::response::{civil_from_days, days_from_civil, digits, Timestamp};

/// The bundled copy of the IANA time zone database (never the machine's /usr/share/zoneinfo).
fn database() -> &'static TimeZoneDatabase {
    static DATABASE: OnceLock<TimeZoneDatabase> = OnceLock::new();
    DATABASE.get_or_init(TimeZoneDatabase::bundled)
}

const NO_ZONE: &str = "no UTC offset; pass tz= with the time zone of the export \
                       (tz=\"Europe/Madrid\", or tz=\"UTC\")";
const NOT_ISO: &str = "not a date-time such as 2025-03-14T10:22:05Z, 2025-03-14 10:22 or \
                       2025-03-14 (RFC 3339 / ISO 8601)";
const OUT_OF_RANGE: &str =
    "outside the accepted years: the instant must be between 1900 and 2200 (UTC)";

/// How the readers turn a `recorded_at` text into a [`Timestamp`].
///
/// The rules, in order:
///
/// 1. With a [`format`](TimeReader::format) (strftime-style, such as `"%d/%m/%Y %H:%M"`), the text is
///    first read with it; a text it does not match is then read as below, so that a file mixing the
///    layout and ISO 8601 still reads. A UTC offset in the layout (`%z`, `%:z`) is used as it is; a
///    layout without a time of day (`"%Y-%m-%d"`) gives midnight. A Unix time (`%s`) is UTC, and an
///    IANA zone name in the text (`%Q`) stands for the [zone](TimeReader::zone_name).
/// 2. RFC 3339 / ISO 8601 (extended format): `YYYY-MM-DD`, then `T`, `t` or a space and
///    `HH:MM[:SS[.fraction]]`, then optionally a UTC offset: `Z`, `+01:00`, `+0100`, `-05` (or the
///    word `UTC`; a space may stand before it). With an offset the instant is fixed whatever the
///    zone. A date alone (`2025-03-14`) is midnight.
/// 3. A time without an offset is a local time of the [zone](TimeReader::zone_name) (a name of the
///    IANA time zone database, with its daylight-saving history). A local time that happens twice
///    (the hour repeated when clocks go back) is *ambiguous*, one that never happens (the hour
///    skipped when clocks go forward) is *nonexistent*: neither is guessed, each is rejected with a
///    reason saying which it is. Without a zone, a time without an offset is rejected with a reason
///    asking for `tz=`.
///
/// The result keeps the UTC offset the instant was written with (or the zone's offset at that
/// instant; UTC when that offset is not a whole number of minutes, as in the local mean times of
/// before 1901) and must lie within 1900-2200 ([`Timestamp`]'s range). Surrounding white space is
/// ignored. Leap seconds (`:60`) are not accepted.
///
/// # Examples
/// ```
/// use cxmetrics::read::TimeReader;
/// let reader = TimeReader::new(Some("Europe/Madrid"), None)?;
/// let t = reader.read("2025-03-14 11:22")?; // local time in Madrid (UTC+1 in March)
/// assert_eq!(t.to_string(), "2025-03-14T11:22:00+01:00");
/// assert_eq!(reader.read("2025-03-14T10:22:00Z")?, "2025-03-14T10:22:00Z".parse()?);
/// let reason = reader.read("2025-10-26 02:30").unwrap_err();
/// assert!(reason.contains("ambiguous"), "{reason}");
/// let reason = TimeReader::default().read("2025-03-14 11:22").unwrap_err();
/// assert!(reason.contains("tz="), "{reason}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TimeReader {
    zone: Option<Zone>,
    format: Option<String>,
}

/// A time zone of the database, with what can be decided once.
#[derive(Debug, Clone)]
struct Zone {
    tz: TimeZone,
    name: String,
    /// The offset of a zone that never changed its offset (`UTC`, `Etc/GMT+5`), in seconds.
    fixed: Option<i32>,
}

/// What an unknown zone name is told.
const NOT_A_ZONE: &str = "not a time zone of the IANA time zone database; give a name such as \
                          \"Europe/Madrid\", \"America/Mexico_City\" or \"UTC\"";

impl Zone {
    /// The zone of that IANA name (without regard to ASCII case), if the database has it.
    fn get(name: &str) -> Option<Zone> {
        let tz = database().get(name).ok()?;
        if tz.is_unknown() || name.trim().is_empty() {
            return None;
        }
        let fixed = tz.to_fixed_offset().ok().map(Offset::seconds);
        let name = tz.iana_name().unwrap_or(name).to_string();
        Some(Zone { tz, name, fixed })
    }
}

/// A date and time of day as written, with its UTC offset if it has one.
#[derive(Debug, Clone, Copy)]
struct Written {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    nanosecond: u32,
    /// Seconds east of UTC.
    offset: Option<i32>,
}

impl Written {
    /// Seconds since 1970-01-01T00:00:00 of the wall-clock reading (as if it were UTC).
    fn local_seconds(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
            + self.hour * 3600
            + self.minute * 60
            + self.second
    }

    /// `2025-10-26 02:30` (seconds shown when not zero): the local time in reasons.
    fn describe(&self) -> String {
        let mut text = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        );
        if self.second != 0 || self.nanosecond != 0 {
            let _ = write!(text, ":{:02}", self.second);
        }
        text
    }

    /// `2025-10-26T02:30:00`: the local time as RFC 3339 wants it, before an offset.
    fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// Why a text is not ISO 8601.
enum IsoError {
    /// Not the shape of an ISO 8601 date-time at all.
    Shape,
    /// The shape, but no such date, time of day or offset.
    Invalid(&'static str),
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads RFC 3339 / ISO 8601 by hand (no allocation): `YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)f+]]]`
/// followed, after a time, by an optional offset (`Z`, `z`, `±HH:MM`, `±HHMM`, `±HH`, `UTC`, with
/// optional spaces before it).
fn parse_iso(b: &[u8]) -> std::result::Result<Written, IsoError> {
    use IsoError::{Invalid, Shape};
    let at = |i: usize, expected: &[u8]| b.get(i).is_some_and(|c| expected.contains(c));
    let (Some(year), true, Some(month), true, Some(day)) = (
        digits(b, 0, 4),
        at(4, b"-"),
        digits(b, 5, 2),
        at(7, b"-"),
        digits(b, 8, 2),
    ) else {
        return Err(Shape);
    };
    let mut written = Written {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanosecond: 0,
        offset: None,
    };
    if b.len() > 10 {
        let (true, Some(hour), true, Some(minute)) = (
            at(10, b"Tt "),
            digits(b, 11, 2),
            at(13, b":"),
            digits(b, 14, 2),
        ) else {
            return Err(Shape);
        };
        written.hour = hour;
        written.minute = minute;
        let mut i = 16;
        if at(i, b":") {
            written.second = digits(b, i + 1, 2).ok_or(Shape)?;
            i += 3;
            if at(i, b".,") {
                i += 1;
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    if i - start < 9 {
                        written.nanosecond = written.nanosecond * 10 + u32::from(b[i] - b'0');
                    }
                    i += 1;
                }
                if i == start {
                    return Err(Shape);
                }
                for _ in (i - start).min(9)..9 {
                    written.nanosecond *= 10;
                }
            }
        }
        while at(i, b" ") {
            i += 1;
        }
        let rest = &b[i.min(b.len())..];
        written.offset = match rest {
            [] => None,
            [b'Z' | b'z'] => Some(0),
            [u, t, c] if [*u, *t, *c].eq_ignore_ascii_case(b"UTC") => Some(0),
            [sign @ (b'+' | b'-'), ..] => {
                let (h, m) = match rest.len() {
                    3 => (digits(rest, 1, 2), Some(0)),
                    5 => (digits(rest, 1, 2), digits(rest, 3, 2)),
                    6 if rest[3] == b':' => (digits(rest, 1, 2), digits(rest, 4, 2)),
                    _ => return Err(Shape),
                };
                let (Some(h), Some(m)) = (h, m) else {
                    return Err(Shape);
                };
                if h > 23 || m > 59 {
                    return Err(Invalid("the UTC offset is not a valid time"));
                }
                let seconds = (h * 3600 + m * 60) as i32;
                Some(if *sign == b'-' { -seconds } else { seconds })
            }
            _ => return Err(Shape),
        };
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(Invalid("no such date"));
    }
    if written.hour > 23 || written.minute > 59 || written.second > 59 {
        return Err(Invalid(
            "no such time of day (leap seconds are not accepted)",
        ));
    }
    Ok(written)
}

/// `+01:00`, `-05:00`, `-00:14:44`.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    if s.is_multiple_of(60) {
        format!("{sign}{:02}:{:02}", s / 3600, s / 60 % 60)
    } else {
        format!("{sign}{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

/// Writes the two last digits of `n` (0-99) at `buf[at..at + 2]`.
fn put2(buf: &mut [u8], at: usize, n: i64) {
    buf[at] = b'0' + (n / 10 % 10) as u8;
    buf[at + 1] = b'0' + (n % 10) as u8;
}

/// The [`Timestamp`] of a wall-clock reading at `offset` (seconds east of UTC), keeping the offset
/// when it is a whole number of minutes (UTC otherwise).
fn instant(written: &Written, offset: i32) -> std::result::Result<Timestamp, String> {
    let unix_seconds = written.local_seconds() - i64::from(offset);
    if !(Timestamp::EARLIEST_UNIX_SECONDS..=Timestamp::LATEST_UNIX_SECONDS).contains(&unix_seconds)
    {
        return Err(OUT_OF_RANGE.to_string());
    }
    if offset % 60 != 0 || offset.unsigned_abs() >= 24 * 3600 {
        return Timestamp::from_unix(unix_seconds, written.nanosecond).map_err(|e| e.to_string());
    }
    // Timestamp keeps an offset only through its RFC 3339 parser: write the reading with its
    // offset on the stack (at most 35 bytes) and read it back. In range, the year has 4 digits.
    let mut buf = *b"0000-00-00T00:00:00.000000000+00:00";
    put2(&mut buf, 0, written.year / 100);
    put2(&mut buf, 2, written.year);
    put2(&mut buf, 5, written.month);
    put2(&mut buf, 8, written.day);
    put2(&mut buf, 11, written.hour);
    put2(&mut buf, 14, written.minute);
    put2(&mut buf, 17, written.second);
    let mut len = 19;
    if written.nanosecond != 0 {
        let mut n = written.nanosecond;
        for slot in buf[20..29].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
        len = 29;
    }
    buf[len] = if offset < 0 { b'-' } else { b'+' };
    let minutes = i64::from(offset.unsigned_abs() / 60);
    put2(&mut buf, len + 1, minutes / 60);
    buf[len + 3] = b':';
    put2(&mut buf, len + 4, minutes % 60);
    let text = std::str::from_utf8(&buf[..len + 6]).map_err(|e| e.to_string())?;
    Timestamp::parse(text).map_err(|e| e.to_string())
}

/// The instant of a local time in `zone`, refusing to guess an ambiguous or nonexistent one.
fn in_zone(written: &Written, zone: &Zone) -> std::result::Result<Timestamp, String> {
    if let Some(offset) = zone.fixed {
        return instant(written, offset);
    }
    // Years outside these cannot give an instant in range (offsets are under a day).
    if !(1899..=2201).contains(&written.year) {
        return Err(OUT_OF_RANGE.to_string());
    }
    let civil = DateTime::new(
        written.year as i16,
        written.month as i8,
        written.day as i8,
        written.hour as i8,
        written.minute as i8,
        written.second as i8,
        written.nanosecond as i32,
    )
    .map_err(|e| e.to_string())?;
    match zone.tz.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { offset } => instant(written, offset.seconds()),
        AmbiguousOffset::Fold { before, after } => {
            let (before, after) = (offset_text(before.seconds()), offset_text(after.seconds()));
            Err(format!(
                "{} is ambiguous in {} (clocks go back from {before} to {after}: it happens \
                 twice); give the offset, as in {}{before} or {}{after}",
                written.describe(),
                zone.name,
                written.rfc3339(),
                written.rfc3339(),
            ))
        }
        AmbiguousOffset::Gap { before, after } => Err(format!(
            "{} is nonexistent in {} (clocks go forward from {} to {}: that local time is \
             skipped); check the time, or give the offset",
            written.describe(),
            zone.name,
            offset_text(before.seconds()),
            offset_text(after.seconds()),
        )),
    }
}

/// A sample instant every valid layout must write and read back: 2001-02-03 16:05:06.789 at +01:00
/// (day, month, hour and the 12-hour clock all tell apart).
fn check_format(format: &str) -> std::result::Result<(), String> {
    if format.trim().is_empty() {
        return Err("empty".to_string());
    }
    let sample = DateTime::new(2001, 2, 3, 16, 5, 6, 789_000_000).map_err(|e| e.to_string())?;
    let zoned = sample
        .to_zoned_datetime(TimeZone::fixed(jiff::tz::offset(1)))
        .map_err(|e| e.to_string())?;
    let written =
        strtime::format(format, &zoned).map_err(|e| format!("not a strftime format: {e}"))?;
    let back = strtime::parse(format, &written).map_err(|e| {
        format!("cannot be read (it writes {written:?} and cannot read it back: {e})")
    })?;
    if back.timestamp().is_some() {
        return Ok(());
    }
    let date = back.to_date().map_err(|_| {
        "gives no date: it needs the year, month and day (such as %Y, %m and %d, or %F)".to_string()
    })?;
    if date != sample.date() {
        return Err(format!(
            "does not read back the date it writes ({written:?} reads as {date})"
        ));
    }
    let time = back
        .to_time()
        .map_err(|e| format!("gives no valid time of day: {e}"))?;
    if back.hour().is_some() && time.hour() != sample.hour() {
        return Err(format!(
            "does not read back the hour it writes ({written:?} reads as {time}; a 12-hour \
             clock %I needs %p)"
        ));
    }
    Ok(())
}

/// Two readers are equal when they read with the same zone and format.
impl PartialEq for TimeReader {
    fn eq(&self, other: &Self) -> bool {
        self.zone_name() == other.zone_name() && self.format() == other.format()
    }
}

impl Eq for TimeReader {}

impl TimeReader {
    /// A reader of timestamps in the time zone `zone` (a name of the IANA time zone database, such
    /// as `"Europe/Madrid"`, `"America/Mexico_City"` or `"UTC"`; `None`: a time without a UTC offset
    /// is rejected), trying the strftime-style `format` first when one is given (`"%d/%m/%Y %H:%M"`,
    /// `"%Y-%m-%d"`, `"%m/%d/%Y %I:%M %p"`; the directives of `jiff::fmt::strtime`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `tz` when the zone is not in the bundled IANA time zone
    /// database (its name is in the message), and for `time_format` when the format is not a
    /// strftime-style format that can be read: an unknown directive, a directive that only writes
    /// (`%c`, `%Z`...), no date (it needs the year, month and day, or `%s`), or a 12-hour clock
    /// without `%p`.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::TimeReader;
    /// let reader = TimeReader::new(Some("America/Mexico_City"), Some("%d/%m/%Y %H:%M"))?;
    /// assert_eq!(reader.read("14/03/2025 10:22")?.to_string(), "2025-03-14T10:22:00-06:00");
    /// let err = TimeReader::new(Some("Europe/Madird"), None).unwrap_err();
    /// assert!(err.to_string().contains("Europe/Madird") && err.to_string().starts_with("tz"));
    /// let err = TimeReader::new(None, Some("%H:%M")).unwrap_err(); // no date
    /// assert!(err.to_string().starts_with("time_format"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(zone: Option<&str>, format: Option<&str>) -> Result<TimeReader> {
        let zone = zone
            .map(|name| {
                Zone::get(name).ok_or_else(|| {
                    Error::invalid_parameter("tz", format_args!("{name:?}"), NOT_A_ZONE)
                })
            })
            .transpose()?;
        if let Some(format) = format {
            check_format(format).map_err(|reason| {
                Error::invalid_parameter("time_format", format_args!("{format:?}"), reason)
            })?;
        }
        Ok(TimeReader {
            zone,
            format: format.map(str::to_string),
        })
    }

    /// The IANA name of the time zone of local times (as the database spells it), if one was given.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::TimeReader;
    /// assert_eq!(TimeReader::new(Some("europe/madrid"), None)?.zone_name(), Some("Europe/Madrid"));
    /// assert_eq!(TimeReader::default().zone_name(), None);
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn zone_name(&self) -> Option<&str> {
        self.zone.as_ref().map(|zone| zone.name.as_str())
    }

    /// The strftime-style format tried first, if one was given.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::TimeReader;
    /// assert_eq!(TimeReader::new(None, Some("%Y-%m-%d"))?.format(), Some("%Y-%m-%d"));
    /// assert_eq!(TimeReader::default().format(), None);
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    pub fn format(&self) -> Option<&str> {
        self.format.as_deref()
    }

    /// The instant of `text`, or the reason it is not one (a sentence for a rejected field): see
    /// [`TimeReader`] for the rules. A blank text is rejected as not a date-time (callers treat blank
    /// as missing before calling).
    ///
    /// # Errors
    /// The reason, when the text matches neither the format nor RFC 3339 / ISO 8601, names no such
    /// date or time, has no UTC offset and no zone was given (the reason mentions `tz=`), is
    /// `ambiguous` or `nonexistent` in the zone (the reason says which), or lies outside 1900-2200.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::read::TimeReader;
    /// let reader = TimeReader::new(Some("America/New_York"), Some("%m/%d/%Y %I:%M %p"))?;
    /// assert_eq!(reader.read("03/14/2025 10:22 PM")?.to_string(), "2025-03-14T22:22:00-04:00");
    /// assert_eq!(reader.read("2025-03-14")?.to_string(), "2025-03-14T00:00:00-04:00"); // ISO still reads
    /// assert_eq!(reader.read(" 2025-03-14T10:22:05.5+0100 ")?.to_string(), "2025-03-14T10:22:05.5+01:00");
    /// let reason = reader.read("03/09/2025 02:30 AM").unwrap_err(); // clocks went forward at 2:00
    /// assert!(reason.contains("nonexistent"), "{reason}");
    /// assert!(reader.read("1899-12-31T12:00:00Z").is_err()); // before 1900
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(&self, text: &str) -> std::result::Result<Timestamp, String> {
        let text = match text.trim_ascii() {
            // Non-ASCII white space (a no-break space) at either end.
            t if !t.starts_with(|c: char| c.is_ascii()) || !t.ends_with(|c: char| c.is_ascii()) => {
                t.trim()
            }
            t => t,
        };
        let Some(format) = &self.format else {
            return self.read_iso(text, || {
                format!("{NOT_ISO}; pass time_format= for another layout")
            });
        };
        match strtime::parse(format, text) {
            Ok(tm) => self.read_broken_down(&tm, format),
            Err(error) => self.read_iso(text, || {
                format!("does not match time_format={format:?} ({error}), and is {NOT_ISO}")
            }),
        }
    }

    /// Reads RFC 3339 / ISO 8601; `not_iso` is the reason for a text of another shape.
    fn read_iso(
        &self,
        text: &str,
        not_iso: impl FnOnce() -> String,
    ) -> std::result::Result<Timestamp, String> {
        let bytes = text.as_bytes();
        let n = bytes.len();
        // The most common case, RFC 3339 with seconds and a `Z` or `±HH:MM` offset, goes straight
        // to Timestamp's own parser (the same instant and offset as below; on any error the text is
        // read below, for the reason).
        if n >= 20
            && bytes[16] == b':'
            && (matches!(bytes[n - 1], b'Z' | b'z')
                || (n >= 25 && bytes[n - 3] == b':' && matches!(bytes[n - 6], b'+' | b'-')))
        {
            if let Ok(t) = Timestamp::parse(text) {
                return Ok(t);
            }
        }
        match parse_iso(bytes) {
            Ok(written) => self.resolve(&written),
            Err(IsoError::Invalid(reason)) => Err(reason.to_string()),
            Err(IsoError::Shape) => Err(not_iso()),
        }
    }

    /// The instant of an ISO 8601 reading: its offset, else the zone.
    fn resolve(&self, written: &Written) -> std::result::Result<Timestamp, String> {
        match (written.offset, &self.zone) {
            (Some(offset), _) => instant(written, offset),
            (None, Some(zone)) => in_zone(written, zone),
            (None, None) => Err(NO_ZONE.to_string()),
        }
    }

    /// The instant of a text read with the format: a Unix time, else its offset, else the zone it
    /// names (`%Q`), else the reader's zone.
    fn read_broken_down(
        &self,
        tm: &BrokenDownTime,
        format: &str,
    ) -> std::result::Result<Timestamp, String> {
        let offset = tm.offset().map(Offset::seconds);
        if let Some(ts) = tm.timestamp() {
            // A Unix time (%s): the reading in its offset (UTC unless the text gives one).
            let offset = offset.unwrap_or(0);
            let local = ts.as_second() + i64::from(offset);
            let (year, month, day) = civil_from_days(local.div_euclid(86_400));
            let secs = local.rem_euclid(86_400);
            let written = Written {
                year,
                month,
                day,
                hour: secs / 3600,
                minute: secs / 60 % 60,
                second: secs % 60,
                nanosecond: ts.subsec_nanosecond().max(0) as u32,
                offset: Some(offset),
            };
            return instant(&written, offset);
        }
        let dt = tm
            .to_datetime()
            .map_err(|e| format!("matches time_format={format:?} but {e}"))?;
        let written = Written {
            year: i64::from(dt.year()),
            month: i64::from(dt.month()),
            day: i64::from(dt.day()),
            hour: i64::from(dt.hour()),
            minute: i64::from(dt.minute()),
            second: i64::from(dt.second()),
            nanosecond: dt.subsec_nanosecond().max(0) as u32,
            offset,
        };
        if offset.is_none() {
            if let Some(name) = tm.iana_time_zone() {
                let zone =
                    Zone::get(name).ok_or_else(|| format!("time zone {name:?}: {NOT_A_ZONE}"))?;
                return in_zone(&written, &zone);
            }
        }
        self.resolve(&written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(reader: &TimeReader, text: &str) -> i64 {
        reader
            .read(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .unix_seconds()
    }

    #[test]
    fn iso_spellings() {
        let utc = TimeReader::default();
        // `date -u -d 2025-03-14T10:22:05Z +%s` = 1741947725
        for text in [
            "2025-03-14T10:22:05Z",
            "2025-03-14t10:22:05z",
            "2025-03-14 10:22:05Z",
            "2025-03-14T11:22:05+01:00",
            "2025-03-14T11:22:05+0100",
            "2025-03-14T11:22:05+01",
            "2025-03-14T05:22:05-05",
            "2025-03-14 11:22:05 +01:00",
            "2025-03-14 10:22:05 UTC",
            "  2025-03-14T10:22:05.000Z\t",
        ] {
            assert_eq!(unix(&utc, text), 1_741_947_725, "{text}");
        }
        assert_eq!(unix(&utc, "2025-03-14T10:22Z"), 1_741_947_720);
        let t = utc.read("2025-03-14T10:22:05,123456789123Z").unwrap();
        assert_eq!(t.nanosecond(), 123_456_789);
        assert_eq!(
            utc.read("2025-03-14T10:22:05.5Z").unwrap().nanosecond(),
            500_000_000
        );
        for bad in ["2025-03-14T10:22:05", "2025-03-14", "2025-03-14 10:22"] {
            assert!(utc.read(bad).unwrap_err().contains("tz="), "{bad}");
        }
        for bad in [
            "2025-03-14T10:22:05.Z",
            "2025-03-14T10Z",
            "2025-03-14T10:22:05Zjunk",
            "2025-03-14T10:22:05+1",
            "2025-03-14T10:22:05+01:0",
            "2025-3-14",
            "14/03/2025",
            "",
        ] {
            assert!(
                utc.read(bad).unwrap_err().contains("not a date-time"),
                "{bad:?}"
            );
        }
        assert_eq!(utc.read("2025-02-29T10:00Z").unwrap_err(), "no such date");
        assert!(utc
            .read("2025-03-14T24:00Z")
            .unwrap_err()
            .contains("time of day"));
        assert!(utc
            .read("2025-03-14T23:59:60Z")
            .unwrap_err()
            .contains("leap"));
        assert!(utc
            .read("2025-03-14T10:00+24:00")
            .unwrap_err()
            .contains("offset"));
        assert!(utc.read("2201-01-01T00:00Z").unwrap_err().contains("2200"));
        assert!(utc.read("2200-12-31T23:59:59Z").is_ok());
        assert!(utc.read("1899-12-31T23:30-01:00").is_ok());
    }

    #[test]
    fn offsets_are_kept() {
        let madrid = TimeReader::new(Some("Europe/Madrid"), None).unwrap();
        let t = madrid.read("2025-07-01T10:00:00.25-02:30").unwrap();
        assert_eq!(t.to_string(), "2025-07-01T10:00:00.25-02:30");
        assert_eq!(
            madrid.read("2025-07-01 10:00").unwrap().to_string(),
            "2025-07-01T10:00:00+02:00"
        );
        // Local mean time of Madrid in 1900 (-00:14:44) is kept as UTC.
        let t = madrid.read("1900-06-01 12:00").unwrap();
        assert_eq!(t.offset_minutes(), 0);
        assert_eq!(
            t.unix_seconds(),
            unix(&TimeReader::default(), "1900-06-01T12:14:44Z")
        );
        let utc = TimeReader::new(Some("UTC"), None).unwrap();
        assert_eq!(
            utc.read("2025-07-01").unwrap().to_string(),
            "2025-07-01T00:00:00Z"
        );
    }

    #[test]
    fn zone_transitions() {
        let madrid = TimeReader::new(Some("Europe/Madrid"), None).unwrap();
        let reason = madrid.read("2025-10-26 02:30").unwrap_err();
        assert!(
            reason.starts_with("2025-10-26 02:30 is ambiguous in Europe/Madrid"),
            "{reason}"
        );
        assert!(
            reason.contains("+02:00") && reason.contains("+01:00"),
            "{reason}"
        );
        let reason = madrid.read("2025-03-30T02:30:15").unwrap_err();
        assert!(
            reason.starts_with("2025-03-30 02:30:15 is nonexistent"),
            "{reason}"
        );
        assert_eq!(
            unix(&madrid, "2025-03-30 03:00"),
            unix(&TimeReader::default(), "2025-03-30T01:00Z")
        );
        // An offset decides whatever the zone.
        assert_eq!(
            unix(&madrid, "2025-10-26T02:30:00+01:00"),
            unix(&TimeReader::default(), "2025-10-26T01:30Z")
        );
    }

    #[test]
    fn formats() {
        let r = TimeReader::new(Some("UTC"), Some("%d/%m/%Y %H:%M")).unwrap();
        assert_eq!(unix(&r, "14/03/2025 10:22"), 1_741_947_720);
        assert_eq!(unix(&r, "2025-03-14T10:22Z"), 1_741_947_720);
        assert!(r.read("31/02/2025 10:22").is_err());
        assert!(r.read("garbage").unwrap_err().contains("time_format"));
        let r = TimeReader::new(None, Some("%Y-%m-%d %H:%M:%S %z")).unwrap();
        assert_eq!(unix(&r, "2025-03-14 11:22:05 +0100"), 1_741_947_725);
        let r = TimeReader::new(None, Some("%s")).unwrap();
        assert_eq!(unix(&r, "1741947725"), 1_741_947_725);
        let r = TimeReader::new(None, Some("%Y-%m-%d %H:%M %Q")).unwrap();
        assert_eq!(unix(&r, "2025-03-14 11:22 Europe/Madrid"), 1_741_947_720);
        assert!(r
            .read("2025-10-26 02:30 Europe/Madrid")
            .unwrap_err()
            .contains("ambiguous"));
        for bad in [
            "%H:%M",
            "",
            "%Y-%m-%d %K",
            "%c",
            "%Y-%m-%d %I:%M",
            "%Y-%m-%d %Z",
            "%",
        ] {
            let err = TimeReader::new(None, Some(bad)).unwrap_err();
            assert!(
                err.to_string().starts_with("time_format = "),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn shared_across_threads() {
        fn check<T: Send + Sync>() {}
        check::<TimeReader>();
    }

    #[test]
    fn white_space() {
        let utc = TimeReader::new(Some("UTC"), None).unwrap();
        for text in [
            "\u{a0}2025-03-14T10:22:05Z\u{a0}",
            " \t2025-03-14 10:22:05\r\n",
            "\u{2003}2025-03-14T10:22:05",
        ] {
            assert_eq!(unix(&utc, text), 1_741_947_725, "{text:?}");
        }
        assert!(utc.read("2025-03-14T10:22:05Z\u{e9}").is_err());
        assert!(utc.read("\u{a0}").is_err());
    }

    #[test]
    fn zones() {
        for bad in ["Europe/Madird", "", "Etc/Unknown", "+01:00", "Mars/Olympus"] {
            let err = TimeReader::new(Some(bad), None).unwrap_err();
            assert!(err.to_string().starts_with("tz = "), "{err}");
            assert_eq!(err.code(), "invalid_parameter");
        }
        let r = TimeReader::new(Some("Etc/GMT+5"), None).unwrap();
        assert_eq!(
            r.read("2025-03-14 05:22:05").unwrap().unix_seconds(),
            1_741_947_725
        );
    }
}
