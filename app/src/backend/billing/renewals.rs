//! Renewals and dunning. At the end of each period (or trial) a `Renew` job bills the
//! next period at the plan's current terms: it issues the period's invoice, charges the
//! user's default payment method, and on success moves the subscription on and queues
//! the next renewal. A declined charge makes the subscription `past_due` and retries
//! after 1, 3, 5 and 7 days; after the last failure it is canceled and the invoice
//! marked uncollectible. A subscription set to cancel at period end is canceled instead.
//!
//! The charge happens between two transactions and carries an idempotency key naming
//! the period and attempt, so a job that dies mid-way and runs again cannot charge twice.

use crate::backend::billing::coupons::{self, Product};
use crate::backend::billing::invoicing::{self, Line};
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::AppError;
use crate::backend::services::jobs::{self, Completion, Job};
use crate::backend::services::notifications::{self, Kind};
use crate::backend::services::{memberships, milestones};
use crate::backend::store::jobs as jobs_store;
use crate::backend::store::memberships as memberships_store;
use crate::backend::store::plans::{self, PlanRow};
use crate::backend::store::subscriptions::{self, SubscriptionRow};
use crate::backend::store::tiers::{self, TierRow};
use crate::backend::store::{balances, invoices, payment_methods};
use crate::backend::AppState;
use crate::model::audience::MembershipCycle;
use crate::model::plan::BillingCycle;
use crate::model::subscription::{period_end, InvoiceStatus, SubscriptionStatus};
use chrono::Duration;
use serde_json::json;
use uuid::Uuid;

/// Days to wait before each retry of a declined renewal.
const RETRY_AFTER_DAYS: [i64; 4] = [1, 3, 5, 7];

/// The documented error for a declined charge.
pub fn payment_failed(decline_code: &str) -> AppError {
    AppError::BadRequest {
        code: "payment_failed",
        message: format!("The payment was declined ({decline_code}); use another payment method."),
    }
}

/// The period a renewal bills and the terms it bills at.
struct NextPeriod {
    anchor: chrono::DateTime<chrono::Utc>,
    index: i32,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
    cycle: BillingCycle,
    price: Money,
    description: String,
    /// The plan or tier renewed, which a coupon may discount.
    plan: Option<PlanRow>,
    tier: Option<TierRow>,
    /// How much the period numbering moves back (a new cycle restarts it at 1).
    shift: i32,
}

