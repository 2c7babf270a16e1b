//! What a reader reports beside the records: the values it read as a known name written
//! differently, and touchpoints whose records disagree on the display name.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// The most distinct mappings and touchpoints a reader keeps track of (the report stays small
/// whatever the file; beyond, `truncated` says so).
const MAX_TRACKED: usize = 10_000;

/// A value the reader read as one of the known names of the format while it was written
/// otherwise (`"Contact Center"` read as the channel `contact_center`): nothing is recoded
/// without being reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueMapping {
    /// The field (`channel` or `journey_stage`).
    pub field: String,
    /// The value as written (trimmed).
    pub written: String,
    /// The known name it was read as.
    pub mapped_to: String,
    /// The valid records with that value.
    pub count: u64,
}

/// A touchpoint whose records give it different display names (`touchpoint_name`). Its
/// responses are one group all the same (a touchpoint is its id); the response keeps the name
/// its own record gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameConflict {
    /// The touchpoint id.
    pub touchpoint: String,
    /// Each display name given, with the number of valid records giving it, in order of first
    /// appearance.
    pub names: Vec<(String, u64)>,
}

/// The mappings and name conflicts of a reading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Notes {
    mappings: BTreeMap<(String, String), (String, u64)>,
    names: HashMap<String, Vec<(String, u64)>>,
    /// Whether some mapping or touchpoint was not tracked (beyond [`MAX_TRACKED`]).
    pub(crate) truncated: bool,
}

impl Notes {
    /// Notes that `written` (of `field`) was read as the known name `mapped_to`.
    pub(crate) fn mapping(&mut self, field: &str, written: &str, mapped_to: &str) {
        let written = written.trim();
        if written == mapped_to {
            return;
        }
        if let Some((_, count)) = self
            .mappings
            .get_mut(&(field.to_string(), written.to_string()))
        {
            *count += 1;
        } else if self.mappings.len() < MAX_TRACKED {
            self.mappings.insert(
                (field.to_string(), written.to_string()),
                (mapped_to.to_string(), 1),
            );
        } else {
            self.truncated = true;
        }
    }

    /// Notes the display name a record gives its touchpoint (empty: none).
    pub(crate) fn touchpoint_name(&mut self, id: &str, name: &str) {
        if name.is_empty() {
            return;
        }
        if let Some(names) = self.names.get_mut(id) {
            if let Some(i) = names.iter().position(|(n, _)| n == name) {
                names[i].1 += 1;
            } else if names.len() < 100 {
                names.push((name.to_string(), 1));
            } else {
                self.truncated = true;
            }
        } else if self.names.len() < MAX_TRACKED {
            self.names
                .insert(id.to_string(), vec![(name.to_string(), 1)]);
        } else {
            self.truncated = true;
        }
    }

    /// Adds the notes of a later part of the same source.
    pub(crate) fn merge(&mut self, other: Notes) {
        for ((field, written), (mapped_to, count)) in other.mappings {
            let key = (field, written);
            if let Some((_, c)) = self.mappings.get_mut(&key) {
                *c += count;
            } else if self.mappings.len() < MAX_TRACKED {
                self.mappings.insert(key, (mapped_to, count));
            } else {
                self.truncated = true;
            }
        }
        // Touchpoints in the order of the later part; names in their order of first appearance.
        let mut ids: Vec<(String, Vec<(String, u64)>)> = other.names.into_iter().collect();
        ids.sort_by(|a, b| a.0.cmp(&b.0));
        for (id, names) in ids {
            for (name, count) in names {
                self.touchpoint_name(&id, &name);
                if let Some(list) = self.names.get_mut(&id) {
                    if let Some(entry) = list.iter_mut().find(|(n, _)| *n == name) {
                        entry.1 += count - 1;
                    }
                }
            }
        }
        self.truncated |= other.truncated;
    }

    /// The mappings, by field and value written.
    pub(crate) fn mappings(&self) -> Vec<ValueMapping> {
        self.mappings
            .iter()
            .map(|((field, written), (mapped_to, count))| ValueMapping {
                field: field.clone(),
                written: written.clone(),
                mapped_to: mapped_to.clone(),
                count: *count,
            })
            .collect()
    }

    /// The touchpoints given more than one display name, by id.
    pub(crate) fn name_conflicts(&self) -> Vec<NameConflict> {
        let mut conflicts: Vec<NameConflict> = self
            .names
            .iter()
            .filter(|(_, names)| names.len() > 1)
            .map(|(id, names)| NameConflict {
                touchpoint: id.clone(),
                names: names.clone(),
            })
            .collect();
        conflicts.sort_by(|a, b| a.touchpoint.cmp(&b.touchpoint));
        conflicts
    }
}
