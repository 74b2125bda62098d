//! Creator announcements (audience document, "Create Announcement").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who sees an announcement (and is notified of it).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Every current member.
    AllMembers,
    /// Members of a paid tier.
    PaidMembers,
    /// Members of the tiers in `tier_ids`.
    SpecificTiers,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::AllMembers => "all_members",
            Visibility::PaidMembers => "paid_members",
            Visibility::SpecificTiers => "specific_tiers",
        }
    }

    pub fn parse(text: &str) -> Option<Visibility> {
        [
            Visibility::AllMembers,
            Visibility::PaidMembers,
            Visibility::SpecificTiers,
        ]
        .into_iter()
        .find(|v| v.as_str() == text)
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An in-app notification.
    Push,
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Push => "push",
            Channel::Email => "email",
        }
    }
}

/// `POST /audience/announcements`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAnnouncement {
    #[serde(default)]
    pub creator_id: Option<Uuid>,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub title: String,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub content: String,
    #[serde(default = "all_members")]
    pub visibility: Visibility,
    /// The creator's tiers, for `specific_tiers`.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_items = 50))]
    pub tier_ids: Vec<Uuid>,
    #[serde(default)]
    pub pin: bool,
    #[serde(default)]
    pub notify: bool,
    /// Default `["push"]` when `notify` is true.
    #[serde(default)]
    pub notification_channels: Vec<Channel>,
}

fn all_members() -> Visibility {
    Visibility::AllMembers
}

/// How far notifying the audience got.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementDelivery {
    /// `none` (not notified), `queued` (being sent) or `sent`.
    pub status: String,
    /// Members reached so far.
    pub recipients: u64,
    /// In-app notifications created (members who turned off "new content" are skipped).
    pub push_sent: u64,
    pub email_sent: u64,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub title: String,
    pub content: String,
    pub visibility: Visibility,
    pub tier_ids: Vec<Uuid>,
    pub pinned: bool,
    pub notification_channels: Vec<Channel>,
    /// For the creator's team only; `null` for members.
    pub delivery: Option<AnnouncementDelivery>,
    pub created_at: DateTime<Utc>,
}
