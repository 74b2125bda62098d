//! Tip jars and tips (audience document, "Monetization").

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A reward a tipper unlocks once their tips to the jar reach `threshold`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JarReward {
    #[serde(deserialize_with = "crate::model::money::number")]
    #[cfg_attr(feature = "ssr", schema(value_type = f64, minimum = 0.01, maximum = 10000))]
    pub threshold: Decimal,
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    pub reward: String,
    /// What the tipper should do to receive it.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub instructions: Option<String>,
}

/// `POST /audience/tips/jars`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTipJar {
    #[serde(default)]
    pub creator_id: Option<Uuid>,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: String,
    /// The amount to raise (none: no goal).
    #[serde(default, deserialize_with = "crate::model::money::opt_number")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<f64>, minimum = 1, maximum = 10000000))]
    pub goal: Option<Decimal>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 1000))]
    pub description: String,
    /// ISO 4217; default the creator's (that of its paid tiers, else USD).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::backend::domain::money::currency_schema))]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "crate::model::money::numbers")]
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<f64>, max_items = 8))]
    pub suggested_amounts: Vec<Decimal>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_items = 10))]
    pub rewards: Vec<JarReward>,
    /// Tips are accepted through the end of this day (UTC).
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub thank_you_message: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipJar {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub name: String,
    pub description: String,
    pub currency: String,
    pub goal: Option<Decimal>,
    /// Tips received so far (before the platform fee).
    pub raised: Decimal,
    pub tip_count: u64,
    /// `raised / goal`, 0–1 (`null` without a goal).
    pub progress: Option<Decimal>,
    pub suggested_amounts: Vec<Decimal>,
    pub rewards: Vec<JarReward>,
    pub thank_you_message: String,
    pub end_date: Option<NaiveDate>,
    /// False once the end date has passed.
    pub open: bool,
    pub created_at: DateTime<Utc>,
}

/// `POST /audience/tips`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendTip {
    /// The tipper's own membership with the creator.
    pub member_id: Uuid,
    pub creator_id: Uuid,
    #[serde(default)]
    pub jar_id: Option<Uuid>,
    #[serde(deserialize_with = "crate::model::money::number")]
    #[cfg_attr(feature = "ssr", schema(value_type = f64, minimum = 1, maximum = 10000))]
    pub amount: Decimal,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub message: String,
    #[serde(default)]
    pub anonymous: bool,
    pub payment_method_id: Uuid,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnlockedReward {
    pub description: String,
    pub instructions: Option<String>,
}

/// The answer to a tip.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipReceipt {
    pub tip_id: Uuid,
    pub amount: Decimal,
    pub currency: String,
    pub status: String,
    pub creator_receives: Decimal,
    pub platform_fee: Decimal,
    /// The reward this tip unlocked (`null`: none new).
    pub reward_unlocked: Option<UnlockedReward>,
    pub thank_you_message: String,
    /// The paid invoice that is the tip's receipt.
    pub receipt_url: String,
}
