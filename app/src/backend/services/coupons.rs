//! Coupons: platform staff create, list, edit (status, limit, end date, description —
//! never code, type or value) and delete unredeemed ones, each change audit-logged; a
//! signed-in user checks a code against a plan before using it. What a coupon does to
//! a bill is in `billing::coupons`.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_platform_staff;
use crate::backend::billing::coupons::{self as rules, Coupon as Usable, Product};
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{is_unique_violation, AppError, FieldError};
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::store::coupons::{self, CouponRow};
use crate::backend::store::{audit, plans};
use crate::backend::AppState;
use crate::model::coupon::{
    Coupon, CouponStatus, CouponValidation, CreateCoupon, DiscountType, UpdateCoupon,
    ValidateCoupon,
};
use crate::model::page::Page;
use chrono::{DateTime, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

/// `GET /admin/coupons` query: a status filter and the page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CouponQuery {
    /// Only coupons in this status.
    pub status: Option<CouponStatus>,
    /// `next_cursor` or `prev_cursor` from the previous page's `meta`.
    pub cursor: Option<String>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

const MAX_FIXED_AMOUNT: i64 = 1_000_000;
const MAX_TRIAL_DAYS: i64 = 365;
const MAX_DURATION_PERIODS: i32 = 120;

fn coupon_not_found() -> AppError {
    AppError::NotFound {
        code: "coupon_not_found",
        message: "Coupon not found.".into(),
    }
}

fn to_api(coupon: Usable, now: DateTime<Utc>) -> Coupon {
    let Usable { row, plan_ids, .. } = coupon;
    let kind = DiscountType::parse(&row.discount_type).expect("stored discount types are valid");
    let discount_value = match kind {
        DiscountType::Percent => Decimal::new(row.discount_value, 2),
        DiscountType::FixedAmount => {
            let currency = row
                .currency
                .as_deref()
                .and_then(Currency::parse)
                .expect("fixed amounts have a stored currency");
            Money::from_minor(row.discount_value, currency).to_decimal()
        }
        DiscountType::FreeTrialDays => Decimal::from(row.discount_value),
    };
    let status = match row.status.as_str() {
        "disabled" => CouponStatus::Disabled,
        _ if row.valid_until.is_some_and(|until| until <= now) => CouponStatus::Expired,
        _ => CouponStatus::Active,
    };
    Coupon {
        id: row.id,
        code: row.code,
        description: row.description,
        discount_type: kind,
        discount_value: discount_value.normalize(),
        currency: row.currency,
        applicable_plan_ids: plan_ids,
        duration_periods: row.duration_periods,
        max_redemptions: row.max_redemptions,
        max_redemptions_per_user: row.max_redemptions_per_user,
        redemption_count: row.redemption_count,
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        status,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

async fn load(state: &AppState, id: Uuid) -> Result<Usable, AppError> {
    let row = coupons::find(&state.db, id)
        .await?
        .ok_or_else(coupon_not_found)?;
    let plan_ids = coupons::plan_ids(&state.db, &[id])
        .await?
        .into_iter()
        .map(|(_, plan)| plan)
        .collect();
    Ok(Usable {
        row,
        plan_ids,
        tier_ids: Vec::new(),
    })
}

fn snapshot(coupon: &Usable, now: DateTime<Utc>) -> serde_json::Value {
    serde_json::to_value(to_api(coupon.clone(), now)).unwrap_or(serde_json::Value::Null)
}

pub async fn list(
    state: &AppState,
    identity: &Identity,
    status: Option<CouponStatus>,
    request: PageRequest,
) -> Result<Page<Coupon>, AppError> {
    require_platform_staff(identity, "manage coupons")?;
    let now = state.clock.now();
    let status = status.map(CouponStatus::as_str);
    let rows = coupons::page(&state.db, status, now, request).await?;
    let total = coupons::count(&state.db, status, now).await?;
    let page = into_page(request, rows, total, |row| row.id);
    let ids: Vec<Uuid> = page.data.iter().map(|row| row.id).collect();
    let links = coupons::plan_ids(&state.db, &ids).await?;
    Ok(Page {
        data: page
            .data
            .into_iter()
            .map(|row| {
                let plan_ids = links
                    .iter()
                    .filter(|(coupon, _)| *coupon == row.id)
                    .map(|(_, plan)| *plan)
                    .collect();
                to_api(
                    Usable {
                        row,
                        plan_ids,
                        tier_ids: Vec::new(),
                    },
                    now,
                )
            })
            .collect(),
        meta: page.meta,
    })
}

pub async fn get(state: &AppState, identity: &Identity, id: Uuid) -> Result<Coupon, AppError> {
    require_platform_staff(identity, "manage coupons")?;
    Ok(to_api(load(state, id).await?, state.clock.now()))
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    input: CreateCoupon,
) -> Result<Coupon, AppError> {
    require_platform_staff(identity, "manage coupons")?;
    let now = state.clock.now();
    let coupon = validate(identity, input, now)?;
    let mut tx = state.db.begin().await?;
    let mut unknown = Vec::new();
    for (i, plan_id) in coupon.plan_ids.iter().enumerate() {
        if plans::find(&mut tx, *plan_id).await?.is_none() {
            unknown.push(FieldError::new(
                format!("applicable_plan_ids[{i}]"),
                "is not a plan",
            ));
        }
    }
    if !unknown.is_empty() {
        return Err(AppError::Validation(unknown));
    }
    coupons::insert(&mut tx, &coupon.row, &coupon.plan_ids)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::Conflict {
                    code: "coupon_code_taken",
                    message: "Another coupon already has this code.".into(),
                }
            } else {
                e.into()
            }
        })?;
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "coupon.created",
            target_type: "coupon",
            target_id: coupon.row.id.to_string(),
            reason: None,
            before: None,
            after: Some(snapshot(&coupon, now)),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(to_api(coupon, now))
}

