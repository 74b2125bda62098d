//! A creator's tiers: the free default tier every creator has, and the tiers its team
//! creates and edits. Member counts come from the membership rollup and monthly revenue
//! from the live tier subscriptions, never from stored totals that could drift.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{require_owner, resolve_creator, CreatorPermission};
use crate::backend::db::{Db, Tx};
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::creator_reads::{currency_of, CreatorReads};
use crate::backend::store::memberships::{self, CountRow};
use crate::backend::store::tier_subscriptions;
use crate::backend::store::tiers::{self, TierRow};
use crate::backend::AppState;
use crate::model::audience::{CreateTier, CreatorPage, PublicTier, Tier, TierList, UpdateTier};
use crate::model::creator::Creator;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

const NAME_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 1000;
const BENEFITS_MAX: usize = 20;
const BENEFIT_MAX: usize = 200;
const MONTHLY_MAX: i64 = 10_000;
const YEARLY_MAX: i64 = 120_000;
const LIMIT_MAX: u32 = 10_000_000;

/// The documented error for a tier that does not exist (or is not this creator's).
pub fn invalid_tier() -> AppError {
    AppError::BadRequest {
        code: "invalid_tier",
        message: "Tier not found.".into(),
    }
}

/// The free tier a new creator starts with.
pub async fn create_default(
    tx: &mut Tx,
    creator_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = TierRow {
        id: Uuid::now_v7(),
        creator_id,
        name: "Free".into(),
        description: "Follow along for free.".into(),
        currency: "USD".into(),
        price_monthly_minor: 0,
        price_yearly_minor: 0,
        benefits: "[]".into(),
        member_limit: None,
        visible: true,
        is_default: true,
        created_at: now,
        updated_at: now,
    };
    tiers::insert(tx, &row).await?;
    Ok(())
}

/// The creator's currency: that of its paid tiers, else USD.
pub async fn creator_currency(db: &Db, creator_id: Uuid) -> Result<String, AppError> {
    Ok(currency_of(&tiers::of_creator(db, creator_id).await?))
}

