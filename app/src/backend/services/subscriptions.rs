//! Platform subscriptions: subscribe (with a trial, or charging the first period now),
//! look at the current one, cancel. Renewals and dunning are in `billing::renewals`.
//!
//! The first charge happens before anything is written: a declined card leaves nothing
//! behind. If the write then fails (a concurrent subscribe won), the charge is refunded.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_verified_email;
use crate::backend::billing::{invoicing, renewals};
use crate::backend::domain::money::Money;
use crate::backend::error::{is_unique_violation, AppError, FieldError};
use crate::backend::services::jobs::{self, Job};
use crate::backend::store::plans::{self, PlanRow};
use crate::backend::store::subscriptions::{self, SubscriptionRow};
use crate::backend::store::{payment_methods, users};
use crate::backend::AppState;
use crate::model::plan::BillingCycle;
use crate::model::subscription::{
    period_end, CancelSubscription, CreateSubscription, Subscription, SubscriptionStatus,
};
use chrono::Duration;
use uuid::Uuid;

pub fn subscription_not_found() -> AppError {
    AppError::NotFound {
        code: "subscription_not_found",
        message: "You have no current subscription.".into(),
    }
}

/// The API shape of a stored subscription, with its plan.
pub async fn to_api(state: &AppState, row: SubscriptionRow) -> Result<Subscription, AppError> {
    let plan_id = row
        .plan_id
        .ok_or_else(|| AppError::internal("plan subscription without plan"))?;
    let plan = plans::find(&state.db, plan_id)
        .await?
        .ok_or_else(|| AppError::internal("subscription's plan is gone"))?;
    let last4 = match row.payment_method_id {
        Some(id) => payment_methods::find_any(&state.db, id)
            .await?
            .map(|pm| pm.last4),
        None => None,
    };
    let status = SubscriptionStatus::parse(&row.status)
        .ok_or_else(|| AppError::internal("unknown subscription status"))?;
    let renews = !row.cancel_at_period_end && status != SubscriptionStatus::Canceled;
    Ok(Subscription {
        id: row.id,
        user_id: row.user_id,
        plan_id,
        plan: plan.into_api(),
        status,
        auto_renew: row.auto_renew && renews,
        current_period_start: row.current_period_start,
        current_period_end: row.current_period_end,
        next_billing_date: renews.then_some(row.next_attempt_at.unwrap_or(row.current_period_end)),
        cancel_at_period_end: row.cancel_at_period_end,
        canceled_at: row.canceled_at,
        paused_at: row.paused_at,
        trial_start: row.trial_start,
        trial_end: row.trial_end,
        payment_method_id: row.payment_method_id,
        payment_method_last4: last4,
        coupon_id: row.coupon_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

pub async fn current(state: &AppState, identity: &Identity) -> Result<Subscription, AppError> {
    let row = subscriptions::live_plan_subscription(&state.db, identity.user_id)
        .await?
        .ok_or_else(subscription_not_found)?;
    to_api(state, row).await
}

fn already_subscribed() -> AppError {
    AppError::Conflict {
        code: "subscription_exists",
        message: "You already have a subscription; change its plan instead.".into(),
    }
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    req: CreateSubscription,
) -> Result<Subscription, AppError> {
    if req
        .coupon_code
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty())
    {
        // No coupon exists yet on this platform, so any code is unknown.
        return Err(AppError::BadRequest {
            code: "invalid_coupon",
            message: "No coupon has this code.".into(),
        });
    }
    require_verified_email(&state.db, identity, "subscribing").await?;
    let plan = plans::find(&state.db, req.plan_id)
        .await?
        .filter(|plan| plan.is_active)
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "plan_id",
                "is not a plan open to new subscriptions",
            )])
        })?;
    let method = payment_methods::find(&state.db, identity.user_id, req.payment_method_id)
        .await?
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "payment_method_id",
                "is not one of your saved payment methods",
            )])
        })?;
    if subscriptions::live_plan_subscription(&state.db, identity.user_id)
        .await?
        .is_some()
    {
        return Err(already_subscribed());
    }

    let now = state.clock.now();
    let id = Uuid::now_v7();
    let cycle = BillingCycle::parse(&plan.billing_cycle)
        .ok_or_else(|| AppError::internal("stored billing cycle"))?;
    let price = plan.price();
    let trial_end = (plan.trial_days > 0).then(|| now + Duration::days(i64::from(plan.trial_days)));
    let anchor = trial_end.unwrap_or(now);
    let row = SubscriptionRow {
        id,
        user_id: identity.user_id,
        product_kind: "plan".into(),
        plan_id: Some(plan.id),
        merchant_creator_id: None,
        status: match trial_end {
            Some(_) => SubscriptionStatus::Trialing,
            None => SubscriptionStatus::Active,
        }
        .as_str()
        .into(),
        price_minor: price.minor,
        currency: plan.currency.clone(),
        billing_cycle: plan.billing_cycle.clone(),
        auto_renew: true,
        billing_anchor: anchor,
        period_index: if trial_end.is_some() { 0 } else { 1 },
        current_period_start: now,
        current_period_end: trial_end.unwrap_or_else(|| period_end(anchor, cycle, 1)),
        cancel_at_period_end: false,
        canceled_at: None,
        cancel_reason: None,
        paused_at: None,
        trial_start: trial_end.map(|_| now),
        trial_end,
        payment_method_id: Some(method.id),
        coupon_id: None,
        failed_attempts: 0,
        next_attempt_at: None,
        created_at: now,
        updated_at: now,
    };

    // Charge first (nothing is written if the card is declined).
    let charge = match trial_end {
        Some(_) => None,
        None if price.minor == 0 => None,
        None => Some(
            state
                .gateway
                .charge(&method.gateway_ref, price, &format!("subscribe-{id}"))
                .await
                .map_err(|declined| renewals::payment_failed(declined.decline_code))?,
        ),
    };
    match write_new(state, &row, &plan, price, charge.as_deref()).await {
        Ok(()) => {}
        Err(error) => {
            if let Some(charge_ref) = &charge {
                // The subscription was not recorded: give the money back.
                if let Err(refund_error) = state
                    .gateway
                    .refund(charge_ref, price, &format!("subscribe-undo-{id}"))
                    .await
                {
                    tracing::error!(%charge_ref, %refund_error, "could not refund an unrecorded subscription charge");
                }
            }
            return Err(error);
        }
    }
    to_api(state, row).await
}

