//! A creator's community: posts, comments, reports and the moderation queue, and the
//! overview of `GET /audience/community` (audience document, "Community").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /audience/community`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityOverview {
    pub stats: CommunityStats,
    pub top_contributors: Vec<Contributor>,
    pub trending_topics: Vec<TrendingTopic>,
    pub moderation: ModerationCounts,
}

/// "Today" is the current UTC day.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityStats {
    /// Current members (active or paused).
    pub total_members: u64,
    /// Current members with an interaction today (an engagement event, a post or a comment).
    pub active_today: u64,
    pub posts_today: u64,
    pub comments_today: u64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    pub member_id: Uuid,
    pub name: String,
    /// Posts and comments published, all time.
    pub contributions: u64,
    /// The member's engagement level: `Superfan`, `Engaged`, `Casual` or `Inactive`.
    pub badge: String,
}

/// A hashtag (without `#`) or a frequent term of the last 7 days' posts and comments.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendingTopic {
    pub topic: String,
    /// Posts and comments mentioning it.
    pub mentions: u64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationCounts {
    /// Reports awaiting the team, automatic ones included.
    pub pending_reports: u64,
    /// Posts and comments held today for a blocked word.
    pub auto_moderated_today: u64,
}

/// Who wrote a post or comment.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    /// Their membership; `null` for the creator's team.
    pub member_id: Option<Uuid>,
    /// `member` or `creator`.
    pub role: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub author: Author,
    pub title: String,
    pub body: String,
    /// `published`, `held` (a blocked word: awaiting review) or `removed`.
    pub status: String,
    pub moderation_reason: Option<String>,
    pub comment_count: u64,
    pub created_at: DateTime<Utc>,
}

/// `POST /audience/community/posts`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePost {
    pub creator_id: Uuid,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub title: String,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub body: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: Uuid,
    pub post_id: Uuid,
    pub author: Author,
    pub body: String,
    pub status: String,
    pub moderation_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `POST /audience/community/posts/{post_id}/comments`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateComment {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 5000, pattern = r"\S")
    )]
    pub body: String,
}

/// `POST /audience/community/reports`: a member reports a post, or one of its comments.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateReport {
    pub post_id: Uuid,
    #[serde(default)]
    pub comment_id: Option<Uuid>,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub reason: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub post_id: Uuid,
    pub comment_id: Option<Uuid>,
    /// The reported text, as the team reviews it.
    pub excerpt: String,
    pub reason: String,
    /// `member`, or `auto` for a blocked word.
    pub source: String,
    /// `pending` or `resolved`.
    pub status: String,
    /// `removed` or `kept` once resolved.
    pub resolution: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// `POST /audience/community/reports/{report_id}/resolve`: every pending report on the
/// same post or comment is resolved with it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveReport {
    /// `remove` hides the post or comment; `keep` publishes it (a held one too).
    pub action: ModerationAction,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub note: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    Remove,
    Keep,
}

/// `GET, PUT /audience/community/blocked-words`: posts and comments containing one of
/// these words (whole words, any case) are held for review.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockedWords {
    #[serde(default)]
    pub creator_id: Option<Uuid>,
    #[cfg_attr(feature = "ssr", schema(max_items = 500))]
    pub words: Vec<String>,
}
