//! Calendar periods in UTC: days, ISO weeks, months, quarters and years, numbered from 1970.
//!
//! Methods and sources: `docs/methods.md#periods`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::response::{civil_from_days, days_from_civil, digits, Timestamp};

/// Seconds in a day.
const DAY: i64 = 86_400;

crate::names::named_enum! {
    /// How responses are bucketed in time. Every period is counted in UTC.
    #[derive(PartialOrd, Ord)]
    pub enum Frequency {
        /// Calendar days.
        Day = "day",
        /// ISO 8601 weeks, Monday to Sunday; labelled by ISO year and week (`2020-W53`).
        Week = "week",
        /// Calendar months.
        Month = "month",
        /// Calendar quarters (January-March is Q1).
        Quarter = "quarter",
        /// Calendar years.
        Year = "year",
    }
    unknown = |name| Error::invalid_parameter("freq", format!("{name:?}"), "must be one of day, week, month, quarter, year");
}

impl Frequency {
    /// The number of the period holding day `day` (days since 1970-01-01, negative before):
    /// days count days, weeks count ISO weeks with week 0 starting on Monday 1969-12-29, months
    /// count `(year - 1970) * 12 + month - 1`, quarters `floor(month / 3)` of that, years
    /// `year - 1970`. Floor division throughout, so instants before 1970 get negative numbers.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::trend::Frequency;
    /// assert_eq!(Frequency::Week.index_of_day(0), 0); // Thursday 1970-01-01: the week of 1969-12-29
    /// assert_eq!(Frequency::Quarter.index_of_day(-1), -1); // 1969-12-31: 1969Q4
    /// ```
    pub fn index_of_day(self, day: i64) -> i64 {
        match self {
            Frequency::Day => day,
            // 1970-01-01 was a Thursday, three days after the Monday that starts week 0.
            Frequency::Week => (day + 3).div_euclid(7),
            Frequency::Month | Frequency::Quarter | Frequency::Year => {
                let (year, month, _) = civil_from_days(day);
                match self {
                    Frequency::Month => (year - 1970) * 12 + month - 1,
                    Frequency::Quarter => ((year - 1970) * 12 + month - 1).div_euclid(3),
                    _ => year - 1970,
                }
            }
        }
    }

    /// The first day (days since 1970-01-01) of period `index`.
    pub fn first_day(self, index: i64) -> i64 {
        let month_start = |months: i64| {
            days_from_civil(1970 + months.div_euclid(12), months.rem_euclid(12) + 1, 1)
        };
        match self {
            Frequency::Day => index,
            Frequency::Week => index * 7 - 3,
            Frequency::Month => month_start(index),
            Frequency::Quarter => month_start(index * 3),
            Frequency::Year => days_from_civil(1970 + index, 1, 1),
        }
    }

    /// The period holding the instant `at` (in UTC).
    pub fn period_of(self, at: Timestamp) -> Period {
        Period {
            frequency: self,
            index: self.index_of_day(at.unix_seconds().div_euclid(DAY)),
        }
    }
}

/// One calendar period: a frequency and the period's number from 1970 (see
/// [`Frequency::index_of_day`]). Periods of one frequency sort in time; they print and serialise as
/// their label (`2025-03-14`, `2025-W11`, `2025-03`, `2025Q1`, `2025`) and parse back from it.
///
/// # Examples
/// ```
/// use cxmetrics::trend::{Frequency, Period};
/// use cxmetrics::Timestamp;
/// let at = Timestamp::parse("2021-01-03T23:59:59Z")?;
/// let week = Frequency::Week.period_of(at);
/// assert_eq!(week.to_string(), "2020-W53"); // ISO week of Sunday 3 January 2021
/// assert_eq!(week.start().to_string(), "2020-12-28T00:00:00Z");
/// assert_eq!("2020-W53".parse::<Period>()?, week);
/// assert_eq!(Frequency::Quarter.period_of(at).to_string(), "2021Q1");
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    frequency: Frequency,
    index: i64,
}

impl Period {
    /// The period number `index` of `frequency`.
    pub fn new(frequency: Frequency, index: i64) -> Period {
        Period { frequency, index }
    }

    /// The frequency.
    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    /// The period's number from 1970.
    pub fn index(&self) -> i64 {
        self.index
    }

    /// The next period.
    pub fn next(&self) -> Period {
        Period::new(self.frequency, self.index + 1)
    }

    /// The first day of the period, in days since 1970-01-01.
    pub fn first_day(&self) -> i64 {
        self.frequency.first_day(self.index)
    }

    /// The period's first instant (midnight UTC of its first day), in seconds since 1970.
    pub fn start_unix_seconds(&self) -> i64 {
        self.first_day() * DAY
    }