/// Bills the period after `period_index`, as the job `job_id`, which is marked done in
/// the transaction that records the outcome (the worker's own is spared).
pub async fn renew(
    state: &AppState,
    subscription_id: Uuid,
    period_index: i32,
    job_id: Uuid,
) -> Result<Completion, AppError> {
    let now = state.clock.now();

    // 1. Decide, and issue the period's invoice (once, however often this runs).
    let mut tx = state.db.begin().await?;
    let Some(mut sub) = subscriptions::find_in_tx(&mut tx, subscription_id).await? else {
        return Ok(Completion::Left);
    };
    let live = matches!(
        SubscriptionStatus::parse(&sub.status),
        Some(
            SubscriptionStatus::Trialing | SubscriptionStatus::Active | SubscriptionStatus::PastDue
        )
    );
    let due = sub.next_attempt_at.unwrap_or(sub.current_period_end);
    if !live || sub.period_index != period_index || now < due {
        // Canceled, paused, already moved on by an earlier run, or a job from before
        // a pause whose period has since been pushed back.
        return Ok(Completion::Left);
    }
    if sub.cancel_at_period_end || !sub.auto_renew {
        sub.status = SubscriptionStatus::Canceled.as_str().into();
        sub.canceled_at = Some(sub.current_period_end);
        sub.next_attempt_at = None;
        sub.updated_at = now;
        subscriptions::update(&mut tx, &sub).await?;
        memberships::subscription_ended(&mut tx, sub.id, now).await?;
        tx.commit().await?;
        return Ok(Completion::Left);
    }
    let next = next_period(&mut tx, &sub).await?;
    sub.coupon_through = sub.coupon_through.map(|through| through - next.shift);
    let currency = next.price.currency;
    let (invoice, amount_due) = match invoices::for_period(&mut tx, sub.id, next.start).await? {
        Some(invoice) => (
            invoice.id,
            Money::from_minor(invoice.amount_due_minor, currency),
        ),
        None => {
            let mut lines = vec![Line {
                description: next.description.clone(),
                kind: "subscription",
                amount: next.price,
            }];
            let product = match (&next.plan, &next.tier) {
                (Some(plan), _) => Some(Product::Plan(plan)),
                (None, Some(tier)) => Some(Product::Tier(tier)),
                (None, None) => None,
            };
            let coupon = match product {
                Some(product) => coupons::covering(&mut tx, &sub, next.index, product).await?,
                None => None,
            };
            let discount = coupon
                .as_ref()
                .map_or(Money::from_minor(0, currency), |c| c.discount(next.price));
            if let Some(coupon) = coupon.filter(|_| discount.minor > 0) {
                lines.push(invoicing::discount_line(&coupon.row.code, discount));
            }
            // The account balance pays next.
            let balance = balances::get(&mut tx, sub.user_id, currency.code()).await?;
            let used = balance.clamp(0, next.price.minor - discount.minor);
            if used > 0 {
                lines.push(Line {
                    description: "Account balance applied".into(),
                    kind: "credit",
                    amount: Money::from_minor(-used, currency),
                });
            }
            let (id, total) = invoicing::issue(
                &mut tx,
                &sub,
                &next.description,
                &lines,
                (next.start, next.end),
                now,
            )
            .await?;
            let spent = Money::from_minor(-used, currency);
            balances::apply(
                &mut tx,
                sub.user_id,
                spent,
                "invoice_payment",
                Some(id),
                now,
            )
            .await?;
            (id, total)
        }
    };
    tx.commit().await?;

    // 2. Charge the default method.
    let method = payment_methods::default_for(&state.db, sub.user_id).await?;
    let attempt = sub.failed_attempts + 1;
    let outcome = match &method {
        _ if amount_due.minor == 0 => Ok("account_balance".to_string()),
        None => Err("no_payment_method"),
        Some(method) => state
            .gateway
            .charge(
                &method.gateway_ref,
                amount_due,
                &format!("renew-{}-{}-{attempt}", sub.id, next.index),
            )
            .await
            .map_err(|declined| declined.decline_code),
    };

    // 3. Record the outcome.
    let mut tx = state.db.begin().await?;
    let Some(mut sub) = subscriptions::find_in_tx(&mut tx, subscription_id).await? else {
        return Ok(Completion::Left);
    };
    if sub.period_index != period_index {
        return Ok(Completion::Left);
    }
    sub.updated_at = now;
    match outcome {
        Ok(charge_ref) => {
            invoices::mark_paid(&mut tx, invoice, &charge_ref, now).await?;
            sub.status = SubscriptionStatus::Active.as_str().into();
            sub.billing_anchor = next.anchor;
            sub.period_index = next.index;
            sub.current_period_start = next.start;
            sub.current_period_end = next.end;
            sub.price_minor = next.price.minor;
            sub.currency = next.price.currency.code().into();
            sub.billing_cycle = next.cycle.as_str().into();
            sub.coupon_through = sub.coupon_through.map(|through| through - next.shift);
            sub.failed_attempts = 0;
            sub.next_attempt_at = None;
            if let Some(method) = &method {
                sub.payment_method_id = Some(method.id);
            }
            let job = Job::Renew {
                subscription_id: sub.id,
                period_index: sub.period_index,
            };
            jobs::enqueue(&mut tx, &job, next.end, now).await?;
            if let Some(creator_id) = sub.merchant_creator_id {
                milestones::after_payment(&mut tx, creator_id, currency.code(), now).await?;
            }
        }
        Err(decline_code) => {
            sub.failed_attempts += 1;
            let retry = usize::try_from(sub.failed_attempts - 1)
                .ok()
                .and_then(|i| RETRY_AFTER_DAYS.get(i));
            tracing::warn!(subscription = %sub.id, decline_code, attempts = sub.failed_attempts, "renewal charge failed");
            let amount = format!("{} {}", currency.code(), amount_due.to_decimal());
            if let Some(member) = memberships_store::billed_by(&mut tx, sub.id).await? {
                // A creator's tier: the creator hears of it too.
                memberships::emit_member_event(
                    &mut tx,
                    "audience.payment_failed",
                    &member,
                    json!({
                        "subscription_id": sub.id,
                        "amount": amount_due.to_decimal(),
                        "currency": currency.code(),
                        "decline_code": decline_code,
                        "attempt": sub.failed_attempts,
                        "final": retry.is_none(),
                    }),
                    now,
                )
                .await?;
            }
            match retry {
                Some(days) => {
                    notifications::notify(
                        &mut tx,
                        sub.user_id,
                        Kind::PaymentFailed,
                        "Your payment failed",
                        &format!(
                            "We could not charge {amount} for your subscription. We will try \
                             again in {days} day(s); make a working card your default to keep \
                             your subscription."
                        ),
                        now,
                    )
                    .await?;
                    sub.status = SubscriptionStatus::PastDue.as_str().into();
                    let at = now + Duration::days(*days);
                    sub.next_attempt_at = Some(at);
                    let job = Job::Renew {
                        subscription_id: sub.id,
                        period_index: sub.period_index,
                    };
                    jobs::enqueue(&mut tx, &job, at, now).await?;
                }
                None => {
                    notifications::notify(
                        &mut tx,
                        sub.user_id,
                        Kind::SubscriptionCanceled,
                        "Your subscription was canceled",
                        &format!(
                            "After several attempts we could not charge {amount}, so your \
                             subscription has ended. You can subscribe again at any time."
                        ),
                        now,
                    )
                    .await?;
                    sub.status = SubscriptionStatus::Canceled.as_str().into();
                    sub.canceled_at = Some(now);
                    sub.next_attempt_at = None;
                    invoices::set_status(&mut tx, invoice, InvoiceStatus::Uncollectible).await?;
                    memberships::subscription_ended(&mut tx, sub.id, now).await?;
                }
            }
        }
    }
    subscriptions::update(&mut tx, &sub).await?;
    jobs_store::mark_done(&mut tx, job_id, now).await?;
    tx.commit().await?;
    Ok(Completion::Recorded)
}

