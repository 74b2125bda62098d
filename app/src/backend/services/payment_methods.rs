//! Saved payment methods: attach a gateway token, list, make default, remove. The
//! first method attached becomes the default; removing the default promotes the newest
//! remaining one. Attaching needs a verified email (it is the first step of paying).

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_verified_email;
use crate::backend::billing::gateway::AttachError;
use crate::backend::error::{AppError, FieldError};
use crate::backend::store::payment_methods::{self, PaymentMethodRow};
use crate::backend::store::{subscriptions, users};
use crate::backend::AppState;
use crate::model::payment_method::{AttachPaymentMethod, PaymentMethod, PaymentMethodList};
use uuid::Uuid;

fn not_found() -> AppError {
    AppError::NotFound {
        code: "payment_method_not_found",
        message: "Payment method not found.".into(),
    }
}

pub async fn list(state: &AppState, identity: &Identity) -> Result<PaymentMethodList, AppError> {
    let now = state.clock.now();
    let rows = payment_methods::list(&state.db, identity.user_id).await?;
    Ok(PaymentMethodList {
        data: rows.into_iter().map(|row| row.into_api(now)).collect(),
    })
}

pub async fn get(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
) -> Result<PaymentMethod, AppError> {
    let row = payment_methods::find(&state.db, identity.user_id, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(row.into_api(state.clock.now()))
}

pub async fn attach(
    state: &AppState,
    identity: &Identity,
    req: AttachPaymentMethod,
) -> Result<PaymentMethod, AppError> {
    // Limits count the text as sent, as the documented maxLength does.
    let too_long = req
        .billing_name
        .as_ref()
        .is_some_and(|n| n.chars().count() > 100);
    let billing_name = req
        .billing_name
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty());
    if too_long {
        return Err(AppError::Validation(vec![FieldError::new(
            "billing_name",
            "must be at most 100 characters",
        )]));
    }
    require_verified_email(&state.db, identity, "adding a payment method").await?;
    let now = state.clock.now();
    let card = state
        .gateway
        .attach(req.payment_method_token.trim(), now)
        .await
        .map_err(|e| match e {
            AttachError::UnknownToken => AppError::BadRequest {
                code: "invalid_payment_method_token",
                message: "The payment method token is not valid; obtain a new one from the \
                          payment form."
                    .into(),
            },
        })?;
    let row = PaymentMethodRow {
        id: Uuid::now_v7(),
        user_id: identity.user_id,
        gateway_ref: card.gateway_ref,
        kind: "card".into(),
        brand: card.brand.into(),
        last4: card.last4.into(),
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        billing_name,
        billing_country: None,
        is_default: false,
        created_at: now,
        updated_at: now,
    };
    let mut tx = state.db.begin().await?;
    // Serialises a user's concurrent attaches, so exactly one of two "first" methods
    // becomes the default.
    users::lock_for_update(&mut tx, identity.user_id).await?;
    let first = payment_methods::count(&mut tx, identity.user_id).await? == 0;
    payment_methods::insert(&mut tx, &row).await?;
    if first || req.set_as_default {
        payment_methods::make_default(&mut tx, identity.user_id, row.id, now).await?;
    }
    tx.commit().await?;
    get(state, identity, row.id).await
}

pub async fn make_default(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
) -> Result<PaymentMethod, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, identity.user_id).await?;
    payment_methods::find(&mut tx, identity.user_id, id)
        .await?
        .ok_or_else(not_found)?;
    payment_methods::make_default(&mut tx, identity.user_id, id, now).await?;
    tx.commit().await?;
    get(state, identity, id).await
}

/// Detaches a method. Removing the default makes the newest remaining one the default.
pub async fn remove(state: &AppState, identity: &Identity, id: Uuid) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, identity.user_id).await?;
    let row = payment_methods::find(&mut tx, identity.user_id, id)
        .await?
        .ok_or_else(not_found)?;
    if row.is_default && subscriptions::user_has_live(&mut tx, identity.user_id).await? {
        return Err(AppError::Conflict {
            code: "payment_method_in_use",
            message: "This is the default payment method of an active subscription; make \
                      another method the default first."
                .into(),
        });
    }
    payment_methods::soft_delete(&mut tx, id, now).await?;
    if row.is_default {
        if let Some(next) = payment_methods::newest(&mut tx, identity.user_id).await? {
            payment_methods::make_default(&mut tx, identity.user_id, next, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
