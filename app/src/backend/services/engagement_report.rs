//! Engagement analytics for one creator over the last `day` 1, `week` 7, `month` 30 or
//! `year` 365 UTC calendar days, today included. Definitions (also in the API reference):
//! - total members: current (active or paused); active members: current members whose
//!   latest interaction falls in the window; new / churned: memberships begun / ended in
//!   it; net growth = new − churned; growth rate = net growth ÷ members at the window's
//!   start;
//! - engagement: the current members' average score, and the window's interactions by kind;
//! - distribution: current members per level, their share, and their average number of
//!   interactions in the last 30 days (whatever the period);
//! - trends: the change in interactions against the same number of days before (`n/a`
//!   when those had none), retention (members at the window's start who are still
//!   members), and the average reported session length (persona chats'
//!   `duration_minutes`).
//!
//! Every figure comes from the rollups (`member_counts`, `store::days`, `store::months`),
//! so a report reads a few hundred rows however many members and events the creator has.

use crate::backend::auth::identity::Identity;
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::creator_reads::CreatorReads;
use crate::backend::store::{days, months};
use crate::backend::AppState;
use crate::model::analytics::{
    EngagementOverview, EngagementPeriod, EngagementReport, EngagementTotals, EngagementTrends,
    LevelDistribution, LevelShare,
};
use crate::model::audience::{EngagementLevel, EventType};
use chrono::{Days, NaiveDate};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use uuid::Uuid;

/// The query of `GET /audience/engagement`.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EngagementQuery {
    /// May be omitted when the caller belongs to exactly one creator.
    pub creator_id: Option<Uuid>,
    /// `day`, `week`, `month` (the default) or `year`.
    pub period: Option<String>,
}

fn ratio(part: i64, whole: i64) -> Decimal {
    if whole <= 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(part) / Decimal::from(whole)).round_dp(4)
}

/// "+8%", "-3%", "+0%"; `n/a` without a previous figure.
fn trend(now: i64, before: i64) -> String {
    if before <= 0 {
        return if now > 0 { "n/a".into() } else { "+0%".into() };
    }
    let percent =
        ((Decimal::from(now - before) * Decimal::from(100)) / Decimal::from(before)).round();
    if percent.is_sign_negative() {
        format!("{percent}%")
    } else {
        format!("+{percent}%")
    }
}

pub async fn report(
    state: &AppState,
    identity: &Identity,
    query: EngagementQuery,
) -> Result<EngagementReport, AppError> {
    let period = match query
        .period
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None | Some("month") => EngagementPeriod::Month,
        Some("day") => EngagementPeriod::Day,
        Some("week") => EngagementPeriod::Week,
        Some("year") => EngagementPeriod::Year,
        Some(_) => {
            return Err(AppError::Validation(vec![FieldError::new(
                "period",
                "must be day, week, month or year",
            )]))
        }
    };
    let reads = CreatorReads::open(state, identity, query.creator_id).await?;
    report_from(&reads, period, state.clock.now().date_naive()).await
}

/// [`report`] from reads already open, for `period` ending with `today`.
pub async fn report_from(
    reads: &CreatorReads,
    period: EngagementPeriod,
    today: NaiveDate,
) -> Result<EngagementReport, AppError> {
    let (db, creator_id) = (reads.db(), reads.creator_id());
    let first = days::window_start(today, period.days());
    let previous_first = days::window_start(first - Days::new(1), period.days());

    let mut levels = [0_i64; 4];
    let mut level_interactions = [0_i64; 4];
    let mut score_sum = 0;
    for count in reads.counts().await? {
        if count.status == "churned" {
            continue;
        }
        let level =
            EngagementLevel::parse(&count.engagement_level).unwrap_or(EngagementLevel::Inactive);
        levels[level_index(level)] += count.members;
        level_interactions[level_index(level)] += count.interactions_sum;
        score_sum += count.score_sum;
    }
    let total: i64 = levels.iter().sum();
    let members = days::member_window(db, creator_id, first).await?;
    // Members when the window began: those at the start of its first month (the month
    // rollup), then that month's days before it. Of them, those still here are the
    // current members less those who joined in the window.
    let first_month = months::month_of_day(first);
    let at_start = reads
        .member_months()
        .await?
        .iter()
        .filter(|(month, ..)| *month < first_month)
        .map(|(_, joined, churned)| joined - churned)
        .sum::<i64>()
        + members.month_before;
    let retained = total - members.staying;

    let mut totals = EngagementTotals {
        avg_engagement_score: if total > 0 {
            u32::try_from((score_sum + total / 2) / total).unwrap_or(0)
        } else {
            0
        },
        interactions_total: 0,
        content_views: 0,
        comments: 0,
        shares: 0,
        persona_conversations: 0,
    };
    let (mut before, mut timed, mut seconds) = (0, 0, 0);
    for row in days::interactions(db, creator_id, previous_first, first).await? {
        let n = u64::try_from(row.events).unwrap_or(0);
        totals.interactions_total += n;
        match EventType::parse(&row.kind) {
            Some(EventType::ContentView) => totals.content_views += n,
            Some(EventType::Comment) => totals.comments += n,
            Some(EventType::Share) => totals.shares += n,
            Some(EventType::PersonaChat) => totals.persona_conversations += n,
            None => {}
        }
        before += row.events_before;
        timed += row.timed_events;
        seconds += row.duration_seconds;
    }
    let share = |i: usize| LevelShare {
        count: u64::try_from(levels[i]).unwrap_or(0),
        percent: ratio(levels[i], total).round_dp(2),
        avg_interactions: if levels[i] > 0 {
            (Decimal::from(level_interactions[i]) / Decimal::from(levels[i])).round_dp(1)
        } else {
            Decimal::ZERO
        },
    };
    // The average reported session length, if any session reported one.
    let seconds = (timed > 0).then(|| seconds as f64 / timed as f64);
    Ok(EngagementReport {
        period,
        overview: EngagementOverview {
            total_members: u64::try_from(total).unwrap_or(0),
            active_members: u64::try_from(members.active).unwrap_or(0),
            new_members: u64::try_from(members.joined).unwrap_or(0),
            churned_members: u64::try_from(members.churned).unwrap_or(0),
            net_growth: members.joined - members.churned,
            growth_rate: ratio(members.joined - members.churned, at_start),
        },
        engagement: totals.clone(),
        distribution: LevelDistribution {
            superfans: share(0),
            engaged: share(1),
            casual: share(2),
            inactive: share(3),
        },
        trends: EngagementTrends {
            engagement_trend: trend(
                i64::try_from(totals.interactions_total).unwrap_or(0),
                before,
            ),
            retention_rate: if at_start > 0 {
                ratio(retained, at_start)
            } else {
                Decimal::ONE
            },
            avg_session_duration_minutes: seconds
                .and_then(|s| Decimal::from_f64(s / 60.0))
                .map_or(Decimal::ZERO, |m| m.round_dp(1)),
        },
    })
}

fn level_index(level: EngagementLevel) -> usize {
    match level {
        EngagementLevel::Superfan => 0,
        EngagementLevel::Engaged => 1,
        EngagementLevel::Casual => 2,
        EngagementLevel::Inactive => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trends_are_signed_whole_percentages() {
        assert_eq!(trend(108, 100), "+8%");
        assert_eq!(trend(97, 100), "-3%");
        assert_eq!(trend(0, 0), "+0%");
        assert_eq!(trend(5, 0), "n/a");
        assert_eq!(trend(0, 4), "-100%");
    }
}
