//! Platform subscriptions: subscribe (with a trial, or charging the first period now),
//! look at the current one, cancel. Renewals and dunning are in `billing::renewals`.
//!
//! The first charge happens before anything is written: a declined card leaves nothing
//! behind. If the write then fails (a concurrent subscribe won), the charge is refunded.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_verified_email;
use crate::backend::billing::coupons::{self, Coupon, Product};
use crate::backend::billing::invoicing::{self, Line};
use crate::backend::billing::proration::{self, Quote};
use crate::backend::billing::renewals;
use crate::backend::db::Tx;
use crate::backend::domain::money::Currency;
use crate::backend::domain::money::Money;
use crate::backend::error::{is_unique_violation, AppError, FieldError};
use crate::backend::services::jobs::{self, Job};
use crate::backend::store::plans::{self, PlanRow};
use crate::backend::store::subscriptions::{self, SubscriptionRow};
use crate::backend::store::{balances, invoices};
use crate::backend::store::{payment_methods, users};
use crate::backend::AppState;
use crate::model::coupon::CouponError;
use crate::model::plan::BillingCycle;
use crate::model::subscription::{
    period_end, CancelSubscription, ChangePlan, CreateSubscription, PlanChangePreview,
    PreviewPlanChange, Subscription, SubscriptionStatus,
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
    let renews = !row.cancel_at_period_end
        && !matches!(
            status,
            SubscriptionStatus::Canceled | SubscriptionStatus::Paused
        );
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
    current_of(state, identity.user_id)
        .await?
        .ok_or_else(subscription_not_found)
}

