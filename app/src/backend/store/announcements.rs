//! The announcements tables (migration 0029).

use super::conditions::{numbered, placeholders, Arg, Conditions};
use crate::backend::db::{Db, Tx};
use crate::backend::pagination::PageRequest;
use crate::{bind_all, on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, creator_id, author_id, title, content, visibility, pinned, channels, \
    delivery_status, delivery_cursor, recipients, push_sent, email_sent, created_at, delivered_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AnnouncementRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub author_id: Option<Uuid>,
    pub title: String,
    pub content: String,
    pub visibility: String,
    pub pinned: bool,
    /// A JSON array of channels.
    pub channels: String,
    pub delivery_status: String,
    pub delivery_cursor: Option<Uuid>,
    pub recipients: i64,
    pub push_sent: i64,
    pub email_sent: i64,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl AnnouncementRow {
    fn args(&self) -> Vec<Arg> {
        vec![
            Arg::Id(self.id),
            Arg::Id(self.creator_id),
            Arg::MaybeId(self.author_id),
            Arg::Text(self.title.clone()),
            Arg::Text(self.content.clone()),
            Arg::Text(self.visibility.clone()),
            Arg::Bool(self.pinned),
            Arg::Text(self.channels.clone()),
            Arg::Text(self.delivery_status.clone()),
            Arg::MaybeId(self.delivery_cursor),
            Arg::Int(self.recipients),
            Arg::Int(self.push_sent),
            Arg::Int(self.email_sent),
            Arg::Time(self.created_at),
            Arg::MaybeTime(self.delivered_at),
        ]
    }
}

pub async fn insert(
    tx: &mut Tx,
    row: &AnnouncementRow,
    tier_ids: &[Uuid],
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO announcements ({COLUMNS}) VALUES ({})",
        placeholders(COLUMNS)
    );
    let args = row.args();
    on_tx!(tx, conn => bind_all!(sqlx::query(&sql), &args).execute(conn).await.map(|r| r.rows_affected()))?;
    for tier_id in tier_ids {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO announcement_tiers (announcement_id, tier_id) VALUES ($1, $2)",
        )
        .bind(row.id)
        .bind(tier_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<AnnouncementRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM announcements WHERE id = $1");
    on_db!(db, pool => sqlx::query_as::<_, AnnouncementRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// The tiers of each of these announcements.
pub async fn tiers_of(db: &Db, ids: &[Uuid]) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT announcement_id, tier_id FROM announcement_tiers WHERE announcement_id IN ({}) \
         ORDER BY announcement_id, tier_id",
        numbered(ids.len())
    );
    let args = Arg::ids(ids);
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, (Uuid, Uuid)>(&sql), &args).fetch_all(pool).await)
}

/// Whom a page is for: the team sees every announcement; a member those visible to
/// their tier.
#[derive(Clone, Copy, Debug)]
pub enum Reader {
    Team,
    Member { tier_id: Uuid, paid: bool },
}

fn conditions(creator_id: Uuid, reader: Reader, pinned_only: bool) -> Conditions {
    let mut c = Conditions::default();
    c.bind("a.creator_id = {}", Arg::Id(creator_id));
    if pinned_only {
        c.fixed("a.pinned = TRUE");
    }
    if let Reader::Member { tier_id, paid } = reader {
        // `paid` is ours, not the caller's: it may be written into the statement.
        let paid = if paid { "TRUE" } else { "FALSE" };
        c.bind(
            &format!(
                "(a.visibility = 'all_members' OR (a.visibility = 'paid_members' AND {paid}) \
                 OR (a.visibility = 'specific_tiers' AND EXISTS (SELECT 1 FROM announcement_tiers t \
                 WHERE t.announcement_id = a.id AND t.tier_id = {{}})))"
            ),
            Arg::Id(tier_id),
        );
    }
    c
}

pub async fn page(
    db: &Db,
    creator_id: Uuid,
    reader: Reader,
    pinned_only: bool,
    request: PageRequest,
) -> Result<Vec<AnnouncementRow>, sqlx::Error> {
    let mut c = conditions(creator_id, reader, pinned_only);
    let tail = c.newest_first_page("a.id", request);
    let columns: Vec<String> = COLUMNS
        .split(',')
        .map(|c| format!("a.{}", c.trim()))
        .collect();
    let sql = format!(
        "SELECT {} FROM announcements a{}{tail}",
        columns.join(", "),
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, AnnouncementRow>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count(
    db: &Db,
    creator_id: Uuid,
    reader: Reader,
    pinned_only: bool,
) -> Result<u64, sqlx::Error> {
    let c = conditions(creator_id, reader, pinned_only);
    let sql = format!("SELECT COUNT(*) FROM announcements a{}", c.where_sql());
    let n: i64 =
        on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args()).fetch_one(pool).await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The members the announcement reaches, for `memberships::recipients_after`.
pub fn recipients(row: &AnnouncementRow) -> Conditions {
    let mut c = Conditions::default();
    c.bind("m.creator_id = {}", Arg::Id(row.creator_id));
    c.fixed("m.status <> 'churned'");
    c.fixed("u.status = 'active'");
    match row.visibility.as_str() {
        "paid_members" => c.fixed("(t.price_monthly_minor > 0 OR t.price_yearly_minor > 0)"),
        "specific_tiers" => c.bind(
            "m.tier_id IN (SELECT tier_id FROM announcement_tiers WHERE announcement_id = {})",
            Arg::Id(row.id),
        ),
        _ => {}
    }
    c
}

/// Records a delivered batch and where the next one starts.
pub async fn record_batch(
    tx: &mut Tx,
    id: Uuid,
    cursor: Uuid,
    (recipients, push, email): (i64, i64, i64),
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE announcements SET delivery_cursor = $2, recipients = recipients + $3, \
         push_sent = push_sent + $4, email_sent = email_sent + $5 WHERE id = $1",
    )
    .bind(id)
    .bind(cursor)
    .bind(recipients)
    .bind(push)
    .bind(email)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn mark_delivered(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE announcements SET delivery_status = 'sent', delivered_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
