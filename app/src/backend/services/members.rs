//! The creator's members list: filters, text search, cursor pages, and the total and
//! engagement segments for the same filters. Totals and segments come from the rollups
//! (`member_counts`; `member_join_days` for a join date), and are counted member by
//! member only for a search.

use crate::backend::auth::identity::Identity;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::pagination::{into_page, Direction, PageQuery, PageRequest};
use crate::backend::services::admin_users::search_words;
use crate::backend::services::creator_reads::CreatorReads;
use crate::backend::services::tiers::invalid_tier;
use crate::backend::store::member_words;
use crate::backend::store::memberships::{self, MemberFilter, MemberRow};
use crate::backend::AppState;
use crate::model::audience::{
    EngagementLevel, Member, MemberEngagement, MemberList, MemberStatus, MemberSubscription,
    MemberTier, Segments,
};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

const SEARCH_MAX: usize = 100;

/// The query of `GET /audience/members`, as sent.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// May be omitted when the caller belongs to exactly one creator.
    pub creator_id: Option<Uuid>,
    /// A tier id of this creator.
    pub tier: Option<String>,
    /// `active`, `paused` or `churned`; default all three.
    pub status: Option<String>,
    /// `superfan`, `engaged`, `casual` or `inactive`.
    pub engagement_level: Option<String>,
    /// A date (`2026-01-31`, from its start, UTC) or a time (RFC 3339).
    pub joined_after: Option<String>,
    /// Words, each the start of a word of the member's name or email (`ada love`
    /// finds Ada Lovelace; at most 100 characters).
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

fn blank_to_none(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn parse_time(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN).and_utc())
        })
}

