//! The signed-in user's invoices.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_platform_staff;
use crate::backend::error::AppError;
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::store::invoices::{self, InvoiceRow, LineRow};
use crate::backend::AppState;
use crate::model::page::Page;
use crate::model::subscription::{Invoice, InvoiceStatus};
use serde::Deserialize;
use uuid::Uuid;

/// `GET /invoices` query: a status filter and the page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceQuery {
    /// Only invoices in this status.
    pub status: Option<InvoiceStatus>,
    /// `next_cursor` or `prev_cursor` from the previous page's `meta`.
    pub cursor: Option<String>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

pub async fn list(
    state: &AppState,
    identity: &Identity,
    status: Option<InvoiceStatus>,
    request: PageRequest,
) -> Result<Page<Invoice>, AppError> {
    list_of(state, identity.user_id, status, request).await
}

/// One user's invoices, newest first; callers check who may see them.
pub async fn list_of(
    state: &AppState,
    user_id: Uuid,
    status: Option<InvoiceStatus>,
    request: PageRequest,
) -> Result<Page<Invoice>, AppError> {
    let rows = invoices::page(&state.db, user_id, status, request).await?;
    let total = invoices::count(&state.db, user_id, status).await?;
    let page = into_page(request, rows, total, |row| row.id);
    let ids: Vec<Uuid> = page.data.iter().map(|row| row.id).collect();
    let mut lines = invoices::lines(&state.db, &ids).await?;
    Ok(Page {
        data: page
            .data
            .into_iter()
            .map(|row| {
                let own = take_lines(&mut lines, row.id);
                row.into_api(own)
            })
            .collect(),
        meta: page.meta,
    })
}

fn take_lines(lines: &mut Vec<LineRow>, invoice_id: Uuid) -> Vec<LineRow> {
    let (own, rest) = std::mem::take(lines)
        .into_iter()
        .partition(|line| line.invoice_id == invoice_id);
    *lines = rest;
    own
}

fn invoice_not_found() -> AppError {
    AppError::NotFound {
        code: "invoice_not_found",
        message: "Invoice not found.".into(),
    }
}

pub async fn get(state: &AppState, identity: &Identity, id: Uuid) -> Result<Invoice, AppError> {
    let row: InvoiceRow = invoices::find(&state.db, identity.user_id, id)
        .await?
        .ok_or_else(invoice_not_found)?;
    let lines = invoices::lines(&state.db, &[id]).await?;
    Ok(row.into_api(lines))
}

/// Any user's invoice, by its number (`INV-2026-00042`) or id: the console's lookup.
pub async fn lookup_for_staff(
    state: &AppState,
    identity: &Identity,
    key: &str,
) -> Result<Invoice, AppError> {
    require_platform_staff(identity, "look up invoices")?;
    let key = key.trim();
    let row = match Uuid::parse_str(key) {
        Ok(id) => invoices::find_any(&state.db, id).await?,
        Err(_) => invoices::find_by_number(&state.db, &key.to_uppercase()).await?,
    }
    .ok_or_else(invoice_not_found)?;
    let lines = invoices::lines(&state.db, &[row.id]).await?;
    Ok(row.into_api(lines))
}
