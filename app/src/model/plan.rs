//! Platform plans (subscriber document, "Admin console" plans).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingCycle {
    Monthly,
    Quarterly,
    SemiAnnual,
    Annual,
}

impl BillingCycle {
    pub fn as_str(self) -> &'static str {
        match self {
            BillingCycle::Monthly => "monthly",
            BillingCycle::Quarterly => "quarterly",
            BillingCycle::SemiAnnual => "semi_annual",
            BillingCycle::Annual => "annual",
        }
    }

    pub fn parse(s: &str) -> Option<BillingCycle> {
        [
            BillingCycle::Monthly,
            BillingCycle::Quarterly,
            BillingCycle::SemiAnnual,
            BillingCycle::Annual,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    /// Calendar months in one period.
    pub fn months(self) -> u32 {
        match self {
            BillingCycle::Monthly => 1,
            BillingCycle::Quarterly => 3,
            BillingCycle::SemiAnnual => 6,
            BillingCycle::Annual => 12,
        }
    }
}

/// Highest playback quality a plan allows.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Quality {
    #[serde(rename = "SD")]
    Sd,
    #[serde(rename = "HD")]
    Hd,
    #[serde(rename = "FHD")]
    Fhd,
    #[serde(rename = "UHD_4K")]
    Uhd4k,
    #[serde(rename = "UHD_8K")]
    Uhd8k,
}

impl Quality {
    pub fn as_str(self) -> &'static str {
        match self {
            Quality::Sd => "SD",
            Quality::Hd => "HD",
            Quality::Fhd => "FHD",
            Quality::Uhd4k => "UHD_4K",
            Quality::Uhd8k => "UHD_8K",
        }
    }

    pub fn parse(s: &str) -> Option<Quality> {
        [
            Quality::Sd,
            Quality::Hd,
            Quality::Fhd,
            Quality::Uhd4k,
            Quality::Uhd8k,
        ]
        .into_iter()
        .find(|q| q.as_str() == s)
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// In `currency`, exact (never a float in code).
    #[cfg_attr(feature = "ssr", schema(value_type = f64, example = 9.99))]
    pub price: Decimal,
    pub currency: String,
    pub billing_cycle: BillingCycle,
    pub max_profiles: i32,
    pub max_concurrent_streams: i32,
    pub max_devices: i32,
    pub max_quality: Quality,
    pub has_downloads: bool,
    /// Null = unlimited (when downloads are allowed).
    pub allow_download_count: Option<i32>,
    pub has_ads: bool,
    pub has_hdr: bool,
    pub has_dolby_atmos: bool,
    pub trial_days: i32,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The body of `POST /admin/plans` and `PUT /admin/plans/{plan_id}`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub description: String,
    #[serde(deserialize_with = "crate::model::money::number")]
    #[cfg_attr(feature = "ssr", schema(value_type = f64, minimum = 0, maximum = 1000000))]
    pub price: Decimal,
    /// ISO 4217, upper case; one of the currencies the platform bills in.
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::backend::domain::money::currency_schema))]
    pub currency: String,
    pub billing_cycle: BillingCycle,
    #[serde(deserialize_with = "crate::model::whole::int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 6))]
    pub max_profiles: i32,
    #[serde(deserialize_with = "crate::model::whole::int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 8))]
    pub max_concurrent_streams: i32,
    #[serde(deserialize_with = "crate::model::whole::int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 20))]
    pub max_devices: i32,
    pub max_quality: Quality,
    pub has_downloads: bool,
    #[serde(default, deserialize_with = "crate::model::whole::opt_int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 0, maximum = 100))]
    pub allow_download_count: Option<i32>,
    pub has_ads: bool,
    #[serde(default)]
    pub has_hdr: bool,
    #[serde(default)]
    pub has_dolby_atmos: bool,
    #[serde(default, deserialize_with = "crate::model::whole::int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 0, maximum = 365))]
    pub trial_days: i32,
    pub is_active: bool,
}
