//! Invoices, their lines and their gapless numbers (migration 0011).

use super::conditions::{bound_in_order, value_rows};
use crate::backend::db::{Db, Tx};
use crate::backend::domain::money::{Currency, Money};
use crate::backend::pagination::{Direction, PageRequest};
use crate::model::subscription::{Invoice, InvoiceLine, InvoiceStatus};
use crate::{on_db, on_tx};
use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, invoice_number, user_id, subscription_id, status, amount_minor, \
    amount_paid_minor, discount_minor, tax_minor, amount_due_minor, currency, description, \
    period_start, period_end, due_date, paid_at, charge_ref, created_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvoiceRow {
    pub id: Uuid,
    pub invoice_number: String,
    pub user_id: Uuid,
    pub subscription_id: Option<Uuid>,
    pub status: String,
    pub amount_minor: i64,
    pub amount_paid_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub amount_due_minor: i64,
    pub currency: String,
    pub description: String,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub due_date: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub charge_ref: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LineRow {
    pub invoice_id: Uuid,
    pub position: i32,
    pub description: String,
    pub quantity: i32,
    pub unit_price_minor: i64,
    pub amount_minor: i64,
    #[sqlx(rename = "type")]
    pub kind: String,
}

impl InvoiceRow {
    pub fn currency(&self) -> Currency {
        Currency::parse(&self.currency).expect("stored currencies are valid")
    }

    pub fn into_api(self, lines: Vec<LineRow>) -> Invoice {
        let currency = self.currency();
        let decimal = |minor| Money::from_minor(minor, currency).to_decimal();
        Invoice {
            id: self.id,
            invoice_number: self.invoice_number,
            subscription_id: self.subscription_id,
            status: InvoiceStatus::parse(&self.status).expect("stored statuses are valid"),
            amount: decimal(self.amount_minor),
            amount_paid: decimal(self.amount_paid_minor),
            discount_amount: decimal(self.discount_minor),
            tax_amount: decimal(self.tax_minor),
            amount_due: decimal(self.amount_due_minor),
            currency: self.currency,
            description: self.description,
            period_start: self.period_start,
            period_end: self.period_end,
            due_date: self.due_date,
            paid_at: self.paid_at,
            line_items: lines
                .into_iter()
                .map(|line| InvoiceLine {
                    description: line.description,
                    quantity: line.quantity,
                    unit_price: decimal(line.unit_price_minor),
                    amount: decimal(line.amount_minor),
                    kind: line.kind,
                })
                .collect(),
            created_at: self.created_at,
        }
    }
}

/// The next `n` numbers of `year`'s sequence, `INV-YYYY-NNNNN`, in order. Taken inside
/// the invoices' transaction: the counter row stays locked until commit, and a rollback
/// returns them. Take only as many as will be written, or the sequence has gaps.
pub async fn take_numbers(
    tx: &mut Tx,
    n: usize,
    now: DateTime<Utc>,
) -> Result<Vec<String>, sqlx::Error> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let year = now.year();
    let count = i64::try_from(n).unwrap_or(i64::MAX);
    let last: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO invoice_sequences (year, last_number) VALUES ($1, $2) \
         ON CONFLICT (year) DO UPDATE SET last_number = invoice_sequences.last_number + $2 \
         RETURNING last_number",
    )
    .bind(year)
    .bind(count)
    .fetch_one(conn)
    .await)?;
    Ok((last - count + 1..=last)
        .map(|number| format!("INV-{year}-{number:05}"))
        .collect())
}

/// Rows per INSERT statement: well under both databases' limits on bound values
/// (32,766 on SQLite, 65,535 on PostgreSQL) at 18 columns.
const ROWS_PER_INSERT: usize = 500;

