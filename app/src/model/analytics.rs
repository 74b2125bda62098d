//! The creator's analytics (audience document): revenue. Every figure is computed from
//! stored invoices, refunds, subscriptions, tips and memberships.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `GET /audience/revenue`: a trailing window ending now.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevenuePeriod {
    /// The last 30 days.
    Month,
    /// The last 90 days.
    Quarter,
    /// The last 365 days.
    Year,
}

impl RevenuePeriod {
    pub fn days(self) -> i64 {
        match self {
            RevenuePeriod::Month => 30,
            RevenuePeriod::Quarter => 90,
            RevenuePeriod::Year => 365,
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevenueTotals {
    pub total: Decimal,
    /// Tier subscription payments, less refunds.
    pub subscriptions: Decimal,
    /// Tips, less refunds.
    pub tips: Decimal,
    /// Encora sells no merchandise: always 0.
    pub merchandise: Decimal,
    /// Encora sells no pay-per-view: always 0.
    pub pay_per_view: Decimal,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierMrr {
    pub tier_id: uuid::Uuid,
    pub tier: String,
    pub mrr: Decimal,
    pub subscribers: u64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionMetrics {
    /// What live tier subscriptions pay per month now (a yearly one counts a twelfth).
    pub mrr: Decimal,
    pub arr: Decimal,
    /// The monthly value of tier subscriptions started in the period.
    pub new_mrr: Decimal,
    /// The monthly value of tier subscriptions that ended in the period.
    pub churned_mrr: Decimal,
    pub net_mrr_growth: Decimal,
    pub by_tier: Vec<TierMrr>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevenueMetrics {
    /// Period revenue per current member (free ones included).
    pub arpu: Decimal,
    /// Period revenue per current paying member.
    pub arppu: Decimal,
    /// All revenue ever, per member who ever paid.
    pub ltv: Decimal,
    /// Acquisition cost: Encora records no marketing spend, so `null`.
    pub cac: Option<Decimal>,
    pub ltv_cac_ratio: Option<Decimal>,
    /// Tier subscriptions that ended in the period ÷ those live at its start.
    pub churn_rate: Decimal,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payouts {
    /// This month's revenue so far after the platform fee, paid out on the 1st.
    pub pending: Decimal,
    pub next_payout_date: NaiveDate,
    pub platform_fee_rate: Decimal,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevenueReport {
    pub period: RevenuePeriod,
    /// The creator's currency; amounts in other currencies are not added in.
    pub currency: String,
    pub revenue: RevenueTotals,
    pub subscriptions: SubscriptionMetrics,
    pub metrics: RevenueMetrics,
    pub payouts: Payouts,
}
