//! `GET /audience/community`: today's activity, top contributors, trending topics and
//! the moderation counts. Member totals come from the `member_counts` rollup, today's
//! active members from the daily one (`store::days`), contributors and topics from their
//! rollups (migration 0028); only today's posts and comments are counted, through their
//! `(creator_id, created_at)` indexes.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{resolve_creator, CreatorPermission};
use crate::backend::error::AppError;
use crate::backend::store::{community, days, memberships};
use crate::backend::AppState;
use crate::model::community::{
    CommunityOverview, CommunityStats, Contributor, ModerationCounts, TrendingTopic,
};
use chrono::Duration;
use uuid::Uuid;

const TOP_CONTRIBUTORS: i64 = 5;
const TRENDING_TOPICS: i64 = 10;
/// Trending looks at this many days, today included.
const TRENDING_DAYS: i64 = 7;

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// `superfan` → `Superfan`.
fn badge(level: &str) -> String {
    let mut chars = level.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub async fn overview(
    state: &AppState,
    identity: &Identity,
    creator_id: Option<Uuid>,
) -> Result<CommunityOverview, AppError> {
    // Every read on one connection (see `Db::hold`).
    let db = &state.db.hold().await?;
    let creator_id = resolve_creator(db, identity, creator_id, CreatorPermission::View).await?;
    let now = state.clock.now();
    let today = now.date_naive();
    let midnight = today
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now);
    let total_members: i64 = memberships::counts(db, creator_id)
        .await?
        .iter()
        .filter(|row| row.status != "churned")
        .map(|row| row.members)
        .sum();
    let active = days::member_window(db, creator_id, today).await?.active;
    let (posts, comments, auto_moderated) =
        community::written_since(db, creator_id, midnight).await?;
    let top_contributors = community::top_contributors(db, creator_id, TOP_CONTRIBUTORS)
        .await?
        .into_iter()
        .map(|(member_id, name, contributions, level)| Contributor {
            member_id,
            name,
            contributions: count(contributions),
            badge: badge(&level),
        })
        .collect();
    let since = today - Duration::days(TRENDING_DAYS - 1);
    let trending_topics = community::trending(db, creator_id, since, TRENDING_TOPICS)
        .await?
        .into_iter()
        .map(|(topic, mentions)| TrendingTopic {
            topic,
            mentions: count(mentions),
        })
        .collect();
    let pending = community::count_reports(db, creator_id, Some("pending")).await?;
    Ok(CommunityOverview {
        stats: CommunityStats {
            total_members: count(total_members),
            active_today: count(active),
            posts_today: count(posts),
            comments_today: count(comments),
        },
        top_contributors,
        trending_topics,
        moderation: ModerationCounts {
            pending_reports: pending,
            auto_moderated_today: count(auto_moderated),
        },
    })
}
