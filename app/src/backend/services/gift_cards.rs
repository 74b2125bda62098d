//! Gift cards: platform staff generate them in batches (codes of 100 random bits, shown
//! once); a signed-in user looks one up and redeems it into their account balance,
//! which the next invoices spend. Lookups and redemptions are throttled per user so
//! codes cannot be guessed by trying.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_platform_staff;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::rate_limit::{self, Limit};
use crate::backend::store::gift_cards::{self, GiftCardRow};
use crate::backend::store::{audit, balances};
use crate::backend::AppState;
use crate::model::gift_card::{GenerateGiftCards, GiftCard, GiftCardList};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Crockford's base32: no I, L, O or U, so codes survive being read aloud or retyped.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const MAX_VALUE: i64 = 10_000;
const LOOKUPS_PER_WINDOW: i64 = 20;

/// A fresh code: 20 characters of 5 random bits (100 bits), in groups of five.
fn new_code() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect();
    chars
        .chunks(5)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The canonical form of a typed code: upper case, no separators, and the letters
/// Crockford's alphabet leaves out read as the digits they resemble.
fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

fn hash(normalized: &str) -> String {
    Sha256::digest(normalized.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn to_api(row: GiftCardRow, code: String, now: DateTime<Utc>) -> GiftCard {
    let currency = Currency::parse(&row.currency).expect("stored currencies are valid");
    let expired = row.status == "active" && row.expires_at.is_some_and(|at| at <= now);
    GiftCard {
        id: row.id,
        code,
        initial_value: Money::from_minor(row.initial_minor, currency).to_decimal(),
        remaining_value: Money::from_minor(row.remaining_minor, currency).to_decimal(),
        currency: row.currency,
        status: if expired {
            "expired".into()
        } else {
            row.status
        },
        redeemed_by: row.redeemed_by,
        redeemed_at: row.redeemed_at,
        expires_at: row.expires_at,
        created_at: row.created_at,
    }
}

fn not_found() -> AppError {
    AppError::NotFound {
        code: "gift_card_not_found",
        message: "No gift card has this code.".into(),
    }
}

pub async fn generate(
    state: &AppState,
    identity: &Identity,
    req: GenerateGiftCards,
) -> Result<GiftCardList, AppError> {
    require_platform_staff(identity, "generate gift cards")?;
    let now = state.clock.now();
    let mut errors = Vec::new();
    if !(1..=500).contains(&req.quantity) {
        errors.push(FieldError::new("quantity", "must be between 1 and 500"));
    }
    let currency = Currency::parse(&req.currency);
    if currency.is_none() {
        errors.push(FieldError::new(
            "currency",
            "must be a supported ISO 4217 code in upper case",
        ));
    }
    let value = currency.and_then(|currency| {
        let in_range =
            req.initial_value > Decimal::ZERO && req.initial_value <= Decimal::from(MAX_VALUE);
        if !in_range || !Money::is_exact(req.initial_value, currency) {
            errors.push(FieldError::new(
                "initial_value",
                format!(
                    "must be above 0 and at most {MAX_VALUE}, with at most {} decimal places",
                    currency.exponent()
                ),
            ));
            return None;
        }
        Money::from_decimal(req.initial_value, currency).filter(|m| m.minor > 0)
    });
    if req.expires_at.is_some_and(|at| at <= now) {
        errors.push(FieldError::new("expires_at", "must be in the future"));
    }
    let (Some(value), true) = (value, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };

    let batch_id = Uuid::now_v7();
    let mut cards = Vec::new();
    let mut tx = state.db.begin().await?;
    for _ in 0..req.quantity {
        let code = new_code();
        let normalized = normalize(&code);
        let row = GiftCardRow {
            id: Uuid::now_v7(),
            code_hash: hash(&normalized),
            code_last4: normalized[normalized.len() - 4..].to_string(),
            batch_id,
            initial_minor: value.minor,
            remaining_minor: value.minor,
            currency: value.currency.code().into(),
            status: "active".into(),
            created_by: Some(identity.user_id),
            redeemed_by: None,
            redeemed_at: None,
            expires_at: req.expires_at,
            created_at: now,
        };
        gift_cards::insert(&mut tx, &row).await?;
        cards.push(to_api(row, code, now));
    }
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "gift_card.created",
            target_type: "gift_card_batch",
            target_id: batch_id.to_string(),
            reason: None,
            before: None,
            after: Some(serde_json::json!({
                "quantity": req.quantity,
                "initial_value": value.to_decimal(),
                "currency": value.currency.code(),
                "expires_at": req.expires_at,
                "ids": cards.iter().map(|c| c.id).collect::<Vec<_>>(),
            })),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(GiftCardList { data: cards })
}

async fn throttle(state: &AppState, identity: &Identity) -> Result<(), AppError> {
    rate_limit::check(
        state,
        &[Limit {
            key: format!("gift_card:{}", identity.user_id),
            max: LOOKUPS_PER_WINDOW,
            window: Duration::minutes(15),
        }],
    )
    .await
}

/// Balance and status of a card, before redeeming it.
pub async fn lookup(
    state: &AppState,
    identity: &Identity,
    code: &str,
) -> Result<GiftCard, AppError> {
    throttle(state, identity).await?;
    let normalized = normalize(code);
    let row = gift_cards::find_by_hash(&state.db, &hash(&normalized))
        .await?
        .ok_or_else(not_found)?;
    Ok(to_api(row, code.trim().to_string(), state.clock.now()))
}

/// Credits the card's whole value to the caller's account balance, exactly once.
pub async fn redeem(
    state: &AppState,
    identity: &Identity,
    code: &str,
) -> Result<GiftCard, AppError> {
    throttle(state, identity).await?;
    let normalized = normalize(code);
    let code_hash = hash(&normalized);
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(card) = gift_cards::redeem(&mut tx, &code_hash, identity.user_id, now).await? else {
        drop(tx);
        let row = gift_cards::find_by_hash(&state.db, &code_hash)
            .await?
            .ok_or_else(not_found)?;
        return Err(match row.status.as_str() {
            "active" => AppError::Gone {
                code: "gift_card_expired",
                message: "This gift card has expired.".into(),
            },
            "disabled" => AppError::Conflict {
                code: "gift_card_disabled",
                message: "This gift card has been disabled.".into(),
            },
            _ => AppError::Conflict {
                code: "gift_card_already_redeemed",
                message: "This gift card has already been redeemed.".into(),
            },
        });
    };
    let currency =
        Currency::parse(&card.currency).ok_or_else(|| AppError::internal("stored currency"))?;
    balances::apply(
        &mut tx,
        identity.user_id,
        Money::from_minor(card.initial_minor, currency),
        "gift_card",
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(to_api(card, code.trim().to_string(), now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_random_and_forgiving_to_type() {
        let code = new_code();
        assert_eq!(code.len(), 23, "{code}");
        assert_eq!(normalize(&code).len(), 20);
        assert_ne!(code, new_code());
        assert_eq!(normalize("abcd0-o1il1 xyz"), normalize("ABCD0-0111-1XYZ"));
    }
}
