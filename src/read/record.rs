//! One record (a CSV row or a JSON object) to a [`Response`], or the list of its invalid fields.

use super::notes::Notes;
use super::{ReadOptions, RejectedRecord, RejectionKind};
use crate::error::Error;
use crate::response::{Answer, Channel, JourneyStage, Origin, Response, Touchpoint};

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

/// A field of a record: its role, name and text (blank text is a missing value).
pub(crate) struct Field<'a> {
    pub role: Role,
    pub name: &'a str,
    pub text: &'a str,
}

pub(crate) const REQUIRED: [&str; 3] = ["respondent_id", "recorded_at", "touchpoint"];

/// Builds the response of one record, or reports every invalid field: `decoding` (problems the
/// reader met decoding the record, such as invalid UTF-8), then those of the fields.
pub(crate) fn assemble(
    line: u64,
    fields: &[Field<'_>],
    options: &ReadOptions,
    decoding: Vec<RejectedRecord>,
    notes: &mut Notes,
) -> Result<Response, Vec<RejectedRecord>> {
    let schema = &options.schema;
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
    // The kind of a field's problem, from the field.
    let kind_of = |field: &str| match field {
        "recorded_at" => RejectionKind::Timestamp,
        "weight" => RejectionKind::Weight,
        f if schema.scale(f).is_some() => RejectionKind::Answer,
        _ => RejectionKind::Value,
    };
    let from_error = |problems: &mut Vec<RejectedRecord>, err: Error| match err {
        Error::InvalidField {
            field,
            value,
            reason,
        } => {
            let kind = kind_of(&field);
            problems.push(RejectedRecord::new(line, field, value, reason, kind))
        }
        other => problems.push(RejectedRecord::new(
            line,
            "",
            "",
            other.to_string(),
            RejectionKind::Value,
        )),
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
        let by_name = field.role == Role::ByName;
        match (field.role, field.name) {
            (Role::ByName, "respondent_id") => respondent_id = Some(text),
            (Role::ByName, "recorded_at") if !blank => match options.read_time(text) {
                Ok(t) => recorded_at = Some(t),
                Err(reason) => reject(
                    &mut problems,
                    "recorded_at",
                    text,
                    reason,
                    RejectionKind::Timestamp,
                ),
            },
            (Role::ByName, "recorded_at") => {}
            (Role::ByName, "touchpoint") => touchpoint_id = Some(text),
            (Role::ByName, "touchpoint_name") => touchpoint_name = Some(text),
            (Role::ByName, "response_id") => response_id = Some(text),
            (Role::ByName, "comment") => comment = Some(text),
            (Role::ByName, "channel") if !blank => match Channel::parse(text) {
                Ok(c) => channel = Some((c, text)),
                Err(e) => from_error(&mut problems, e),
            },
            (Role::ByName, "journey_stage") if !blank => match JourneyStage::parse(text) {
                Ok(s) => stage = Some((s, text)),
                Err(e) => from_error(&mut problems, e),
            },
            (Role::ByName, "intentional") if !blank => match Origin::parse(text) {
                Ok(o) => origin = Some(o),
                Err(e) => from_error(&mut problems, e),
            },
            (Role::ByName, "channel" | "journey_stage" | "intentional") => {}
            (Role::ByName, "weight") => match text.trim().parse::<f64>() {
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
            (Role::ByName | Role::Answer, name) if schema.scale(name).is_some() => {
                let scale = schema.scale(name).expect("checked by the guard");
                match Answer::parse(name, text, scale) {
                    Ok(Some(answer)) => answers.push((name, answer)),
                    Ok(None) => {}
                    Err(e) => from_error(&mut problems, e),
                }
            }
            (Role::Answer, name) => reject(
                &mut problems,
                name,
                text,
                "not an item of the schema; declare its scale to read it".into(),
                RejectionKind::Answer,
            ),
            (Role::ByName | Role::Attribute, name) => {
                if !by_name && crate::response::RESERVED_FIELDS.contains(&name) {
                    reject(
                        &mut problems,
                        name,
                        text,
                        "a reserved name cannot be an attribute".into(),
                        RejectionKind::Value,
                    );
                } else if !blank {
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
    let mut touchpoint = match Touchpoint::new(touchpoint_id.unwrap_or_default()) {
        Ok(t) => t.with_name(touchpoint_name.unwrap_or_default()),
        Err(e) => {
            from_error(&mut problems, e);
            return Err(all(problems));
        }
    };
    if let Some((stage, _)) = &stage {
        touchpoint = touchpoint.with_stage(stage.clone());
    }
    if let Some(origin) = origin {
        touchpoint = touchpoint.with_origin(origin);
    }
    let mut builder = Response::builder(
        respondent_id.unwrap_or_default(),
        recorded_at.expect("checked above"),
        touchpoint,
    );
    if let Some(id) = response_id {
        builder = builder.response_id(id);
    }
    if let Some((channel, _)) = &channel {
        builder = builder.channel(channel.clone());
    }
    if let Some(weight) = weight {
        builder = builder.weight(weight);
    }
    if let Some(comment) = comment {
        builder = builder.comment(comment);
    }
    for (name, answer) in answers {
        builder = builder.answer(name, answer.value(), answer.scale());
    }
    for (key, value) in attributes {
        builder = builder.attribute(key, value);
    }
    match builder.build_or_problems() {
        Ok(response) if decoding_is_empty => {
            if let Some((c, written)) = &channel {
                if !matches!(c, Channel::Custom(_)) {
                    notes.mapping("channel", written, c.as_str());
                }
            }
            if let Some((s, written)) = &stage {
                if !matches!(s, JourneyStage::Custom(_)) {
                    notes.mapping("journey_stage", written, s.as_str());
                }
            }
            let tp = response.touchpoint();
            notes.touchpoint_name(tp.id(), touchpoint_name.map_or("", str::trim));
            Ok(response)
        }
        Ok(_) => Err(all(problems)),
        Err(errors) => {
            for e in errors {
                from_error(&mut problems, e);
            }
            Err(all(problems))
        }
    }
}
