//! Tips: a creator's team opens tip jars (goal, suggested amounts, rewards, end date);
//! a member tips, optionally into a jar. The tip is charged at once, the platform keeps
//! 10 % (rounded half-even at the minor unit, like every amount), the creator receives
//! the rest, the tipper gets a paid invoice as receipt, and crossing a reward's
//! threshold (with all their tips to that jar) unlocks it.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{
    require_verified_email, resolve_creator, CreatorPermission,
};
use crate::backend::billing::invoicing::{self, Line};
use crate::backend::billing::renewals::payment_failed;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::member::member_not_found;
use crate::backend::services::milestones;
use crate::backend::services::tiers::creator_currency;
use crate::backend::store::tips::{self, JarRow, StoredReward, TipRow};
use crate::backend::store::{creators, invoices, memberships, payment_methods};
use crate::backend::webhooks::outbox::{self, Event};
use crate::backend::AppState;
use crate::model::audience::MemberStatus;
use crate::model::tip::{CreateTipJar, JarReward, SendTip, TipJar, TipReceipt, UnlockedReward};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

/// The platform's share of every tip.
pub fn platform_fee_rate() -> Decimal {
    Decimal::new(10, 2)
}
const TIP_MAX: i64 = 10_000;
const GOAL_MAX: i64 = 10_000_000;
const DEFAULT_THANKS: &str = "Thank you so much for your support!";

/// The platform fee on `amount`.
pub fn fee_on(amount: Money) -> Money {
    Money::from_decimal(amount.to_decimal() * platform_fee_rate(), amount.currency)
        .unwrap_or(Money::from_minor(0, amount.currency))
}

fn jar_not_found() -> AppError {
    AppError::NotFound {
        code: "jar_not_found",
        message: "Tip jar not found.".into(),
    }
}

fn jar_to_api(row: JarRow, now: DateTime<Utc>) -> TipJar {
    let raised_minor = row.received_minor;
    let currency = Currency::parse(&row.currency)
        .unwrap_or_else(|| Currency::parse("USD").expect("USD is a supported currency"));
    let amount = |minor| Money::from_minor(minor, currency).to_decimal();
    let progress = row.goal_minor.filter(|g| *g > 0).map(|goal| {
        (Decimal::from(raised_minor) / Decimal::from(goal))
            .min(Decimal::ONE)
            .round_dp(4)
    });
    TipJar {
        id: row.id,
        creator_id: row.creator_id,
        name: row.name.clone(),
        description: row.description.clone(),
        currency: row.currency.clone(),
        goal: row.goal_minor.map(amount),
        raised: amount(raised_minor),
        tip_count: u64::try_from(row.tips_received).unwrap_or(0),
        progress,
        suggested_amounts: row.suggested().into_iter().map(amount).collect(),
        rewards: row
            .reward_list()
            .into_iter()
            .map(|r| JarReward {
                threshold: amount(r.threshold_minor),
                reward: r.reward,
                instructions: r.instructions,
            })
            .collect(),
        thank_you_message: row.thank_you_message.clone(),
        end_date: row.end_date,
        open: row.end_date.is_none_or(|end| end >= now.date_naive()),
        created_at: row.created_at,
    }
}

/// An amount in `currency` between `min` and `max` major units, exact; or an error.
fn amount_in(
    field: &str,
    value: Decimal,
    currency: Currency,
    (min, max): (i64, i64),
    errors: &mut Vec<FieldError>,
) -> Option<Money> {
    if value < Decimal::from(min) || value > Decimal::from(max) {
        errors.push(FieldError::new(
            field,
            format!("must be between {min} and {max}"),
        ));
        None
    } else if !Money::is_exact(value, currency) {
        errors.push(FieldError::new(
            field,
            format!("has more decimal places than {} allows", currency.code()),
        ));
        None
    } else {
        Money::from_decimal(value, currency)
    }
}

