//! RFC 3339 timestamps (`2025-03-14T10:22:05Z`, `2025-03-14T11:22:05.250+01:00`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The earliest accepted instant, 1900-01-01T00:00:00Z, in seconds since the Unix epoch.
const EARLIEST: i64 = -2_208_988_800;
/// The first instant past the accepted range, 2201-01-01T00:00:00Z.
const PAST_LATEST: i64 = 7_289_654_400;

/// A point in time with its UTC offset, read from RFC 3339 (the `date-time` production of
/// RFC 3339 section 5.6: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space instead
/// of `T` are accepted, as the RFC allows).
///
/// Instants compare and sort in UTC. Years from 1900 to 2200 are accepted: a survey response dated
/// outside them is a data error (a mistyped year), and the range fits the nanosecond timestamps of
/// pandas and polars.
///
/// # Examples
/// ```
/// use cxmetrics::Timestamp;
/// let t = Timestamp::parse("2025-03-14T11:22:05.25+01:00")?;
/// assert_eq!(t.unix_seconds(), Timestamp::parse("2025-03-14T10:22:05Z")?.unix_seconds());
/// assert_eq!(t.nanosecond(), 250_000_000);
/// assert_eq!(t.offset_minutes(), 60);
/// assert_eq!(t.to_string(), "2025-03-14T11:22:05.25+01:00");
/// assert!(Timestamp::parse("2025-02-30T10:00:00Z").is_err()); // no such day
/// assert!(Timestamp::parse("2025-03-14 10:00").is_err()); // no seconds, no offset
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    unix_seconds: i64,
    nanosecond: u32,
    offset_minutes: i16,
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date
/// Algorithms", `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count from 1970-01-01 (Hinnant, `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn invalid(text: &str, reason: &str) -> Error {
    Error::InvalidField {
        field: "recorded_at".to_string(),
        value: text.to_string(),
        reason: reason.to_string(),
    }
}

/// Reads `width` ASCII digits at `at` (`None` when any is not a digit or the text is shorter): the
/// one fixed-width number reader of timestamps and period labels.
pub(crate) fn digits(bytes: &[u8], at: usize, width: usize) -> Option<i64> {
    let slice = bytes.get(at..at + width)?;
    slice.iter().try_fold(0i64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

impl Timestamp {
    /// The earliest accepted instant, 1900-01-01T00:00:00Z, in seconds since 1970.
    pub const EARLIEST_UNIX_SECONDS: i64 = EARLIEST;
    /// The latest accepted second, 2200-12-31T23:59:59Z, in seconds since 1970.
    pub const LATEST_UNIX_SECONDS: i64 = PAST_LATEST - 1;

    /// Parses an RFC 3339 date-time (surrounding white space is ignored).
    ///
    /// # Errors
    /// [`Error::InvalidField`] (field `recorded_at`) naming the text and what is wrong: not RFC 3339,
    /// a day or time that does not exist (leap seconds are not accepted), or a year outside
    /// 1900-2200.
    pub fn parse(text: &str) -> Result<Self> {
        const FORMAT: &str = "not an RFC 3339 date-time such as 2025-03-14T10:22:05Z";
        let bytes = text.trim().as_bytes();
        let field = |at: usize, width: usize| digits(bytes, at, width);
        let sep = |at: usize, expected: &[u8]| bytes.get(at).is_some_and(|b| expected.contains(b));
        if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
            return Err(invalid(text, FORMAT));
        }
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
            field(0, 4),
            field(5, 2),
            field(8, 2),
            field(11, 2),
            field(14, 2),
            field(17, 2),
        ) else {
            return Err(invalid(text, FORMAT));
        };
        let mut at = 19;
        let mut nanosecond = 0u32;
        if sep(at, b".") {
            at += 1;
            let start = at;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                if at - start < 9 {
                    nanosecond = nanosecond * 10 + u32::from(bytes[at] - b'0');
                }
                at += 1;
            }
            if at == start {
                return Err(invalid(text, FORMAT));
            }
            for _ in (at - start)..9 {
                nanosecond *= 10;
            }
        }
        let offset_minutes = match bytes.get(at) {
            Some(b'Z' | b'z') if bytes.len() == at + 1 => 0,
            Some(&sign @ (b'+' | b'-')) if bytes.len() == at + 6 && sep(at + 3, b":") => {
                let (Some(h), Some(m)) = (field(at + 1, 2), field(at + 4, 2)) else {
                    return Err(invalid(text, FORMAT));
                };
                if h > 23 || m > 59 {
                    return Err(invalid(text, "the UTC offset is not a valid time"));
                }
                let minutes = h * 60 + m;
                if sign == b'-' {
                    -minutes
                } else {
                    minutes
                }
            }
            _ => {
                return Err(invalid(
                    text,
                    "not RFC 3339: it needs a UTC offset such as Z or +01:00",
                ))
            }
        };
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(invalid(text, "no such date"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(invalid(
                text,
                "no such time of day (leap seconds are not accepted)",
            ));
        }
        let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
        let unix_seconds = local - offset_minutes * 60;
        if !(EARLIEST..PAST_LATEST).contains(&unix_seconds) {
            return Err(invalid(text, "the year must be between 1900 and 2200"));
        }
        Ok(Timestamp {
            unix_seconds,
            nanosecond,
            offset_minutes: offset_minutes as i16,
        })
    }

    /// A UTC timestamp from seconds and nanoseconds since the Unix epoch.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when `nanosecond` is 10^9 or more or the instant is outside 1900-2200.
    pub fn from_unix(unix_seconds: i64, nanosecond: u32) -> Result<Self> {
        if nanosecond >= 1_000_000_000 || !(EARLIEST..PAST_LATEST).contains(&unix_seconds) {
            return Err(invalid(
                &format!("{unix_seconds}s {nanosecond}ns"),
                "outside 1900-2200 or more than 10^9 nanoseconds",
            ));
        }
        Ok(Timestamp {
            unix_seconds,
            nanosecond,
            offset_minutes: 0,
        })
    }

    /// Whole seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        self.unix_seconds
    }

    /// The fraction of the second, in nanoseconds (digits beyond the ninth are truncated).
    pub fn nanosecond(&self) -> u32 {
        self.nanosecond
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z (what pandas' and polars' `Datetime("ns", "UTC")` hold).
    pub fn unix_nanos(&self) -> i64 {
        self.unix_seconds * 1_000_000_000 + i64::from(self.nanosecond)
    }

    /// The UTC offset the time was written with, in minutes east of UTC.
    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    /// Orders instants in UTC (then by offset, so that the order agrees with `Eq`).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.unix_seconds, self.nanosecond, self.offset_minutes).cmp(&(
            other.unix_seconds,
            other.nanosecond,
            other.offset_minutes,
        ))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in the original offset, with the fraction's trailing zeros removed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let offset = i64::from(self.offset_minutes);
        let local = self.unix_seconds + offset * 60;
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )?;
        if self.nanosecond > 0 {
            let fraction = format!("{:09}", self.nanosecond);
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        if offset == 0 {
            f.write_str("Z")
        } else {
            let sign = if offset < 0 { '-' } else { '+' };
            write!(f, "{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60)
        }
    }
}