/// Writes invoices and their lines, a few statements for however many there are.
pub async fn insert_all(
    tx: &mut Tx,
    invoices: &[(InvoiceRow, Vec<LineRow>)],
) -> Result<(), sqlx::Error> {
    for chunk in invoices.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO invoices ({COLUMNS}) VALUES {}",
            value_rows(chunk.len(), COLUMNS.split(',').count())
        );
        let sql = bound_in_order(tx.kind(), sql);
        on_tx!(tx, conn => {
            let mut query = sqlx::query(&sql);
            for (row, _) in chunk {
                query = query
                    .bind(row.id)
                    .bind(&row.invoice_number)
                    .bind(row.user_id)
                    .bind(row.subscription_id)
                    .bind(&row.status)
                    .bind(row.amount_minor)
                    .bind(row.amount_paid_minor)
                    .bind(row.discount_minor)
                    .bind(row.tax_minor)
                    .bind(row.amount_due_minor)
                    .bind(&row.currency)
                    .bind(&row.description)
                    .bind(row.period_start)
                    .bind(row.period_end)
                    .bind(row.due_date)
                    .bind(row.paid_at)
                    .bind(&row.charge_ref)
                    .bind(row.created_at);
            }
            query.execute(conn).await.map(|r| r.rows_affected())
        })?;
    }
    let lines: Vec<&LineRow> = invoices.iter().flat_map(|(_, lines)| lines).collect();
    for chunk in lines.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity, \
             unit_price_minor, amount_minor, type) VALUES {}",
            value_rows(chunk.len(), 7)
        );
        let sql = bound_in_order(tx.kind(), sql);
        on_tx!(tx, conn => {
            let mut query = sqlx::query(&sql);
            for line in chunk {
                query = query
                    .bind(line.invoice_id)
                    .bind(line.position)
                    .bind(&line.description)
                    .bind(line.quantity)
                    .bind(line.unit_price_minor)
                    .bind(line.amount_minor)
                    .bind(&line.kind);
            }
            query.execute(conn).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Records the payment of an open invoice, and counts it in its creator's month.
pub async fn mark_paid(
    tx: &mut Tx,
    id: Uuid,
    charge_ref: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for (id, paid) in set_all_paid(tx, &[(id, charge_ref)], now).await? {
        super::months::add_invoice_amount(tx, id, paid, now).await?;
    }
    Ok(())
}

/// Records the payment of open invoices, each with its charge, in one statement, and
/// returns the amount each paid, leaving the creators' months to the caller
/// ([`mark_paid`] counts it; renewals count only their creators' invoices).
pub async fn set_all_paid(
    tx: &mut Tx,
    charges: &[(Uuid, &str)],
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, i64)>, sqlx::Error> {
    if charges.is_empty() {
        return Ok(Vec::new());
    }
    // $1 is the time; then each invoice binds its id and its charge.
    let cases: String = (0..charges.len())
        .map(|i| format!(" WHEN ${} THEN ${}", 2 * i + 2, 2 * i + 3))
        .collect();
    let ids: Vec<String> = (0..charges.len())
        .map(|i| format!("${}", 2 * i + 2))
        .collect();
    let sql = format!(
        "UPDATE invoices SET status = 'paid', amount_paid_minor = amount_due_minor, \
         paid_at = $1, charge_ref = CASE id{cases} END WHERE id IN ({}) \
         RETURNING id, amount_paid_minor",
        ids.join(", ")
    );
    on_tx!(tx, conn => {
        let mut query = sqlx::query_as::<_, (Uuid, i64)>(&sql).bind(now);
        for (id, charge_ref) in charges {
            query = query.bind(*id).bind(*charge_ref);
        }
        query.fetch_all(conn).await
    })
}

pub async fn set_status(tx: &mut Tx, id: Uuid, status: InvoiceStatus) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("UPDATE invoices SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status.as_str())
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The invoices already issued for the given periods, each a subscription and the
/// start of its period (a batch of renewals asks for all of theirs at once).
pub async fn for_periods(
    tx: &mut Tx,
    periods: &[(Uuid, DateTime<Utc>)],
) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    if periods.is_empty() {
        return Ok(Vec::new());
    }
    // The subscriptions' index finds their invoices; the starts narrow them down, and
    // the pairs are matched here (periods of a batch mostly start at the same time).
    let n = periods.len();
    let starts: Vec<String> = (n + 1..=2 * n).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM invoices WHERE subscription_id IN ({}) AND period_start IN ({})",
        super::conditions::numbered(n),
        starts.join(", ")
    );
    let sql = bound_in_order(tx.kind(), sql);
    let rows = on_tx!(tx, conn => {
        let mut query = sqlx::query_as::<_, InvoiceRow>(&sql);
        for (subscription_id, _) in periods {
            query = query.bind(*subscription_id);
        }
        for (_, start) in periods {
            query = query.bind(*start);
        }
        query.fetch_all(conn).await
    })?;
    Ok(rows
        .into_iter()
        .filter(|row| {
            row.subscription_id
                .is_some_and(|id| periods.contains(&(id, row.period_start)))
        })
        .collect())
}

pub async fn find(db: &Db, user_id: Uuid, id: Uuid) -> Result<Option<InvoiceRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, InvoiceRow>(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE user_id = $1 AND id = $2"
    ))
    .bind(user_id)
    .bind(id)
    .fetch_optional(pool)
    .await)
}