pub async fn create_jar(
    state: &AppState,
    identity: &Identity,
    req: CreateTipJar,
) -> Result<TipJar, AppError> {
    let creator_id = resolve_creator(
        &state.db,
        identity,
        req.creator_id,
        CreatorPermission::ManageTiers,
    )
    .await?;
    let now = state.clock.now();
    let code = match req.currency.clone() {
        Some(code) => code,
        None => creator_currency(&state.db, creator_id).await?,
    };
    let mut errors = Vec::new();
    if req.name.trim().is_empty() || req.name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            "must be between 1 and 100 characters",
        ));
    }
    if req.description.chars().count() > 1000 {
        errors.push(FieldError::new(
            "description",
            "must be at most 1000 characters",
        ));
    }
    if req
        .thank_you_message
        .as_ref()
        .is_some_and(|m| m.chars().count() > 500)
    {
        errors.push(FieldError::new(
            "thank_you_message",
            "must be at most 500 characters",
        ));
    }
    if req.end_date.is_some_and(|end| end < now.date_naive()) {
        errors.push(FieldError::new("end_date", "must be today or later"));
    }
    if req.suggested_amounts.len() > 8 {
        errors.push(FieldError::new(
            "suggested_amounts",
            "must list at most 8 amounts",
        ));
    }
    if req.rewards.len() > 10 {
        errors.push(FieldError::new("rewards", "must list at most 10 rewards"));
    }
    let Some(currency) = Currency::parse(&code) else {
        errors.push(FieldError::new(
            "currency",
            "must be a supported ISO 4217 code, such as USD",
        ));
        return Err(AppError::Validation(errors));
    };
    let goal = req
        .goal
        .and_then(|g| amount_in("goal", g, currency, (1, GOAL_MAX), &mut errors));
    let suggested: Vec<i64> = req
        .suggested_amounts
        .iter()
        .filter_map(|a| amount_in("suggested_amounts", *a, currency, (1, TIP_MAX), &mut errors))
        .map(|m| m.minor)
        .collect();
    let mut rewards = Vec::new();
    for reward in &req.rewards {
        let text = reward.reward.trim();
        if text.is_empty() || text.chars().count() > 200 {
            errors.push(FieldError::new(
                "rewards",
                "each reward must be between 1 and 200 characters",
            ));
        }
        if reward
            .instructions
            .as_ref()
            .is_some_and(|i| i.chars().count() > 500)
        {
            errors.push(FieldError::new(
                "rewards",
                "instructions must be at most 500 characters",
            ));
        }
        if let Some(threshold) = amount_in(
            "rewards",
            reward.threshold,
            currency,
            (1, TIP_MAX),
            &mut errors,
        ) {
            rewards.push(StoredReward {
                threshold_minor: threshold.minor,
                reward: text.to_string(),
                instructions: reward
                    .instructions
                    .as_ref()
                    .map(|i| i.trim().to_string())
                    .filter(|i| !i.is_empty()),
            });
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    rewards.sort_by_key(|r| r.threshold_minor);
    let row = JarRow {
        id: Uuid::now_v7(),
        creator_id,
        name: req.name.trim().to_string(),
        description: req.description.trim().to_string(),
        currency: currency.code().into(),
        goal_minor: goal.map(|g| g.minor),
        suggested_amounts: serde_json::to_string(&suggested).map_err(AppError::internal)?,
        rewards: serde_json::to_string(&rewards).map_err(AppError::internal)?,
        thank_you_message: req
            .thank_you_message
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| DEFAULT_THANKS.into()),
        end_date: req.end_date,
        created_at: now,
        tips_received: 0,
        received_minor: 0,
    };
    let mut tx = state.db.begin().await?;
    tips::insert_jar(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(jar_to_api(row, now))
}

/// A creator's jars with what each raised: for its team and for its public page.
pub async fn jars(state: &AppState, creator_id: Uuid) -> Result<Vec<TipJar>, AppError> {
    let now = state.clock.now();
    Ok(tips::jars_of(&state.db, creator_id)
        .await?
        .into_iter()
        .map(|row| jar_to_api(row, now))
        .collect())
}

pub async fn list_jars(
    state: &AppState,
    identity: &Identity,
    creator_id: Option<Uuid>,
) -> Result<Vec<TipJar>, AppError> {
    let creator_id =
        resolve_creator(&state.db, identity, creator_id, CreatorPermission::View).await?;
    jars(state, creator_id).await
}

pub async fn send(
    state: &AppState,
    identity: &Identity,
    req: SendTip,
) -> Result<TipReceipt, AppError> {
    let membership = memberships::find(&state.db, req.member_id)
        .await?
        .filter(|m| {
            m.user_id == identity.user_id
                && m.creator_id == req.creator_id
                && m.status != MemberStatus::Churned.as_str()
        })
        .ok_or_else(member_not_found)?;
    let jar = match req.jar_id {
        Some(id) => Some(
            tips::find_jar(&state.db, id)
                .await?
                .filter(|j| j.creator_id == req.creator_id)
                .ok_or_else(jar_not_found)?,
        ),
        None => None,
    };
    let now = state.clock.now();
    if jar
        .as_ref()
        .and_then(|j| j.end_date)
        .is_some_and(|end| end < now.date_naive())
    {
        return Err(AppError::Conflict {
            code: "jar_closed",
            message: "This tip jar has closed.".into(),
        });
    }
    let code = match &jar {
        Some(jar) => jar.currency.clone(),
        None => creator_currency(&state.db, req.creator_id).await?,
    };
    let currency = Currency::parse(&code).ok_or_else(|| AppError::internal("stored currency"))?;
    let mut errors = Vec::new();
    let amount = amount_in("amount", req.amount, currency, (1, TIP_MAX), &mut errors);
    if req.message.chars().count() > 500 {
        errors.push(FieldError::new("message", "must be at most 500 characters"));
    }
    let method = payment_methods::find(&state.db, identity.user_id, req.payment_method_id).await?;
    if method.is_none() {
        errors.push(FieldError::new(
            "payment_method_id",
            "is not one of your saved payment methods",
        ));
    }
    let (Some(amount), Some(method), true) = (amount, method, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    require_verified_email(&state.db, identity, "tipping").await?;

    let tip_id = Uuid::now_v7();
    let charge_ref = state
        .gateway
        .charge(&method.gateway_ref, amount, &format!("tip-{tip_id}"))
        .await
        .map_err(|declined| payment_failed(declined.decline_code))?;
    let fee = fee_on(amount);
    let row = TipRow {
        id: tip_id,
        creator_id: req.creator_id,
        jar_id: jar.as_ref().map(|j| j.id),
        membership_id: membership.id,
        user_id: identity.user_id,
        amount_minor: amount.minor,
        fee_minor: fee.minor,
        currency: currency.code().into(),
        message: req.message.trim().to_string(),
        anonymous: req.anonymous,
        charge_ref: charge_ref.clone(),
        invoice_id: None,
        created_at: now,
    };
    match record(state, row, jar.as_ref(), now).await {
        Ok((invoice_id, reward)) => Ok(TipReceipt {
            tip_id,
            amount: amount.to_decimal(),
            currency: currency.code().into(),
            status: "completed".into(),
            creator_receives: Money::from_minor(amount.minor - fee.minor, currency).to_decimal(),
            platform_fee: fee.to_decimal(),
            reward_unlocked: reward.map(|r| UnlockedReward {
                description: r.reward,
                instructions: r.instructions,
            }),
            thank_you_message: jar.map_or_else(|| DEFAULT_THANKS.into(), |j| j.thank_you_message),
            receipt_url: format!(
                "{}/account/invoices/{invoice_id}",
                state.settings.public_url
            ),
        }),
        Err(error) => {
            // The tip was not recorded: give the money back.
            if let Err(refund_error) = state
                .gateway
                .refund(&charge_ref, amount, &format!("tip-undo-{tip_id}"))
                .await
            {
                tracing::error!(%charge_ref, %refund_error, "could not refund an unrecorded tip");
            }
            Err(error)
        }
    }
}

/// Writes the tip, its paid receipt and its webhook event; returns the receipt's id and
/// the reward this tip newly unlocked.
async fn record(
    state: &AppState,
    mut row: TipRow,
    jar: Option<&JarRow>,
    now: DateTime<Utc>,
) -> Result<(Uuid, Option<StoredReward>), AppError> {
    let currency = Currency::parse(&row.currency).ok_or_else(|| AppError::internal("currency"))?;
    let amount = Money::from_minor(row.amount_minor, currency);
    let mut tx = state.db.begin().await?;
    let creator = creators::name(&mut tx, row.creator_id)
        .await?
        .unwrap_or_default();
    let description = match jar {
        Some(jar) => format!("Tip to {creator}: {}", jar.name),
        None => format!("Tip to {creator}"),
    };
    let lines = [Line {
        description: description.clone(),
        kind: "tip",
        amount,
    }];
    let (invoice_id, _) =
        invoicing::issue_receipt(&mut tx, row.user_id, &description, &lines, now).await?;
    invoices::mark_paid(&mut tx, invoice_id, &row.charge_ref, now).await?;
    row.invoice_id = Some(invoice_id);
    let reward = match jar {
        Some(jar) => {
            let before = tips::tipped_into(&mut tx, jar.id, row.membership_id).await?;
            let after = before + row.amount_minor;
            jar.reward_list()
                .into_iter()
                .rev()
                .find(|r| r.threshold_minor > before && r.threshold_minor <= after)
        }
        None => None,
    };
    tips::insert_tip(&mut tx, &row).await?;
    outbox::emit(
        &mut tx,
        Event {
            creator_id: row.creator_id,
            kind: "audience.tip_received",
            ordering_key: row.membership_id.to_string(),
            data: json!({
                "tip_id": row.id,
                "member_id": if row.anonymous { None } else { Some(row.membership_id) },
                "jar_id": row.jar_id,
                "amount": amount.to_decimal(),
                "currency": row.currency,
                "platform_fee": Money::from_minor(row.fee_minor, currency).to_decimal(),
                "message": row.message,
                "anonymous": row.anonymous,
            }),
        },
        now,
    )
    .await?;
    milestones::after_payment(&mut tx, row.creator_id, &row.currency, now).await?;
    tx.commit().await?;
    Ok((invoice_id, reward))
}
