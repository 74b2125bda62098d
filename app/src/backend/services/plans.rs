//! Platform plans: the public list of active plans, and their management by
//! superadmins (create, replace under If-Match, deactivate), each change audit-logged.
//! A change applies to new subscriptions; existing ones keep the terms they were sold
//! until their next renewal.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::etag;
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::store::audit;
use crate::backend::store::plans::{self, PlanRow, Scope};
use crate::backend::AppState;
use crate::model::page::Page;
use crate::model::plan::{Plan, PlanInput};
use rust_decimal::Decimal;
use uuid::Uuid;

/// A plan with the entity tag of its stored version.
pub struct Versioned {
    pub plan: Plan,
    pub etag: String,
}

impl From<PlanRow> for Versioned {
    fn from(row: PlanRow) -> Self {
        Versioned {
            etag: etag::of_version(row.version),
            plan: row.into_api(),
        }
    }
}

/// The most a plan may cost per period, in major units of its currency.
const MAX_PRICE: i64 = 1_000_000;

fn plan_not_found() -> AppError {
    AppError::NotFound {
        code: "plan_not_found",
        message: "Plan not found.".into(),
    }
}

fn require_superadmin(identity: &Identity) -> Result<(), AppError> {
    permissions::require_superadmin(identity, "manage plans")
}

/// Active plans, for anyone choosing one.
pub async fn list_active(state: &AppState, request: PageRequest) -> Result<Page<Plan>, AppError> {
    list(state, Scope::ActiveOnly, request).await
}

/// Every plan, inactive ones included (superadmins).
pub async fn list_all(
    state: &AppState,
    identity: &Identity,
    request: PageRequest,
) -> Result<Page<Plan>, AppError> {
    require_superadmin(identity)?;
    list(state, Scope::All, request).await
}

async fn list(
    state: &AppState,
    scope: Scope,
    request: PageRequest,
) -> Result<Page<Plan>, AppError> {
    let rows = plans::page(&state.db, scope, request).await?;
    let total = plans::count(&state.db, scope).await?;
    let page = into_page(request, rows, total, |row| row.id);
    Ok(Page {
        data: page.data.into_iter().map(PlanRow::into_api).collect(),
        meta: page.meta,
    })
}

pub async fn get(state: &AppState, identity: &Identity, id: Uuid) -> Result<Versioned, AppError> {
    require_superadmin(identity)?;
    let row = plans::find(&state.db, id)
        .await?
        .ok_or_else(plan_not_found)?;
    Ok(row.into())
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    input: PlanInput,
) -> Result<Versioned, AppError> {
    require_superadmin(identity)?;
    let now = state.clock.now();
    let row = validate(Uuid::now_v7(), input, 1, now, now)?;
    let mut tx = state.db.begin().await?;
    plans::insert(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "plan.created",
            target_type: "plan",
            target_id: row.id.to_string(),
            reason: None,
            before: None,
            after: Some(snapshot(&row)),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row.into())
}

/// Replaces every field of a plan. `if_match` must name the version the caller read.
pub async fn replace(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    if_match: Option<&str>,
    input: PlanInput,
) -> Result<Versioned, AppError> {
    require_superadmin(identity)?;
    let now = state.clock.now();
    // A malformed body is a 400 whatever version it names.
    let mut row = validate(id, input, 0, now, now)?;
    let mut tx = state.db.begin().await?;
    let current = plans::find(&mut tx, id).await?.ok_or_else(plan_not_found)?;
    etag::require_match(if_match, current.version)?;
    row.version = current.version + 1;
    row.created_at = current.created_at;
    write_version(tx, identity, "plan.updated", &current, row, now).await
}

/// Blocks new subscriptions to the plan; existing ones continue.
pub async fn deactivate(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
) -> Result<Versioned, AppError> {
    require_superadmin(identity)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let current = plans::find(&mut tx, id).await?.ok_or_else(plan_not_found)?;
    if !current.is_active {
        tx.commit().await?;
        return Ok(current.into());
    }
    let row = PlanRow {
        is_active: false,
        version: current.version + 1,
        updated_at: now,
        ..current.clone()
    };
    write_version(tx, identity, "plan.deactivated", &current, row, now).await
}

