//! The memberships table and its rollups: `member_counts` (migrations 0023, 0035),
//! `member_join_days` and `member_join_months` (0040, 0041) and the monthly and daily histories (`months`, `days`).
//! Every write that changes a membership's tier, status, engagement, or join and leave
//! dates moves its counts in the same transaction, so `counts` and the reports are exact
//! without counting members.

use super::conditions::{assignments, numbered, placeholders, Arg, Conditions};
use super::days::{self, day_of, MembershipDays};
use super::member_words;
use super::months::{self, month_of};
use crate::backend::db::{Conn, Db, Tx};
use crate::backend::pagination::PageRequest;
use crate::model::system::DatabaseKind;
use crate::{bind_all, on_conn, on_db, on_tx};
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, TimeDelta, Utc};
use tokio::sync::OnceCell;
use uuid::Uuid;

const COLUMNS: &str = "id, creator_id, user_id, tier_id, status, billing_cycle, subscription_id, \
    engagement_score, engagement_level, interactions_30d, last_interaction_at, notes, tags, \
    joined_at, churned_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MembershipRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub user_id: Uuid,
    pub tier_id: Uuid,
    pub status: String,
    pub billing_cycle: Option<String>,
    pub subscription_id: Option<Uuid>,
    pub engagement_score: i32,
    pub engagement_level: String,
    pub interactions_30d: i64,
    pub last_interaction_at: Option<DateTime<Utc>>,
    pub notes: String,
    pub tags: String,
    pub joined_at: DateTime<Utc>,
    pub churned_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// What `member_counts` counts a membership under.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CountKey {
    creator_id: Uuid,
    tier_id: Uuid,
    status: String,
    level: String,
}

impl MembershipRow {
    /// The row's values in `COLUMNS` order.
    fn args(&self) -> Vec<Arg> {
        vec![
            Arg::Id(self.id),
            Arg::Id(self.creator_id),
            Arg::Id(self.user_id),
            Arg::Id(self.tier_id),
            Arg::Text(self.status.clone()),
            Arg::MaybeText(self.billing_cycle.clone()),
            Arg::MaybeId(self.subscription_id),
            Arg::Int(i64::from(self.engagement_score)),
            Arg::Text(self.engagement_level.clone()),
            Arg::Int(self.interactions_30d),
            Arg::MaybeTime(self.last_interaction_at),
            Arg::Text(self.notes.clone()),
            Arg::Text(self.tags.clone()),
            Arg::Time(self.joined_at),
            Arg::MaybeTime(self.churned_at),
            Arg::Time(self.updated_at),
        ]
    }

    fn days(&self) -> MembershipDays {
        MembershipDays {
            joined_at: self.joined_at,
            churned_at: self.churned_at,
            current: self.status != "churned",
            last_interaction_at: self.last_interaction_at,
        }
    }

    fn key(&self) -> CountKey {
        CountKey {
            creator_id: self.creator_id,
            tier_id: self.tier_id,
            status: self.status.clone(),
            level: self.engagement_level.clone(),
        }
    }
}

/// What a membership adds to its `member_counts` row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CountDelta {
    members: i64,
    score: i64,
    interactions: i64,
}

impl MembershipRow {
    fn counted(&self, sign: i64) -> CountDelta {
        CountDelta {
            members: sign,
            score: sign * i64::from(self.engagement_score),
            interactions: sign * self.interactions_30d,
        }
    }
}