    /// The period's first instant as a UTC timestamp. Periods that start before 1900 or after
    /// 2200 (outside [`Timestamp`]'s range) give the range's nearest end.
    pub fn start(&self) -> Timestamp {
        let seconds = self.start_unix_seconds().clamp(
            Timestamp::EARLIEST_UNIX_SECONDS,
            Timestamp::LATEST_UNIX_SECONDS,
        );
        Timestamp::from_unix(seconds, 0).expect("clamped to the range")
    }

    /// Whether the instant `at` lies in the period.
    pub fn contains(&self, at: Timestamp) -> bool {
        self.frequency.period_of(at) == *self
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = civil_from_days(self.first_day());
        match self.frequency {
            Frequency::Day => write!(f, "{year:04}-{month:02}-{day:02}"),
            Frequency::Week => {
                // The ISO year is the year of the week's Thursday; week 1 holds its 4 January.
                let thursday = self.first_day() + 3;
                let (iso_year, _, _) = civil_from_days(thursday);
                let week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
                write!(f, "{iso_year:04}-W{week:02}")
            }
            Frequency::Month => write!(f, "{year:04}-{month:02}"),
            Frequency::Quarter => write!(f, "{year:04}Q{}", (month - 1) / 3 + 1),
            Frequency::Year => write!(f, "{year:04}"),
        }
    }
}

impl FromStr for Period {
    type Err = Error;

    /// Parses a period label: `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`, `YYYYQn` or `YYYY`.
    ///
    /// # Errors
    /// [`Error::InvalidField`] (field `period`) when the text is none of these or names a day,
    /// week, month or quarter that does not exist.
    fn from_str(text: &str) -> Result<Period> {
        let bad = |reason: &str| Error::InvalidField {
            field: "period".into(),
            value: text.into(),
            reason: reason.into(),
        };
        let number = |s: &str, width: usize| -> Option<i64> {
            (s.len() == width)
                .then(|| digits(s.as_bytes(), 0, width))
                .flatten()
        };
        let expected = "expected YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYYQn or YYYY";
        let year = text
            .get(..4)
            .and_then(|y| number(y, 4))
            .ok_or_else(|| bad(expected))?;
        let rest = &text[4..];
        let months_from_1970 = (year - 1970) * 12;
        let period = if rest.is_empty() {
            Period::new(Frequency::Year, year - 1970)
        } else if let Some(q) = rest.strip_prefix('Q') {
            match number(q, 1) {
                Some(q @ 1..=4) => {
                    Period::new(Frequency::Quarter, (months_from_1970 + 3 * (q - 1)) / 3)
                }
                _ => return Err(bad("a quarter is Q1 to Q4")),
            }
        } else if let Some(w) = rest.strip_prefix("-W") {
            let week = number(w, 2).ok_or_else(|| bad(expected))?;
            // Week 1 is the week holding 4 January.
            let first = Frequency::Week.index_of_day(days_from_civil(year, 1, 4));
            let period = Period::new(Frequency::Week, first + week - 1);
            if week < 1 || period.to_string() != text {
                return Err(bad("no such ISO week in that year"));
            }
            period
        } else if let Some(m) = rest.strip_prefix('-') {
            let (month, day) = match m.split_once('-') {
                Some((m, d)) => (number(m, 2), Some(number(d, 2))),
                None => (number(m, 2), None),
            };
            let month = month
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| bad("a month is 01 to 12"))?;
            match day {
                None => Period::new(Frequency::Month, months_from_1970 + month - 1),
                Some(day) => {
                    let day = day.ok_or_else(|| bad(expected))?;
                    let period = Period::new(Frequency::Day, days_from_civil(year, month, day));
                    if !(1..=31).contains(&day) || period.to_string() != text {
                        return Err(bad("no such day"));
                    }
                    period
                }
            }
        } else {
            return Err(bad(expected));
        };
        Ok(period)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Period, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_back() {
        for frequency in Frequency::ALL {
            for index in (-30_000..30_000).step_by(7) {
                let p = Period::new(
                    frequency,
                    index / if frequency == Frequency::Day { 1 } else { 30 },
                );
                assert_eq!(p.to_string().parse::<Period>().unwrap(), p, "{p}");
                assert_eq!(frequency.index_of_day(p.first_day()), p.index());
                assert_eq!(frequency.index_of_day(p.first_day() - 1), p.index() - 1);
            }
        }
        for bad in [
            "2025-W54",
            "2025-W00",
            "2025-02-30",
            "2025Q5",
            "2025-13",
            "25",
            "2025-3",
            "2025-W1",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
        assert_eq!(
            "2020-W53".parse::<Period>().unwrap().to_string(),
            "2020-W53"
        );
        assert!("2021-W53".parse::<Period>().is_err()); // 2021 has 52 ISO weeks
    }
}