/// Lines of the given invoices, in order.
pub async fn lines(db: &Db, invoice_ids: &[Uuid]) -> Result<Vec<LineRow>, sqlx::Error> {
    let mut all = Vec::new();
    // One query per page (≤ 100 invoices): an IN list keeps it portable.
    if invoice_ids.is_empty() {
        return Ok(all);
    }
    let placeholders: Vec<String> = (1..=invoice_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT invoice_id, position, description, quantity, unit_price_minor, amount_minor, type \
         FROM invoice_lines WHERE invoice_id IN ({}) ORDER BY invoice_id, position",
        placeholders.join(", ")
    );
    let rows = on_db!(db, pool => {
        let mut query = sqlx::query_as::<_, LineRow>(&sql);
        for id in invoice_ids {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })?;
    all.extend(rows);
    Ok(all)
}

/// One page of a user's invoices, newest first, optionally of one status.
pub async fn page(
    db: &Db,
    user_id: Uuid,
    status: Option<InvoiceStatus>,
    request: PageRequest,
) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    // Newest first: ids are UUIDv7, so descending id is descending creation time.
    let (condition, order, anchor) = match request.direction {
        None => ("$3 IS NULL", "DESC", None),
        Some(Direction::After(id)) => ("id < $3", "DESC", Some(id)),
        Some(Direction::Before(id)) => ("id > $3", "ASC", Some(id)),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM invoices WHERE user_id = $2 AND {condition} \
         AND ($4 IS NULL OR status = $4) ORDER BY id {order} LIMIT $1"
    );
    on_db!(db, pool => sqlx::query_as::<_, InvoiceRow>(&sql)
        .bind(i64::from(request.limit) + 1)
        .bind(user_id)
        .bind(anchor)
        .bind(status.map(InvoiceStatus::as_str))
        .fetch_all(pool)
        .await)
}

pub async fn count(
    db: &Db,
    user_id: Uuid,
    status: Option<InvoiceStatus>,
) -> Result<u64, sqlx::Error> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM invoices WHERE user_id = $1 AND ($2 IS NULL OR status = $2)",
    )
    .bind(user_id)
    .bind(status.map(InvoiceStatus::as_str))
    .fetch_one(pool)
    .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Any user's invoice (staff views).
pub async fn find_any(db: &Db, id: Uuid) -> Result<Option<InvoiceRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, InvoiceRow>(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)
}

/// Any user's invoice by its number (`INV-YYYY-NNNNN`), for staff.
pub async fn find_by_number(db: &Db, number: &str) -> Result<Option<InvoiceRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, InvoiceRow>(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE invoice_number = $1"
    ))
    .bind(number)
    .fetch_optional(pool)
    .await)
}

/// An invoice, locked until the transaction ends (on SQLite the write transaction is
/// already exclusive).
pub async fn lock(tx: &mut Tx, id: Uuid) -> Result<Option<InvoiceRow>, sqlx::Error> {
    let lock = match tx {
        Tx::Postgres(_) => " FOR UPDATE",
        Tx::Sqlite(_) => "",
    };
    on_tx!(tx, conn => sqlx::query_as::<_, InvoiceRow>(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await)
}
