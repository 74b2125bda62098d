//! The campaigns table (migration 0031) and the members a campaign reaches.

use super::conditions::{placeholders, Arg, Conditions};
use crate::backend::db::{Db, Tx};
use crate::backend::pagination::PageRequest;
use crate::{bind_all, on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, creator_id, name, type, target_segment, filters, subject, body, cta, \
    offer, coupon_id, channels, scheduled_at, status, audience_size, sent, delivered, \
    delivery_cursor, created_by, created_at, sent_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub name: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub target_segment: String,
    pub filters: String,
    pub subject: String,
    pub body: String,
    pub cta: String,
    pub offer: Option<String>,
    pub coupon_id: Option<Uuid>,
    pub channels: String,
    pub scheduled_at: DateTime<Utc>,
    pub status: String,
    pub audience_size: i64,
    pub sent: i64,
    pub delivered: i64,
    pub delivery_cursor: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl CampaignRow {
    fn args(&self) -> Vec<Arg> {
        vec![
            Arg::Id(self.id),
            Arg::Id(self.creator_id),
            Arg::Text(self.name.clone()),
            Arg::Text(self.kind.clone()),
            Arg::Text(self.target_segment.clone()),
            Arg::Text(self.filters.clone()),
            Arg::Text(self.subject.clone()),
            Arg::Text(self.body.clone()),
            Arg::Text(self.cta.clone()),
            Arg::MaybeText(self.offer.clone()),
            Arg::MaybeId(self.coupon_id),
            Arg::Text(self.channels.clone()),
            Arg::Time(self.scheduled_at),
            Arg::Text(self.status.clone()),
            Arg::Int(self.audience_size),
            Arg::Int(self.sent),
            Arg::Int(self.delivered),
            Arg::MaybeId(self.delivery_cursor),
            Arg::MaybeId(self.created_by),
            Arg::Time(self.created_at),
            Arg::MaybeTime(self.sent_at),
        ]
    }
}

pub async fn insert(tx: &mut Tx, row: &CampaignRow) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO campaigns ({COLUMNS}) VALUES ({})",
        placeholders(COLUMNS)
    );
    let args = row.args();
    on_tx!(tx, conn => bind_all!(sqlx::query(&sql), &args).execute(conn).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<CampaignRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM campaigns WHERE id = $1");
    on_db!(db, pool => sqlx::query_as::<_, CampaignRow>(&sql).bind(id).fetch_optional(pool).await)
}

pub async fn page(
    db: &Db,
    creator_id: Uuid,
    request: PageRequest,
) -> Result<Vec<CampaignRow>, sqlx::Error> {
    let mut c = Conditions::default();
    c.bind("creator_id = {}", Arg::Id(creator_id));
    let tail = c.newest_first_page("id", request);
    let sql = format!("SELECT {COLUMNS} FROM campaigns{}{tail}", c.where_sql());
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, CampaignRow>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count(db: &Db, creator_id: Uuid) -> Result<u64, sqlx::Error> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE creator_id = $1")
        .bind(creator_id)
        .fetch_one(pool)
        .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Which members a campaign reaches.
#[derive(Clone, Debug)]
pub struct Audience {
    pub creator_id: Uuid,
    /// `all`, `churned` or an engagement level.
    pub segment: String,
    /// Last interaction (or join, without any) at or before this time.
    pub inactive_since: Option<DateTime<Utc>>,
    pub was_paid: Option<bool>,
    pub tier_id: Option<Uuid>,
}

const FROM: &str = " FROM memberships m JOIN users u ON u.id = m.user_id";

/// The audience's conditions on the membership alone. `member_counts` has these
/// columns too, so they read the rollup (alias `m`) as well as `memberships`.
fn membership_conditions(audience: &Audience) -> Conditions {
    let mut c = Conditions::default();
    c.bind("m.creator_id = {}", Arg::Id(audience.creator_id));
    match audience.segment.as_str() {
        "all" => {}
        "churned" => c.fixed("m.status = 'churned'"),
        level => c.bind("m.engagement_level = {}", Arg::Text(level.into())),
    }
    if let Some(tier) = audience.tier_id {
        c.bind("m.tier_id = {}", Arg::Id(tier));
    }
    c
}

/// The members of the audience, for `memberships::recipients_after` too.
pub fn recipients(audience: &Audience) -> Conditions {
    let mut c = membership_conditions(audience);
    c.fixed("u.status = 'active'");
    if let Some(since) = audience.inactive_since {
        c.bind(
            "COALESCE(m.last_interaction_at, m.joined_at) <= {}",
            Arg::Time(since),
        );
    }
    let paid = "EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = m.user_id \
                AND s.merchant_creator_id = m.creator_id)";
    match audience.was_paid {
        Some(true) => c.fixed(paid),
        Some(false) => c.fixed(&format!("NOT {paid}")),
        None => {}
    }
    c
}

pub async fn audience_size(db: &Db, audience: &Audience) -> Result<i64, sqlx::Error> {
    if audience.inactive_since.is_none() && audience.was_paid.is_none() {
        return counted_audience_size(db, audience).await;
    }
    let c = recipients(audience);
    let sql = format!("SELECT COUNT(*){FROM}{}", c.where_sql());
    on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args()).fetch_one(pool).await)
}

/// An audience of segment and tier only: the creator's memberships from the rollup, less
/// those of accounts that are not active, which are few and read through the users'
/// status index (`<` and `>` rather than `<>`, which an index cannot serve). A million
/// members are then counted in a few rows instead of a million joined to their users.
async fn counted_audience_size(db: &Db, audience: &Audience) -> Result<i64, sqlx::Error> {
    let c = membership_conditions(audience);
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(m.members), 0) AS BIGINT) FROM member_counts m{}",
        c.where_sql()
    );
    let memberships: i64 =
        on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args()).fetch_one(pool).await)?;
    let mut c = membership_conditions(audience);
    c.fixed("m.user_id IN (SELECT id FROM users WHERE status < 'active' OR status > 'active')");
    let sql = format!("SELECT COUNT(*) FROM memberships m{}", c.where_sql());
    let not_active: i64 =
        on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args()).fetch_one(pool).await)?;
    Ok(memberships - not_active)
}

/// Records a sent batch and where the next one starts.
pub async fn record_batch(
    tx: &mut Tx,
    id: Uuid,
    cursor: Uuid,
    (sent, delivered): (i64, i64),
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE campaigns SET status = 'sending', delivery_cursor = $2, sent = sent + $3, \
         delivered = delivered + $4 WHERE id = $1",
    )
    .bind(id)
    .bind(cursor)
    .bind(sent)
    .bind(delivered)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn mark_sent(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("UPDATE campaigns SET status = 'sent', sent_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// How many times the coupon was redeemed.
pub async fn redemptions(db: &Db, coupon_id: Uuid) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT CAST(redemption_count AS BIGINT) FROM coupons WHERE id = $1",
    )
    .bind(coupon_id)
    .fetch_one(pool)
    .await)
}