async fn add_to_count(tx: &mut Tx, key: &CountKey, delta: CountDelta) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO member_counts \
         (creator_id, tier_id, status, engagement_level, members, score_sum, interactions_sum) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (creator_id, tier_id, status, engagement_level) DO UPDATE SET \
           members = member_counts.members + excluded.members, \
           score_sum = member_counts.score_sum + excluded.score_sum, \
           interactions_sum = member_counts.interactions_sum + excluded.interactions_sum",
    )
    .bind(key.creator_id)
    .bind(key.tier_id)
    .bind(&key.status)
    .bind(&key.level)
    .bind(delta.members)
    .bind(delta.score)
    .bind(delta.interactions)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn insert(tx: &mut Tx, row: &MembershipRow) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO memberships ({COLUMNS}) VALUES ({})",
        placeholders(COLUMNS)
    );
    let args = row.args();
    on_tx!(tx, conn => bind_all!(sqlx::query(&sql), &args).execute(conn).await.map(|r| r.rows_affected()))?;
    on_tx!(tx, conn => sqlx::query(PAID_SO_FAR).bind(row.id).execute(conn).await.map(|r| r.rows_affected()))?;
    add_to_count(tx, &row.key(), row.counted(1)).await?;
    add_to_join_rollups(tx, row, 1).await?;
    add_to_months(tx, row, 1).await?;
    member_words::add(tx, row).await?;
    days::move_membership(tx, row.creator_id, None, &row.days()).await
}

/// The key of the period a time falls in (`day_of`, `month_of`).
type PeriodKey = fn(DateTime<Utc>) -> String;

/// The join-date rollups: each table with its period column and key.
const JOIN_ROLLUPS: [(&str, &str, PeriodKey); 2] = [
    ("member_join_days", "day", day_of),
    ("member_join_months", "month", month_of),
];

/// Counts (`sign` 1) or uncounts (-1) the membership in the join-date rollups.
async fn add_to_join_rollups(
    tx: &mut Tx,
    row: &MembershipRow,
    sign: i64,
) -> Result<(), sqlx::Error> {
    for (table, period, key_of) in JOIN_ROLLUPS {
        let sql = format!(
            "INSERT INTO {table} (creator_id, {period}, tier_id, status, engagement_level, members) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (creator_id, {period}, tier_id, status, engagement_level) DO UPDATE SET \
               members = {table}.members + excluded.members"
        );
        on_tx!(tx, conn => sqlx::query(&sql)
            .bind(row.creator_id)
            .bind(key_of(row.joined_at))
            .bind(row.tier_id)
            .bind(&row.status)
            .bind(&row.engagement_level)
            .bind(sign)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// A new membership's `paid_minor`: what the member already paid the creator (a join's
/// first payment is recorded just before its membership; later ones move the column,
/// see `months::add_member_paid`).
const PAID_SO_FAR: &str = "UPDATE memberships SET paid_minor = CAST(\
    COALESCE((SELECT SUM(i.amount_paid_minor) FROM invoices i \
        JOIN subscriptions p ON p.id = i.subscription_id \
        WHERE p.user_id = memberships.user_id AND p.merchant_creator_id = memberships.creator_id), 0) \
    - COALESCE((SELECT SUM(r.amount_minor) FROM refunds r JOIN invoices i ON i.id = r.invoice_id \
        JOIN subscriptions p ON p.id = i.subscription_id \
        WHERE p.user_id = memberships.user_id AND p.merchant_creator_id = memberships.creator_id), 0) \
    AS BIGINT) WHERE id = $1";

/// Counts (`sign` 1) or uncounts (-1) the membership's start and end in the monthly
/// history.
async fn add_to_months(tx: &mut Tx, row: &MembershipRow, sign: i64) -> Result<(), sqlx::Error> {
    months::add_members(tx, row.creator_id, row.joined_at, sign, 0).await?;
    if let Some(churned_at) = row.churned_at {
        months::add_members(tx, row.creator_id, churned_at, 0, sign).await?;
    }
    Ok(())
}

/// Writes `row` over `before` (the same membership as read in this transaction).
pub async fn update(
    tx: &mut Tx,
    before: &MembershipRow,
    row: &MembershipRow,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE memberships SET {} WHERE id = $1",
        assignments(COLUMNS)
    );
    let args = row.args();
    on_tx!(tx, conn => bind_all!(sqlx::query(&sql), &args).execute(conn).await.map(|r| r.rows_affected()))?;
    if before.key() != row.key() {
        add_to_count(tx, &before.key(), before.counted(-1)).await?;
        add_to_count(tx, &row.key(), row.counted(1)).await?;
        member_words::refilter(tx, row).await?;
    } else if before.counted(1) != row.counted(1) {
        let (was, is) = (before.counted(1), row.counted(1));
        let change = CountDelta {
            members: 0,
            score: is.score - was.score,
            interactions: is.interactions - was.interactions,
        };
        add_to_count(tx, &row.key(), change).await?;
    }
    if (before.key(), day_of(before.joined_at)) != (row.key(), day_of(row.joined_at)) {
        add_to_join_rollups(tx, before, -1).await?;
        add_to_join_rollups(tx, row, 1).await?;
    }
    if (before.joined_at, before.churned_at) != (row.joined_at, row.churned_at) {
        add_to_months(tx, before, -1).await?;
        add_to_months(tx, row, 1).await?;
    }
    days::move_membership(tx, row.creator_id, Some(&before.days()), &row.days()).await
}

pub async fn find(db: impl Into<Conn<'_>>, id: Uuid) -> Result<Option<MembershipRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM memberships WHERE id = $1");
    on_conn!(db.into(), pool => sqlx::query_as::<_, MembershipRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// Current members of the creator with a higher engagement score than `score`.
pub async fn ahead_of(db: &Db, creator_id: Uuid, score: i32) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM memberships WHERE creator_id = $1 \
         AND engagement_score > $2 AND status <> 'churned'",
    )
    .bind(creator_id)
    .bind(score)
    .fetch_one(pool)
    .await)
}

/// Memberships whose engagement may still decay (a score or recent interactions), by
/// id after `after`, `limit` at a time.
pub async fn still_scored(
    db: &Db,
    after: Uuid,
    limit: i64,
) -> Result<Vec<MembershipRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM memberships WHERE id > $1 \
         AND (engagement_score > 0 OR interactions_30d > 0) ORDER BY id LIMIT $2"
    );
    on_db!(db, pool => sqlx::query_as::<_, MembershipRow>(&sql).bind(after).bind(limit).fetch_all(pool).await)
}

