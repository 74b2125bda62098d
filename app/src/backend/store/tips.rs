//! The tip_jars and tips tables (migration 0026).

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

const JAR_COLUMNS: &str = "id, creator_id, name, description, currency, goal_minor, \
    suggested_amounts, rewards, thank_you_message, end_date, created_at";
/// `JAR_COLUMNS` and what the jar received, which only `insert_tip` writes.
const JAR_READ: &str = "id, creator_id, name, description, currency, goal_minor, \
    suggested_amounts, rewards, thank_you_message, end_date, created_at, tips_received, \
    received_minor";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct JarRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub name: String,
    pub description: String,
    pub currency: String,
    pub goal_minor: Option<i64>,
    /// A JSON array of amounts in minor units.
    pub suggested_amounts: String,
    /// A JSON array of `StoredReward`.
    pub rewards: String,
    pub thank_you_message: String,
    pub end_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// Tips into the jar, and their sum in minor units (migration 0048).
    pub tips_received: i64,
    pub received_minor: i64,
}

/// A jar reward as stored: its threshold in minor units.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct StoredReward {
    pub threshold_minor: i64,
    pub reward: String,
    pub instructions: Option<String>,
}

impl JarRow {
    pub fn reward_list(&self) -> Vec<StoredReward> {
        serde_json::from_str(&self.rewards).unwrap_or_default()
    }

    pub fn suggested(&self) -> Vec<i64> {
        serde_json::from_str(&self.suggested_amounts).unwrap_or_default()
    }
}

pub async fn insert_jar(tx: &mut Tx, row: &JarRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO tip_jars ({JAR_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(row.id)
    .bind(row.creator_id)
    .bind(&row.name)
    .bind(&row.description)
    .bind(&row.currency)
    .bind(row.goal_minor)
    .bind(&row.suggested_amounts)
    .bind(&row.rewards)
    .bind(&row.thank_you_message)
    .bind(row.end_date)
    .bind(row.created_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_jar(db: &Db, id: Uuid) -> Result<Option<JarRow>, sqlx::Error> {
    let sql = format!("SELECT {JAR_READ} FROM tip_jars WHERE id = $1");
    on_db!(db, pool => sqlx::query_as::<_, JarRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// A creator's jars, newest first.
pub async fn jars_of(db: &Db, creator_id: Uuid) -> Result<Vec<JarRow>, sqlx::Error> {
    let sql = format!("SELECT {JAR_READ} FROM tip_jars WHERE creator_id = $1 ORDER BY id DESC");
    on_db!(db, pool => sqlx::query_as::<_, JarRow>(&sql).bind(creator_id).fetch_all(pool).await)
}

/// What this member has tipped into the jar so far, in minor units.
pub async fn tipped_into(
    tx: &mut Tx,
    jar_id: Uuid,
    membership_id: Uuid,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM tips \
         WHERE jar_id = $1 AND membership_id = $2",
    )
    .bind(jar_id)
    .bind(membership_id)
    .fetch_one(conn)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TipRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub jar_id: Option<Uuid>,
    pub membership_id: Uuid,
    pub user_id: Uuid,
    pub amount_minor: i64,
    pub fee_minor: i64,
    pub currency: String,
    pub message: String,
    pub anonymous: bool,
    pub charge_ref: String,
    pub invoice_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_tip(tx: &mut Tx, row: &TipRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO tips (id, creator_id, jar_id, membership_id, user_id, amount_minor, fee_minor, \
         currency, message, anonymous, charge_ref, invoice_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(row.id)
    .bind(row.creator_id)
    .bind(row.jar_id)
    .bind(row.membership_id)
    .bind(row.user_id)
    .bind(row.amount_minor)
    .bind(row.fee_minor)
    .bind(&row.currency)
    .bind(&row.message)
    .bind(row.anonymous)
    .bind(&row.charge_ref)
    .bind(row.invoice_id)
    .bind(row.created_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    if let Some(jar) = row.jar_id {
        on_tx!(tx, conn => sqlx::query(
            "UPDATE tip_jars SET tips_received = tips_received + 1, \
             received_minor = received_minor + $2 WHERE id = $1",
        )
        .bind(jar)
        .bind(row.amount_minor)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    super::months::add_tip(
        tx,
        row.creator_id,
        &row.currency,
        row.amount_minor,
        row.user_id,
        row.created_at,
    )
    .await
}

/// Sets every jar's totals from its tips: for tips written other than by `insert_tip`
/// (the benchmark's generator writes them in bulk).
pub async fn recount_jars(db: &Db) -> Result<(), sqlx::Error> {
    on_db!(db, pool => sqlx::query(
        "UPDATE tip_jars SET \
         tips_received = (SELECT COUNT(*) FROM tips WHERE tips.jar_id = tip_jars.id), \
         received_minor = (SELECT COALESCE(SUM(amount_minor), 0) FROM tips \
         WHERE tips.jar_id = tip_jars.id)",
    )
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every tip the user sent, oldest first (for their data export).
pub async fn of_user(db: &Db, user_id: Uuid) -> Result<Vec<TipRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, TipRow>(
        "SELECT id, creator_id, jar_id, membership_id, user_id, amount_minor, fee_minor, currency, \
         message, anonymous, charge_ref, invoice_id, created_at FROM tips WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)
}
