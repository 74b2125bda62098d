//! Reading the audit log (writing is `store::audit::record`, inside each change's own
//! transaction). Platform staff only.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_platform_staff;
use crate::backend::error::{AppError, FieldError};
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::store::audit::{self, AuditFilter, AuditRow};
use crate::backend::AppState;
use crate::model::admin::AuditEntry;
use crate::model::page::Page;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

/// `GET /admin/audit-log` query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Who acted.
    pub actor_id: Option<Uuid>,
    /// What kind of record was changed (`user`, `plan`, `coupon`, `invoice`, …).
    #[param(max_length = 50)]
    pub target_type: Option<String>,
    /// Which record was changed.
    #[param(max_length = 100)]
    pub target_id: Option<String>,
    /// Such as `user.suspended`.
    #[param(max_length = 100)]
    pub action: Option<String>,
    /// At or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Before this time.
    pub to: Option<DateTime<Utc>>,
    /// `next_cursor` or `prev_cursor` from the previous page's `meta`.
    pub cursor: Option<String>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

fn text(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Option<String> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Some(value.to_string())
}

fn filter_from(query: &AuditQuery) -> Result<AuditFilter, AppError> {
    let mut errors = Vec::new();
    let filter = AuditFilter {
        actor_id: query.actor_id,
        target_type: text(&mut errors, "target_type", &query.target_type, 50),
        target_id: text(&mut errors, "target_id", &query.target_id, 100),
        action: text(&mut errors, "action", &query.action, 100),
        from: query.from,
        to: query.to,
    };
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if from >= to {
            errors.push(FieldError::new("to", "must be after from"));
        }
    }
    if errors.is_empty() {
        Ok(filter)
    } else {
        Err(AppError::Validation(errors))
    }
}

fn to_api(row: AuditRow) -> AuditEntry {
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    AuditEntry {
        id: row.id,
        actor_id: row.actor_id,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        reason: row.reason,
        before: parse(row.before),
        after: parse(row.after),
        request_id: row.request_id,
        created_at: row.created_at,
    }
}

/// Entries matching the query, newest first.
pub async fn list(
    state: &AppState,
    identity: &Identity,
    query: &AuditQuery,
    request: PageRequest,
) -> Result<Page<AuditEntry>, AppError> {
    require_platform_staff(identity, "read the audit log")?;
    let filter = filter_from(query)?;
    let rows = audit::page(&state.db, &filter, request).await?;
    let total = audit::count(&state.db, &filter).await?;
    let page = into_page(request, rows, total, |row| row.id);
    Ok(Page {
        data: page.data.into_iter().map(to_api).collect(),
        meta: page.meta,
    })
}
