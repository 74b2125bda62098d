//! Issuing invoices: one gapless number, one line per charge component.

use crate::backend::db::Tx;
use crate::backend::domain::money::Money;
use crate::backend::error::AppError;
use crate::backend::store::invoices::{self, InvoiceRow, LineRow};
use crate::backend::store::subscriptions::SubscriptionRow;
use crate::model::subscription::InvoiceStatus;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Issues an open invoice for one period of `sub` at `price`; returns its id.
pub async fn issue(
    tx: &mut Tx,
    sub: &SubscriptionRow,
    description: &str,
    price: Money,
    (period_start, period_end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let row = InvoiceRow {
        id,
        invoice_number: invoices::next_number(tx, now).await?,
        user_id: sub.user_id,
        subscription_id: Some(sub.id),
        status: InvoiceStatus::Open.as_str().into(),
        amount_minor: price.minor,
        amount_paid_minor: 0,
        discount_minor: 0,
        tax_minor: 0,
        amount_due_minor: price.minor,
        currency: price.currency.code().into(),
        description: description.into(),
        period_start,
        period_end,
        due_date: period_start,
        paid_at: None,
        charge_ref: None,
        created_at: now,
    };
    let line = LineRow {
        invoice_id: id,
        position: 1,
        description: description.into(),
        quantity: 1,
        unit_price_minor: price.minor,
        amount_minor: price.minor,
        kind: "subscription".into(),
    };
    invoices::insert(tx, &row, &[line]).await?;
    Ok(id)
}
