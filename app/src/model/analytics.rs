//! The creator's analytics (audience document): revenue and engagement. Every figure is computed from
//! stored invoices, refunds, subscriptions, tips and memberships.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /audience/revenue`: the last 30, 90 or 365 UTC calendar days, today included.
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

/// `GET /audience/engagement`: the last 1, 7, 30 or 365 UTC calendar days, today included.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngagementPeriod {
    Day,
    Week,
    Month,
    Year,
}

impl EngagementPeriod {
    pub fn days(self) -> i64 {
        match self {
            EngagementPeriod::Day => 1,
            EngagementPeriod::Week => 7,
            EngagementPeriod::Month => 30,
            EngagementPeriod::Year => 365,
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementOverview {
    /// Current members (active or paused).
    pub total_members: u64,
    /// Current members who interacted in the period.
    pub active_members: u64,
    pub new_members: u64,
    pub churned_members: u64,
    pub net_growth: i64,
    /// Net growth ÷ members at the period's start.
    pub growth_rate: Decimal,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementTotals {
    /// The current members' average score (0–100).
    pub avg_engagement_score: u32,
    pub interactions_total: u64,
    pub content_views: u64,
    pub comments: u64,
    pub shares: u64,
    pub persona_conversations: u64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelShare {
    pub count: u64,
    /// Of current members, 0–1.
    pub percent: Decimal,
    /// The level's members' average interactions over the last 30 days (whatever the
    /// period).
    pub avg_interactions: Decimal,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelDistribution {
    pub superfans: LevelShare,
    pub engaged: LevelShare,
    pub casual: LevelShare,
    pub inactive: LevelShare,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementTrends {
    /// Interactions against the period before: "+8%", or "n/a" when it had none.
    pub engagement_trend: String,
    /// Members at the period's start who are still members.
    pub retention_rate: Decimal,
    /// The average reported session length (persona chats' `duration_minutes`).
    pub avg_session_duration_minutes: Decimal,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementReport {
    pub period: EngagementPeriod,
    pub overview: EngagementOverview,
    pub engagement: EngagementTotals,
    pub distribution: LevelDistribution,
    pub trends: EngagementTrends,
}

/// One calendar month (UTC) of a creator's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    /// Memberships started in the month.
    pub joined: u64,
    /// Memberships ended in the month.
    pub churned: u64,
    /// Members at the month's end (now, for the current month).
    pub members: i64,
    /// Tier subscription payments received in the month, less refunds made in it.
    pub subscriptions: Decimal,
    /// Tips received in the month, less refunds of tips made in it.
    pub tips: Decimal,
}

/// One tier's subscription revenue in each month of the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierMonths {
    pub tier_id: Uuid,
    pub tier: String,
    /// Net of refunds, one per month of [`History::months`], in the same order.
    pub amounts: Vec<Decimal>,
}

/// The dashboard's history: the last twelve months, oldest first, in `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub currency: String,
    pub months: Vec<MonthFigures>,
    /// Tiers that earned in these months, in the creator's tier order.
    pub tiers: Vec<TierMonths>,
}