/// The list's filters, checked: every bad one is reported at once; a tier must be one
/// of the creator's (`invalid_tier`), as the request's tiers list them.
async fn filter_of(reads: &CreatorReads, query: &MemberQuery) -> Result<MemberFilter, AppError> {
    let mut errors = Vec::new();
    let status = blank_to_none(&query.status).and_then(|s| match MemberStatus::parse(s) {
        Some(status) => Some(status.as_str().to_string()),
        None => {
            errors.push(FieldError::new(
                "status",
                "must be active, paused or churned",
            ));
            None
        }
    });
    let level =
        blank_to_none(&query.engagement_level).and_then(|s| match EngagementLevel::parse(s) {
            Some(level) => Some(level.as_str().to_string()),
            None => {
                errors.push(FieldError::new(
                    "engagement_level",
                    "must be superfan, engaged, casual or inactive",
                ));
                None
            }
        });
    let joined_after = blank_to_none(&query.joined_after).and_then(|s| match parse_time(s) {
        Some(time) => Some(time),
        None => {
            errors.push(FieldError::new(
                "joined_after",
                "must be a date (2026-01-31) or an RFC 3339 time",
            ));
            None
        }
    });
    let search = blank_to_none(&query.q).map(search_words);
    if query
        .q
        .as_deref()
        .is_some_and(|q| q.chars().count() > SEARCH_MAX)
    {
        errors.push(FieldError::new("q", "must be at most 100 characters"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let tier_id = match blank_to_none(&query.tier) {
        None => None,
        Some(tier) => {
            let id = Uuid::parse_str(tier).map_err(|_| invalid_tier())?;
            if !reads.tiers().await?.iter().any(|t| t.id == id) {
                return Err(invalid_tier());
            }
            Some(id)
        }
    };
    let mut filter = MemberFilter::new(reads.creator_id());
    filter.tier_id = tier_id;
    filter.status = status;
    filter.level = level;
    filter.joined_after = joined_after;
    filter.search = search;
    Ok(filter)
}

pub async fn list(
    state: &AppState,
    identity: &Identity,
    query: MemberQuery,
) -> Result<MemberList, AppError> {
    let reads = CreatorReads::open(state, identity, query.creator_id).await?;
    list_from(&reads, &query, state.clock.now()).await
}

/// [`list`] from reads already open (its `creator_id` is theirs).
pub async fn list_from(
    reads: &CreatorReads,
    query: &MemberQuery,
    now: DateTime<Utc>,
) -> Result<MemberList, AppError> {
    let page_request = PageQuery {
        cursor: query.cursor.clone(),
        limit: query.limit,
    }
    .parse()?;
    let (filter, segments, total) = counted(reads, query).await?;
    let rows = memberships::page(reads.db(), &filter, page_request, total).await?;
    let page = into_page(page_request, rows, total, |r| r.id);
    Ok(MemberList {
        members: page.data.into_iter().map(|row| to_api(row, now)).collect(),
        total,
        segments,
        next_cursor: page.meta.next_cursor,
    })
}

/// The checked filters of `query` on the creator's members, with the segments and the
/// total they match.
async fn counted(
    reads: &CreatorReads,
    query: &MemberQuery,
) -> Result<(MemberFilter, Segments, u64), AppError> {
    let filter = filter_of(reads, query).await?;
    let segments = segments(reads, &filter).await?;
    let total = match filter.level.as_deref().and_then(EngagementLevel::parse) {
        Some(level) => segment(&segments, level),
        None => segments.superfans + segments.engaged + segments.casual + segments.inactive,
    };
    Ok((filter, segments, total))
}

/// The most rows one export holds; narrower filters get the rest.
const EXPORT_MAX: u64 = 100_000;

/// A CSV cell: quoted when needed, and text a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@` first) kept as text.
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The query of `GET /audience/members/export`: the list's filters, without paging.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberExportQuery {
    /// May be omitted when the caller belongs to exactly one creator.
    pub creator_id: Option<Uuid>,
    /// A tier id of this creator.
    pub tier: Option<String>,
    /// `active`, `paused` or `churned`; default all three.
    pub status: Option<String>,
    /// `superfan`, `engaged`, `casual` or `inactive`.
    pub engagement_level: Option<String>,
    /// A date (`2026-01-31`, from its start, UTC) or a time (RFC 3339).
    pub joined_after: Option<String>,
    /// Words, each the start of a word of the member's name or email (`ada love`
    /// finds Ada Lovelace; at most 100 characters).
    pub q: Option<String>,
}

/// The filtered members list as CSV (every page, newest first).
pub async fn export_csv(
    state: &AppState,
    identity: &Identity,
    filters: MemberExportQuery,
) -> Result<String, AppError> {
    let query = MemberQuery {
        creator_id: filters.creator_id,
        tier: filters.tier,
        status: filters.status,
        engagement_level: filters.engagement_level,
        joined_after: filters.joined_after,
        q: filters.q,
        ..MemberQuery::default()
    };
    let reads = CreatorReads::open(state, identity, query.creator_id).await?;
    let (filter, _, total) = counted(&reads, &query).await?;
    // Each page below takes a connection of its own: an export must not hold one of
    // the few for as long as it takes to write every row.
    drop(reads);
    if total > EXPORT_MAX {
        return Err(AppError::Validation(vec![FieldError::new(
            "filters",
            format!("match {total} members; an export holds at most {EXPORT_MAX}"),
        )]));
    }
    let mut csv = String::from(
        "member_id,name,email,tier,status,engagement_level,score,interactions_30d,joined_at,lifetime_value\r\n",
    );
    let now = state.clock.now();
    let mut request = PageRequest::first(crate::backend::pagination::MAX_LIMIT);
    loop {
        let mut rows = memberships::page(&state.db, &filter, request, total).await?;
        let more = rows.len() > request.limit as usize;
        rows.truncate(request.limit as usize);
        let Some(last) = rows.last().map(|r| r.id) else {
            return Ok(csv);
        };
        for m in rows.into_iter().map(|row| to_api(row, now)) {
            let value = m
                .subscription
                .as_ref()
                .map(|s| s.lifetime_value.to_string());
            let cells = [
                m.id.to_string(),
                csv_cell(&m.name),
                csv_cell(&m.email),
                csv_cell(&m.tier.name),
                m.status.as_str().to_string(),
                m.engagement.level.as_str().to_string(),
                m.engagement.score.to_string(),
                m.engagement.interactions_30d.to_string(),
                m.joined_at.to_rfc3339(),
                value.unwrap_or_else(|| "0".into()),
            ];
            csv.push_str(&cells.join(","));
            csv.push_str("\r\n");
        }
        if !more {
            return Ok(csv);
        }
        request.direction = Some(Direction::After(last));
    }
}

fn segment(segments: &Segments, level: EngagementLevel) -> u64 {
    match level {
        EngagementLevel::Superfan => segments.superfans,
        EngagementLevel::Engaged => segments.engaged,
        EngagementLevel::Casual => segments.casual,
        EngagementLevel::Inactive => segments.inactive,
    }
}

/// Members per engagement level for every filter but the level itself, so the
/// dashboard's segment chips show what choosing each would give.
async fn segments(reads: &CreatorReads, filter: &MemberFilter) -> Result<Segments, AppError> {
    let counts: Vec<(String, i64)> = if filter.is_whole_audience() {
        // The rollup rows other reports of the same request use too.
        let counts = reads.counts().await?.iter();
        counts
            .map(|c| (c.engagement_level.clone(), c.members))
            .collect()
    } else if filter.search.is_some() {
        member_words::count_by_level(reads.db(), filter).await?
    } else {
        memberships::level_counts(reads.db(), filter).await?
    };
    let mut segments = Segments::default();
    for (level, n) in counts {
        let n = u64::try_from(n).unwrap_or(0);
        match EngagementLevel::parse(&level) {
            Some(EngagementLevel::Superfan) => segments.superfans += n,
            Some(EngagementLevel::Engaged) => segments.engaged += n,
            Some(EngagementLevel::Casual) => segments.casual += n,
            Some(EngagementLevel::Inactive) | None => segments.inactive += n,
        }
    }
    Ok(segments)
}

/// Whole calendar months from `start` to `end`.
pub fn whole_months(start: DateTime<Utc>, end: DateTime<Utc>) -> u32 {
    let months = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    let months = if end.day() < start.day() {
        months - 1
    } else {
        months
    };
    u32::try_from(months).unwrap_or(0)
}

pub fn to_api(row: MemberRow, now: DateTime<Utc>) -> Member {
    let currency = Currency::parse(&row.currency)
        .unwrap_or_else(|| Currency::parse("USD").expect("USD is a supported currency"));
    let status = MemberStatus::parse(&row.status).unwrap_or(MemberStatus::Churned);
    let subscription = row.started_at.map(|started| {
        let live = matches!(
            row.subscription_status.as_deref(),
            Some("active" | "past_due")
        );
        let until = if status == MemberStatus::Churned {
            row.current_period_end.unwrap_or(now).min(now)
        } else {
            now
        };
        MemberSubscription {
            started_at: started.date_naive(),
            months_subscribed: whole_months(started, until),
            lifetime_value: Money::from_minor(row.paid_minor, currency).to_decimal(),
            next_billing: row
                .current_period_end
                .filter(|_| live)
                .map(|t| t.date_naive()),
        }
    });
    Member {
        id: row.id,
        user_id: row.user_id,
        creator_id: row.creator_id,
        name: row.display_name,
        email: row.email,
        avatar_url: member_avatar_url(row.id, row.avatar_updated_at),
        tier: MemberTier {
            id: row.tier_id,
            name: row.tier_name,
            price_monthly: Money::from_minor(row.tier_price_monthly_minor, currency).to_decimal(),
        },
        status,
        engagement: MemberEngagement {
            level: EngagementLevel::parse(&row.engagement_level)
                .unwrap_or(EngagementLevel::Inactive),
            score: u8::try_from(row.engagement_score.clamp(0, 100)).unwrap_or(0),
            interactions_30d: u64::try_from(row.interactions_30d).unwrap_or(0),
            last_interaction: row.last_interaction_at,
        },
        subscription,
        joined_at: row.joined_at,
    }
}

/// Where the team fetches a member's avatar, versioned by its upload time so it can be
/// cached; `None` without one.
pub fn member_avatar_url(member_id: Uuid, uploaded_at: Option<DateTime<Utc>>) -> Option<String> {
    uploaded_at.map(|at| {
        format!(
            "/api/v1/audience/members/{member_id}/avatar?v={}",
            at.timestamp_millis()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn months_count_whole_calendar_months() {
        let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap();
        assert_eq!(whole_months(at(2025, 6, 15), at(2026, 1, 24)), 7);
        assert_eq!(whole_months(at(2025, 6, 15), at(2025, 7, 14)), 0);
        assert_eq!(whole_months(at(2025, 6, 15), at(2025, 7, 15)), 1);
        assert_eq!(whole_months(at(2026, 1, 31), at(2026, 1, 1)), 0);
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("Ada"), "Ada");
        assert_eq!(csv_cell("Lovelace, Ada"), "\"Lovelace, Ada\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