pub async fn update(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    patch: UpdateCoupon,
) -> Result<Coupon, AppError> {
    require_platform_staff(identity, "manage coupons")?;
    let now = state.clock.now();
    let mut errors = Vec::new();
    check_shared_fields(
        &mut errors,
        patch.status,
        patch.max_redemptions,
        patch.description.as_deref(),
    );
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = state.db.begin().await?;
    let mut row = coupons::find(&mut tx, id)
        .await?
        .ok_or_else(coupon_not_found)?;
    let before = Usable {
        row: row.clone(),
        plan_ids: coupons::plan_ids_of(&mut tx, id).await?,
        tier_ids: coupons::tier_ids_of(&mut tx, id).await?,
    };
    if let Some(max) = patch.max_redemptions {
        if max < row.redemption_count {
            return Err(AppError::Validation(vec![FieldError::new(
                "max_redemptions",
                format!(
                    "must be at least the {} redemptions already made",
                    row.redemption_count
                ),
            )]));
        }
        row.max_redemptions = Some(max);
    }
    if let Some(until) = patch.valid_until {
        if until <= row.valid_from {
            return Err(AppError::Validation(vec![FieldError::new(
                "valid_until",
                "must be after valid_from",
            )]));
        }
        row.valid_until = Some(until);
    }
    if let Some(status) = patch.status {
        row.status = status.as_str().into();
    }
    if let Some(description) = patch.description {
        let description = description.trim().to_string();
        row.description = (!description.is_empty()).then_some(description);
    }
    row.updated_at = now;
    coupons::update(&mut tx, &row).await?;
    let after = Usable {
        row,
        plan_ids: before.plan_ids.clone(),
        tier_ids: before.tier_ids.clone(),
    };
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "coupon.updated",
            target_type: "coupon",
            target_id: id.to_string(),
            reason: None,
            before: Some(snapshot(&before, now)),
            after: Some(snapshot(&after, now)),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(to_api(after, now))
}

/// Deletes a coupon nobody has redeemed (a redeemed one is disabled instead).
pub async fn delete(state: &AppState, identity: &Identity, id: Uuid) -> Result<(), AppError> {
    require_platform_staff(identity, "manage coupons")?;
    let now = state.clock.now();
    let before = load(state, id).await?;
    let mut tx = state.db.begin().await?;
    if !coupons::delete_unredeemed(&mut tx, id).await? {
        return Err(AppError::Conflict {
            code: "coupon_redeemed",
            message: "This coupon has been redeemed and cannot be deleted; disable it instead."
                .into(),
        });
    }
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "coupon.deleted",
            target_type: "coupon",
            target_id: id.to_string(),
            reason: None,
            before: Some(snapshot(&before, now)),
            after: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the caller could use `code` on the plan now, and if not why.
pub async fn validate_code(
    state: &AppState,
    identity: &Identity,
    req: ValidateCoupon,
) -> Result<CouponValidation, AppError> {
    if req.code.chars().count() > 50 {
        return Err(AppError::Validation(vec![FieldError::new(
            "code",
            "must be at most 50 characters",
        )]));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let plan = plans::find(&mut tx, req.plan_id)
        .await?
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("plan_id", "is not a plan")]))?;
    let outcome = rules::usable(
        &mut tx,
        &req.code,
        Product::Plan(&plan),
        identity.user_id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(match outcome {
        Ok(coupon) => CouponValidation {
            valid: true,
            coupon: Some(to_api(coupon, now)),
            error_code: None,
        },
        Err((error, coupon)) => CouponValidation {
            valid: false,
            coupon: coupon.map(|c| to_api(c, now)),
            error_code: Some(error),
        },
    })
}