/// The user's membership with the creator, whatever its status.
pub async fn of_member(
    tx: &mut Tx,
    creator_id: Uuid,
    user_id: Uuid,
) -> Result<Option<MembershipRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM memberships WHERE creator_id = $1 AND user_id = $2");
    on_tx!(tx, conn => sqlx::query_as::<_, MembershipRow>(&sql).bind(creator_id).bind(user_id).fetch_optional(conn).await)
}

/// The membership a tier subscription bills.
pub async fn billed_by(
    tx: &mut Tx,
    subscription_id: Uuid,
) -> Result<Option<MembershipRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM memberships WHERE subscription_id = $1");
    on_tx!(tx, conn => sqlx::query_as::<_, MembershipRow>(&sql).bind(subscription_id).fetch_optional(conn).await)
}

/// All of the user's memberships.
pub async fn of_user(db: &Db, user_id: Uuid) -> Result<Vec<MembershipRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM memberships WHERE user_id = $1");
    on_db!(db, pool => sqlx::query_as::<_, MembershipRow>(&sql).bind(user_id).fetch_all(pool).await)
}

/// The user's memberships that have not churned.
pub async fn live_of_user(tx: &mut Tx, user_id: Uuid) -> Result<Vec<MembershipRow>, sqlx::Error> {
    let sql =
        format!("SELECT {COLUMNS} FROM memberships WHERE user_id = $1 AND status <> 'churned'");
    on_tx!(tx, conn => sqlx::query_as::<_, MembershipRow>(&sql).bind(user_id).fetch_all(conn).await)
}

/// Members of a tier who have not churned (the number its cap limits).
pub async fn current_in_tier(tx: &mut Tx, tier_id: Uuid) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(members), 0) AS BIGINT) FROM member_counts \
         WHERE tier_id = $1 AND status <> 'churned'",
    )
    .bind(tier_id)
    .fetch_one(conn)
    .await)
}

/// One rollup row: members of a creator with this tier, status and level.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CountRow {
    pub tier_id: Uuid,
    pub status: String,
    pub engagement_level: String,
    pub members: i64,
    /// The sum of these members' engagement scores.
    pub score_sum: i64,
    /// The sum of these members' interactions in the last 30 days.
    pub interactions_sum: i64,
}

