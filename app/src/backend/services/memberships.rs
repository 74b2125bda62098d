//! Joining a creator's tier. A free tier makes the caller a member at once; a paid tier
//! is a tier subscription billed by the same engine as platform plans (invoice, renewal
//! job, dunning), with the revenue going to the creator.
//!
//! As with plans, the first charge happens before anything is written and is refunded
//! if the write then fails (the tier filled up or a concurrent join won meanwhile).

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_verified_email;
use crate::backend::billing::coupons::{self, Coupon, Product};
use crate::backend::billing::invoicing::{self, Line};
use crate::backend::billing::renewals;
use crate::backend::db::Tx;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::jobs::{self, Job};
use crate::backend::services::milestones;
use crate::backend::services::tiers::invalid_tier;
use crate::backend::store::memberships::{self, MembershipRow};
use crate::backend::store::subscriptions::{self, SubscriptionRow};
use crate::backend::store::tiers::{self, TierRow};
use crate::backend::store::{creators, invoices, payment_methods, users};
use crate::backend::webhooks::outbox::{self, Event};
use crate::backend::AppState;
use crate::model::audience::MembershipList;
use crate::model::audience::{
    EngagementLevel, JoinTier, MemberStatus, Membership, MembershipCycle,
};
use crate::model::plan::BillingCycle;
use crate::model::subscription::{period_end, SubscriptionStatus};
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

fn already_subscribed() -> AppError {
    AppError::Conflict {
        code: "already_subscribed",
        message: "You are already a member of this creator on this tier or a paid one.".into(),
    }
}

fn tier_limit_reached() -> AppError {
    AppError::Unprocessable {
        code: "tier_limit_reached",
        message: "This tier has reached its member limit.".into(),
    }
}

/// The subscription's cycle for a membership's.
fn subscription_cycle(cycle: MembershipCycle) -> BillingCycle {
    match cycle {
        MembershipCycle::Monthly => BillingCycle::Monthly,
        MembershipCycle::Yearly => BillingCycle::Annual,
    }
}

/// What a tier costs per period of `cycle`.
pub fn tier_price(tier: &TierRow, cycle: BillingCycle) -> Result<Money, AppError> {
    let currency =
        Currency::parse(&tier.currency).ok_or_else(|| AppError::internal("stored currency"))?;
    let minor = match cycle {
        BillingCycle::Annual => tier.price_yearly_minor,
        _ => tier.price_monthly_minor,
    };
    Ok(Money::from_minor(minor, currency))
}

/// Why joining this tier now is refused, if it is: the tier's cap, or a membership the
/// caller already holds (a free member may move up to a paid tier).
fn refusal(
    tier: &TierRow,
    current: Option<&MembershipRow>,
    members_in_tier: i64,
) -> Option<AppError> {
    if let Some(current) = current.filter(|m| m.status != MemberStatus::Churned.as_str()) {
        let upgrade = current.billing_cycle.is_none() && !tier.is_free();
        if !upgrade {
            return Some(already_subscribed());
        }
    }
    match tier.member_limit {
        Some(cap) if members_in_tier >= cap => Some(tier_limit_reached()),
        _ => None,
    }
}

