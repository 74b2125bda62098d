//! The payment_methods table (migration 0010).

use super::conditions::{numbered, Arg};
use crate::backend::db::{Conn, Db, Tx};
use crate::model::payment_method::PaymentMethod;
use crate::{bind_all, on_conn, on_db, on_tx};
use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, user_id, gateway_ref, type, brand, last4, exp_month, exp_year, \
    billing_name, billing_country, is_default, created_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PaymentMethodRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub gateway_ref: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i32,
    pub exp_year: i32,
    pub billing_name: Option<String>,
    pub billing_country: Option<String>,
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PaymentMethodRow {
    /// A card works until the end of its expiry month.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        (self.exp_year, self.exp_month) < (now.year(), i32::try_from(now.month()).unwrap_or(12))
    }

    pub fn into_api(self, now: DateTime<Utc>) -> PaymentMethod {
        PaymentMethod {
            is_expired: self.is_expired(now),
            id: self.id,
            kind: self.kind,
            brand: self.brand,
            last4: self.last4,
            exp_month: self.exp_month,
            exp_year: self.exp_year,
            is_default: self.is_default,
            billing_name: self.billing_name,
            billing_country: self.billing_country,
            wallet_email: None,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

pub async fn insert(tx: &mut Tx, row: &PaymentMethodRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO payment_methods ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13)"
    ))
    .bind(row.id)
    .bind(row.user_id)
    .bind(&row.gateway_ref)
    .bind(&row.kind)
    .bind(&row.brand)
    .bind(&row.last4)
    .bind(row.exp_month)
    .bind(row.exp_year)
    .bind(&row.billing_name)
    .bind(&row.billing_country)
    .bind(row.is_default)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user's attached methods, newest first.
pub async fn list(db: &Db, user_id: Uuid) -> Result<Vec<PaymentMethodRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, PaymentMethodRow>(&format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE user_id = $1 AND deleted_at IS NULL \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)
}

/// One of a user's attached methods (`$1` user, `$2` id); shared by the pool and
/// transaction variants.
fn attached_sql() -> String {
    format!("SELECT {COLUMNS} FROM payment_methods WHERE user_id = $1 AND id = $2 AND deleted_at IS NULL")
}

pub async fn find(
    db: impl Into<Conn<'_>>,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<PaymentMethodRow>, sqlx::Error> {
    on_conn!(db.into(), pool => sqlx::query_as::<_, PaymentMethodRow>(&attached_sql())
    .bind(user_id)
    .bind(id)
    .fetch_optional(pool)
    .await)
}

/// How many methods the user has attached.
pub async fn count(tx: &mut Tx, user_id: Uuid) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM payment_methods WHERE user_id = $1 AND deleted_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await)
}

/// Makes `id` the user's only default (clearing the old one first, for the unique index).
pub async fn make_default(
    tx: &mut Tx,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE payment_methods SET is_default = FALSE, updated_at = $2 \
         WHERE user_id = $1 AND is_default AND deleted_at IS NULL",
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    on_tx!(tx, conn => sqlx::query(
        "UPDATE payment_methods SET is_default = TRUE, updated_at = $3 WHERE user_id = $1 AND id = $2",
    )
    .bind(user_id)
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn soft_delete(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE payment_methods SET deleted_at = $2, is_default = FALSE, updated_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The newest method still attached, if any (the next default after a removal).
pub async fn newest(tx: &mut Tx, user_id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar::<_, Uuid>(
        "SELECT id FROM payment_methods WHERE user_id = $1 AND deleted_at IS NULL \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await)
}

/// A method by id whatever its state (it may have been removed since it paid).
pub async fn find_any(db: &Db, id: Uuid) -> Result<Option<PaymentMethodRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, PaymentMethodRow>(&format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)
}

/// The user's default method, the one renewals charge.
pub async fn default_for(db: &Db, user_id: Uuid) -> Result<Option<PaymentMethodRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, PaymentMethodRow>(&format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE user_id = $1 AND is_default AND deleted_at IS NULL"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

/// The default methods of the given users (the ones renewals charge), in one query;
/// a user without one is absent.
pub async fn defaults_for(
    db: &Db,
    user_ids: &[Uuid],
) -> Result<Vec<PaymentMethodRow>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE user_id IN ({}) AND is_default \
         AND deleted_at IS NULL",
        numbered(user_ids.len())
    );
    let args = Arg::ids(user_ids);
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, PaymentMethodRow>(&sql), &args)
        .fetch_all(pool)
        .await)
}
