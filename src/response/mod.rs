//! The typed model of survey data: a [`Response`] of a respondent at a [`Touchpoint`], on a
//! [`Channel`], with segment attributes, answers on their scales, a weight and a comment.
//!
//! Every value is validated on construction ([`ResponseBuilder::build`]), so a `Response` in hand is
//! always usable: its answers lie on their scales, its weight is finite and non-negative, its
//! timestamp is a real instant. Files of responses are read by `cxmetrics::read` (feature `read`).

mod schema;
mod timestamp;
mod touchpoint;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use schema::{Schema, CES, CSAT, NPS, REPURCHASE_INTENTION, RESERVED_FIELDS};
pub use timestamp::Timestamp;
pub(crate) use timestamp::{civil_from_days, days_from_civil, digits};
pub use touchpoint::{Channel, JourneyStage, Origin, Touchpoint};

use crate::error::{Error, Result};
use crate::scale::Scale;

/// One answer: a score on its scale.
///
/// # Examples
/// ```
/// use cxmetrics::{Answer, Scale};
/// let a = Answer::new("csat", 4, Scale::LIKERT_5)?;
/// assert_eq!((a.value(), a.scale()), (4, Scale::LIKERT_5));
/// assert!(Answer::new("csat", 6, Scale::LIKERT_5).is_err());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawAnswer")]
pub struct Answer {
    value: i64,
    scale: Scale,
}

#[derive(Deserialize)]
struct RawAnswer {
    value: i64,
    scale: Scale,
}

impl TryFrom<RawAnswer> for Answer {
    type Error = Error;
    fn try_from(raw: RawAnswer) -> Result<Self> {
        Answer::new("answer", raw.value, raw.scale)
    }
}

impl Answer {
    /// An answer of item `item` (named in the error).
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the value is outside the scale.
    pub fn new(item: &str, value: i64, scale: Scale) -> Result<Self> {
        if !scale.contains(value) {
            return Err(Error::InvalidField {
                field: item.to_string(),
                value: value.to_string(),
                reason: format!("outside the scale {}-{}", scale.min(), scale.max()),
            });
        }
        Ok(Answer { value, scale })
    }

    /// Reads an answer written as text: a whole number (`"9"`, `"9.0"`); blank text is a missing
    /// answer (`Ok(None)`).
    ///
    /// # Errors
    /// [`Error::InvalidField`] for text that is not a number, a number that is not whole, or one
    /// outside the scale.
    pub fn parse(item: &str, text: &str, scale: Scale) -> Result<Option<Self>> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        let invalid = |reason: String| Error::InvalidField {
            field: item.to_string(),
            value: text.to_string(),
            reason,
        };
        let value = match trimmed.parse::<i64>() {
            Ok(v) => v,
            Err(_) => {
                let x: f64 = trimmed
                    .parse()
                    .map_err(|_| invalid("not a number".to_string()))?;
                if !x.is_finite() || x.fract() != 0.0 || x.abs() > Scale::MAX_ABS_BOUND as f64 {
                    return Err(invalid(
                        "not a whole number; scores must be scale points".into(),
                    ));
                }
                x as i64
            }
        };
        if !scale.contains(value) {
            return Err(invalid(format!(
                "outside the scale {}-{}",
                scale.min(),
                scale.max()
            )));
        }
        Ok(Some(Answer { value, scale }))
    }

    /// The score.
    pub fn value(&self) -> i64 {
        self.value
    }

    /// The scale it was given on.
    pub fn scale(&self) -> Scale {
        self.scale
    }
}

