//! Fields where `null` means something: `"pin": null` removes the PIN, `"limit": null`
//! lifts a cap. Serde reads both a missing field and `null` as `None`; this tells them
//! apart.

use serde::{Deserialize, Deserializer};

/// For `#[serde(default, deserialize_with = "crate::model::nullable::present")]` on an
/// `Option<Option<T>>`: missing → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
