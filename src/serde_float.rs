//! Serde of `f64` fields that may be NaN or infinite. JSON has no such numbers (serde_json writes
//! them as `null`, which then fails to read back as a number), so results write finite values as
//! numbers, NaN as `null` and the infinities as the strings `"inf"` and `"-inf"`, and read all of
//! these back: every round trip through JSON (and so through pickle) is exact.

use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

/// Writes `x`: a number when finite, `null` for NaN, `"inf"` / `"-inf"` for the infinities.
pub(crate) fn serialize<S: Serializer>(x: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if x.is_finite() {
        serializer.serialize_f64(*x)
    } else if x.is_nan() {
        serializer.serialize_none()
    } else if *x > 0.0 {
        serializer.serialize_str("inf")
    } else {
        serializer.serialize_str("-inf")
    }
}

/// Reads what [`serialize`] writes (also `"nan"`).
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    deserializer.deserialize_any(FloatVisitor)
}

struct FloatVisitor;

impl<'de> Visitor<'de> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number, null (NaN), \"inf\" or \"-inf\"")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Ok(f64::NAN)
    }
    fn visit_none<E: de::Error>(self) -> Result<f64, E> {
        Ok(f64::NAN)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "inf" => Ok(f64::INFINITY),
            "-inf" => Ok(f64::NEG_INFINITY),
            "nan" | "NaN" => Ok(f64::NAN),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// The same for `Option<f64>` fields: `None` is written as `null` and `Some(x)` as [`serialize`]
/// writes `x`; so `Some(NaN)`, which the results never hold, would read back as `None`.
pub(crate) mod option {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `None` as `null`, `Some(x)` as the outer module writes `x`.
    pub(crate) fn serialize<S: Serializer>(
        x: &Option<f64>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match x {
            None => serializer.serialize_none(),
            Some(x) => super::serialize(x, serializer),
        }
    }

    /// Reads `null` as `None`, anything else as the outer module reads it.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<f64>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "super")] f64);
        let x = Option::<Wrapped>::deserialize(deserializer)?;
        Ok(x.map(|w| w.0).filter(|v| !v.is_nan()))
    }
}
