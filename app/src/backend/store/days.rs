//! The daily rollups behind the engagement and revenue reports (migrations 0035, 0036):
//! per creator and UTC day, interactions by type with the session lengths reported;
//! memberships started, ended, still current (by the day they started) and current by
//! the day of their last interaction; and revenue net of refunds per currency. Each is
//! added to in the transaction of the write it counts, so a report over any window reads
//! a few hundred rows at any number of members.

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

/// `YYYY-MM-DD` of `at` (UTC), the key of the day tables.
pub fn day_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// The key of a calendar day in the day tables.
pub fn key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The first day of a window of `days` whole days ending with `today`.
pub fn window_start(today: NaiveDate, days: i64) -> NaiveDate {
    today - Days::new(days.unsigned_abs()) + Days::new(1)
}

/// What memberships add to one day of `member_days`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemberDay {
    /// Memberships that started on the day.
    pub joined: i64,
    /// Memberships that ended on the day.
    pub churned: i64,
    /// Memberships that started on the day and are current now.
    pub staying: i64,
    /// Current memberships whose last interaction was on the day.
    pub last_seen: i64,
}

impl MemberDay {
    fn plus(self, other: MemberDay, sign: i64) -> MemberDay {
        MemberDay {
            joined: self.joined + sign * other.joined,
            churned: self.churned + sign * other.churned,
            staying: self.staying + sign * other.staying,
            last_seen: self.last_seen + sign * other.last_seen,
        }
    }
}

/// A membership's days as `member_days` counts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipDays {
    pub joined_at: DateTime<Utc>,
    pub churned_at: Option<DateTime<Utc>>,
    pub current: bool,
    pub last_interaction_at: Option<DateTime<Utc>>,
}

impl MembershipDays {
    /// Adds (`sign` 1) or removes (-1) the membership's counts, by day.
    pub fn add_to(&self, days: &mut BTreeMap<String, MemberDay>, sign: i64) {
        let mut add = |at: DateTime<Utc>, change: MemberDay| {
            let day = days.entry(day_of(at)).or_default();
            *day = day.plus(change, sign);
        };
        add(
            self.joined_at,
            MemberDay {
                joined: 1,
                staying: i64::from(self.current),
                ..MemberDay::default()
            },
        );
        if let Some(at) = self.churned_at {
            add(
                at,
                MemberDay {
                    churned: 1,
                    ..MemberDay::default()
                },
            );
        }
        if let (Some(at), true) = (self.last_interaction_at, self.current) {
            add(
                at,
                MemberDay {
                    last_seen: 1,
                    ..MemberDay::default()
                },
            );
        }
    }
}

/// Moves a membership's counts from `before` (`None` for a new membership) to `after`.
pub async fn move_membership(
    tx: &mut Tx,
    creator_id: Uuid,
    before: Option<&MembershipDays>,
    after: &MembershipDays,
) -> Result<(), sqlx::Error> {
    if before == Some(after) {
        return Ok(());
    }
    let mut changes = BTreeMap::new();
    if let Some(before) = before {
        before.add_to(&mut changes, -1);
    }
    after.add_to(&mut changes, 1);
    for (day, change) in changes {
        if change == MemberDay::default() {
            continue;
        }
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO member_days (creator_id, day, joined, churned, staying, last_seen) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (creator_id, day) DO UPDATE SET \
               joined = member_days.joined + excluded.joined, \
               churned = member_days.churned + excluded.churned, \
               staying = member_days.staying + excluded.staying, \
               last_seen = member_days.last_seen + excluded.last_seen",
        )
        .bind(creator_id)
        .bind(&day)
        .bind(change.joined)
        .bind(change.churned)
        .bind(change.staying)
        .bind(change.last_seen)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Counts one new interaction of `kind` at `at`, and its length when reported.
pub async fn add_event(
    tx: &mut Tx,
    creator_id: Uuid,
    at: DateTime<Utc>,
    kind: &str,
    duration_seconds: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO engagement_days (creator_id, day, type, events, timed_events, duration_seconds) \
         VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (creator_id, day, type) DO UPDATE SET \
           events = engagement_days.events + 1, \
           timed_events = engagement_days.timed_events + excluded.timed_events, \
           duration_seconds = engagement_days.duration_seconds + excluded.duration_seconds",
    )
    .bind(creator_id)
    .bind(day_of(at))
    .bind(kind)
    .bind(i64::from(duration_seconds.is_some()))
    .bind(duration_seconds.unwrap_or(0))
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// One type of interaction in a window of whole days from `first` to now, and in the
/// window from `previous_first` up to `first` (the one before it).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Interactions {
    pub kind: String,
    /// In the window.
    pub events: i64,
    /// In the window before.
    pub events_before: i64,
    /// Of `events`, those that reported a session length, and the seconds they reported.
    pub timed_events: i64,
    pub duration_seconds: i64,
}

