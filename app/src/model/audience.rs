//! The creator Audience API (audience document): tiers, memberships and members, with
//! the documented JSON shapes. Amounts are exact decimals in the tier's currency.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A creator's tier. `member_count` counts active and paused members;
/// `revenue_monthly` is what they pay per month (yearly members count a twelfth).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub name: String,
    pub description: String,
    pub currency: String,
    pub price_monthly: Decimal,
    pub price_yearly: Decimal,
    pub benefits: Vec<String>,
    /// The most members the tier takes (`null`: no cap).
    pub limit: Option<u32>,
    pub visible: bool,
    pub is_default: bool,
    pub member_count: u64,
    pub revenue_monthly: Decimal,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /audience/tiers`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierList {
    pub tiers: Vec<Tier>,
}

/// `POST /audience/tiers`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTier {
    /// May be omitted when the caller belongs to exactly one creator.
    #[serde(default)]
    pub creator_id: Option<Uuid>,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 1000))]
    pub description: String,
    #[serde(deserialize_with = "crate::model::money::number")]
    #[cfg_attr(feature = "ssr", schema(value_type = f64, minimum = 0, maximum = 10000))]
    pub price_monthly: Decimal,
    /// Defaults to twelve monthly payments.
    #[serde(default, deserialize_with = "crate::model::money::opt_number")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<f64>, minimum = 0, maximum = 120000))]
    pub price_yearly: Option<Decimal>,
    /// ISO 4217; every paid tier of a creator uses the same one. Default USD.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::backend::domain::money::currency_schema))]
    pub currency: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_items = 20))]
    pub benefits: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 10000000))]
    pub limit: Option<u32>,
    #[serde(default = "yes")]
    pub visible: bool,
}

fn yes() -> bool {
    true
}

/// `PUT /audience/tiers/{tier_id}`: the fields given change; `limit: null` lifts the cap.
/// Prices apply to new members and to current ones from their next renewal.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateTier {
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 1000))]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::model::money::opt_number")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<f64>, minimum = 0, maximum = 10000))]
    pub price_monthly: Option<Decimal>,
    #[serde(default, deserialize_with = "crate::model::money::opt_number")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<f64>, minimum = 0, maximum = 120000))]
    pub price_yearly: Option<Decimal>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_items = 20))]
    pub benefits: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::model::nullable::present")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<u32>, minimum = 1, maximum = 10000000))]
    pub limit: Option<Option<u32>>,
    #[serde(default)]
    pub visible: Option<bool>,
}

/// How a member pays: nothing (a free tier), monthly or yearly.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipCycle {
    Monthly,
    Yearly,
}

impl MembershipCycle {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipCycle::Monthly => "monthly",
            MembershipCycle::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "monthly" => Some(MembershipCycle::Monthly),
            "yearly" => Some(MembershipCycle::Yearly),
            _ => None,
        }
    }
}

/// `POST /api/v1/memberships`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinTier {
    pub creator_id: Uuid,
    pub tier_id: Uuid,
    /// Required for a paid tier; ignored for a free one.
    #[serde(default)]
    pub billing_cycle: Option<MembershipCycle>,
    /// Required for a paid tier: one of the caller's saved payment methods.
    #[serde(default)]
    pub payment_method_id: Option<Uuid>,
    /// A creator's offer code (from a campaign) for a paid tier: `400 invalid_coupon`
    /// when it does not apply.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 50))]
    pub coupon_code: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Active,
    Paused,
    Churned,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 3] = [
        MemberStatus::Active,
        MemberStatus::Paused,
        MemberStatus::Churned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::Paused => "paused",
            MemberStatus::Churned => "churned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Engagement levels by score (see the API reference for the thresholds).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngagementLevel {
    Superfan,
    Engaged,
    Casual,
    Inactive,
}

impl EngagementLevel {
    pub const ALL: [EngagementLevel; 4] = [
        EngagementLevel::Superfan,
        EngagementLevel::Engaged,
        EngagementLevel::Casual,
        EngagementLevel::Inactive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EngagementLevel::Superfan => "superfan",
            EngagementLevel::Engaged => "engaged",
            EngagementLevel::Casual => "casual",
            EngagementLevel::Inactive => "inactive",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A membership as its member sees it (the answer to joining).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub creator_name: String,
    pub user_id: Uuid,
    pub tier_id: Uuid,
    pub tier_name: String,
    pub status: MemberStatus,
    /// `null` for a free tier.
    pub billing_cycle: Option<MembershipCycle>,
    pub subscription_id: Option<Uuid>,
    pub next_billing: Option<DateTime<Utc>>,
    /// When a canceled paid membership ends (it stays until its paid period is over).
    pub ends_at: Option<DateTime<Utc>>,
    pub joined_at: DateTime<Utc>,
}

/// `GET /api/v1/memberships`: the caller's memberships, current ones first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipList {
    pub data: Vec<Membership>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberTier {
    pub id: Uuid,
    pub name: String,
    pub price_monthly: Decimal,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEngagement {
    pub level: EngagementLevel,
    pub score: u8,
    pub interactions_30d: u64,
    pub last_interaction: Option<DateTime<Utc>>,
}

/// The paid side of a membership (`null` on a free tier).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSubscription {
    pub started_at: NaiveDate,
    /// Whole months since `started_at`.
    pub months_subscribed: u32,
    /// Everything the member has paid this creator, less refunds.
    pub lifetime_value: Decimal,
    pub next_billing: Option<NaiveDate>,
}

/// One row of `GET /audience/members`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: Uuid,
    pub user_id: Uuid,
    pub creator_id: Uuid,
    pub name: String,
    pub email: String,
    pub avatar_url: Option<String>,
    pub tier: MemberTier,
    pub status: MemberStatus,
    pub engagement: MemberEngagement,
    pub subscription: Option<MemberSubscription>,
    pub joined_at: DateTime<Utc>,
}

/// Members by engagement level, for the same filters as `total`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segments {
    pub superfans: u64,
    pub engaged: u64,
    pub casual: u64,
    pub inactive: u64,
}

/// `GET /audience/members`: the documented `{members, total, segments}` plus the cursor
/// of the next page.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberList {
    pub members: Vec<Member>,
    pub total: u64,
    pub segments: Segments,
    pub next_cursor: Option<String>,
}

/// The interactions engagement is computed from.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    ContentView,
    Comment,
    Share,
    PersonaChat,
}

impl EventType {
    pub const ALL: [EventType; 4] = [
        EventType::ContentView,
        EventType::Comment,
        EventType::Share,
        EventType::PersonaChat,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ContentView => "content_view",
            EventType::Comment => "comment",
            EventType::Share => "share",
            EventType::PersonaChat => "persona_chat",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One interaction of `POST /audience/events`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// The sender's id for the event: sending it again changes nothing.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 100))]
    pub id: String,
    pub member_id: Uuid,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When it happened (default: when it is received); never in the future.
    #[serde(default)]
    pub timestamp: Option<DateTime<Utc>>,
    /// `content_view`: `content_id`, `completion` (0–1); `persona_chat`:
    /// `duration_minutes`; any object of at most 2 KB.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub details: Option<serde_json::Value>,
}

/// `POST /audience/events`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestEvents {
    #[serde(default)]
    pub creator_id: Option<Uuid>,
    #[cfg_attr(feature = "ssr", schema(min_items = 1, max_items = 500))]
    pub events: Vec<EventInput>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestResult {
    /// Events recorded now.
    pub accepted: u64,
    /// Events whose id was recorded before (ignored).
    pub duplicates: u64,
}

/// One entry of a member's activity timeline.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(rename = "type")]
    pub kind: EventType,
    pub timestamp: DateTime<Utc>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub details: serde_json::Value,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberTierDetail {
    pub id: Uuid,
    pub name: String,
    pub price_monthly: Decimal,
    pub benefits: Vec<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementDetail {
    pub level: EngagementLevel,
    pub score: u8,
    /// 1 for the creator's most engaged current member.
    pub rank: u64,
    pub interactions_total: u64,
    pub interactions_30d: u64,
    pub content_views: u64,
    pub comments: u64,
    pub shares: u64,
    pub persona_conversations: u64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSubscriptionDetail {
    pub id: Uuid,
    pub tier_id: Uuid,
    pub started_at: NaiveDate,
    pub months_subscribed: u32,
    pub lifetime_value: Decimal,
    pub billing_cycle: MembershipCycle,
    pub next_billing: Option<NaiveDate>,
    /// `card_ending_4242`; never more of the card.
    pub payment_method: Option<String>,
    pub status: String,
}

/// A gifted membership period the member received.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gift {
    pub from_member_id: Uuid,
    pub gift_type: String,
    pub date: NaiveDate,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPreferences {
    /// The notification kinds the member receives.
    pub notifications: Vec<String>,
    pub communication_channel: String,
}

/// `GET /audience/members/{member_id}`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberDetail {
    pub id: Uuid,
    pub user_id: Uuid,
    pub creator_id: Uuid,
    pub name: String,
    pub email: String,
    pub avatar_url: Option<String>,
    pub tier: MemberTierDetail,
    pub status: MemberStatus,
    pub engagement: EngagementDetail,
    /// The latest interactions, newest first (at most 20).
    pub activity_timeline: Vec<Activity>,
    pub subscription: Option<MemberSubscriptionDetail>,
    pub gifts_received: Vec<Gift>,
    pub preferences: MemberPreferences,
    pub notes: String,
    pub tags: Vec<String>,
    pub joined_at: DateTime<Utc>,
    pub last_active: Option<DateTime<Utc>>,
}

/// `PUT /audience/members/{member_id}`: what the creator's team may change.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateMember {
    /// Moves the member to another of the creator's tiers without charging (an
    /// override; a paid membership renews at the new tier's price).
    #[serde(default)]
    pub tier_id: Option<Uuid>,
    /// `paused` pauses a paid membership's billing; `active` resumes it.
    #[serde(default)]
    pub status: Option<MemberStatus>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 2000))]
    pub notes: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_items = 20))]
    pub tags: Option<Vec<String>>,
}

/// A tier as anyone may see it on the creator's page.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTier {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub currency: String,
    pub price_monthly: Decimal,
    pub price_yearly: Decimal,
    pub benefits: Vec<String>,
    pub is_default: bool,
    /// Places left under the tier's cap (`null`: no cap).
    pub spots_left: Option<u64>,
}

/// `GET /api/v1/creators/{creator_id}`: the creator, its visible tiers and its tip jars.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorPage {
    #[serde(flatten)]
    pub creator: crate::model::creator::Creator,
    pub tiers: Vec<PublicTier>,
    pub tip_jars: Vec<crate::model::tip::TipJar>,
}
