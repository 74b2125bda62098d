//! Whole numbers in JSON bodies. JSON Schema's `integer` includes `5.0`, so a client
//! (or a contract test) may send one: these accept any JSON number without a fraction
//! and refuse the rest with a clear message.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

fn to_i32<E: serde::de::Error>(n: Decimal) -> Result<i32, E> {
    if !n.fract().is_zero() {
        return Err(E::custom(format!("{n} is not a whole number")));
    }
    n.to_i32()
        .ok_or_else(|| E::custom(format!("{n} is out of range")))
}

/// For `#[serde(deserialize_with)]` on an `i32`.
pub fn int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    to_i32(crate::model::money::number(deserializer)?)
}

/// For `#[serde(deserialize_with)]` on an `Option<i32>` (with `#[serde(default)]`).
pub fn opt_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i32>, D::Error> {
    #[derive(Deserialize)]
    struct Number(#[serde(deserialize_with = "crate::model::money::number")] Decimal);
    Option::<Number>::deserialize(deserializer)?
        .map(|Number(n)| to_i32(n))
        .transpose()
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::int")]
        n: i32,
        #[serde(default, deserialize_with = "super::opt_int")]
        m: Option<i32>,
    }

    #[test]
    fn whole_floats_are_integers_and_fractions_are_not() {
        let body: Body = serde_json::from_str(r#"{"n": 11488.0, "m": null}"#).unwrap();
        assert_eq!((body.n, body.m), (11488, None));
        let body: Body = serde_json::from_str(r#"{"n": 3, "m": 4.00}"#).unwrap();
        assert_eq!((body.n, body.m), (3, Some(4)));
        assert!(serde_json::from_str::<Body>(r#"{"n": 1.5}"#).is_err());
        assert!(serde_json::from_str::<Body>(r#"{"n": "1"}"#).is_err());
        assert!(serde_json::from_str::<Body>(r#"{"n": 3000000000}"#).is_err());
        assert_eq!(serde_json::from_str::<Body>(r#"{"n": 1}"#).unwrap().m, None);
    }
}