impl FromStr for Timestamp {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        Timestamp::parse(text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-25_567, -1, 0, 1, 59, 365, 11_016, 18_321, 20_000, 84_371] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        // 2000-03-01 is day 11017 (a known value: 951868800 / 86400).
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn known_instants() {
        // `date -u -d 2025-03-14T10:22:05Z +%s` = 1741947725
        assert_eq!(
            Timestamp::parse("2025-03-14T10:22:05Z")
                .unwrap()
                .unix_seconds(),
            1_741_947_725
        );
        assert_eq!(
            Timestamp::parse("1900-01-01T00:00:00Z")
                .unwrap()
                .unix_seconds(),
            EARLIEST
        );
        assert_eq!(
            Timestamp::parse("2024-02-29T23:30:00-02:30")
                .unwrap()
                .to_string(),
            "2024-02-29T23:30:00-02:30"
        );
        assert_eq!(
            Timestamp::parse("2024-02-29T23:30:00-02:30")
                .unwrap()
                .unix_seconds(),
            Timestamp::parse("2024-03-01T02:00:00Z")
                .unwrap()
                .unix_seconds()
        );
        assert!(Timestamp::parse("2023-02-29T00:00:00Z").is_err());
        assert!(Timestamp::parse("2200-12-31T23:59:59Z").is_ok());
        assert!(Timestamp::parse("2201-01-01T00:00:00Z").is_err());
        assert!(Timestamp::parse("1899-12-31T23:59:59Z").is_err());
        assert!(Timestamp::parse("2025-03-14T10:22:05.Z").is_err());
        assert!(Timestamp::parse("2025-03-14T10:22:05+0100").is_err());
        assert!(Timestamp::parse("2025-03-14T24:00:00Z").is_err());
        assert!(Timestamp::parse("2025-03-14").is_err());
        assert!(Timestamp::parse("").is_err());
        assert!(Timestamp::parse("2025-03-14T10:22:05Zjunk").is_err());
        let t = Timestamp::parse("2025-03-14T10:22:05.123456789123Z").unwrap();
        assert_eq!(t.nanosecond(), 123_456_789);
    }
}
