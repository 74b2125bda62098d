//! Re-engagement campaigns (audience document, "Send Engagement Campaign").

use crate::model::announcement::Channel;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The members a campaign is for.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// Every member, current or former.
    All,
    /// Members (current or former) at this engagement level.
    Superfan,
    Engaged,
    Casual,
    Inactive,
    /// Former members.
    Churned,
}

impl Segment {
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::All => "all",
            Segment::Superfan => "superfan",
            Segment::Engaged => "engaged",
            Segment::Casual => "casual",
            Segment::Inactive => "inactive",
            Segment::Churned => "churned",
        }
    }

    pub fn parse(text: &str) -> Option<Segment> {
        [
            Segment::All,
            Segment::Superfan,
            Segment::Engaged,
            Segment::Casual,
            Segment::Inactive,
            Segment::Churned,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignFilters {
    /// No interaction (or, without any, no join) for at least this many days.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 3650))]
    pub inactive_days_min: Option<u32>,
    /// Whether the member ever paid the creator for a tier.
    #[serde(default)]
    pub was_paid_subscriber: Option<bool>,
    /// Members of this tier only; the offer is then for this tier only.
    #[serde(default)]
    pub tier_id: Option<Uuid>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignMessage {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub subject: String,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 5000, pattern = r"\S")
    )]
    pub body: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub cta: String,
}

/// The offer: a percentage off the creator's paid tiers for the first billing periods,
/// as a real coupon that members give as `coupon_code` when joining.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignOffer {
    /// `discount`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The fraction off, from 0.01 to 1.
    #[serde(deserialize_with = "crate::model::money::number")]
    #[cfg_attr(feature = "ssr", schema(value_type = f64, minimum = 0.01, maximum = 1))]
    pub value: Decimal,
    /// Billing periods discounted (months for monthly members); default 1.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 24))]
    pub duration_months: Option<u32>,
    /// Upper-case letters, digits, `-` and `_`; generated when absent.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 50))]
    pub code: Option<String>,
}

/// `POST /audience/engagement/campaigns`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCampaign {
    #[serde(default)]
    pub creator_id: Option<Uuid>,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: String,
    /// A label for the team, such as `reactivation`.
    #[serde(rename = "type", default = "reactivation")]
    #[cfg_attr(feature = "ssr", schema(max_length = 50))]
    pub kind: String,
    pub target_segment: Segment,
    #[serde(default)]
    pub filters: CampaignFilters,
    pub message: CampaignMessage,
    #[serde(default)]
    pub offer: Option<CampaignOffer>,
    #[cfg_attr(feature = "ssr", schema(min_items = 1))]
    pub channels: Vec<Channel>,
    /// When to send; now when absent.
    #[serde(default)]
    pub scheduled_at: Option<DateTime<Utc>>,
}

/// `POST /audience/engagement/campaigns/preview`: who a campaign would reach, counted
/// without creating it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewAudience {
    #[serde(default)]
    pub creator_id: Option<Uuid>,
    pub target_segment: Segment,
    #[serde(default)]
    pub filters: CampaignFilters,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudiencePreview {
    /// Members the campaign would reach if sent now.
    pub audience_size: u64,
}

fn reactivation() -> String {
    "reactivation".into()
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignStats {
    /// Members the campaign went out to.
    pub sent: u64,
    /// Messages delivered: in-app notifications and emails, to members who allow
    /// marketing messages.
    pub delivered: u64,
    /// Joins that used the offer's code.
    pub redeemed: u64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub target_segment: Segment,
    pub filters: CampaignFilters,
    pub message: CampaignMessage,
    pub offer: Option<CampaignOffer>,
    /// The coupon the offer created.
    pub coupon_id: Option<Uuid>,
    pub channels: Vec<Channel>,
    pub scheduled_at: DateTime<Utc>,
    /// `scheduled`, `sending` or `sent`.
    pub status: String,
    /// Members it targets, counted when it was created.
    pub audience_size: u64,
    pub stats: CampaignStats,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}