/// The rollup of a creator: a few rows per tier, whatever the number of members.
pub async fn counts(db: &Db, creator_id: Uuid) -> Result<Vec<CountRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, CountRow>(
        "SELECT tier_id, status, engagement_level, members, score_sum, interactions_sum \
         FROM member_counts \
         WHERE creator_id = $1 AND members <> 0",
    )
    .bind(creator_id)
    .fetch_all(pool)
    .await)
}

/// Members matching `filter` by engagement level, from the rollups: a few rows, whatever
/// the number of members. Only for a filter the rollups answer
/// (`MemberFilter::counted_by_rollup`); its level, if any, is not applied. A level may
/// come up to three times (a join-date filter counts whole months, days and the rest of
/// a day apart): add them up.
pub async fn level_counts(
    db: &Db,
    filter: &MemberFilter,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    debug_assert!(filter.counted_by_rollup());
    let Some(after) = filter.joined_after else {
        return summed(db, "member_counts", filter.key_conditions()).await;
    };
    // Whole months from `member_join_months`, the whole days before the first of them
    // from `member_join_days`, the rest of a day begun at `after` row by row.
    let midnight = after.date_naive().and_time(NaiveTime::MIN).and_utc();
    let whole_days_from = if after == midnight {
        midnight
    } else {
        midnight + TimeDelta::days(1)
    };
    let whole_months_from = first_of_a_month_from(whole_days_from.date_naive())
        .and_time(NaiveTime::MIN)
        .and_utc();
    let mut c = filter.key_conditions();
    c.bind("m.month >= {}", Arg::Text(month_of(whole_months_from)));
    let mut counts = summed(db, "member_join_months", c).await?;
    if whole_days_from < whole_months_from {
        let mut c = filter.key_conditions();
        c.bind("m.day >= {}", Arg::Text(day_of(whole_days_from)));
        c.bind("m.day < {}", Arg::Text(day_of(whole_months_from)));
        counts.extend(summed(db, "member_join_days", c).await?);
    }
    if after < whole_days_from {
        let mut c = filter.key_conditions();
        c.bind("m.joined_at >= {}", Arg::Time(after));
        c.bind("m.joined_at < {}", Arg::Time(whole_days_from));
        counts.extend(counted(db, "", c).await?);
    }
    Ok(counts)
}

/// `day` if it is the first of its month, else the first of the next month.
fn first_of_a_month_from(day: NaiveDate) -> NaiveDate {
    if day.day() == 1 {
        return day;
    }
    day.with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
        .unwrap_or(NaiveDate::MAX)
}

/// The `members` of a rollup (alias `m`) matching `c`, summed by engagement level.
async fn summed(db: &Db, rollup: &str, c: Conditions) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT m.engagement_level, CAST(SUM(m.members) AS BIGINT) FROM {rollup} m{} \
         GROUP BY m.engagement_level",
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, (String, i64)>(&sql), c.args())
        .fetch_all(pool)
        .await)
}

/// Memberships (alias `m`, `joins` added after it) matching `c`, counted row by row by
/// engagement level.
async fn counted(db: &Db, joins: &str, c: Conditions) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT m.engagement_level, CAST(COUNT(*) AS BIGINT) FROM memberships m{joins}{} \
         GROUP BY m.engagement_level",
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, (String, i64)>(&sql), c.args())
        .fetch_all(pool)
        .await)
}

/// Filters of the members list.
#[derive(Clone, Debug)]
pub struct MemberFilter {
    pub creator_id: Uuid,
    pub tier_id: Option<Uuid>,
    pub status: Option<String>,
    pub level: Option<String>,
    pub joined_after: Option<DateTime<Utc>>,
    /// Words that must each start a word of the member's name or email (lower-cased
    /// letters and digits; none matches no one).
    pub search: Option<Vec<String>>,
    /// Whether the search's driving word has one word in range, once asked
    /// (`member_words::one_word_in_range`): a search's count and its pages all need it.
    /// Private, so only that question fills it.
    pub(super) one_word_in_range: OnceCell<bool>,
}

impl MemberFilter {
    /// The creator's whole audience. Narrow it before the first read: the answer kept
    /// for the search is not asked again.
    pub fn new(creator_id: Uuid) -> Self {
        Self {
            creator_id,
            tier_id: None,
            status: None,
            level: None,
            joined_after: None,
            search: None,
            one_word_in_range: OnceCell::new(),
        }
    }

