//! Coupons (subscriber document, "Billing" and "Admin console").

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountType {
    /// `discount_value` percent off each discounted invoice (0.01–100).
    Percent,
    /// `discount_value` in `currency` off each discounted invoice (never below zero).
    FixedAmount,
    /// `discount_value` more days of free trial when subscribing (1–365).
    FreeTrialDays,
}

impl DiscountType {
    pub fn as_str(self) -> &'static str {
        match self {
            DiscountType::Percent => "percent",
            DiscountType::FixedAmount => "fixed_amount",
            DiscountType::FreeTrialDays => "free_trial_days",
        }
    }

    pub fn parse(s: &str) -> Option<DiscountType> {
        [
            DiscountType::Percent,
            DiscountType::FixedAmount,
            DiscountType::FreeTrialDays,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponStatus {
    Active,
    /// Past `valid_until` (set by the platform, never by an admin).
    Expired,
    Disabled,
}

impl CouponStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CouponStatus::Active => "active",
            CouponStatus::Expired => "expired",
            CouponStatus::Disabled => "disabled",
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coupon {
    pub id: Uuid,
    pub code: String,
    pub description: Option<String>,
    pub discount_type: DiscountType,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub discount_value: Decimal,
    pub currency: Option<String>,
    /// Empty: every plan.
    pub applicable_plan_ids: Vec<Uuid>,
    /// How many billing periods a subscription gets the discount for, starting with the
    /// first one billed after redeeming; `null`: every period while it lasts.
    pub duration_periods: Option<i32>,
    pub max_redemptions: Option<i32>,
    pub max_redemptions_per_user: i32,
    pub redemption_count: i32,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub status: CouponStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The body of `POST /admin/coupons`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCoupon {
    /// Upper-case letters, digits, `-` and `_`.
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 50, pattern = "^[A-Z0-9_-]+$")
    )]
    pub code: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub description: Option<String>,
    pub discount_type: DiscountType,
    #[serde(deserialize_with = "crate::model::money::number")]
    #[cfg_attr(feature = "ssr", schema(value_type = f64, minimum = 0.01))]
    pub discount_value: Decimal,
    /// Required for (and only for) `fixed_amount`.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::backend::domain::money::currency_schema, nullable = true))]
    pub currency: Option<String>,
    #[serde(default)]
    pub applicable_plan_ids: Vec<Uuid>,
    #[serde(default, deserialize_with = "crate::model::whole::opt_int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 120))]
    pub duration_periods: Option<i32>,
    #[serde(default, deserialize_with = "crate::model::whole::opt_int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1))]
    pub max_redemptions: Option<i32>,
    #[serde(default = "one", deserialize_with = "crate::model::whole::int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, default = 1))]
    pub max_redemptions_per_user: i32,
    pub valid_from: DateTime<Utc>,
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
    /// `active` or `disabled`.
    pub status: CouponStatus,
}

fn one() -> i32 {
    1
}

/// The body of `PATCH /admin/coupons/{coupon_id}`: code, type and value never change.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateCoupon {
    /// `active` or `disabled`.
    #[serde(default)]
    pub status: Option<CouponStatus>,
    #[serde(default, deserialize_with = "crate::model::whole::opt_int")]
    #[cfg_attr(feature = "ssr", schema(minimum = 1))]
    pub max_redemptions: Option<i32>,
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub description: Option<String>,
}

/// The body of `POST /coupons/validate`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateCoupon {
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 50))]
    pub code: String,
    pub plan_id: Uuid,
}

/// Why a coupon cannot be used.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponError {
    NotFound,
    Expired,
    Disabled,
    /// Not for this plan or currency, or not valid yet.
    NotApplicable,
    MaxRedemptionsReached,
    /// You have used it as often as one account may.
    AlreadyRedeemed,
}

impl CouponError {
    pub fn message(self) -> &'static str {
        match self {
            CouponError::NotFound => "No coupon has this code.",
            CouponError::Expired => "This coupon has expired.",
            CouponError::Disabled => "This coupon is no longer offered.",
            CouponError::NotApplicable => "This coupon does not apply to this plan.",
            CouponError::MaxRedemptionsReached => "This coupon has been used up.",
            CouponError::AlreadyRedeemed => "You have already used this coupon.",
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponValidation {
    pub valid: bool,
    /// The coupon, when the code names one (also when it cannot be used).
    pub coupon: Option<Coupon>,
    pub error_code: Option<CouponError>,
}
