//! Account balances and their movements (migration 0012).

use super::conditions::{numbered, Arg};
use crate::backend::db::Tx;
use crate::backend::domain::money::Money;
use crate::{bind_all, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The user's balance in `money.currency` (zero when none), read for update.
pub async fn get(tx: &mut Tx, user_id: Uuid, currency: &str) -> Result<i64, sqlx::Error> {
    let balance: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT balance_minor FROM account_balances WHERE user_id = $1 AND currency = $2",
    )
    .bind(user_id)
    .bind(currency)
    .fetch_optional(conn)
    .await)?;
    Ok(balance.unwrap_or(0))
}

/// Every balance of the given users, as `(user, currency, balance)` (a batch of
/// renewals reads them at once, then spends them as [`apply`] does).
pub async fn of_users(
    tx: &mut Tx,
    user_ids: &[Uuid],
) -> Result<Vec<(Uuid, String, i64)>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT user_id, currency, balance_minor FROM account_balances WHERE user_id IN ({})",
        numbered(user_ids.len())
    );
    let args = Arg::ids(user_ids);
    on_tx!(tx, conn => bind_all!(sqlx::query_as::<_, (Uuid, String, i64)>(&sql), &args)
        .fetch_all(conn)
        .await)
}

/// Adds `amount` (negative to spend) and records why. Overspending fails (the CHECK
/// constraint refuses a negative balance; a missing balance is `RowNotFound`).
pub async fn apply(
    tx: &mut Tx,
    user_id: Uuid,
    amount: Money,
    kind: &str,
    invoice_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if amount.minor == 0 {
        return Ok(());
    }
    let currency = amount.currency.code();
    // Spending updates the existing row (the CHECK refuses going below zero); adding
    // may create it. One upsert cannot do both: the CHECK would see the negative
    // insert candidate first.
    let sql = if amount.minor < 0 {
        "UPDATE account_balances SET balance_minor = balance_minor + $3, updated_at = $4 \
         WHERE user_id = $1 AND currency = $2"
    } else {
        "INSERT INTO account_balances (user_id, currency, balance_minor, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, currency) DO UPDATE SET \
         balance_minor = account_balances.balance_minor + $3, updated_at = $4"
    };
    let changed = on_tx!(tx, conn => sqlx::query(sql)
        .bind(user_id)
        .bind(currency)
        .bind(amount.minor)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        // Spending from a balance that does not exist.
        return Err(sqlx::Error::RowNotFound);
    }
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO balance_transactions (id, user_id, currency, amount_minor, kind, invoice_id, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7())
    .bind(user_id)
    .bind(currency)
    .bind(amount.minor)
    .bind(kind)
    .bind(invoice_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every balance the user holds, by currency (for showing, not for spending).
pub async fn all(
    db: &crate::backend::db::Db,
    user_id: Uuid,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    crate::on_db!(db, pool => sqlx::query_as(
        "SELECT currency, balance_minor FROM account_balances WHERE user_id = $1 \
         AND balance_minor <> 0 ORDER BY currency",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)
}