/// The checks creating and editing share: the status an admin may set, the limit and
/// the description.
fn check_shared_fields(
    errors: &mut Vec<FieldError>,
    status: Option<CouponStatus>,
    max_redemptions: Option<i32>,
    description: Option<&str>,
) {
    if status == Some(CouponStatus::Expired) {
        errors.push(FieldError::new(
            "status",
            "must be active or disabled (expiry follows valid_until)",
        ));
    }
    if max_redemptions.is_some_and(|max| max < 1) {
        errors.push(FieldError::new("max_redemptions", "must be at least 1"));
    }
    // Limits count the text as sent, as the documented maxLength does.
    if description.is_some_and(|d| d.chars().count() > 500) {
        errors.push(FieldError::new(
            "description",
            "must be at most 500 characters",
        ));
    }
}

/// Checks every field of a new coupon and builds what to store.
fn validate(
    identity: &Identity,
    input: CreateCoupon,
    now: DateTime<Utc>,
) -> Result<Usable, AppError> {
    let mut errors = Vec::new();
    let code_ok = !input.code.is_empty()
        && input.code.chars().count() <= 50
        && input
            .code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !code_ok {
        errors.push(FieldError::new(
            "code",
            "must be 1 to 50 upper-case letters, digits, hyphens or underscores",
        ));
    }
    check_shared_fields(
        &mut errors,
        Some(input.status),
        input.max_redemptions,
        input.description.as_deref(),
    );
    let value = input.discount_value;
    let currency = input.currency.as_deref().map(Currency::parse);
    let stored_value: Option<i64> = match input.discount_type {
        DiscountType::Percent => {
            if currency.is_some() {
                errors.push(FieldError::new(
                    "currency",
                    "is only for fixed_amount coupons",
                ));
            }
            let hundredths = value * Decimal::from(100);
            let ok = value > Decimal::ZERO
                && value <= Decimal::from(100)
                && hundredths.fract().is_zero();
            if !ok {
                errors.push(FieldError::new(
                    "discount_value",
                    "must be a percentage above 0 and at most 100, with at most 2 decimal places",
                ));
            }
            ok.then(|| hundredths.to_i64()).flatten()
        }
        DiscountType::FixedAmount => match currency {
            None => {
                errors.push(FieldError::new(
                    "currency",
                    "is required for fixed_amount coupons",
                ));
                None
            }
            Some(None) => {
                errors.push(FieldError::new(
                    "currency",
                    "must be a supported ISO 4217 code in upper case, such as USD",
                ));
                None
            }
            Some(Some(currency)) => {
                let ok = value > Decimal::ZERO
                    && value <= Decimal::from(MAX_FIXED_AMOUNT)
                    && Money::is_exact(value, currency);
                if !ok {
                    errors.push(FieldError::new(
                        "discount_value",
                        format!(
                            "must be above 0 and at most {MAX_FIXED_AMOUNT}, with at most {} \
                             decimal places",
                            currency.exponent()
                        ),
                    ));
                }
                ok.then(|| Money::from_decimal(value, currency))
                    .flatten()
                    .map(|m| m.minor)
            }
        },
        DiscountType::FreeTrialDays => {
            if currency.is_some() {
                errors.push(FieldError::new(
                    "currency",
                    "is only for fixed_amount coupons",
                ));
            }
            let ok = value.fract().is_zero()
                && value >= Decimal::ONE
                && value <= Decimal::from(MAX_TRIAL_DAYS);
            if !ok {
                errors.push(FieldError::new(
                    "discount_value",
                    format!("must be a whole number of days from 1 to {MAX_TRIAL_DAYS}"),
                ));
            }
            ok.then(|| value.to_i64()).flatten()
        }
    };
    if input
        .duration_periods
        .is_some_and(|n| !(1..=MAX_DURATION_PERIODS).contains(&n))
    {
        errors.push(FieldError::new(
            "duration_periods",
            format!("must be between 1 and {MAX_DURATION_PERIODS}, or null for every period"),
        ));
    }
    if input.max_redemptions_per_user < 1 {
        errors.push(FieldError::new(
            "max_redemptions_per_user",
            "must be at least 1",
        ));
    }
    if input
        .valid_until
        .is_some_and(|until| until <= input.valid_from)
    {
        errors.push(FieldError::new("valid_until", "must be after valid_from"));
    }
    let mut plan_ids = input.applicable_plan_ids.clone();
    plan_ids.sort();
    plan_ids.dedup();
    let (Some(discount_value), true) = (stored_value, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let description = input
        .description
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    Ok(Usable {
        row: CouponRow {
            id: Uuid::now_v7(),
            code: input.code,
            description,
            discount_type: input.discount_type.as_str().into(),
            discount_value,
            currency: match input.discount_type {
                DiscountType::FixedAmount => input.currency,
                _ => None,
            },
            duration_periods: input.duration_periods,
            max_redemptions: input.max_redemptions,
            max_redemptions_per_user: input.max_redemptions_per_user,
            redemption_count: 0,
            valid_from: input.valid_from,
            valid_until: input.valid_until,
            status: input.status.as_str().into(),
            created_by: Some(identity.user_id),
            created_at: now,
            updated_at: now,
            creator_id: None,
        },
        plan_ids,
        tier_ids: Vec::new(),
    })
}