pub async fn join(
    state: &AppState,
    identity: &Identity,
    req: JoinTier,
) -> Result<Membership, AppError> {
    let tier = tiers::find(&state.db, req.tier_id)
        .await?
        .filter(|t| t.creator_id == req.creator_id && t.visible)
        .ok_or_else(invalid_tier)?;
    let paid = match (tier.is_free(), req.billing_cycle, req.payment_method_id) {
        (true, _, _) => None,
        (false, Some(cycle), Some(method)) => Some((cycle, method)),
        (false, cycle, method) => {
            let mut errors = Vec::new();
            if cycle.is_none() {
                errors.push(FieldError::new(
                    "billing_cycle",
                    "is required for a paid tier",
                ));
            }
            if method.is_none() {
                errors.push(FieldError::new(
                    "payment_method_id",
                    "is required for a paid tier",
                ));
            }
            return Err(AppError::Validation(errors));
        }
    };
    require_verified_email(&state.db, identity, "joining a creator").await?;
    let method = match paid {
        Some((_, method_id)) => Some(
            payment_methods::find(&state.db, identity.user_id, method_id)
                .await?
                .ok_or_else(|| {
                    AppError::Validation(vec![FieldError::new(
                        "payment_method_id",
                        "is not one of your saved payment methods",
                    )])
                })?,
        ),
        None => None,
    };
    // Refuse before charging whatever can be refused now; checked again when writing.
    {
        let mut tx = state.db.begin().await?;
        let current = memberships::of_member(&mut tx, req.creator_id, identity.user_id).await?;
        let members = memberships::current_in_tier(&mut tx, tier.id).await?;
        tx.commit().await?;
        if let Some(error) = refusal(&tier, current.as_ref(), members) {
            return Err(error);
        }
    }

    let now = state.clock.now();
    let subscription_id = Uuid::now_v7();
    let code = req
        .coupon_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let charge = match (paid, &method) {
        (Some((cycle, _)), Some(method)) => {
            let price = tier_price(&tier, subscription_cycle(cycle))?;
            let coupon = match code {
                Some(code) => {
                    let mut tx = state.db.begin().await?;
                    let coupon = coupons::require_usable(
                        &mut tx,
                        code,
                        Product::Tier(&tier),
                        identity.user_id,
                        now,
                    )
                    .await?;
                    tx.commit().await?;
                    Some(coupon)
                }
                None => None,
            };
            let discount = coupon
                .as_ref()
                .map_or(Money::from_minor(0, price.currency), |c| c.discount(price));
            let charged = Money::from_minor(price.minor - discount.minor, price.currency);
            let charge_ref = state
                .gateway
                .charge(
                    &method.gateway_ref,
                    charged,
                    &format!("join-{subscription_id}"),
                )
                .await
                .map_err(|declined| renewals::payment_failed(declined.decline_code))?;
            Some(Charge {
                cycle,
                method_id: method.id,
                price,
                coupon: coupon.map(|c| (c, discount)),
                charge_ref,
            })
        }
        _ if code.is_some() => {
            return Err(AppError::Validation(vec![FieldError::new(
                "coupon_code",
                "applies to paid tiers only",
            )]))
        }
        _ => None,
    };
    let written = write_join(
        state,
        identity.user_id,
        &tier,
        subscription_id,
        charge.as_ref(),
        now,
    )
    .await;
    match written {
        Ok(membership) => Ok(membership),
        Err(error) => {
            if let Some(charge) = &charge {
                // The membership was not recorded: give the money back.
                let charge_ref = &charge.charge_ref;
                if let Err(refund_error) = state
                    .gateway
                    .refund(
                        charge_ref,
                        charge.charged(),
                        &format!("join-undo-{subscription_id}"),
                    )
                    .await
                {
                    tracing::error!(%charge_ref, %refund_error, "could not refund an unrecorded membership charge");
                }
            }
            Err(error)
        }
    }
}