/// The next period and its terms: the product as it is now (plan and tier edits reach
/// existing subscribers here). A changed cycle restarts the anchor at the end of this
/// period.
async fn next_period(
    tx: &mut crate::backend::db::Tx,
    sub: &SubscriptionRow,
) -> Result<NextPeriod, AppError> {
    let (cycle, price, description, plan, tier) = match (sub.plan_id, sub.tier_id) {
        (Some(plan_id), _) => {
            let plan = plans::find_in_tx(tx, plan_id)
                .await?
                .ok_or_else(|| AppError::internal("subscription's plan is gone"))?;
            let cycle = BillingCycle::parse(&plan.billing_cycle)
                .ok_or_else(|| AppError::internal("stored billing cycle"))?;
            let currency = Currency::parse(&plan.currency)
                .ok_or_else(|| AppError::internal("stored currency"))?;
            let price = Money::from_minor(plan.price_minor, currency);
            let description = format!("{} ({})", plan.name, plan.billing_cycle);
            (cycle, price, description, Some(plan), None)
        }
        (None, Some(tier_id)) => {
            // A tier keeps the member's cycle; its price is the tier's current one.
            let tier = tiers::find_in_tx(tx, tier_id)
                .await?
                .ok_or_else(|| AppError::internal("subscription's tier is gone"))?;
            let cycle = BillingCycle::parse(&sub.billing_cycle)
                .ok_or_else(|| AppError::internal("stored billing cycle"))?;
            let membership_cycle = match cycle {
                BillingCycle::Annual => MembershipCycle::Yearly,
                _ => MembershipCycle::Monthly,
            };
            let price = memberships::tier_price(&tier, cycle)?;
            let description = memberships::tier_description(tx, &tier, membership_cycle).await?;
            (cycle, price, description, None, Some(tier))
        }
        (None, None) => return Err(AppError::internal("subscription without product")),
    };
    let (anchor, done) = if cycle.as_str() == sub.billing_cycle {
        (sub.billing_anchor, sub.period_index)
    } else {
        (sub.current_period_end, 0)
    };
    let done_periods = u32::try_from(done).unwrap_or(0);
    Ok(NextPeriod {
        anchor,
        index: done + 1,
        start: sub.current_period_end,
        end: period_end(anchor, cycle, done_periods + 1),
        cycle,
        price,
        description,
        shift: sub.period_index - done,
        plan,
        tier,
    })
}