/// A survey response: who answered, when, at which touchpoint and channel, the segment attributes,
/// the answers, the survey weight and the free-text comment. Built (and validated) with
/// [`Response::builder`]; serialises with serde and deserialises with the same validation.
///
/// # Examples
/// ```
/// use cxmetrics::{Channel, Response, Timestamp, Touchpoint};
/// let r = Response::builder("C00042", Timestamp::parse("2025-03-14T10:22:05Z")?, Touchpoint::new("delivery")?)
///     .channel(Channel::Delivery)
///     .attribute("segment", "vip")
///     .nps(9)
///     .csat(4)
///     .weight(0.8)
///     .comment("Arrived a day early")
///     .build()?;
/// assert_eq!(r.nps(), Some(9));
/// assert_eq!(r.answer("ces"), None); // not answered
/// assert_eq!(r.attribute("segment"), Some("vip"));
///
/// // Invalid values are refused, naming the field:
/// let err = Response::builder("C00042", r.recorded_at(), r.touchpoint().clone()).nps(11).build();
/// assert!(err.unwrap_err().to_string().contains("nps"));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawResponse")]
pub struct Response {
    response_id: Option<String>,
    respondent_id: String,
    recorded_at: Timestamp,
    touchpoint: Touchpoint,
    channel: Option<Channel>,
    attributes: BTreeMap<String, String>,
    answers: BTreeMap<String, Answer>,
    weight: f64,
    comment: Option<String>,
}

/// Serialises in the documented input shape of the JSON Lines reader (`cxmetrics::read`): the
/// touchpoint as its id with `touchpoint_name`, `journey_stage` and `intentional` beside it, the
/// answers in an `"answers"` object (a plain number for the standard items on their standard
/// scale, `{"value": v, "scale": [min, max]}` otherwise), the attributes in an `"attributes"`
/// object. Deserialising reads that shape back, with the same validation as the builder; it also
/// accepts the standard items and the attributes at the top level, as the reader does.
impl Serialize for Response {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let standard = Schema::default();
        let tp = &self.touchpoint;
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &self.response_id {
            map.serialize_entry("response_id", id)?;
        }
        map.serialize_entry("respondent_id", &self.respondent_id)?;
        map.serialize_entry("recorded_at", &self.recorded_at)?;
        map.serialize_entry("touchpoint", tp.id())?;
        if tp.name() != tp.id() {
            map.serialize_entry("touchpoint_name", tp.name())?;
        }
        if let Some(stage) = tp.stage() {
            map.serialize_entry("journey_stage", stage)?;
        }
        if let Some(origin) = tp.origin() {
            map.serialize_entry("intentional", &(origin == Origin::Intentional))?;
        }
        if let Some(channel) = tp.channel() {
            map.serialize_entry("touchpoint_channel", channel)?;
        }
        if let Some(channel) = &self.channel {
            map.serialize_entry("channel", channel)?;
        }
        map.serialize_entry("weight", &self.weight)?;
        if let Some(comment) = &self.comment {
            map.serialize_entry("comment", comment)?;
        }
        struct Answers<'a>(&'a BTreeMap<String, Answer>, &'a Schema);
        impl Serialize for Answers<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (item, answer) in self.0 {
                    if self.1.scale(item) == Some(answer.scale) {
                        map.serialize_entry(item, &answer.value)?;
                    } else {
                        map.serialize_entry(item, answer)?;
                    }
                }
                map.end()
            }
        }
        if !self.answers.is_empty() {
            map.serialize_entry("answers", &Answers(&self.answers, &standard))?;
        }
        if !self.attributes.is_empty() {
            map.serialize_entry("attributes", &self.attributes)?;
        }
        map.end()
    }
}

/// An answer as written: a number or numeric text on the item's standard scale, or
/// `{"value": v, "scale": [min, max]}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireAnswer {
    Scaled(Answer),
    Plain(serde_json::Value),
}

/// A touchpoint as written: its id, or the object form of [`Touchpoint`].
#[derive(Deserialize)]
#[serde(untagged)]
enum WireTouchpoint {
    Id(String),
    Full(Touchpoint),
}

/// `intentional` as written: a boolean or the words the reader accepts.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireOrigin {
    Flag(bool),
    Text(String),
}

#[derive(Deserialize)]
struct RawResponse {
    #[serde(default)]
    response_id: Option<String>,
    respondent_id: String,
    recorded_at: Timestamp,
    touchpoint: WireTouchpoint,
    #[serde(default)]
    touchpoint_name: Option<String>,
    #[serde(default)]
    journey_stage: Option<JourneyStage>,
    #[serde(default)]
    intentional: Option<WireOrigin>,
    #[serde(default)]
    touchpoint_channel: Option<Channel>,
    #[serde(default)]
    channel: Option<Channel>,
    #[serde(default)]
    attributes: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    answers: BTreeMap<String, WireAnswer>,
    #[serde(default = "unit_weight")]
    weight: f64,
    #[serde(default)]
    comment: Option<String>,
    /// Standard items and attributes given at the top level.
    #[serde(flatten)]
    rest: BTreeMap<String, serde_json::Value>,
}