    /// True when the rollups answer totals and segments (`level_counts`): every filter
    /// but a search.
    pub fn counted_by_rollup(&self) -> bool {
        self.search.is_none()
    }

    /// True when only the creator is given: its whole audience, every status.
    pub fn is_whole_audience(&self) -> bool {
        self.tier_id.is_none()
            && self.status.is_none()
            && self.joined_after.is_none()
            && self.search.is_none()
    }

    /// The creator, tier and status, on memberships or on a rollup (alias `m`).
    fn key_conditions(&self) -> Conditions {
        let mut c = Conditions::default();
        c.bind("m.creator_id = {}", Arg::Id(self.creator_id));
        if let Some(tier) = self.tier_id {
            c.bind("m.tier_id = {}", Arg::Id(tier));
        }
        if let Some(status) = &self.status {
            c.bind("m.status = {}", Arg::Text(status.clone()));
        }
        c
    }

    /// The list's conditions (level included when `with_level`). A search probes the
    /// word index for each member walked, or, `from_index`, lists its members from it.
    fn conditions(&self, with_level: bool, from_index: bool) -> Conditions {
        let mut c = self.key_conditions();
        if let (true, Some(level)) = (with_level, &self.level) {
            c.bind("m.engagement_level = {}", Arg::Text(level.clone()));
        }
        if let Some(after) = self.joined_after {
            c.bind("m.joined_at >= {}", Arg::Time(after));
        }
        match self.search.as_deref() {
            None => {}
            Some([]) => c.fixed("1 = 0"),
            Some(words) if from_index => member_words::listed_in_index(&mut c, self, words),
            Some(words) => member_words::probe_each(&mut c, words),
        }
        c
    }
}

/// A member row joined with the user and tier it shows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    /// When the user last uploaded an avatar (`None`: no avatar).
    pub avatar_updated_at: Option<DateTime<Utc>>,
    pub tier_id: Uuid,
    pub tier_name: String,
    pub tier_price_monthly_minor: i64,
    pub currency: String,
    pub status: String,
    pub billing_cycle: Option<String>,
    pub engagement_score: i32,
    pub engagement_level: String,
    pub interactions_30d: i64,
    pub last_interaction_at: Option<DateTime<Utc>>,
    pub joined_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub current_period_end: Option<DateTime<Utc>>,
    pub subscription_status: Option<String>,
    pub paid_minor: i64,
}

const MEMBER_SELECT: &str = "SELECT m.id, m.creator_id, m.user_id, u.display_name, u.email, \
    u.avatar_updated_at, \
    m.tier_id, t.name AS tier_name, t.price_monthly_minor AS tier_price_monthly_minor, t.currency, \
    m.status, m.billing_cycle, m.engagement_score, m.engagement_level, m.interactions_30d, \
    m.last_interaction_at, m.joined_at, s.created_at AS started_at, s.current_period_end, \
    s.status AS subscription_status, \
    m.paid_minor \
    FROM memberships m JOIN users u ON u.id = m.user_id JOIN tiers t ON t.id = m.tier_id \
    LEFT JOIN subscriptions s ON s.id = m.subscription_id";

/// Up to this many matches, a search's page lists its members from the word index and
/// sorts them; above, it walks the members newest first and probes each, about
/// limit × members ÷ matches probes (10,000 for 2,000 matches of a million members).
const SORTED_FROM_INDEX_MAX: u64 = 2_000;