/// The API shape of a tier, given its members and monthly revenue in minor units.
pub fn to_api(row: TierRow, members: u64, revenue_minor: i64) -> Tier {
    let currency = Currency::parse(&row.currency)
        .unwrap_or_else(|| Currency::parse("USD").expect("USD is a supported currency"));
    let amount = |minor| Money::from_minor(minor, currency).to_decimal();
    let benefits = row.benefit_list();
    Tier {
        id: row.id,
        creator_id: row.creator_id,
        name: row.name,
        description: row.description,
        currency: row.currency,
        price_monthly: amount(row.price_monthly_minor),
        price_yearly: amount(row.price_yearly_minor),
        benefits,
        limit: row.member_limit.and_then(|n| u32::try_from(n).ok()),
        visible: row.visible,
        is_default: row.is_default,
        member_count: members,
        revenue_monthly: amount(revenue_minor),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// Every tier of the creator with its current members and monthly revenue.
pub async fn list(
    state: &AppState,
    identity: &Identity,
    creator_id: Option<Uuid>,
) -> Result<TierList, AppError> {
    list_from(&CreatorReads::open(state, identity, creator_id).await?).await
}

/// [`list`] from reads already open.
pub async fn list_from(reads: &CreatorReads) -> Result<TierList, AppError> {
    let members = current_members(reads.counts().await?);
    let revenue = tier_subscriptions::monthly_by_tier(reads.live_tiers().await?);
    Ok(TierList {
        tiers: reads
            .tiers()
            .await?
            .iter()
            .map(|row| {
                let n = members.get(&row.id).copied().unwrap_or(0);
                to_api(row.clone(), n, revenue.get(&row.id).copied().unwrap_or(0))
            })
            .collect(),
    })
}

/// A creator's public page: the creator, its visible tiers with the places left, its
/// tip jars.
pub async fn creator_page(state: &AppState, creator_id: Uuid) -> Result<CreatorPage, AppError> {
    let creator = crate::backend::store::creators::find(&state.db, creator_id)
        .await?
        .ok_or_else(crate::backend::auth::permissions::creator_not_found)?;
    page_of(state, creator).await
}

/// The public page at `/c/{handle}`.
pub async fn creator_page_by_handle(
    state: &AppState,
    handle: &str,
) -> Result<CreatorPage, AppError> {
    let creator = crate::backend::store::creators::find_by_handle(&state.db, handle)
        .await?
        .ok_or_else(crate::backend::auth::permissions::creator_not_found)?;
    page_of(state, creator).await
}

async fn page_of(state: &AppState, creator: Creator) -> Result<CreatorPage, AppError> {
    let creator_id = creator.id;
    let members = current_members(&memberships::counts(&state.db, creator_id).await?);
    let tiers = tiers::of_creator(&state.db, creator_id)
        .await?
        .into_iter()
        .filter(|t| t.visible)
        .map(|row| {
            let taken = members.get(&row.id).copied().unwrap_or(0);
            let spots_left = row
                .member_limit
                .map(|cap| u64::try_from(cap).unwrap_or(0).saturating_sub(taken));
            let tier = to_api(row, 0, 0);
            PublicTier {
                id: tier.id,
                name: tier.name,
                description: tier.description,
                currency: tier.currency,
                price_monthly: tier.price_monthly,
                price_yearly: tier.price_yearly,
                benefits: tier.benefits,
                is_default: tier.is_default,
                spots_left,
            }
        })
        .collect();
    Ok(CreatorPage {
        creator,
        tiers,
        tip_jars: crate::backend::services::tips::jars(state, creator_id).await?,
    })
}

/// Active and paused members per tier, from the rollup.
fn current_members(counts: &[CountRow]) -> HashMap<Uuid, u64> {
    let mut members = HashMap::new();
    for count in counts {
        if count.status != "churned" {
            *members.entry(count.tier_id).or_insert(0) += count.members.max(0) as u64;
        }
    }
    members
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    req: CreateTier,
) -> Result<Tier, AppError> {
    let creator_id = resolve_creator(
        &state.db,
        identity,
        req.creator_id,
        CreatorPermission::ManageTiers,
    )
    .await?;
    let now = state.clock.now();
    let mut row = TierRow {
        id: Uuid::now_v7(),
        creator_id,
        name: String::new(),
        description: String::new(),
        currency: req.currency.clone().unwrap_or_else(|| "USD".into()),
        price_monthly_minor: 0,
        price_yearly_minor: 0,
        benefits: "[]".into(),
        member_limit: None,
        visible: req.visible,
        is_default: false,
        created_at: now,
        updated_at: now,
    };
    let changes = UpdateTier {
        name: Some(req.name),
        description: Some(req.description),
        price_monthly: Some(req.price_monthly),
        price_yearly: req
            .price_yearly
            .or_else(|| Some(req.price_monthly * Decimal::from(12))),
        benefits: Some(req.benefits),
        limit: Some(req.limit),
        visible: Some(req.visible),
    };
    apply(&mut row, changes)?;
    let mut tx = state.db.begin().await?;
    require_one_currency(&mut tx, &row).await?;
    tiers::insert(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(to_api(row, 0, 0))
}

pub async fn update(
    state: &AppState,
    identity: &Identity,
    tier_id: Uuid,
    changes: UpdateTier,
) -> Result<Tier, AppError> {
    let row = tiers::find(&state.db, tier_id)
        .await?
        .ok_or_else(tier_not_found)?;
    require_owner(
        &state.db,
        identity,
        row.creator_id,
        CreatorPermission::ManageTiers,
        tier_not_found,
    )
    .await?;
    let mut tx = state.db.begin().await?;
    let mut row = tiers::find_for_update(&mut tx, tier_id)
        .await?
        .ok_or_else(tier_not_found)?;
    let was_free = row.is_free();
    apply(&mut row, changes)?;
    if row.is_default && !row.is_free() {
        return Err(AppError::Validation(vec![FieldError::new(
            "price_monthly",
            "the default tier stays free",
        )]));
    }
    if was_free != row.is_free() && memberships::current_in_tier(&mut tx, tier_id).await? > 0 {
        return Err(AppError::Conflict {
            code: "tier_has_members",
            message: "A tier with members cannot switch between free and paid; create a new tier instead."
                .into(),
        });
    }
    require_one_currency(&mut tx, &row).await?;
    row.updated_at = state.clock.now();
    tiers::update(&mut tx, &row).await?;
    let members = u64::try_from(memberships::current_in_tier(&mut tx, tier_id).await?).unwrap_or(0);
    tx.commit().await?;
    let live = tier_subscriptions::live_by_tier(&state.db, row.creator_id).await?;
    let revenue = tier_subscriptions::monthly_by_tier(&live)
        .get(&tier_id)
        .copied()
        .unwrap_or(0);
    Ok(to_api(row, members, revenue))
}

fn tier_not_found() -> AppError {
    AppError::NotFound {
        code: "tier_not_found",
        message: "Tier not found.".into(),
    }
}

/// Revenue is reported per creator, so all its paid tiers share one currency.
async fn require_one_currency(tx: &mut Tx, row: &TierRow) -> Result<(), AppError> {
    if row.is_free() {
        return Ok(());
    }
    let other = tiers::of_creator(&mut *tx, row.creator_id)
        .await?
        .into_iter()
        .find(|t| t.id != row.id && !t.is_free() && t.currency != row.currency);
    match other {
        Some(other) => Err(AppError::Validation(vec![FieldError::new(
            "currency",
            format!(
                "must be {}, the currency of this creator's other paid tiers",
                other.currency
            ),
        )])),
        None => Ok(()),
    }
}

/// Validates `changes` and applies them to `row`; every problem is reported at once.
fn apply(row: &mut TierRow, changes: UpdateTier) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if let Some(name) = changes.name {
        if name.trim().is_empty() || name.chars().count() > NAME_MAX {
            errors.push(FieldError::new(
                "name",
                "must be between 1 and 100 characters",
            ));
        }
        row.name = name.trim().to_string();
    }
    if let Some(description) = changes.description {
        if description.chars().count() > DESCRIPTION_MAX {
            errors.push(FieldError::new(
                "description",
                "must be at most 1000 characters",
            ));
        }
        row.description = description.trim().to_string();
    }
    let Some(currency) = Currency::parse(&row.currency) else {
        errors.push(FieldError::new(
            "currency",
            "must be a supported ISO 4217 code in upper case, such as USD",
        ));
        return Err(AppError::Validation(errors));
    };
    let mut price = |field: &'static str, value: Option<Decimal>, max: i64, target: &mut i64| {
        let Some(value) = value else { return };
        if value < Decimal::ZERO || value > Decimal::from(max) {
            errors.push(FieldError::new(
                field,
                format!("must be between 0 and {max}"),
            ));
        } else if !Money::is_exact(value, currency) {
            errors.push(FieldError::new(
                field,
                format!(
                    "has more decimal places than {} allows ({})",
                    currency.code(),
                    currency.exponent()
                ),
            ));
        } else if let Some(money) = Money::from_decimal(value, currency) {
            *target = money.minor;
        }
    };
    price(
        "price_monthly",
        changes.price_monthly,
        MONTHLY_MAX,
        &mut row.price_monthly_minor,
    );
    price(
        "price_yearly",
        changes.price_yearly,
        YEARLY_MAX,
        &mut row.price_yearly_minor,
    );
    if (row.price_monthly_minor == 0) != (row.price_yearly_minor == 0) {
        errors.push(FieldError::new(
            "price_yearly",
            "must be 0 exactly when price_monthly is 0 (a tier is free or paid)",
        ));
    }
    if let Some(benefits) = changes.benefits {
        let benefits: Vec<String> = benefits.into_iter().map(|b| b.trim().to_string()).collect();
        if benefits.len() > BENEFITS_MAX {
            errors.push(FieldError::new("benefits", "must list at most 20 benefits"));
        }
        if benefits
            .iter()
            .any(|b| b.is_empty() || b.chars().count() > BENEFIT_MAX)
        {
            errors.push(FieldError::new(
                "benefits",
                "each benefit must be between 1 and 200 characters",
            ));
        }
        row.benefits = serde_json::to_string(&benefits).map_err(AppError::internal)?;
    }
    if let Some(limit) = changes.limit {
        if limit.is_some_and(|n| n == 0 || n > LIMIT_MAX) {
            errors.push(FieldError::new("limit", "must be between 1 and 10000000"));
        }
        row.member_limit = limit.map(i64::from);
    }
    if let Some(visible) = changes.visible {
        row.visible = visible;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}
