//! Gift cards (subscriber document, "Billing" and "Admin console").

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiftCard {
    pub id: Uuid,
    /// The full code only in the answers of generation, lookup and redemption (which
    /// already know it); elsewhere `••••` and its last four characters.
    pub code: String,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub initial_value: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub remaining_value: Decimal,
    pub currency: String,
    /// `active`, `redeemed`, `expired` or `disabled`.
    pub status: String,
    pub redeemed_by: Option<Uuid>,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiftCardList {
    pub data: Vec<GiftCard>,
}

/// The body of `POST /admin/gift-cards`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateGiftCards {
    #[serde(deserialize_with = "crate::model::whole::int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 500))]
    pub quantity: i32,
    #[serde(deserialize_with = "crate::model::money::number")]
    #[cfg_attr(feature = "ssr", schema(value_type = f64, minimum = 0.01, maximum = 10000))]
    pub initial_value: Decimal,
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::backend::domain::money::currency_schema))]
    pub currency: String,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The body of `POST /gift-cards/redeem`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedeemGiftCard {
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 64))]
    pub code: String,
}