/// One user's live platform subscription, if any; callers check who may see it.
pub async fn current_of(state: &AppState, user_id: Uuid) -> Result<Option<Subscription>, AppError> {
    match subscriptions::live_plan_subscription(&state.db, user_id).await? {
        Some(row) => Ok(Some(to_api(state, row).await?)),
        None => Ok(None),
    }
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
    let coupon_code = coupon_code(req.coupon_code.as_deref())?;
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
    let coupon = match coupon_code {
        Some(code) => {
            let mut tx = state.db.begin().await?;
            let coupon =
                coupons::require_usable(&mut tx, code, Product::Plan(&plan), identity.user_id, now)
                    .await?;
            tx.commit().await?;
            Some(coupon)
        }
        None => None,
    };
    let id = Uuid::now_v7();
    let cycle = BillingCycle::parse(&plan.billing_cycle)
        .ok_or_else(|| AppError::internal("stored billing cycle"))?;
    let price = plan.price();
    let trial_days = i64::from(plan.trial_days) + coupon.as_ref().map_or(0, Coupon::trial_days);
    let trial_end = (trial_days > 0).then(|| now + Duration::days(trial_days));
    // The first paid period is 1 (0 is the trial); a coupon counts its periods from it.
    let discount = match (&coupon, trial_end) {
        (Some(coupon), None) => coupon.discount(price),
        _ => Money::from_minor(0, price.currency),
    };
    let due_now = Money::from_minor(price.minor - discount.minor, price.currency);
    let anchor = trial_end.unwrap_or(now);
    let row = SubscriptionRow {
        id,
        user_id: identity.user_id,
        product_kind: "plan".into(),
        plan_id: Some(plan.id),
        merchant_creator_id: None,
        tier_id: None,
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
        coupon_id: coupon.as_ref().map(|c| c.row.id),
        coupon_through: coupon.as_ref().and_then(|c| c.through(1)),
        failed_attempts: 0,
        next_attempt_at: None,
        created_at: now,
        updated_at: now,
    };

    // Charge first (nothing is written if the card is declined).
    let charge = match trial_end {
        Some(_) => None,
        None if due_now.minor == 0 => None,
        None => Some(
            state
                .gateway
                .charge(&method.gateway_ref, due_now, &format!("subscribe-{id}"))
                .await
                .map_err(|declined| renewals::payment_failed(declined.decline_code))?,
        ),
    };
    let first_invoice = FirstInvoice {
        price,
        coupon: coupon.as_ref().map(|c| (c, discount)),
        charge_ref: charge.as_deref(),
    };
    match write_new(state, &row, &plan, coupon.as_ref(), first_invoice).await {
        Ok(()) => {}
        Err(error) => {
            if let Some(charge_ref) = &charge {
                // The subscription was not recorded: give the money back.
                if let Err(refund_error) = state
                    .gateway
                    .refund(charge_ref, due_now, &format!("subscribe-undo-{id}"))
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

/// What the first period of a subscription without trial was billed.
struct FirstInvoice<'a> {
    price: Money,
    coupon: Option<(&'a Coupon, Money)>,
    charge_ref: Option<&'a str>,
}

/// Records a new subscription, its coupon redemption, its first invoice when it was
/// charged, and its renewal.
async fn write_new(
    state: &AppState,
    row: &SubscriptionRow,
    plan: &PlanRow,
    coupon: Option<&Coupon>,
    first: FirstInvoice<'_>,
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
    if let Some(coupon) = coupon {
        // Fails (and the charge is refunded) if the last redemption went meanwhile.
        coupons::redeem(&mut tx, coupon, row, now).await?;
    }
    if row.trial_end.is_none() {
        let description = format!("{} ({})", plan.name, plan.billing_cycle);
        let mut lines = vec![Line {
            description: description.clone(),
            kind: "subscription",
            amount: first.price,
        }];
        if let Some((coupon, discount)) = first.coupon.filter(|(_, d)| d.minor > 0) {
            lines.push(invoicing::discount_line(&coupon.row.code, discount));
        }
        let (invoice, _) = invoicing::issue(
            &mut tx,
            row,
            &description,
            &lines,
            (row.current_period_start, row.current_period_end),
            now,
        )
        .await?;
        let paid_by = first.charge_ref.unwrap_or("no_charge_needed");
        invoices::mark_paid(&mut tx, invoice, paid_by, now).await?;
    }
    schedule_renewal(&mut tx, row, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Queues the renewal at the end of `row`'s current period.
async fn schedule_renewal(
    tx: &mut Tx,
    row: &SubscriptionRow,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let job = Job::Renew {
        subscription_id: row.id,
        period_index: row.period_index,
    };
    jobs::enqueue(tx, &job, row.current_period_end, now).await?;
    Ok(())
}

/// The user's live platform subscription, with their row locked so concurrent changes
/// to it queue behind this transaction.
async fn lock_live(tx: &mut Tx, user_id: Uuid) -> Result<SubscriptionRow, AppError> {
    users::lock_for_update(tx, user_id).await?;
    subscriptions::live_plan_subscription(&mut *tx, user_id)
        .await?
        .ok_or_else(subscription_not_found)
}

/// Cancels at the end of the paid period (default) or at once, without refund.
pub async fn cancel(
    state: &AppState,
    identity: &Identity,
    req: CancelSubscription,
) -> Result<Subscription, AppError> {
    // Limits count the text as sent, as the documented maxLength does.
    let too_long = req.reason.as_ref().is_some_and(|r| r.chars().count() > 500);
    let reason = req
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if too_long {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            "must be at most 500 characters",
        )]));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let current = lock_live(&mut tx, identity.user_id).await?;
    let mut row = current.clone();
    row.cancel_reason = reason;
    row.updated_at = now;
    // A paused subscription has no running period to finish.
    if req.immediate || current.status == SubscriptionStatus::Paused.as_str() {
        end_now(&mut row, now);
    } else {
        row.cancel_at_period_end = true;
    }
    subscriptions::update(&mut tx, &row).await?;
    tx.commit().await?;
    to_api(state, row).await
}

/// Ends a subscription at `now`, without refund: its period stops here and no renewal
/// or retry follows (their jobs find it canceled).
pub fn end_now(row: &mut SubscriptionRow, now: chrono::DateTime<chrono::Utc>) {
    row.status = SubscriptionStatus::Canceled.as_str().into();
    row.canceled_at = Some(now);
    row.current_period_end = now.min(row.current_period_end);
    row.next_attempt_at = None;
    row.updated_at = now;
}

fn nothing_to_resume() -> AppError {
    AppError::Conflict {
        code: "subscription_not_resumable",
        message: "Your subscription is neither paused nor set to cancel.".into(),
    }
}

/// Pauses an active subscription now: billing stops, and the paid time left in the
/// period is kept for when it resumes.
pub async fn pause(state: &AppState, identity: &Identity) -> Result<Subscription, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let mut row = lock_live(&mut tx, identity.user_id).await?;
    pause_now(&mut row, now)?;
    subscriptions::update(&mut tx, &row).await?;
    tx.commit().await?;
    to_api(state, row).await
}

/// Pauses `row` (any product) as of `now`; the caller writes it.
pub fn pause_now(
    row: &mut SubscriptionRow,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    if row.status != SubscriptionStatus::Active.as_str() || row.cancel_at_period_end {
        return Err(AppError::Conflict {
            code: "subscription_not_active",
            message: "Only an active subscription that is not set to cancel can be paused.".into(),
        });
    }
    row.status = SubscriptionStatus::Paused.as_str().into();
    row.paused_at = Some(now);
    row.updated_at = now;
    Ok(())
}

/// Resumes a paused subscription (its kept paid time runs from now, then renewals
/// follow) or undoes a cancellation at period end.
pub async fn resume(state: &AppState, identity: &Identity) -> Result<Subscription, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let mut row = lock_live(&mut tx, identity.user_id).await?;
    row.updated_at = now;
    if row.status == SubscriptionStatus::Paused.as_str() {
        resume_paused(&mut tx, &mut row, now).await?;
    } else if row.cancel_at_period_end {
        row.cancel_at_period_end = false;
        row.cancel_reason = None;
    } else {
        return Err(nothing_to_resume());
    }
    subscriptions::update(&mut tx, &row).await?;
    tx.commit().await?;
    to_api(state, row).await
}

/// Resumes paused `row` (any product) as of `now` and queues its renewal; the caller
/// writes it.
pub async fn resume_paused(
    tx: &mut Tx,
    row: &mut SubscriptionRow,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let (true, Some(paused_at)) = (
        row.status == SubscriptionStatus::Paused.as_str(),
        row.paused_at,
    ) else {
        return Err(nothing_to_resume());
    };
    let kept = (row.current_period_end - paused_at).max(Duration::zero());
    let cycle = BillingCycle::parse(&row.billing_cycle)
        .ok_or_else(|| AppError::internal("stored billing cycle"))?;
    row.status = SubscriptionStatus::Active.as_str().into();
    row.paused_at = None;
    row.updated_at = now;
    row.current_period_start = now;
    row.current_period_end = now + kept;
    // Later periods count from the new end, as if it had always been the anchor.
    let months = cycle.months() * u32::try_from(row.period_index.max(0)).unwrap_or(0);
    row.billing_anchor = row
        .current_period_end
        .checked_sub_months(chrono::Months::new(months))
        .unwrap_or(row.current_period_end);
    schedule_renewal(tx, row, now).await
}

/// The subscription, target plan and quote of a plan change at `now`.
struct Change {
    sub: SubscriptionRow,
    from: PlanRow,
    to: PlanRow,
    quote: Quote,
    /// The coupon discounting the new plan, and whether it is newly redeemed.
    coupon: Option<(Coupon, bool)>,
}

/// The coupon code of a request, if one was given (blank counts as none).
fn coupon_code(code: Option<&str>) -> Result<Option<&str>, AppError> {
    if code.is_some_and(|c| c.chars().count() > 50) {
        return Err(AppError::Validation(vec![FieldError::new(
            "coupon_code",
            "must be at most 50 characters",
        )]));
    }
    Ok(code.map(str::trim).filter(|c| !c.is_empty()))
}

async fn plan_change(
    tx: &mut Tx,
    identity: &Identity,
    plan_id: Uuid,
    coupon_code: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Change, AppError> {
    let sub = subscriptions::live_plan_subscription(&mut *tx, identity.user_id)
        .await?
        .ok_or_else(subscription_not_found)?;
    let status = SubscriptionStatus::parse(&sub.status);
    if !matches!(
        status,
        Some(SubscriptionStatus::Active | SubscriptionStatus::Trialing)
    ) {
        return Err(AppError::Conflict {
            code: "subscription_not_active",
            message: "Settle the overdue payment before changing plans.".into(),
        });
    }
    let from_id = sub
        .plan_id
        .ok_or_else(|| AppError::internal("plan subscription without plan"))?;
    let from = plans::find(&mut *tx, from_id)
        .await?
        .ok_or_else(|| AppError::internal("subscription's plan is gone"))?;
    let to = plans::find(&mut *tx, plan_id)
        .await?
        .filter(|plan| plan.is_active)
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "plan_id",
                "is not a plan open to new subscriptions",
            )])
        })?;
    if to.id == from_id {
        return Err(AppError::BadRequest {
            code: "same_plan",
            message: "You are already on this plan.".into(),
        });
    }
    if to.currency != sub.currency || to.billing_cycle != sub.billing_cycle {
        return Err(AppError::BadRequest {
            code: "incompatible_plan",
            message: format!(
                "Plans can be changed within the same currency and billing cycle ({} {}); to \
                 switch, cancel at period end and subscribe to the new plan.",
                sub.currency, sub.billing_cycle
            ),
        });
    }
    let currency =
        Currency::parse(&sub.currency).ok_or_else(|| AppError::internal("stored currency"))?;
    // Both sides at what they cost after coupons: the credit is for what was paid.
    let old_price = Money::from_minor(sub.price_minor, currency);
    let old_coupon = coupons::covering(tx, &sub, sub.period_index, Product::Plan(&from)).await?;
    let old_price = after_coupon(old_price, old_coupon.as_ref());
    let coupon = match coupon_code {
        Some(code) => {
            let coupon =
                coupons::require_usable(tx, code, Product::Plan(&to), identity.user_id, now)
                    .await?;
            if coupon.trial_days() > 0 {
                // Trial days are for new subscriptions only.
                return Err(coupons::invalid(CouponError::NotApplicable));
            }
            Some((coupon, true))
        }
        None => coupons::covering(tx, &sub, sub.period_index, Product::Plan(&to))
            .await?
            .map(|coupon| (coupon, false)),
    };
    let new_price = after_coupon(to.price(), coupon.as_ref().map(|(c, _)| c));
    let balance = Money::from_minor(
        balances::get(tx, identity.user_id, &sub.currency).await?,
        currency,
    );
    let quote = if status == Some(SubscriptionStatus::Trialing) {
        // Nothing was paid for the trial: the switch is free.
        let zero = Money::from_minor(0, currency);
        Quote {
            credit: zero,
            charge: zero,
            balance_used: zero,
            amount_due_now: zero,
            credit_to_balance: zero,
        }
    } else {
        proration::quote(
            old_price,
            new_price,
            (sub.current_period_start, sub.current_period_end),
            now,
            balance,
        )
    };
    Ok(Change {
        sub,
        from,
        to,
        quote,
        coupon,
    })
}