fn unit_weight() -> f64 {
    1.0
}

/// The text of a JSON scalar (`None` for null); an error for arrays and objects.
fn scalar_text(field: &str, value: &serde_json::Value) -> Result<Option<String>> {
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s.clone())),
        serde_json::Value::Bool(b) => Ok(Some(b.to_string())),
        serde_json::Value::Number(n) => Ok(Some(n.to_string())),
        _ => Err(Error::InvalidField {
            field: field.to_string(),
            value: value.to_string(),
            reason: "a nested value; expected text, a number or a boolean".into(),
        }),
    }
}

impl TryFrom<RawResponse> for Response {
    type Error = Error;
    fn try_from(raw: RawResponse) -> Result<Self> {
        let standard = Schema::default();
        let mut touchpoint = match raw.touchpoint {
            WireTouchpoint::Id(id) => Touchpoint::new(&id)?,
            WireTouchpoint::Full(t) => t,
        };
        if let Some(name) = raw.touchpoint_name {
            touchpoint = touchpoint.with_name(&name);
        }
        if let Some(stage) = raw.journey_stage {
            touchpoint = touchpoint.with_stage(stage);
        }
        match raw.intentional {
            Some(WireOrigin::Flag(true)) => {
                touchpoint = touchpoint.with_origin(Origin::Intentional)
            }
            Some(WireOrigin::Flag(false)) => {
                touchpoint = touchpoint.with_origin(Origin::Fortuitous)
            }
            Some(WireOrigin::Text(text)) => {
                touchpoint = touchpoint.with_origin(Origin::parse(&text)?)
            }
            None => {}
        }
        if let Some(channel) = raw.touchpoint_channel {
            touchpoint = touchpoint.with_channel(channel);
        }
        let mut builder = Response::builder(&raw.respondent_id, raw.recorded_at, touchpoint);
        builder.response_id = raw.response_id;
        builder.channel = raw.channel;
        builder.weight = raw.weight;
        builder.comment = raw.comment;
        let plain = |item: &str, value: &serde_json::Value| -> Result<Option<Answer>> {
            let Some(scale) = standard.scale(item) else {
                return Err(Error::InvalidField {
                    field: item.to_string(),
                    value: value.to_string(),
                    reason: "not a standard item; give it as {\"value\": v, \"scale\": [min, max]}"
                        .into(),
                });
            };
            match scalar_text(item, value)? {
                Some(text) => Answer::parse(item, &text, scale),
                None => Ok(None),
            }
        };
        for (item, answer) in raw.answers {
            let answer = match answer {
                WireAnswer::Scaled(a) => Some(a),
                WireAnswer::Plain(value) => plain(&item, &value)?,
            };
            if let Some(a) = answer {
                builder.answers.push((item, a.value, a.scale));
            }
        }
        for (key, value) in raw.attributes {
            if let Some(text) = scalar_text(&key, &value)? {
                builder.attributes.insert(key, text);
            }
        }
        for (key, value) in raw.rest {
            if standard.scale(&key).is_some() {
                if builder.answers.iter().any(|(item, _, _)| *item == key) {
                    return Err(Error::InvalidField {
                        field: key,
                        value: value.to_string(),
                        reason: "given both at the top level and under \"answers\"".into(),
                    });
                }
                if let Some(a) = plain(&key, &value)? {
                    builder.answers.push((key, a.value, a.scale));
                }
            } else if let Some(text) = scalar_text(&key, &value)? {
                if builder.attributes.contains_key(&key) {
                    return Err(Error::InvalidField {
                        field: key,
                        value: text,
                        reason: "given both at the top level and under \"attributes\"".into(),
                    });
                }
                builder.attributes.insert(key, text);
            }
        }
        builder.build()
    }
}