/// Records the membership and, for a paid tier, its subscription, paid first invoice
/// and renewal, in one transaction that holds the tier so its cap holds.
async fn write_join(
    state: &AppState,
    user_id: Uuid,
    tier: &TierRow,
    subscription_id: Uuid,
    charge: Option<&Charge>,
    now: DateTime<Utc>,
) -> Result<Membership, AppError> {
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, user_id).await?;
    let tier = tiers::find_for_update(&mut tx, tier.id)
        .await?
        .ok_or_else(invalid_tier)?;
    let current = memberships::of_member(&mut tx, tier.creator_id, user_id).await?;
    let members = memberships::current_in_tier(&mut tx, tier.id).await?;
    if let Some(error) = refusal(&tier, current.as_ref(), members) {
        return Err(error);
    }
    let subscription = match charge {
        Some(charge) => {
            Some(subscribe_to_tier(&mut tx, &tier, user_id, subscription_id, charge, now).await?)
        }
        None => None,
    };
    let mut row = MembershipRow {
        id: Uuid::now_v7(),
        creator_id: tier.creator_id,
        user_id,
        tier_id: tier.id,
        status: MemberStatus::Active.as_str().into(),
        billing_cycle: charge.map(|c| c.cycle.as_str().to_string()),
        subscription_id: subscription.as_ref().map(|s| s.id),
        engagement_score: 0,
        engagement_level: EngagementLevel::Inactive.as_str().into(),
        interactions_30d: 0,
        last_interaction_at: None,
        notes: String::new(),
        tags: "[]".into(),
        joined_at: now,
        churned_at: None,
        updated_at: now,
    };
    let event = match &current {
        Some(before) if before.status != MemberStatus::Churned.as_str() => {
            "audience.member_upgraded"
        }
        _ => "audience.member_joined",
    };
    let previous_tier = current.as_ref().map(|before| before.tier_id);
    match current {
        Some(before) => {
            // Coming back (or moving up from free) keeps the member's id and history;
            // a returning member's join date is the new one.
            row.id = before.id;
            row.engagement_score = before.engagement_score;
            row.engagement_level = before.engagement_level.clone();
            row.interactions_30d = before.interactions_30d;
            row.last_interaction_at = before.last_interaction_at;
            row.notes = before.notes.clone();
            row.tags = before.tags.clone();
            if before.status != MemberStatus::Churned.as_str() {
                row.joined_at = before.joined_at;
            }
            memberships::update(&mut tx, &before, &row).await?;
        }
        None => memberships::insert(&mut tx, &row).await?,
    }
    let extra = match (event, previous_tier) {
        ("audience.member_upgraded", Some(from)) => json!({ "previous_tier_id": from }),
        _ => json!({}),
    };
    emit_member_event(&mut tx, event, &row, extra, now).await?;
    if event == "audience.member_joined" {
        milestones::after_members_joined(&mut tx, row.creator_id, now).await?;
    }
    if charge.is_some() {
        milestones::after_payment(&mut tx, row.creator_id, &tier.currency, now).await?;
    }
    tx.commit().await?;
    to_api(state, &row).await
}

/// The member's view of a membership.
pub async fn to_api(state: &AppState, row: &MembershipRow) -> Result<Membership, AppError> {
    let creator = creators::find(&state.db, row.creator_id)
        .await?
        .ok_or_else(|| AppError::internal("membership's creator is gone"))?;
    let tier = tiers::find(&state.db, row.tier_id)
        .await?
        .ok_or_else(|| AppError::internal("membership's tier is gone"))?;
    let subscription = match row.subscription_id {
        Some(id) => subscriptions::find(&state.db, id).await?,
        None => None,
    };
    let live = subscription.as_ref().filter(|s| {
        matches!(
            SubscriptionStatus::parse(&s.status),
            Some(SubscriptionStatus::Active | SubscriptionStatus::PastDue)
        ) && row.status != MemberStatus::Churned.as_str()
    });
    Ok(Membership {
        id: row.id,
        creator_id: row.creator_id,
        creator_name: creator.name,
        user_id: row.user_id,
        tier_id: row.tier_id,
        tier_name: tier.name,
        status: MemberStatus::parse(&row.status).unwrap_or(MemberStatus::Churned),
        billing_cycle: row
            .billing_cycle
            .as_deref()
            .and_then(MembershipCycle::parse),
        subscription_id: row.subscription_id,
        next_billing: live
            .filter(|s| !s.cancel_at_period_end)
            .map(|s| s.next_attempt_at.unwrap_or(s.current_period_end)),
        ends_at: live
            .filter(|s| s.cancel_at_period_end)
            .map(|s| s.current_period_end),
        joined_at: row.joined_at,
    })
}

