//! One record (a CSV row or a JSON object) to a [`Response`], or the list of its invalid fields.

use super::notes::Notes;
use super::{ReadOptions, RejectedRecord, RejectionKind};
use crate::error::Error;
use crate::response::{Answer, Channel, JourneyStage, Origin, Response, Timestamp, Touchpoint};
use crate::scale::Scale;

/// How a field is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// By its name: a known field, an answer when the schema has the item, else an attribute.
    ByName,
    /// An answer (nested in a JSON `"answers"` object).
    Answer,
    /// A segment attribute (nested in a JSON `"attributes"` object).
    Attribute,
}

/// A field of a record: its role, name and text (blank text is a missing value), and what it is
/// ([`what`], resolved once per CSV column).
pub(crate) struct Field<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub what: What,
}

/// What a field is, from its role and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    RespondentId,
    RecordedAt,
    Touchpoint,
    TouchpointName,
    ResponseId,
    Comment,
    Channel,
    JourneyStage,
    Intentional,
    Weight,
    /// An answer item of the schema, on this scale.
    Answer(Scale),
    /// Nested under "answers" but not an item of the schema.
    UnknownAnswer,
    /// A segment attribute given by name.
    Attribute,
    /// Nested under "attributes".
    NestedAttribute,
}

/// What the field `name` in `role` is.
pub(crate) fn what(role: Role, name: &str, schema: &crate::response::Schema) -> What {
    match (role, name) {
        (Role::ByName, "respondent_id") => What::RespondentId,
        (Role::ByName, "recorded_at") => What::RecordedAt,
        (Role::ByName, "touchpoint") => What::Touchpoint,
        (Role::ByName, "touchpoint_name") => What::TouchpointName,
        (Role::ByName, "response_id") => What::ResponseId,
        (Role::ByName, "comment") => What::Comment,
        (Role::ByName, "channel") => What::Channel,
        (Role::ByName, "journey_stage") => What::JourneyStage,
        (Role::ByName, "intentional") => What::Intentional,
        (Role::ByName, "weight") => What::Weight,
        (Role::ByName | Role::Answer, name) if schema.scale(name).is_some() => {
            What::Answer(schema.scale(name).expect("checked by the guard"))
        }
        (Role::Answer, _) => What::UnknownAnswer,
        (Role::ByName, _) => What::Attribute,
        (Role::Attribute, _) => What::NestedAttribute,
    }
}

pub(crate) const REQUIRED: [&str; 3] = ["respondent_id", "recorded_at", "touchpoint"];