/// Collects the fields of a [`Response`]; [`ResponseBuilder::build`] validates them.
#[derive(Debug, Clone)]
pub struct ResponseBuilder {
    response_id: Option<String>,
    respondent_id: String,
    recorded_at: Timestamp,
    touchpoint: Touchpoint,
    channel: Option<Channel>,
    attributes: BTreeMap<String, String>,
    answers: Vec<(String, i64, Scale)>,
    weight: f64,
    comment: Option<String>,
}

impl ResponseBuilder {
    /// The identifier of this response (e.g. the survey's own id).
    pub fn response_id(mut self, id: &str) -> Self {
        self.response_id = Some(id.to_string());
        self
    }

    /// The channel of this response; without one, [`Response::channel`] falls back to the
    /// touchpoint's.
    pub fn channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }

    /// A segment attribute (region, customer tier, language...): free key-value text.
    pub fn attribute(mut self, key: &str, value: &str) -> Self {
        self.attributes.insert(key.to_string(), value.to_string());
        self
    }

    /// An answer to item `item` on `scale` (checked by `build`).
    pub fn answer(mut self, item: &str, value: i64, scale: Scale) -> Self {
        self.answers.push((item.to_string(), value, scale));
        self
    }

    /// Likelihood to recommend, 0-10.
    pub fn nps(self, value: i64) -> Self {
        self.answer(NPS, value, Scale::NPS)
    }

    /// Satisfaction on 1-5 (use [`Self::answer`] for another scale).
    pub fn csat(self, value: i64) -> Self {
        self.answer(CSAT, value, Scale::LIKERT_5)
    }

    /// Customer effort on 1-7 (use [`Self::answer`] for another scale).
    pub fn ces(self, value: i64) -> Self {
        self.answer(CES, value, Scale::LIKERT_7)
    }

    /// Repurchase intention on 1-5 (use [`Self::answer`] for another scale).
    pub fn repurchase_intention(self, value: i64) -> Self {
        self.answer(REPURCHASE_INTENTION, value, Scale::LIKERT_5)
    }

    /// The survey weight (1 unless set).
    pub fn weight(mut self, weight: f64) -> Self {
        self.weight = weight;
        self
    }

    /// The free-text comment (blank text is no comment).
    pub fn comment(mut self, comment: &str) -> Self {
        self.comment = Some(comment.to_string());
        self
    }

    /// Validates and builds the response; see [`Self::problems`] for every problem at once.
    ///
    /// # Errors
    /// The first of [`Self::problems`].
    pub fn build(self) -> Result<Response> {
        self.build_or_problems()
            .map_err(|mut problems| problems.swap_remove(0))
    }

    /// Every invalid field, each as an [`Error::InvalidField`]: an empty respondent id, an answer
    /// outside its scale (or NPS on a scale other than 0-10, or an item answered twice), a weight
    /// that is negative, NaN or infinite, an attribute with an empty key or a reserved name.
    pub fn problems(&self) -> Vec<Error> {
        self.clone().build_or_problems().err().unwrap_or_default()
    }

    pub(crate) fn build_or_problems(self) -> std::result::Result<Response, Vec<Error>> {
        let problems = part_problems(
            &self.respondent_id,
            self.weight,
            self.attributes
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
            self.answers.iter().map(|(k, v, s)| (k.as_str(), *v, *s)),
        );
        if !problems.is_empty() {
            return Err(problems);
        }
        let respondent_id = self.respondent_id.trim().to_string();
        let answers: BTreeMap<String, Answer> = self
            .answers
            .into_iter()
            .map(|(item, value, scale)| (item, Answer { value, scale }))
            .collect();
        let response_id = self
            .response_id
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let comment = self.comment.filter(|c| !c.trim().is_empty());
        Ok(Response {
            response_id,
            respondent_id,
            recorded_at: self.recorded_at,
            touchpoint: self.touchpoint,
            channel: self.channel,
            attributes: self.attributes,
            answers,
            weight: self.weight,
            comment,
        })
    }
}

