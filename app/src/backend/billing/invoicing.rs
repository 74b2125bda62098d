//! Issuing invoices: one gapless number, one line per component (the period's price,
//! proration, credit applied), the total being the sum of the lines.

use crate::backend::db::Tx;
use crate::backend::domain::money::Money;
use crate::backend::error::AppError;
use crate::backend::store::invoices::{self, InvoiceRow, LineRow};
use crate::backend::store::subscriptions::SubscriptionRow;
use crate::model::subscription::InvoiceStatus;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One line of an invoice; credits are negative.
pub struct Line {
    pub description: String,
    /// `subscription`, `proration`, `discount`, `credit` or `tip`.
    pub kind: &'static str,
    pub amount: Money,
}

/// The line of a coupon's discount (negative).
pub fn discount_line(code: &str, discount: Money) -> Line {
    Line {
        description: format!("Coupon {code}"),
        kind: "discount",
        amount: Money::from_minor(-discount.minor, discount.currency),
    }
}

/// Issues an open invoice of `lines` for a period of `sub`; returns its id and total.
pub async fn issue(
    tx: &mut Tx,
    sub: &SubscriptionRow,
    description: &str,
    lines: &[Line],
    period: (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<(Uuid, Money), AppError> {
    let draft = Draft::for_period(sub, description, lines, period, now)?;
    draft.write(tx, now).await
}

/// Issues an open invoice for a one-off purchase (a tip) at `now`, the receipt of it.
pub async fn issue_receipt(
    tx: &mut Tx,
    user_id: Uuid,
    description: &str,
    lines: &[Line],
    now: DateTime<Utc>,
) -> Result<(Uuid, Money), AppError> {
    let bill = Bill {
        user_id,
        subscription_id: None,
        description,
        lines,
        period: (now, now),
    };
    Draft::new(bill, now)?.write(tx, now).await
}

/// What an invoice bills, and to whom.
struct Bill<'a> {
    user_id: Uuid,
    subscription_id: Option<Uuid>,
    description: &'a str,
    lines: &'a [Line],
    period: (DateTime<Utc>, DateTime<Utc>),
}

/// An open invoice and its lines, complete but for its number, which it takes when it
/// is written: only invoices that exist take one, so the sequence has no gaps. Renewals
/// draft a batch's invoices and write them together.
pub struct Draft {
    row: InvoiceRow,
    lines: Vec<LineRow>,
    total: Money,
}

impl Draft {
    /// The invoice of `lines` for a period of `sub`.
    pub fn for_period(
        sub: &SubscriptionRow,
        description: &str,
        lines: &[Line],
        period: (DateTime<Utc>, DateTime<Utc>),
        now: DateTime<Utc>,
    ) -> Result<Draft, AppError> {
        let bill = Bill {
            user_id: sub.user_id,
            subscription_id: Some(sub.id),
            description,
            lines,
            period,
        };
        Draft::new(bill, now)
    }

    fn new(bill: Bill<'_>, now: DateTime<Utc>) -> Result<Draft, AppError> {
        let Bill {
            user_id,
            subscription_id,
            description,
            lines,
            period: (period_start, period_end),
        } = bill;
        let currency = lines
            .first()
            .map(|line| line.amount.currency)
            .ok_or_else(|| AppError::internal("an invoice needs a line"))?;
        let total = Money::from_minor(lines.iter().map(|line| line.amount.minor).sum(), currency);
        // `amount` is before discounts; `amount_due` after them (and after credits).
        let discount: i64 = lines
            .iter()
            .filter(|line| line.kind == "discount")
            .map(|line| -line.amount.minor)
            .sum();
        let id = Uuid::now_v7();
        let row = InvoiceRow {
            id,
            invoice_number: String::new(),
            user_id,
            subscription_id,
            status: InvoiceStatus::Open.as_str().into(),
            amount_minor: total.minor + discount,
            amount_paid_minor: 0,
            discount_minor: discount,
            tax_minor: 0,
            amount_due_minor: total.minor,
            currency: currency.code().into(),
            description: description.into(),
            period_start,
            period_end,
            due_date: now,
            paid_at: None,
            charge_ref: None,
            created_at: now,
        };
        let lines = lines
            .iter()
            .zip(1..)
            .map(|(line, position)| LineRow {
                invoice_id: id,
                position,
                description: line.description.clone(),
                quantity: 1,
                unit_price_minor: line.amount.minor,
                amount_minor: line.amount.minor,
                kind: line.kind.into(),
            })
            .collect();
        Ok(Draft { row, lines, total })
    }

    pub fn id(&self) -> Uuid {
        self.row.id
    }

    /// The amount due.
    pub fn total(&self) -> Money {
        self.total
    }

    /// Numbers and writes this invoice alone; returns its id and amount due.
    async fn write(self, tx: &mut Tx, now: DateTime<Utc>) -> Result<(Uuid, Money), AppError> {
        let issued = (self.id(), self.total());
        write_all(tx, vec![self], now).await?;
        Ok(issued)
    }
}

/// Numbers and writes `drafts`, in their order, with a few statements for all of them.
pub async fn write_all(
    tx: &mut Tx,
    drafts: Vec<Draft>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let numbers = invoices::take_numbers(tx, drafts.len(), now).await?;
    let rows: Vec<(InvoiceRow, Vec<LineRow>)> = drafts
        .into_iter()
        .zip(numbers)
        .map(|(draft, number)| {
            let mut row = draft.row;
            row.invoice_number = number;
            (row, draft.lines)
        })
        .collect();
    invoices::insert_all(tx, &rows).await?;
    Ok(())
}