/// A period's price after the coupon's discount.
fn after_coupon(price: Money, coupon: Option<&Coupon>) -> Money {
    let discount = coupon.map_or(0, |c| c.discount(price).minor);
    Money::from_minor(price.minor - discount, price.currency)
}

/// What changing to another plan would cost now; nothing is written.
pub async fn preview_change(
    state: &AppState,
    identity: &Identity,
    req: PreviewPlanChange,
) -> Result<PlanChangePreview, AppError> {
    let code = coupon_code(req.coupon_code.as_deref())?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let change = plan_change(&mut tx, identity, req.plan_id, code, now).await?;
    tx.commit().await?;
    Ok(PlanChangePreview {
        from_plan_id: change.from.id,
        to_plan_id: change.to.id,
        proration_credit: change.quote.credit.to_decimal(),
        amount_due_now: change.quote.amount_due_now.to_decimal(),
        currency: change.sub.currency.clone(),
        next_billing_date: change.sub.current_period_end.date_naive(),
        effective: "immediate".into(),
    })
}

/// Changes plan now: an upgrade charges the prorated difference (after the account
/// balance) and issues a paid invoice; a downgrade credits the balance. The period and
/// the renewal date stay.
pub async fn change_plan(
    state: &AppState,
    identity: &Identity,
    req: ChangePlan,
) -> Result<Subscription, AppError> {
    let code = coupon_code(req.coupon_code.as_deref())?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let change = plan_change(&mut tx, identity, req.plan_id, code, now).await?;
    tx.commit().await?;

    let Change {
        ref sub,
        ref to,
        ref quote,
        ..
    } = change;
    let charge_ref = if quote.amount_due_now.minor > 0 {
        let method = payment_methods::default_for(&state.db, identity.user_id)
            .await?
            .ok_or_else(|| renewals::payment_failed("no_payment_method"))?;
        Some(
            state
                .gateway
                .charge(
                    &method.gateway_ref,
                    quote.amount_due_now,
                    &format!(
                        "change-{}-{}-{}",
                        sub.id,
                        to.id,
                        sub.updated_at.timestamp_micros()
                    ),
                )
                .await
                .map_err(|declined| renewals::payment_failed(declined.decline_code))?,
        )
    } else {
        None
    };
    let written = write_change(state, identity, &change, charge_ref.as_deref(), now).await;
    match written {
        Ok(row) => to_api(state, row).await,
        Err(error) => {
            if let Some(charge_ref) = &charge_ref {
                let key = format!(
                    "change-undo-{}-{}",
                    sub.id,
                    sub.updated_at.timestamp_micros()
                );
                if let Err(refund_error) = state
                    .gateway
                    .refund(charge_ref, quote.amount_due_now, &key)
                    .await
                {
                    tracing::error!(%charge_ref, %refund_error, "could not refund an unrecorded plan change");
                }
            }
            Err(error)
        }
    }
}

