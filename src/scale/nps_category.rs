//! The NPS categories of a 0-10 likelihood-to-recommend score (Reichheld 2003; `docs/methods.md`,
//! "NPS categories"): detractors 0-6, passives 7-8, promoters 9-10. The only place the thresholds
//! are written; every NPS computation (counts, resampling, paired differences, outcomes, charts)
//! takes them from here.

/// The highest detractor score.
pub const DETRACTOR_MAX: i64 = 6;
/// The lowest promoter score.
pub const PROMOTER_MIN: i64 = 9;

crate::names::named_enum! {
    /// The NPS category of a 0-10 score.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::scale::NpsCategory;
    /// assert_eq!(NpsCategory::of(6), Some(NpsCategory::Detractor));
    /// assert_eq!(NpsCategory::of(8), Some(NpsCategory::Passive));
    /// assert_eq!(NpsCategory::of(9).map(NpsCategory::value), Some(1.0));
    /// assert_eq!(NpsCategory::of(11), None);
    /// ```
    #[derive(PartialOrd, Ord)]
    pub enum NpsCategory {
        /// 0-6.
        Detractor = "detractor",
        /// 7-8.
        Passive = "passive",
        /// 9-10.
        Promoter = "promoter",
    }
    unknown = |name| crate::error::Error::UnknownOption { option: "NPS category", name, valid: NpsCategory::NAMES };
}

impl NpsCategory {
    /// The category of a score of the 0-10 scale (`None` off the scale).
    pub fn of(score: i64) -> Option<NpsCategory> {
        match score {
            0..=DETRACTOR_MAX => Some(NpsCategory::Detractor),
            PROMOTER_MIN..=10 => Some(NpsCategory::Promoter),
            s if (DETRACTOR_MAX..PROMOTER_MIN).contains(&s) => Some(NpsCategory::Passive),
            _ => None,
        }
    }

    /// The category of a whole-number score given as a float (`None` for NaN, a fraction or a score
    /// off the scale).
    pub fn of_f64(score: f64) -> Option<NpsCategory> {
        if score.fract() == 0.0 && (0.0..=10.0).contains(&score) {
            NpsCategory::of(score as i64)
        } else {
            None
        }
    }

    /// The category's contribution to the NPS of one response: -1, 0 or +1 (the NPS is 100 times
    /// the mean of these values).
    pub fn value(self) -> f64 {
        match self {
            NpsCategory::Detractor => -1.0,
            NpsCategory::Passive => 0.0,
            NpsCategory::Promoter => 1.0,
        }
    }

    /// The scores of the category, as a range of the 0-10 scale.
    pub fn scores(self) -> std::ops::RangeInclusive<i64> {
        match self {
            NpsCategory::Detractor => 0..=DETRACTOR_MAX,
            NpsCategory::Passive => DETRACTOR_MAX + 1..=PROMOTER_MIN - 1,
            NpsCategory::Promoter => PROMOTER_MIN..=10,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_score_has_one_category() {
        let cats: Vec<_> = (0..=10).map(|s| NpsCategory::of(s).unwrap()).collect();
        assert_eq!(
            cats.iter()
                .filter(|c| **c == NpsCategory::Detractor)
                .count(),
            7
        );
        assert_eq!(
            cats.iter().filter(|c| **c == NpsCategory::Passive).count(),
            2
        );
        assert_eq!(
            cats.iter().filter(|c| **c == NpsCategory::Promoter).count(),
            2
        );
        for c in NpsCategory::ALL {
            assert!(c.scores().all(|s| NpsCategory::of(s) == Some(c)));
        }
        assert_eq!(NpsCategory::of(-1), None);
        assert_eq!(NpsCategory::of_f64(8.5), None);
        assert_eq!(NpsCategory::of_f64(f64::NAN), None);
    }
}