/// Records a new subscription, its first invoice when it was charged, and its renewal.
async fn write_new(
    state: &AppState,
    row: &SubscriptionRow,
    plan: &PlanRow,
    price: Money,
    charge_ref: Option<&str>,
) -> Result<(), AppError> {
    let now = row.created_at;
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, row.user_id).await?;
    subscriptions::insert(&mut tx, row).await.map_err(|e| {
        if is_unique_violation(&e) {
            already_subscribed()
        } else {
            e.into()
        }
    })?;
    if row.trial_end.is_none() {
        let invoice = invoicing::issue(
            &mut tx,
            row,
            &format!("{} ({})", plan.name, plan.billing_cycle),
            price,
            (row.current_period_start, row.current_period_end),
            now,
        )
        .await?;
        let paid_by = charge_ref.unwrap_or("no_charge_needed");
        crate::backend::store::invoices::mark_paid(&mut tx, invoice, paid_by, now).await?;
    }
    jobs::enqueue(
        &mut tx,
        &Job::Renew {
            subscription_id: row.id,
            period_index: row.period_index,
        },
        row.current_period_end,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels at the end of the paid period (default) or at once, without refund.
pub async fn cancel(
    state: &AppState,
    identity: &Identity,
    req: CancelSubscription,
) -> Result<Subscription, AppError> {
    let reason = req
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            "must be at most 500 characters",
        )]));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, identity.user_id).await?;
    let current = subscriptions::live_plan_subscription_in_tx(&mut tx, identity.user_id)
        .await?
        .ok_or_else(subscription_not_found)?;
    let mut row = current.clone();
    row.cancel_reason = reason;
    row.updated_at = now;
    if req.immediate {
        row.status = SubscriptionStatus::Canceled.as_str().into();
        row.canceled_at = Some(now);
        row.current_period_end = now.min(row.current_period_end);
        row.next_attempt_at = None;
    } else {
        row.cancel_at_period_end = true;
    }
    subscriptions::update(&mut tx, &row).await?;
    tx.commit().await?;
    to_api(state, row).await
}
