//! The tiers table (migration 0023).

use super::conditions::{placeholders, Arg};
use crate::backend::db::{Conn, Tx};
use crate::{bind_all, on_conn, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, creator_id, name, description, currency, price_monthly_minor, \
    price_yearly_minor, benefits, member_limit, visible, is_default, created_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TierRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub name: String,
    pub description: String,
    pub currency: String,
    pub price_monthly_minor: i64,
    pub price_yearly_minor: i64,
    /// A JSON array of strings.
    pub benefits: String,
    pub member_limit: Option<i64>,
    pub visible: bool,
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TierRow {
    /// The row's values in `COLUMNS` order.
    fn args(&self) -> Vec<Arg> {
        vec![
            Arg::Id(self.id),
            Arg::Id(self.creator_id),
            Arg::Text(self.name.clone()),
            Arg::Text(self.description.clone()),
            Arg::Text(self.currency.clone()),
            Arg::Int(self.price_monthly_minor),
            Arg::Int(self.price_yearly_minor),
            Arg::Text(self.benefits.clone()),
            Arg::MaybeInt(self.member_limit),
            Arg::Bool(self.visible),
            Arg::Bool(self.is_default),
            Arg::Time(self.created_at),
            Arg::Time(self.updated_at),
        ]
    }

    pub fn is_free(&self) -> bool {
        self.price_monthly_minor == 0 && self.price_yearly_minor == 0
    }

    pub fn benefit_list(&self) -> Vec<String> {
        serde_json::from_str(&self.benefits).unwrap_or_default()
    }
}

pub async fn insert(tx: &mut Tx, row: &TierRow) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO tiers ({COLUMNS}) VALUES ({})",
        placeholders(COLUMNS)
    );
    let args = row.args();
    on_tx!(tx, conn => bind_all!(sqlx::query(&sql), &args).execute(conn).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update(tx: &mut Tx, row: &TierRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE tiers SET name = $2, description = $3, currency = $4, price_monthly_minor = $5, \
         price_yearly_minor = $6, benefits = $7, member_limit = $8, visible = $9, updated_at = $10 \
         WHERE id = $1",
    )
    .bind(row.id)
    .bind(&row.name)
    .bind(&row.description)
    .bind(&row.currency)
    .bind(row.price_monthly_minor)
    .bind(row.price_yearly_minor)
    .bind(&row.benefits)
    .bind(row.member_limit)
    .bind(row.visible)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find(db: impl Into<Conn<'_>>, id: Uuid) -> Result<Option<TierRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM tiers WHERE id = $1");
    on_conn!(db.into(), pool => sqlx::query_as::<_, TierRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// The tier, locked on PostgreSQL until the transaction ends (SQLite's write
/// transactions are serialized already), so member caps hold under concurrent joins.
pub async fn find_for_update(tx: &mut Tx, id: Uuid) -> Result<Option<TierRow>, sqlx::Error> {
    let lock = if matches!(tx, Tx::Postgres(_)) {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT {COLUMNS} FROM tiers WHERE id = $1{lock}");
    on_tx!(tx, conn => sqlx::query_as::<_, TierRow>(&sql).bind(id).fetch_optional(conn).await)
}

/// A creator's tiers, default first, then oldest first.
pub async fn of_creator(
    db: impl Into<Conn<'_>>,
    creator_id: Uuid,
) -> Result<Vec<TierRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tiers WHERE creator_id = $1 ORDER BY is_default DESC, created_at, id"
    );
    on_conn!(db.into(), pool => sqlx::query_as::<_, TierRow>(&sql).bind(creator_id).fetch_all(pool).await)
}