/// One page of members, newest first (`limit + 1` rows). `matching` is how many members
/// the filter matches (the list's total), which decides how a search finds them.
///
/// SQLite caches the plan of the one joined statement and plans it the same for every
/// value (db.rs). PostgreSQL must plan the page for the values of each request (an
/// unnamed statement): a cached statement gets, from its sixth run, a generic plan made
/// for average values, which for tier, status and level together intersected two bitmap
/// indexes and sorted (7.6 ms) where the plan for the actual values walks the tier's
/// members newest first (0.9 ms; docs/benchmarks.md, session 20). Planning the joined
/// statement took 0.66 ms of PostgreSQL's 1.7 ms of CPU per first page at 2M members
/// (session 32), so there only the ids are planned per request, on memberships alone,
/// and their rows come from a cached statement whose plan fits every value. (Even the
/// whole audience's joined statement, one plan for every creator, is planned again on
/// every run when cached: PostgreSQL judges the plan for average values dearer than
/// those for actual ones, and paid 0.77 ms per page for it, session 36.)
///
/// A search whose driving word's range holds one word reads its page's ids from the word
/// index in membership order (`member_words::newest_matching`), on both databases when it
/// asks for every tier, status and level, else on PostgreSQL.
pub async fn page(
    db: &Db,
    filter: &MemberFilter,
    request: PageRequest,
    matching: u64,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    let walk = || {
        let mut c = filter.conditions(true, matching <= SORTED_FROM_INDEX_MAX);
        let tail = c.newest_first_page("m.id", request);
        (c, tail)
    };
    if let Some((sql, keys)) = by_word_index(db, filter, request).await? {
        // One plan fits every value here: members in the index's order.
        let ids: Vec<Uuid> = on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), keys.args())
            .fetch_all(pool)
            .await)?;
        return rows_in_order(db, &ids).await;
    }
    if db.kind() == DatabaseKind::Sqlite {
        let (c, tail) = walk();
        let sql = format!("{MEMBER_SELECT}{}{tail}", c.where_sql());
        return on_db!(db, pool => bind_all!(sqlx::query_as::<_, MemberRow>(&sql), c.args())
            .fetch_all(pool)
            .await);
    }
    let (c, tail) = walk();
    let sql = format!("SELECT m.id FROM memberships m{}{tail}", c.where_sql());
    let ids: Vec<Uuid> = on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args())
        .persistent(false)
        .fetch_all(pool)
        .await)?;
    rows_in_order(db, &ids).await
}

/// The statement of a search's page read from the word index in membership order
/// (`member_words::newest_matching`), when the driving word's range holds one word.
async fn by_word_index(
    db: &Db,
    filter: &MemberFilter,
    request: PageRequest,
) -> Result<Option<(String, Conditions)>, sqlx::Error> {
    match filter.search.as_deref() {
        Some(words) if member_words::one_word_in_range(db, filter).await? => Ok(
            member_words::newest_matching(db.kind(), filter, words, request),
        ),
        _ => Ok(None),
    }
}

/// The member rows of `ids`, in the order of `ids`.
async fn rows_in_order(db: &Db, ids: &[Uuid]) -> Result<Vec<MemberRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{MEMBER_SELECT} WHERE m.id IN ({})", numbered(ids.len()));
    let args = Arg::ids(ids);
    let mut rows = on_db!(db, pool => bind_all!(sqlx::query_as::<_, MemberRow>(&sql), &args)
        .fetch_all(pool)
        .await)?;
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
    Ok(rows)
}

pub async fn member(db: &Db, id: Uuid) -> Result<Option<MemberRow>, sqlx::Error> {
    let sql = format!("{MEMBER_SELECT} WHERE m.id = $1");
    on_db!(db, pool => sqlx::query_as::<_, MemberRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// A member to message: membership, user, email address.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Recipient {
    pub membership_id: Uuid,
    pub user_id: Uuid,
    pub email: String,
}

/// The next recipients matching `c` after membership `after`, in id order. The
/// conditions may use `m` (memberships), `u` (users) and `t` (tiers).
pub async fn recipients_after(
    db: &Db,
    mut c: Conditions,
    after: Option<Uuid>,
    limit: u32,
) -> Result<Vec<Recipient>, sqlx::Error> {
    if let Some(after) = after {
        c.bind("m.id > {}", Arg::Id(after));
    }
    let sql = format!(
        "SELECT m.id AS membership_id, m.user_id, u.email FROM memberships m \
         JOIN users u ON u.id = m.user_id JOIN tiers t ON t.id = m.tier_id{} \
         ORDER BY m.id LIMIT {limit}",
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, Recipient>(&sql), c.args()).fetch_all(pool).await)
}
