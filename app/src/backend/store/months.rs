//! The monthly rollups behind the dashboard's history (migrations 0032, 0033): per
//! creator and calendar month (UTC), memberships started and ended, and revenue net of
//! refunds, in all and per tier.
//! Each is added to in the transaction of the write it counts, so reading a year is a
//! dozen rows at any number of members.

use super::days;
use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// `YYYY-MM` of `at`, the key of the month tables.
pub fn month_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

/// `YYYY-MM` of a calendar day.
pub fn month_of_day(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// Adds `joined` memberships started and `churned` ended in `at`'s month.
pub async fn add_members(
    tx: &mut Tx,
    creator_id: Uuid,
    at: DateTime<Utc>,
    joined: i64,
    churned: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO member_months (creator_id, month, joined, churned) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (creator_id, month) DO UPDATE SET \
           joined = member_months.joined + excluded.joined, \
           churned = member_months.churned + excluded.churned",
    )
    .bind(creator_id)
    .bind(month_of(at))
    .bind(joined)
    .bind(churned)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

const ADD_REVENUE: &str = "INSERT INTO revenue_months \
     (creator_id, month, currency, subscriptions_minor, tips_minor) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (creator_id, month, currency) DO UPDATE SET \
       subscriptions_minor = revenue_months.subscriptions_minor + excluded.subscriptions_minor, \
       tips_minor = revenue_months.tips_minor + excluded.tips_minor";

/// Adds revenue received at `at` to its month and its day.
async fn add_revenue(
    tx: &mut Tx,
    creator_id: Uuid,
    currency: &str,
    at: DateTime<Utc>,
    (subscriptions, tips): (i64, i64),
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(ADD_REVENUE)
        .bind(creator_id)
        .bind(month_of(at))
        .bind(currency)
        .bind(subscriptions)
        .bind(tips)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    days::add_revenue(tx, creator_id, currency, at, (subscriptions, tips)).await
}

/// Counts `user_id` among the members who ever paid the creator in `currency`.
async fn add_payer(
    tx: &mut Tx,
    creator_id: Uuid,
    currency: &str,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    let first_payment = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO creator_payers (creator_id, currency, user_id) VALUES ($1, $2, $3) \
         ON CONFLICT (creator_id, currency, user_id) DO NOTHING",
    )
    .bind(creator_id)
    .bind(currency)
    .bind(user_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?
        == 1;
    if first_payment {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO creator_payer_counts (creator_id, currency, payers) VALUES ($1, $2, 1) \
             ON CONFLICT (creator_id, currency) DO UPDATE SET \
               payers = creator_payer_counts.payers + 1",
        )
        .bind(creator_id)
        .bind(currency)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Adds a tip of `amount_minor` from `user_id` received at `at`.
pub async fn add_tip(
    tx: &mut Tx,
    creator_id: Uuid,
    currency: &str,
    amount_minor: i64,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    add_revenue(tx, creator_id, currency, at, (0, amount_minor)).await?;
    add_member_paid(tx, creator_id, user_id, amount_minor).await?;
    add_payer(tx, creator_id, currency, user_id).await
}

/// Adds `amount_minor` (negative for a refund) to what the member paid the creator.
async fn add_member_paid(
    tx: &mut Tx,
    creator_id: Uuid,
    user_id: Uuid,
    amount_minor: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE memberships SET paid_minor = paid_minor + $3 WHERE creator_id = $1 AND user_id = $2",
    )
    .bind(creator_id)
    .bind(user_id)
    .bind(amount_minor)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Whose money an invoice moves and what for.
struct InvoiceOwner {
    creator_id: Uuid,
    currency: String,
    /// A creator's tier subscription (`true`) or a tip (`false`).
    subscription: bool,
    /// The subscription's tier now.
    tier_id: Option<Uuid>,
    /// Who pays.
    user_id: Uuid,
}

/// The creator an invoice's money belongs to; `None` for the platform's own invoices.
async fn owner_of_invoice(
    tx: &mut Tx,
    invoice_id: Uuid,
) -> Result<Option<InvoiceOwner>, sqlx::Error> {
    let row = on_tx!(tx, conn => sqlx::query_as::<_, (Uuid, String, bool, Option<Uuid>, Uuid)>(
        "SELECT s.merchant_creator_id, i.currency, TRUE, s.tier_id, s.user_id FROM invoices i \
         JOIN subscriptions s ON s.id = i.subscription_id \
         WHERE i.id = $1 AND s.merchant_creator_id IS NOT NULL \
         UNION ALL \
         SELECT t.creator_id, t.currency, FALSE, NULL, t.user_id FROM tips t \
         WHERE t.invoice_id = $1",
    )
    .bind(invoice_id)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(
        |(creator_id, currency, subscription, tier_id, user_id)| InvoiceOwner {
            creator_id,
            currency,
            subscription,
            tier_id,
            user_id,
        },
    ))
}

/// Adds `amount_minor` (negative for a refund) moved on `invoice_id` at `at` to its
/// creator's month; nothing for a platform invoice. A tip's own payment is counted by
/// [`add_tip`] when the tip is recorded, after its invoice.
pub async fn add_invoice_amount(
    tx: &mut Tx,
    invoice_id: Uuid,
    amount_minor: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let Some(owner) = owner_of_invoice(tx, invoice_id).await? else {
        return Ok(());
    };
    let (subscriptions, tips) = if owner.subscription {
        (amount_minor, 0)
    } else {
        (0, amount_minor)
    };
    add_revenue(
        tx,
        owner.creator_id,
        &owner.currency,
        at,
        (subscriptions, tips),
    )
    .await?;
    add_member_paid(tx, owner.creator_id, owner.user_id, amount_minor).await?;
    if amount_minor > 0 {
        add_payer(tx, owner.creator_id, &owner.currency, owner.user_id).await?;
    }
    let month = month_of(at);
    if let Some(tier_id) = owner.tier_id {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO tier_revenue_months (creator_id, month, currency, tier_id, amount_minor) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (creator_id, month, currency, tier_id) \
             DO UPDATE SET amount_minor = tier_revenue_months.amount_minor + excluded.amount_minor",
        )
        .bind(owner.creator_id)
        .bind(&month)
        .bind(&owner.currency)
        .bind(tier_id)
        .bind(amount_minor)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// `(month, joined, churned)` of every month of the creator, oldest first; months with
/// no change are absent. A dozen rows a year: the history's months and the members
/// before them come from one read.
pub async fn members_by_month(
    db: &Db,
    creator_id: Uuid,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT month, joined, churned FROM member_months WHERE creator_id = $1 ORDER BY month",
    )
    .bind(creator_id)
    .fetch_all(pool)
    .await)
}

/// `(month, subscriptions, tips)` in minor units of `currency` of every month of the
/// creator, oldest first; months with no revenue are absent. The history's months and
/// the revenue report's lifetime total come from this one read.
pub async fn revenue_by_month(
    db: &Db,
    creator_id: Uuid,
    currency: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT month, subscriptions_minor, tips_minor FROM revenue_months \
         WHERE creator_id = $1 AND currency = $2 ORDER BY month",
    )
    .bind(creator_id)
    .bind(currency)
    .fetch_all(pool)
    .await)
}

/// `(tier, month, amount)` of tier subscription revenue in minor units of `currency`
/// from `from` on; months without revenue from a tier are absent.
pub async fn tier_revenue_since(
    db: &Db,
    creator_id: Uuid,
    currency: &str,
    from: &str,
) -> Result<Vec<(Uuid, String, i64)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, (Uuid, String, i64)>(
        "SELECT tier_id, month, amount_minor FROM tier_revenue_months \
         WHERE creator_id = $1 AND currency = $2 AND month >= $3",
    )
    .bind(creator_id)
    .bind(currency)
    .bind(from)
    .fetch_all(pool)
    .await)
}

/// The members who ever paid the creator in `currency` (a tier payment or a tip).
pub async fn payers(db: &Db, creator_id: Uuid, currency: &str) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COALESCE(SUM(payers), 0) AS BIGINT) FROM creator_payer_counts \
         WHERE creator_id = $1 AND currency = $2",
    )
    .bind(creator_id)
    .bind(currency)
    .fetch_one(pool)
    .await)
}