/// Stores `row` as the next version of `current` (refusing if someone else wrote one
/// meanwhile: PostgreSQL reads committed), audits the change and commits.
async fn write_version(
    mut tx: crate::backend::db::Tx,
    identity: &Identity,
    action: &str,
    current: &PlanRow,
    row: PlanRow,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Versioned, AppError> {
    if !plans::replace(&mut tx, &row, current.version).await? {
        return Err(AppError::PreconditionFailed);
    }
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action,
            target_type: "plan",
            target_id: row.id.to_string(),
            reason: None,
            before: Some(snapshot(current)),
            after: Some(snapshot(&row)),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row.into())
}

fn snapshot(row: &PlanRow) -> serde_json::Value {
    serde_json::to_value(row.clone().into_api()).unwrap_or(serde_json::Value::Null)
}

/// Checks every field and builds the row to store.
fn validate(
    id: Uuid,
    input: PlanInput,
    version: i64,
    created_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PlanRow, AppError> {
    let mut errors = Vec::new();
    let name = input.name.trim().to_string();
    // Limits count the text as sent, as the documented maxLength does.
    if name.is_empty() || input.name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            "must be between 1 and 100 characters",
        ));
    }
    let description = input.description.trim().to_string();
    if input.description.chars().count() > 500 {
        errors.push(FieldError::new(
            "description",
            "must be at most 500 characters",
        ));
    }
    let currency = Currency::parse(&input.currency);
    if currency.is_none() {
        errors.push(FieldError::new(
            "currency",
            "must be a supported ISO 4217 code in upper case, such as USD",
        ));
    }
    let price = currency.and_then(|currency| {
        if input.price < Decimal::ZERO || input.price > Decimal::from(MAX_PRICE) {
            errors.push(FieldError::new(
                "price",
                format!("must be between 0 and {MAX_PRICE}"),
            ));
            None
        } else if !Money::is_exact(input.price, currency) {
            errors.push(FieldError::new(
                "price",
                format!(
                    "has more decimal places than {} allows ({})",
                    currency.code(),
                    currency.exponent()
                ),
            ));
            None
        } else {
            Money::from_decimal(input.price, currency)
        }
    });
    let ranges = [
        ("max_profiles", input.max_profiles, 1, 6),
        ("max_concurrent_streams", input.max_concurrent_streams, 1, 8),
        ("max_devices", input.max_devices, 1, 20),
        ("trial_days", input.trial_days, 0, 365),
    ];
    for (field, value, min, max) in ranges {
        if !(min..=max).contains(&value) {
            errors.push(FieldError::new(
                field,
                format!("must be between {min} and {max}"),
            ));
        }
    }
    if let Some(count) = input.allow_download_count {
        if !(0..=100).contains(&count) {
            errors.push(FieldError::new(
                "allow_download_count",
                "must be between 0 and 100, or null for unlimited",
            ));
        }
    }
    let (Some(price), true) = (price, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    Ok(PlanRow {
        id,
        name,
        description,
        price_minor: price.minor,
        currency: price.currency.code().to_string(),
        billing_cycle: input.billing_cycle.as_str().to_string(),
        max_profiles: input.max_profiles,
        max_concurrent_streams: input.max_concurrent_streams,
        max_devices: input.max_devices,
        max_quality: input.max_quality.as_str().to_string(),
        has_downloads: input.has_downloads,
        allow_download_count: input.allow_download_count,
        has_ads: input.has_ads,
        has_hdr: input.has_hdr,
        has_dolby_atmos: input.has_dolby_atmos,
        trial_days: input.trial_days,
        is_active: input.is_active,
        version,
        created_at,
        updated_at: now,
    })
}