/// The caller's memberships, current ones first, then newest first.
pub async fn mine(state: &AppState, identity: &Identity) -> Result<MembershipList, AppError> {
    of_user(state, identity.user_id).await
}

/// One user's memberships, current ones first, then newest first; callers check who
/// may see them.
pub async fn of_user(state: &AppState, user_id: Uuid) -> Result<MembershipList, AppError> {
    let mut rows = memberships::of_user(&state.db, user_id).await?;
    rows.sort_by_key(|m| {
        (
            m.status == MemberStatus::Churned.as_str(),
            std::cmp::Reverse(m.joined_at),
        )
    });
    let mut data = Vec::with_capacity(rows.len());
    for row in &rows {
        data.push(to_api(state, row).await?);
    }
    Ok(MembershipList { data })
}

/// The member leaves: a free membership at once; a paid one at the end of the period
/// already paid (its subscription is set to cancel then, and renewal churns it).
pub async fn cancel(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
) -> Result<Membership, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = memberships::find(&mut tx, id)
        .await?
        .filter(|m| m.user_id == identity.user_id)
        .ok_or_else(crate::backend::services::member::member_not_found)?;
    if before.status == MemberStatus::Churned.as_str() {
        return Err(AppError::Conflict {
            code: "membership_ended",
            message: "This membership has already ended.".into(),
        });
    }
    let subscription = match before.subscription_id {
        Some(sub_id) => subscriptions::find(&mut tx, sub_id).await?,
        None => None,
    };
    match subscription {
        Some(mut sub)
            if matches!(
                SubscriptionStatus::parse(&sub.status),
                Some(SubscriptionStatus::Active | SubscriptionStatus::PastDue)
            ) =>
        {
            // Paid time is kept: the renewal at period end churns the membership.
            sub.cancel_at_period_end = true;
            sub.cancel_reason = Some("member left".into());
            sub.updated_at = now;
            subscriptions::update(&mut tx, &sub).await?;
        }
        Some(mut sub) if sub.status == SubscriptionStatus::Paused.as_str() => {
            // Paused billing has no running period to finish.
            crate::backend::services::subscriptions::end_now(&mut sub, now);
            subscriptions::update(&mut tx, &sub).await?;
            churn(&mut tx, &before, now).await?;
        }
        _ => churn(&mut tx, &before, now).await?,
    }
    tx.commit().await?;
    let row = memberships::find(&state.db, id)
        .await?
        .ok_or_else(crate::backend::services::member::member_not_found)?;
    to_api(state, &row).await
}

/// Writes a tier subscription whose first period `charge_ref` paid: the subscription,
/// its paid invoice and its renewal job.
async fn subscribe_to_tier(
    tx: &mut Tx,
    tier: &TierRow,
    user_id: Uuid,
    id: Uuid,
    charge: &Charge,
    now: DateTime<Utc>,
) -> Result<SubscriptionRow, AppError> {
    let billing = subscription_cycle(charge.cycle);
    let row = SubscriptionRow {
        id,
        user_id,
        product_kind: "tier".into(),
        plan_id: None,
        tier_id: Some(tier.id),
        merchant_creator_id: Some(tier.creator_id),
        status: SubscriptionStatus::Active.as_str().into(),
        price_minor: charge.price.minor,
        currency: charge.price.currency.code().into(),
        billing_cycle: billing.as_str().into(),
        auto_renew: true,
        billing_anchor: now,
        period_index: 1,
        current_period_start: now,
        current_period_end: period_end(now, billing, 1),
        cancel_at_period_end: false,
        canceled_at: None,
        cancel_reason: None,
        paused_at: None,
        trial_start: None,
        trial_end: None,
        payment_method_id: Some(charge.method_id),
        coupon_id: charge.coupon.as_ref().map(|(c, _)| c.row.id),
        coupon_through: charge.coupon.as_ref().and_then(|(c, _)| c.through(1)),
        failed_attempts: 0,
        next_attempt_at: None,
        created_at: now,
        updated_at: now,
    };
    subscriptions::insert(tx, &row).await?;
    let description = tier_description(tx, tier, charge.cycle).await?;
    let mut lines = vec![Line {
        description: description.clone(),
        kind: "subscription",
        amount: charge.price,
    }];
    if let Some((coupon, discount)) = &charge.coupon {
        coupons::redeem(tx, coupon, &row, now).await?;
        if discount.minor > 0 {
            lines.push(invoicing::discount_line(&coupon.row.code, *discount));
        }
    }
    let (invoice, _) = invoicing::issue(
        tx,
        &row,
        &description,
        &lines,
        (row.current_period_start, row.current_period_end),
        now,
    )
    .await?;
    invoices::mark_paid(tx, invoice, &charge.charge_ref, now).await?;
    let job = Job::Renew {
        subscription_id: row.id,
        period_index: row.period_index,
    };
    jobs::enqueue(tx, &job, row.current_period_end, now).await?;
    Ok(row)
}