async fn write_change(
    state: &AppState,
    identity: &Identity,
    change: &Change,
    charge_ref: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SubscriptionRow, AppError> {
    let Change {
        sub,
        from,
        to,
        quote,
        coupon,
    } = change;
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, identity.user_id).await?;
    let current = subscriptions::find(&mut tx, sub.id)
        .await?
        .filter(|current| current.updated_at == sub.updated_at)
        .ok_or_else(|| AppError::Conflict {
            code: "subscription_changed",
            message: "Your subscription changed meanwhile; preview the change again.".into(),
        })?;
    if quote.charge.minor > quote.credit.minor {
        let mut lines = vec![
            Line {
                description: format!("Remaining time on {}", to.name),
                kind: "proration",
                amount: quote.charge,
            },
            Line {
                description: format!("Unused time on {}", from.name),
                kind: "proration",
                amount: Money::from_minor(-quote.credit.minor, quote.credit.currency),
            },
        ];
        if quote.balance_used.minor > 0 {
            lines.push(Line {
                description: "Account balance applied".into(),
                kind: "credit",
                amount: Money::from_minor(-quote.balance_used.minor, quote.balance_used.currency),
            });
        }
        let description = format!("Change from {} to {}", from.name, to.name);
        let (invoice, _) = invoicing::issue(
            &mut tx,
            &current,
            &description,
            &lines,
            (now, current.current_period_end),
            now,
        )
        .await?;
        invoices::mark_paid(
            &mut tx,
            invoice,
            charge_ref.unwrap_or("account_balance"),
            now,
        )
        .await?;
        let spent = Money::from_minor(-quote.balance_used.minor, quote.balance_used.currency);
        balances::apply(
            &mut tx,
            identity.user_id,
            spent,
            "invoice_payment",
            Some(invoice),
            now,
        )
        .await
        .map_err(|e| match &e {
            // The balance was spent meanwhile (it may not go below zero).
            sqlx::Error::RowNotFound => AppError::Conflict {
                code: "subscription_changed",
                message: "Your account balance changed meanwhile; preview the change again.".into(),
            },
            sqlx::Error::Database(db) if db.is_check_violation() => AppError::Conflict {
                code: "subscription_changed",
                message: "Your account balance changed meanwhile; preview the change again.".into(),
            },
            _ => e.into(),
        })?;
    } else {
        balances::apply(
            &mut tx,
            identity.user_id,
            quote.credit_to_balance,
            "proration_credit",
            None,
            now,
        )
        .await?;
    }
    let mut row = current;
    if let Some((coupon, true)) = coupon {
        coupons::redeem(&mut tx, coupon, &row, now).await?;
        row.coupon_id = Some(coupon.row.id);
        // It discounts from the current period (its remaining time, just charged) on.
        row.coupon_through = coupon.through(row.period_index.max(1));
    }
    row.plan_id = Some(to.id);
    row.price_minor = to.price_minor;
    row.updated_at = now;
    subscriptions::update(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(row)
}
