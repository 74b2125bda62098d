//! Money amounts in JSON: numbers with their exact digits (`9.99`), never strings and
//! never through an f64 (serde_json's `arbitrary_precision` keeps the digits).

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use std::str::FromStr;

/// For `#[serde(deserialize_with)]` on a `Decimal`: accepts only a JSON number.
pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    let text = number.to_string();
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| serde::de::Error::custom(format!("{text} is not a representable amount")))
}

/// For `#[serde(default, deserialize_with)]` on an `Option<Decimal>`: a JSON number or
/// `null`.
pub fn opt_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    #[derive(Deserialize)]
    struct Amount(#[serde(deserialize_with = "number")] Decimal);
    Ok(Option::<Amount>::deserialize(deserializer)?.map(|Amount(n)| n))
}

/// For `#[serde(default, deserialize_with)]` on a `Vec<Decimal>`: JSON numbers only.
pub fn numbers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Decimal>, D::Error> {
    #[derive(Deserialize)]
    struct Amount(#[serde(deserialize_with = "number")] Decimal);
    Ok(Vec::<Amount>::deserialize(deserializer)?
        .into_iter()
        .map(|Amount(n)| n)
        .collect())
}