/// The first charge of a paid join, made before anything is written.
pub struct Charge {
    cycle: MembershipCycle,
    method_id: Uuid,
    /// The tier's price for the cycle.
    price: Money,
    /// The offer used, and its discount on the first period.
    coupon: Option<(Coupon, Money)>,
    charge_ref: String,
}

impl Charge {
    fn charged(&self) -> Money {
        let discount = self.coupon.as_ref().map_or(0, |(_, d)| d.minor);
        Money::from_minor(self.price.minor - discount, self.price.currency)
    }
}

/// "Creator name: Tier (monthly)", as invoices and statements show it.
pub async fn tier_description(
    tx: &mut Tx,
    tier: &TierRow,
    cycle: MembershipCycle,
) -> Result<String, AppError> {
    let creator = creators::name(tx, tier.creator_id)
        .await?
        .unwrap_or_default();
    Ok(format!("{creator}: {} ({})", tier.name, cycle.as_str()))
}

/// The user leaves every creator (their account is going): live memberships churn.
pub async fn leave_all(tx: &mut Tx, user_id: Uuid, now: DateTime<Utc>) -> Result<(), AppError> {
    for before in memberships::live_of_user(tx, user_id).await? {
        churn(tx, &before, now).await?;
    }
    Ok(())
}

async fn churn(tx: &mut Tx, before: &MembershipRow, now: DateTime<Utc>) -> Result<(), AppError> {
    let mut row = before.clone();
    row.status = MemberStatus::Churned.as_str().into();
    row.churned_at = Some(now);
    row.updated_at = now;
    memberships::update(tx, before, &row).await?;
    emit_member_event(tx, "audience.member_churned", &row, json!({}), now).await
}

/// Tells the creator's webhooks about a member, in the transaction of the change.
pub async fn emit_member_event(
    tx: &mut Tx,
    kind: &str,
    row: &MembershipRow,
    extra: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let tier = tiers::find(&mut *tx, row.tier_id).await?;
    let mut data = json!({
        "member_id": row.id,
        "user_id": row.user_id,
        "creator_id": row.creator_id,
        "tier": tier.map(|t| json!({"id": t.id, "name": t.name})),
        "status": row.status,
        "billing_cycle": row.billing_cycle,
    });
    if let (Some(data), Some(extra)) = (data.as_object_mut(), extra.as_object()) {
        data.extend(extra.clone());
    }
    outbox::emit(
        tx,
        Event {
            creator_id: row.creator_id,
            kind,
            ordering_key: row.id.to_string(),
            data,
        },
        now,
    )
    .await
}

/// A tier subscription ended (canceled at period end, or after failed renewals): its
/// membership churns, in the same transaction.
pub async fn subscription_ended(
    tx: &mut Tx,
    subscription_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(before) = memberships::billed_by(tx, subscription_id).await? else {
        return Ok(());
    };
    if before.status == MemberStatus::Churned.as_str() {
        return Ok(());
    }
    churn(tx, &before, now).await
}