/// A record that passed every check, its values borrowed from the record's text: what a response
/// or a row of the columnar table is made of.
pub(crate) struct Valid<'a> {
    pub response_id: Option<&'a str>,
    pub respondent_id: &'a str,
    pub recorded_at: Timestamp,
    pub touchpoint_id: &'a str,
    pub touchpoint_name: Option<&'a str>,
    pub channel: Option<(Channel, &'a str)>,
    pub stage: Option<(JourneyStage, &'a str)>,
    pub origin: Option<Origin>,
    pub weight: Option<f64>,
    pub comment: Option<&'a str>,
    pub answers: Vec<(&'a str, Answer)>,
    pub attributes: Vec<(&'a str, &'a str)>,
}

impl Valid<'_> {
    /// Notes the values read as known names written otherwise, and the touchpoint's name.
    pub(crate) fn note(&self, notes: &mut Notes) {
        if let Some((c, written)) = &self.channel {
            if !matches!(c, Channel::Custom(_)) {
                notes.mapping("channel", written, c.as_str());
            }
        }
        if let Some((s, written)) = &self.stage {
            if !matches!(s, JourneyStage::Custom(_)) {
                notes.mapping("journey_stage", written, s.as_str());
            }
        }
        notes.touchpoint_name(
            self.touchpoint_id.trim(),
            self.touchpoint_name.map_or("", str::trim),
        );
    }

    /// The response, or the problems the builder finds (none, as [`validate`] makes its checks).
    pub(crate) fn into_response(
        self,
        line: u64,
        options: &ReadOptions,
    ) -> Result<Response, Vec<RejectedRecord>> {
        self.build().map_err(|errors| {
            errors
                .into_iter()
                .map(|e| problem_of(line, e, options))
                .collect()
        })
    }

    fn build(self) -> Result<Response, Vec<Error>> {
        let mut touchpoint = Touchpoint::new(self.touchpoint_id)
            .map_err(|e| vec![e])?
            .with_name(self.touchpoint_name.unwrap_or_default());
        if let Some((stage, _)) = self.stage {
            touchpoint = touchpoint.with_stage(stage);
        }
        if let Some(origin) = self.origin {
            touchpoint = touchpoint.with_origin(origin);
        }
        let mut builder = Response::builder(self.respondent_id, self.recorded_at, touchpoint);
        if let Some(id) = self.response_id {
            builder = builder.response_id(id);
        }
        if let Some((channel, _)) = self.channel {
            builder = builder.channel(channel);
        }
        if let Some(weight) = self.weight {
            builder = builder.weight(weight);
        }
        if let Some(comment) = self.comment {
            builder = builder.comment(comment);
        }
        for (name, answer) in self.answers {
            builder = builder.answer(name, answer.value(), answer.scale());
        }
        for (key, value) in self.attributes {
            builder = builder.attribute(key, value);
        }
        builder.build_or_problems()
    }
}

/// Builds the response of one record, or reports every invalid field: `decoding` (problems the
/// reader met decoding the record, such as invalid UTF-8), then those of the fields.
pub(crate) fn assemble(
    line: u64,
    fields: &[Field<'_>],
    options: &ReadOptions,
    decoding: Vec<RejectedRecord>,
    notes: &mut Notes,
) -> Result<Response, Vec<RejectedRecord>> {
    let valid = validate(line, fields, options, decoding)?;
    valid.note(notes);
    valid.into_response(line, options)
}

/// The rejected field of an error met checking a record.
fn problem_of(line: u64, err: Error, options: &ReadOptions) -> RejectedRecord {
    match err {
        Error::InvalidField {
            field,
            value,
            reason,
        } => {
            let kind = kind_of(&field, options);
            RejectedRecord::new(line, field, value, reason, kind)
        }
        other => RejectedRecord::new(line, "", "", other.to_string(), RejectionKind::Value),
    }
}

/// The kind of a field's problem, from the field.
fn kind_of(field: &str, options: &ReadOptions) -> RejectionKind {
    match field {
        "recorded_at" => RejectionKind::Timestamp,
        "weight" => RejectionKind::Weight,
        f if options.schema.scale(f).is_some() => RejectionKind::Answer,
        _ => RejectionKind::Value,
    }
}

/// Checks one record: its values, or every invalid field (`decoding` first: problems the reader
/// met decoding the record, such as invalid UTF-8). A record that passes gives a response and a
/// row of the table alike: the checks of [`Response::builder`] are made here too.
pub(crate) fn validate<'a>(
    line: u64,
    fields: &[Field<'a>],
    options: &ReadOptions,
    decoding: Vec<RejectedRecord>,
) -> Result<Valid<'a>, Vec<RejectedRecord>> {
    // The problems of the fields; the decoding problems come first in what is reported.
    let mut problems: Vec<RejectedRecord> = Vec::new();
    let decoding_is_empty = decoding.is_empty();
    let all = |fields: Vec<RejectedRecord>| {
        let mut all = decoding;
        all.extend(fields);
        all
    };
    let reject = |problems: &mut Vec<RejectedRecord>,
                  field: &str,
                  value: &str,
                  reason: String,
                  kind: RejectionKind| {
        problems.push(RejectedRecord::new(line, field, value, reason, kind))
    };
    let from_error = |problems: &mut Vec<RejectedRecord>, err: Error| {
        problems.push(problem_of(line, err, options))
    };

    let mut respondent_id = None;
    let mut recorded_at = None;
    let mut touchpoint_id = None;
    let mut touchpoint_name = None;
    let mut response_id = None;
    let mut channel = None;
    let mut stage = None;
    let mut origin = None;
    let mut weight = None;
    let mut comment = None;
    let mut answers: Vec<(&str, Answer)> = Vec::new();
    let mut attributes: Vec<(&str, &str)> = Vec::new();

    for field in fields {
        let text = field.text;
        let blank = text.trim().is_empty();
        let name = field.name;
        match field.what {
            What::RespondentId => respondent_id = Some(text),
            What::RecordedAt if !blank => match options.read_time(text) {
                Ok(t) => recorded_at = Some(t),
                Err(reason) => reject(
                    &mut problems,
                    "recorded_at",
                    text,
                    reason,
                    RejectionKind::Timestamp,
                ),
            },
            What::RecordedAt => {}
            What::Touchpoint => touchpoint_id = Some(text),
            What::TouchpointName => touchpoint_name = Some(text),
            What::ResponseId => response_id = Some(text),
            What::Comment => comment = Some(text),
            What::Channel if !blank => match Channel::parse(text) {
                Ok(c) => channel = Some((c, text)),
                Err(e) => from_error(&mut problems, e),
            },
            What::JourneyStage if !blank => match JourneyStage::parse(text) {
                Ok(s) => stage = Some((s, text)),
                Err(e) => from_error(&mut problems, e),
            },
            What::Intentional if !blank => match Origin::parse(text) {
                Ok(o) => origin = Some(o),
                Err(e) => from_error(&mut problems, e),
            },
            What::Channel | What::JourneyStage | What::Intentional => {}
            What::Weight => match text.trim().parse::<f64>() {
                Ok(w) if w.is_finite() && w >= 0.0 => weight = Some(w),
                Ok(_) => reject(
                    &mut problems,
                    "weight",
                    text,
                    "must be finite and >= 0".into(),
                    RejectionKind::Weight,
                ),
                Err(_) if blank => reject(
                    &mut problems,
                    "weight",
                    text,
                    "blank; every response needs a weight when the weight field is present".into(),
                    RejectionKind::Weight,
                ),
                Err(_) => reject(
                    &mut problems,
                    "weight",
                    text,
                    "not a number".into(),
                    RejectionKind::Weight,
                ),
            },
            What::Answer(scale) => match Answer::parse(name, text, scale) {
                Ok(Some(answer)) => answers.push((name, answer)),
                Ok(None) => {}
                Err(e) => from_error(&mut problems, e),
            },
            What::UnknownAnswer => reject(
                &mut problems,
                name,
                text,
                "not an item of the schema; declare its scale to read it".into(),
                RejectionKind::Answer,
            ),
            What::NestedAttribute if crate::response::RESERVED_FIELDS.contains(&name) => reject(
                &mut problems,
                name,
                text,
                "a reserved name cannot be an attribute".into(),
                RejectionKind::Value,
            ),
            What::Attribute | What::NestedAttribute => {
                if !blank {
                    attributes.push((name, text));
                }
            }
        }
    }
    for (name, value) in [
        ("respondent_id", respondent_id),
        ("touchpoint", touchpoint_id),
    ] {
        if value.is_none_or(|v| v.trim().is_empty()) {
            reject(
                &mut problems,
                name,
                value.unwrap_or(""),
                "required, must not be blank".into(),
                RejectionKind::Missing,
            );
        }
    }
    if recorded_at.is_none() && !problems.iter().any(|p| p.field == "recorded_at") {
        reject(
            &mut problems,
            "recorded_at",
            "",
            "required, must not be blank".into(),
            RejectionKind::Missing,
        );
    }
    if !problems.is_empty() {
        return Err(all(problems));
    }
    // The checks of the response builder, on the borrowed values.
    for e in crate::response::part_problems(
        respondent_id.unwrap_or_default(),
        weight.unwrap_or(1.0),
        attributes.iter().copied(),
        answers
            .iter()
            .map(|(name, a)| (*name, a.value(), a.scale())),
    ) {
        from_error(&mut problems, e);
    }
    if !problems.is_empty() || !decoding_is_empty {
        return Err(all(problems));
    }
    Ok(Valid {
        response_id,
        respondent_id: respondent_id.unwrap_or_default(),
        recorded_at: recorded_at.expect("checked above"),
        touchpoint_id: touchpoint_id.unwrap_or_default(),
        touchpoint_name,
        channel,
        stage,
        origin,
        weight,
        comment,
        answers,
        attributes,
    })
}
