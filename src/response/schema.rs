//! Which answers a response can carry and on which scale.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scale::Scale;

/// Likelihood to recommend, 0-10 (NPS).
pub const NPS: &str = "nps";
/// Satisfaction (CSAT), 1-5 by default.
pub const CSAT: &str = "csat";
/// Customer effort (CES), 1-7 by default (7 = very easy).
pub const CES: &str = "ces";
/// Repurchase intention (IR), 1-5 by default.
pub const REPURCHASE_INTENTION: &str = "repurchase_intention";

/// Field names with a fixed meaning in a response; they cannot name an answer.
pub const RESERVED_FIELDS: [&str; 12] = [
    "response_id",
    "respondent_id",
    "recorded_at",
    "touchpoint",
    "touchpoint_name",
    "channel",
    "journey_stage",
    "intentional",
    "weight",
    "comment",
    "answers",
    "attributes",
];

/// The answer items of a survey and their scales: `nps` (0-10), `csat` (1-5), `ces` (1-7) and
/// `repurchase_intention` (1-5) by default, plus any custom scale item.
///
/// # Examples
/// ```
/// use cxmetrics::{Scale, Schema};
/// let schema = Schema::default()
///     .with_item("csat", Scale::new(1, 10)?)?      // CSAT asked on 1-10
///     .with_item("ease_of_return", Scale::LIKERT_5)?; // a custom item
/// assert_eq!(schema.scale("csat"), Some(Scale::new(1, 10)?));
/// assert!(Schema::default().with_item("nps", Scale::LIKERT_5).is_err()); // NPS is 0-10
/// assert!(Schema::default().with_item("weight", Scale::LIKERT_5).is_err()); // a reserved field
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    items: BTreeMap<String, Scale>,
}

impl Default for Schema {
    fn default() -> Self {
        let items = [
            (NPS, Scale::NPS),
            (CSAT, Scale::LIKERT_5),
            (CES, Scale::LIKERT_7),
            (REPURCHASE_INTENTION, Scale::LIKERT_5),
        ];
        Schema {
            items: items
                .iter()
                .map(|(name, scale)| (name.to_string(), *scale))
                .collect(),
        }
    }
}

impl Schema {
    /// Adds an item, or changes the scale of one (the name is trimmed).
    ///
    /// # Errors
    /// [`Error::WrongScale`] for `nps` on a scale other than 0-10; [`Error::InvalidField`] for an
    /// empty name or a reserved field name ([`RESERVED_FIELDS`]).
    pub fn with_item(mut self, name: &str, scale: Scale) -> Result<Self> {
        let name = name.trim();
        if name.is_empty() || RESERVED_FIELDS.contains(&name) {
            return Err(Error::InvalidField {
                field: "items".to_string(),
                value: name.to_string(),
                reason: format!(
                    "an item needs a name that is not empty nor one of the reserved fields {}",
                    RESERVED_FIELDS.join(", ")
                ),
            });
        }
        if name == NPS && scale != Scale::NPS {
            return Err(Error::WrongScale {
                indicator: "NPS",
                expected: "0-10",
                min: scale.min(),
                max: scale.max(),
            });
        }
        self.items.insert(name.to_string(), scale);
        Ok(self)
    }

    /// The scale of an item, if the schema has it.
    pub fn scale(&self, item: &str) -> Option<Scale> {
        self.items.get(item).copied()
    }

    /// The items and their scales, by name.
    pub fn items(&self) -> impl Iterator<Item = (&str, Scale)> {
        self.items
            .iter()
            .map(|(name, scale)| (name.as_str(), *scale))
    }
}
