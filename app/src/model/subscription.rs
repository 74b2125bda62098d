//! Subscriptions and invoices (subscriber document, "Billing").

use crate::model::plan::{BillingCycle, Plan};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Trialing,
    Active,
    PastDue,
    Paused,
    Canceled,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Trialing => "trialing",
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::PastDue => "past_due",
            SubscriptionStatus::Paused => "paused",
            SubscriptionStatus::Canceled => "canceled",
        }
    }

    pub fn parse(s: &str) -> Option<SubscriptionStatus> {
        [
            SubscriptionStatus::Trialing,
            SubscriptionStatus::Active,
            SubscriptionStatus::PastDue,
            SubscriptionStatus::Paused,
            SubscriptionStatus::Canceled,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: Uuid,
    pub user_id: Uuid,
    pub plan_id: Uuid,
    pub plan: Plan,
    pub status: SubscriptionStatus,
    pub auto_renew: bool,
    pub current_period_start: DateTime<Utc>,
    pub current_period_end: DateTime<Utc>,
    /// When the next charge is due (none once canceled or set to cancel).
    pub next_billing_date: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
    pub canceled_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    pub trial_start: Option<DateTime<Utc>>,
    pub trial_end: Option<DateTime<Utc>>,
    pub payment_method_id: Option<Uuid>,
    pub payment_method_last4: Option<String>,
    pub coupon_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The body of `POST /subscriptions`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSubscription {
    pub plan_id: Uuid,
    /// The id of one of your saved payment methods (`POST /payment-methods`).
    pub payment_method_id: Uuid,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 50))]
    pub coupon_code: Option<String>,
}

/// The body of `POST /subscriptions/me/cancel`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelSubscription {
    /// `false` (default): cancel at the end of the paid period; `true`: now, no refund.
    #[serde(default)]
    pub immediate: bool,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub reason: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Open,
    Paid,
    Uncollectible,
    Void,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Open => "open",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Uncollectible => "uncollectible",
            InvoiceStatus::Void => "void",
        }
    }

    pub fn parse(s: &str) -> Option<InvoiceStatus> {
        [
            InvoiceStatus::Draft,
            InvoiceStatus::Open,
            InvoiceStatus::Paid,
            InvoiceStatus::Uncollectible,
            InvoiceStatus::Void,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: i32,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub unit_price: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub amount: Decimal,
    /// `subscription`, `proration`, `discount` or `credit`.
    #[serde(rename = "type")]
    pub kind: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: Uuid,
    /// `INV-YYYY-NNNNN`, gapless per year.
    pub invoice_number: String,
    pub subscription_id: Option<Uuid>,
    pub status: InvoiceStatus,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub amount: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub amount_paid: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub discount_amount: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub tax_amount: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub amount_due: Decimal,
    pub currency: String,
    pub description: String,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub due_date: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub line_items: Vec<InvoiceLine>,
    pub created_at: DateTime<Utc>,
}

/// Where a billing cycle ends, counted from the anchor so short months do not drift
/// the billing day (Jan 31 → Feb 28 → Mar 31).
pub fn period_end(anchor: DateTime<Utc>, cycle: BillingCycle, periods: u32) -> DateTime<Utc> {
    anchor
        .checked_add_months(chrono::Months::new(cycle.months() * periods))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The body of `POST /subscriptions/preview`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewPlanChange {
    pub plan_id: Uuid,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 50))]
    pub coupon_code: Option<String>,
}

/// The body of `PATCH /subscriptions/me`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePlan {
    pub plan_id: Uuid,
    /// A coupon for the new plan, as in the preview.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 50))]
    pub coupon_code: Option<String>,
}

/// What a plan change costs if made now.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChangePreview {
    pub from_plan_id: Uuid,
    pub to_plan_id: Uuid,
    /// Unused time on the current plan, credited.
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub proration_credit: Decimal,
    /// Charged to the default payment method now (after any account balance).
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    pub amount_due_now: Decimal,
    pub currency: String,
    pub next_billing_date: chrono::NaiveDate,
    /// Always `immediate`: changes apply at once.
    pub effective: String,
}
