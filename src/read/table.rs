//! Responses as named columns, the shape data frames want.

use crate::response::{Response, Schema, RESERVED_FIELDS};

/// One column of a [`ResponseTable`]; `None` is a missing value.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Text (identifiers, names, comments, text attributes).
    Text(Vec<Option<String>>),
    /// Whole numbers (answers, integer attributes).
    Integer(Vec<Option<i64>>),
    /// Real numbers (weights, numeric attributes).
    Float(Vec<Option<f64>>),
    /// Booleans (`intentional`).
    Bool(Vec<Option<bool>>),
    /// Instants in nanoseconds since the Unix epoch, UTC (`recorded_at`).
    TimestampNanos(Vec<i64>),
}

/// Responses as columns, one per field, in the order given: what a data frame is built from.
///
/// Answers are integer columns; `intentional` is boolean; `recorded_at` is UTC nanoseconds (the
/// original UTC offsets are not kept); `channel` falls back to the touchpoint's. A segment attribute
/// becomes an integer column when every present value is a whole number, a float column when every
/// one is a number, text otherwise (as `pandas.read_csv` infers).
///
/// # Examples
/// ```
/// use cxmetrics::read::{read_csv_from, Column, ReadOptions, ResponseTable};
/// let data = "respondent_id,recorded_at,touchpoint,nps,bought_again\n\
///             C1,2025-01-02T09:00:00Z,store,9,1\nC2,2025-01-03T09:00:00Z,store,,0\n";
/// let read = read_csv_from(data.as_bytes(), "inline", &ReadOptions::default())?;
/// let table = ResponseTable::new(&read.responses, &read.fields, &ReadOptions::default().schema);
/// assert_eq!(table.column("nps"), Some(&Column::Integer(vec![Some(9), None])));
/// assert_eq!(table.column("bought_again"), Some(&Column::Integer(vec![Some(1), Some(0)])));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTable {
    columns: Vec<(String, Column)>,
}

fn infer(values: Vec<Option<&str>>) -> Column {
    let present = || values.iter().flatten();
    if present().all(|v| v.trim().parse::<i64>().is_ok()) {
        return Column::Integer(
            values
                .iter()
                .map(|v| v.and_then(|v| v.trim().parse().ok()))
                .collect(),
        );
    }
    if present().all(|v| v.trim().parse::<f64>().is_ok()) {
        return Column::Float(
            values
                .iter()
                .map(|v| v.and_then(|v| v.trim().parse().ok()))
                .collect(),
        );
    }
    Column::Text(values.iter().map(|v| v.map(str::to_string)).collect())
}

impl ResponseTable {
    /// The columns named in `fields` (as [`super::ReadOutcome::fields`] lists them); the required
    /// fields come first when `fields` lacks them.
    pub fn new(responses: &[Response], fields: &[String], schema: &Schema) -> Self {
        let mut names: Vec<&str> = ["respondent_id", "recorded_at", "touchpoint"]
            .into_iter()
            .filter(|r| !fields.iter().any(|f| f == r))
            .collect();
        names.extend(fields.iter().map(String::as_str));
        let text = |f: &dyn Fn(&Response) -> Option<String>| {
            Column::Text(responses.iter().map(f).collect())
        };
        let columns = names
            .into_iter()
            .filter(|name| !matches!(*name, "answers" | "attributes"))
            .map(|name| {
                let column = match name {
                    "response_id" => text(&|r| r.response_id().map(str::to_string)),
                    "respondent_id" => text(&|r| Some(r.respondent_id().to_string())),
                    "recorded_at" => Column::TimestampNanos(
                        responses
                            .iter()
                            .map(|r| r.recorded_at().unix_nanos())
                            .collect(),
                    ),
                    "touchpoint" => text(&|r| Some(r.touchpoint().id().to_string())),
                    "touchpoint_name" => text(&|r| Some(r.touchpoint().name().to_string())),
                    "channel" => text(&|r| r.channel().map(|c| c.to_string())),
                    "journey_stage" => text(&|r| r.touchpoint().stage().map(|s| s.to_string())),
                    "intentional" => Column::Bool(
                        responses
                            .iter()
                            .map(|r| r.touchpoint().origin().map(|o| o.is_intentional()))
                            .collect(),
                    ),
                    "weight" => Column::Float(responses.iter().map(|r| Some(r.weight())).collect()),
                    "comment" => text(&|r| r.comment().map(str::to_string)),
                    item if schema.scale(item).is_some() => Column::Integer(
                        responses
                            .iter()
                            .map(|r| r.answer(item).map(|a| a.value()))
                            .collect(),
                    ),
                    key => infer(responses.iter().map(|r| r.attribute(key)).collect()),
                };
                (name.to_string(), column)
            })
            .collect();
        ResponseTable { columns }
    }

    /// The table of responses built in code: the standard fields, every answered item and every
    /// attribute.
    pub fn from_responses(responses: &[Response], schema: &Schema) -> Self {
        let mut fields: Vec<String> = RESERVED_FIELDS
            .iter()
            .filter(|f| !matches!(**f, "answers" | "attributes"))
            .map(|f| f.to_string())
            .collect();
        for r in responses {
            for key in r.answers().keys().chain(r.attributes().keys()) {
                if !fields.contains(key) {
                    fields.push(key.clone());
                }
            }
        }
        Self::new(responses, &fields, schema)
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[(String, Column)] {
        &self.columns
    }

    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// Consumes the table, giving its columns.
    pub fn into_columns(self) -> Vec<(String, Column)> {
        self.columns
    }
}
