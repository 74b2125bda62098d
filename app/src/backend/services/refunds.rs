//! Refunds of paid invoices by platform staff: partial or whole, never more in total
//! than was paid by card, through the gateway, audit-logged with the actor. The refund
//! is recorded `pending` before the gateway is asked (so concurrent refunds see each
//! other), then `succeeded` or `failed`.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_platform_staff;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::store::audit;
use crate::backend::store::invoices::{self, InvoiceRow};
use crate::backend::store::refunds::{self, RefundRow};
use crate::backend::AppState;
use crate::model::refund::{CreateRefund, Refund, RefundList};
use uuid::Uuid;

fn require_staff(identity: &Identity) -> Result<(), AppError> {
    require_platform_staff(identity, "refund invoices")
}

fn invoice_not_found() -> AppError {
    AppError::NotFound {
        code: "invoice_not_found",
        message: "Invoice not found.".into(),
    }
}

fn to_api(row: RefundRow) -> Refund {
    let currency = Currency::parse(&row.currency).expect("stored currencies are valid");
    Refund {
        id: row.id,
        invoice_id: row.invoice_id,
        amount: Money::from_minor(row.amount_minor, currency).to_decimal(),
        currency: row.currency,
        reason: row.reason,
        status: row.status,
        notes: row.notes,
        provider_refund_id: row.provider_refund_id,
        actor_id: row.actor_id,
        processed_at: row.processed_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn list(
    state: &AppState,
    identity: &Identity,
    invoice_id: Uuid,
) -> Result<RefundList, AppError> {
    require_staff(identity)?;
    invoices::find_any(&state.db, invoice_id)
        .await?
        .ok_or_else(invoice_not_found)?;
    let rows = refunds::for_invoice(&state.db, invoice_id).await?;
    Ok(RefundList {
        data: rows.into_iter().map(to_api).collect(),
    })
}

/// The card charge behind a paid invoice, if a card paid it.
fn card_charge(invoice: &InvoiceRow) -> Option<&str> {
    invoice
        .charge_ref
        .as_deref()
        .filter(|_| invoice.status == "paid" && invoice.amount_paid_minor > 0)
        .filter(|charge| !matches!(*charge, "account_balance" | "no_charge_needed"))
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    invoice_id: Uuid,
    req: CreateRefund,
) -> Result<Refund, AppError> {
    require_staff(identity)?;
    if req.notes.as_ref().is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::Validation(vec![FieldError::new(
            "notes",
            "must be at most 500 characters",
        )]));
    }
    let now = state.clock.now();

    // 1. Check and reserve the amount.
    let mut tx = state.db.begin().await?;
    let invoice = invoices::lock(&mut tx, invoice_id)
        .await?
        .ok_or_else(invoice_not_found)?;
    let charge_ref = card_charge(&invoice)
        .ok_or_else(|| AppError::Conflict {
            code: "invoice_not_refundable",
            message: "Only invoices paid by card can be refunded.".into(),
        })?
        .to_string();
    let currency = invoice.currency();
    let refundable =
        invoice.amount_paid_minor - refunds::committed_total(&mut tx, invoice_id).await?;
    let amount = Money::from_decimal(req.amount, currency)
        .filter(|m| m.minor > 0 && Money::is_exact(req.amount, currency) && m.minor <= refundable)
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "amount",
                format!(
                    "must be more than 0 and at most the {} {} still refundable, with at most {} decimal places",
                    Money::from_minor(refundable, currency).to_decimal(),
                    currency.code(),
                    currency.exponent()
                ),
            )])
        })?;
    let notes = req
        .notes
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let mut row = RefundRow {
        id: Uuid::now_v7(),
        invoice_id,
        amount_minor: amount.minor,
        currency: currency.code().into(),
        reason: req.reason.as_str().into(),
        status: "pending".into(),
        notes,
        provider_refund_id: None,
        actor_id: Some(identity.user_id),
        processed_at: None,
        created_at: now,
        updated_at: now,
    };
    refunds::insert(&mut tx, &row).await?;
    tx.commit().await?;

    // 2. Ask the gateway (the refund id is the idempotency key), 3. record and audit.
    let outcome = state
        .gateway
        .refund(&charge_ref, amount, &format!("refund-{}", row.id))
        .await;
    let mut tx = state.db.begin().await?;
    let (status, provider_id) = match &outcome {
        Ok(provider_id) => ("succeeded", Some(provider_id.as_str())),
        Err(_) => ("failed", None),
    };
    refunds::finish(&mut tx, row.id, status, provider_id, now).await?;
    row.status = status.into();
    row.provider_refund_id = provider_id.map(str::to_string);
    row.processed_at = Some(now);
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "refund.created",
            target_type: "invoice",
            target_id: invoice_id.to_string(),
            reason: Some(row.reason.as_str()),
            before: Some(serde_json::json!({ "refundable": Money::from_minor(refundable, currency).to_decimal() })),
            after: Some(serde_json::to_value(to_api(row.clone())).unwrap_or_default()),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    match outcome {
        Ok(_) => Ok(to_api(row)),
        Err(error) => Err(AppError::Conflict {
            code: "refund_failed",
            message: format!("The payment provider refused the refund: {error}."),
        }),
    }
}