/// Both windows in one read of the rollup: the engagement report needs them together.
pub async fn interactions(
    db: &Db,
    creator_id: Uuid,
    previous_first: NaiveDate,
    first: NaiveDate,
) -> Result<Vec<Interactions>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, Interactions>(
        "SELECT type AS kind, \
           CAST(SUM(CASE WHEN day >= $3 THEN events ELSE 0 END) AS BIGINT) AS events, \
           CAST(SUM(CASE WHEN day < $3 THEN events ELSE 0 END) AS BIGINT) AS events_before, \
           CAST(SUM(CASE WHEN day >= $3 THEN timed_events ELSE 0 END) AS BIGINT) AS timed_events, \
           CAST(SUM(CASE WHEN day >= $3 THEN duration_seconds ELSE 0 END) AS BIGINT) \
             AS duration_seconds \
         FROM engagement_days WHERE creator_id = $1 AND day >= $2 GROUP BY type",
    )
    .bind(creator_id)
    .bind(key(previous_first))
    .bind(key(first))
    .fetch_all(pool)
    .await)
}

/// Memberships over a window of whole days from `first` to now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberWindow {
    /// Started in the window.
    pub joined: i64,
    /// Ended in the window.
    pub churned: i64,
    /// Started in the window and current now.
    pub staying: i64,
    /// Current members who interacted in the window.
    pub active: i64,
    /// Started less ended in `first`'s month before `first`: with the month rollup's
    /// earlier months, the members when the window began.
    pub month_before: i64,
}

/// Reads the days from the first of `first`'s month on, at most two months of rows
/// however long the creator has been around (summing every day before the window took
/// 270 µs a report for two years of days at full scale on PostgreSQL).
pub async fn member_window(
    db: &Db,
    creator_id: Uuid,
    first: NaiveDate,
) -> Result<MemberWindow, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, MemberWindow>(
        "SELECT \
           CAST(COALESCE(SUM(CASE WHEN day >= $2 THEN joined ELSE 0 END), 0) AS BIGINT) AS joined, \
           CAST(COALESCE(SUM(CASE WHEN day >= $2 THEN churned ELSE 0 END), 0) AS BIGINT) AS churned, \
           CAST(COALESCE(SUM(CASE WHEN day >= $2 THEN staying ELSE 0 END), 0) AS BIGINT) AS staying, \
           CAST(COALESCE(SUM(CASE WHEN day >= $2 THEN last_seen ELSE 0 END), 0) AS BIGINT) AS active, \
           CAST(COALESCE(SUM(CASE WHEN day < $2 THEN joined - churned ELSE 0 END), 0) AS BIGINT) AS month_before \
         FROM member_days WHERE creator_id = $1 AND day >= $3",
    )
    .bind(creator_id)
    .bind(key(first))
    .bind(key(first.with_day(1).unwrap_or(first)))
    .fetch_one(pool)
    .await)
}

/// Adds revenue (tier subscriptions, tips; negative for refunds) received at `at`.
pub async fn add_revenue(
    tx: &mut Tx,
    creator_id: Uuid,
    currency: &str,
    at: DateTime<Utc>,
    (subscriptions, tips): (i64, i64),
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO revenue_days (creator_id, day, currency, subscriptions_minor, tips_minor) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (creator_id, day, currency) DO UPDATE SET \
           subscriptions_minor = revenue_days.subscriptions_minor + excluded.subscriptions_minor, \
           tips_minor = revenue_days.tips_minor + excluded.tips_minor",
    )
    .bind(creator_id)
    .bind(day_of(at))
    .bind(currency)
    .bind(subscriptions)
    .bind(tips)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Revenue in `currency` from each of two days on, as (tier subscriptions, tips) in
/// minor units: the report's window and the month so far, in one read of the rollup.
pub async fn revenue_since(
    db: &Db,
    creator_id: Uuid,
    currency: &str,
    [first, second]: [NaiveDate; 2],
) -> Result<[(i64, i64); 2], sqlx::Error> {
    let (a, b, c, d): (i64, i64, i64, i64) = on_db!(db, pool => sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN day >= $3 THEN subscriptions_minor ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN day >= $3 THEN tips_minor ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN day >= $4 THEN subscriptions_minor ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN day >= $4 THEN tips_minor ELSE 0 END), 0) AS BIGINT) \
         FROM revenue_days WHERE creator_id = $1 AND currency = $2 AND day >= $5",
    )
    .bind(creator_id)
    .bind(currency)
    .bind(key(first))
    .bind(key(second))
    .bind(key(first.min(second)))
    .fetch_one(pool)
    .await)?;
    Ok([(a, b), (c, d)])
}

#[cfg(test)]
mod tests {
    use crate::backend::db::{plan, scratch_sqlite};

    /// A creator's window of days is read from the rollup's own b-tree, where its rows
    /// lie side by side (migration 0054), not through an index and then a table page
    /// per row.
    #[tokio::test]
    async fn a_window_of_days_reads_the_rollup_in_key_order() {
        let (db, pool, dir) = scratch_sqlite().await;
        db.migrate().await.expect("migrates");
        for table in ["engagement_days", "member_days", "revenue_days"] {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE creator_id = $1 AND day >= $2"
            );
            let explain = sqlx::query_as(&sql)
                .bind(uuid::Uuid::nil())
                .bind("2026-01-01");
            let steps = plan(&pool, explain).await;
            assert!(
                steps.contains(&format!(
                    "SEARCH {table} USING PRIMARY KEY (creator_id=? AND day>?)"
                )),
                "{steps}"
            );
        }
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