/// The problems of a response's parts, as [`ResponseBuilder::build`] checks them: a blank
/// respondent id, a weight that is not finite and >= 0, attribute names and answer items that are
/// empty or reserved, an NPS answer off the 0-10 scale, an answer off its scale, an item answered
/// twice. The readers check records with it too, so that what they accept always builds.
pub(crate) fn part_problems<'a>(
    respondent_id: &str,
    weight: f64,
    attributes: impl Iterator<Item = (&'a str, &'a str)>,
    answers: impl Iterator<Item = (&'a str, i64, Scale)>,
) -> Vec<Error> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, value: String, reason: &str| {
        problems.push(Error::InvalidField {
            field: field.to_string(),
            value,
            reason: reason.to_string(),
        })
    };
    if respondent_id.trim().is_empty() {
        problem(
            "respondent_id",
            respondent_id.to_string(),
            "must not be empty",
        );
    }
    if !(weight.is_finite() && weight >= 0.0) {
        problem("weight", weight.to_string(), "must be finite and >= 0");
    }
    for (key, value) in attributes {
        if key.trim().is_empty() || RESERVED_FIELDS.contains(&key) {
            problem(
                key,
                value.to_string(),
                "attribute names must not be empty or reserved",
            );
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for (item, value, scale) in answers {
        if item.trim().is_empty() || RESERVED_FIELDS.contains(&item) {
            problem(
                item,
                value.to_string(),
                "answer items must not be empty or reserved",
            );
        } else if item == NPS && scale != Scale::NPS {
            problem(item, value.to_string(), "NPS answers are on the 0-10 scale");
        } else if !scale.contains(value) {
            let reason = format!("outside the scale {}-{}", scale.min(), scale.max());
            problem(item, value.to_string(), &reason);
        } else if seen.contains(&item) {
            problem(item, value.to_string(), "answered twice");
        } else {
            seen.push(item);
        }
    }
    problems
}

impl Response {
    /// Starts a response of `respondent_id` at `touchpoint`, recorded at `recorded_at`.
    pub fn builder(
        respondent_id: &str,
        recorded_at: Timestamp,
        touchpoint: Touchpoint,
    ) -> ResponseBuilder {
        ResponseBuilder {
            response_id: None,
            respondent_id: respondent_id.to_string(),
            recorded_at,
            touchpoint,
            channel: None,
            attributes: BTreeMap::new(),
            answers: Vec::new(),
            weight: 1.0,
            comment: None,
        }
    }

    /// The response's own identifier, if given.
    pub fn response_id(&self) -> Option<&str> {
        self.response_id.as_deref()
    }

    /// Who answered.
    pub fn respondent_id(&self) -> &str {
        &self.respondent_id
    }

    /// When.
    pub fn recorded_at(&self) -> Timestamp {
        self.recorded_at
    }

    /// Where.
    pub fn touchpoint(&self) -> &Touchpoint {
        &self.touchpoint
    }

    /// The channel of this response, or else the touchpoint's.
    pub fn channel(&self) -> Option<&Channel> {
        self.channel.as_ref().or(self.touchpoint.channel())
    }

    /// A segment attribute.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).map(String::as_str)
    }

    /// All segment attributes, by key.
    pub fn attributes(&self) -> &BTreeMap<String, String> {
        &self.attributes
    }

    /// The answer to an item (`None` when not answered).
    pub fn answer(&self, item: &str) -> Option<Answer> {
        self.answers.get(item).copied()
    }

    /// All answers, by item.
    pub fn answers(&self) -> &BTreeMap<String, Answer> {
        &self.answers
    }

    /// Likelihood to recommend (0-10), if answered.
    pub fn nps(&self) -> Option<i64> {
        self.answer(NPS).map(|a| a.value())
    }

    /// Satisfaction, if answered.
    pub fn csat(&self) -> Option<i64> {
        self.answer(CSAT).map(|a| a.value())
    }

    /// Customer effort, if answered.
    pub fn ces(&self) -> Option<i64> {
        self.answer(CES).map(|a| a.value())
    }

    /// Repurchase intention, if answered.
    pub fn repurchase_intention(&self) -> Option<i64> {
        self.answer(REPURCHASE_INTENTION).map(|a| a.value())
    }

    /// The survey weight (1 unless given).
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// The free-text comment, if any.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }
}
