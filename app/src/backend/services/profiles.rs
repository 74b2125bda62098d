//! Sub-profiles: every account has a primary profile (made with it, or on first use);
//! more up to the current plan's `max_profiles` (1 without a subscription). A PIN may
//! guard a profile: it is stored hashed, and verifying it gives a one-hour profile
//! token; five wrong PINs lock verification for 15 minutes.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::password;
use crate::backend::db::Tx;
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::entitlements;
use crate::backend::services::profile::is_locale;
use crate::backend::store::profiles::{self, ProfileRow};
use crate::backend::store::users;
use crate::backend::AppState;
use crate::model::profile::{ContentRating, Profile, ProfileInput, ProfileList, ProfileToken};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

const NAME_MAX: usize = 50;
const PIN_ATTEMPTS: i32 = 5;
const PIN_LOCK_MINUTES: i64 = 15;
pub const PROFILE_TOKEN_TTL_SECS: i64 = 3600;

fn profile_not_found() -> AppError {
    AppError::NotFound {
        code: "profile_not_found",
        message: "Profile not found.".into(),
    }
}

pub fn to_api(row: ProfileRow) -> Profile {
    Profile {
        id: row.id,
        name: row.name,
        avatar_preset_id: row.avatar_preset_id,
        is_primary: row.is_primary,
        pin_protected: row.pin_hash.is_some(),
        content_rating_limit: ContentRating::parse(&row.content_rating_limit)
            .unwrap_or(ContentRating::TvMa),
        language: row.language,
        is_kids: row.is_kids,
        autoplay_next_episode: row.autoplay_next_episode,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// A new profile with the defaults: adult ratings, autoplay on, no PIN.
fn fresh_row(
    user_id: Uuid,
    name: String,
    is_primary: bool,
    language: String,
    now: DateTime<Utc>,
) -> ProfileRow {
    ProfileRow {
        id: Uuid::now_v7(),
        user_id,
        name,
        avatar_preset_id: None,
        is_primary,
        pin_hash: None,
        content_rating_limit: ContentRating::TvMa.as_str().into(),
        language,
        is_kids: false,
        autoplay_next_episode: true,
        pin_failures: 0,
        pin_locked_until: None,
        created_at: now,
        updated_at: now,
    }
}

/// Creates the account's primary profile if it has none yet.
async fn ensure_primary(tx: &mut Tx, user_id: Uuid, now: DateTime<Utc>) -> Result<(), AppError> {
    if profiles::count(tx, user_id).await? > 0 {
        return Ok(());
    }
    let user = users::find_by_id(&mut *tx, user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let name = user.display_name.chars().take(NAME_MAX).collect();
    let row = fresh_row(user_id, name, true, user.locale, now);
    profiles::insert(tx, &row).await?;
    Ok(())
}

pub async fn list(state: &AppState, identity: &Identity) -> Result<ProfileList, AppError> {
    let mut tx = state.db.begin().await?;
    ensure_primary(&mut tx, identity.user_id, state.clock.now()).await?;
    tx.commit().await?;
    let rows = profiles::list(&state.db, identity.user_id).await?;
    Ok(ProfileList {
        data: rows.into_iter().map(to_api).collect(),
    })
}

pub async fn get(state: &AppState, identity: &Identity, id: Uuid) -> Result<Profile, AppError> {
    let row = profiles::find(&state.db, identity.user_id, id)
        .await?
        .ok_or_else(profile_not_found)?;
    Ok(to_api(row))
}

/// How many profiles the account may have: its live plan's limit, or 1.
pub async fn create(
    state: &AppState,
    identity: &Identity,
    input: ProfileInput,
) -> Result<Profile, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, identity.user_id).await?;
    ensure_primary(&mut tx, identity.user_id, now).await?;
    let user = users::find_by_id(&mut tx, identity.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let blank = fresh_row(identity.user_id, String::new(), false, user.locale, now);
    let row = apply(blank, input, now).await?;
    let limit = entitlements::for_user(&mut tx, identity.user_id)
        .await?
        .max_profiles;
    if profiles::count(&mut tx, identity.user_id).await? >= limit {
        return Err(AppError::Conflict {
            code: "profile_limit_reached",
            message: format!(
                "Your plan allows {limit} profile(s); upgrade your plan or delete one first."
            ),
        });
    }
    profiles::insert(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(to_api(row))
}

pub async fn update(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    input: ProfileInput,
) -> Result<Profile, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let current = profiles::find(&mut tx, identity.user_id, id)
        .await?
        .ok_or_else(profile_not_found)?;
    let row = apply(current, input, now).await?;
    profiles::update(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(to_api(row))
}

/// Deletes a profile (its viewing data goes with it); the primary one stays.
pub async fn delete(state: &AppState, identity: &Identity, id: Uuid) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let row = profiles::find(&mut tx, identity.user_id, id)
        .await?
        .ok_or_else(profile_not_found)?;
    if row.is_primary {
        return Err(AppError::Conflict {
            code: "primary_profile",
            message: "The primary profile cannot be deleted.".into(),
        });
    }
    profiles::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn verify_pin(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    pin: &str,
) -> Result<ProfileToken, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let mut row = profiles::find(&mut tx, identity.user_id, id)
        .await?
        .ok_or_else(profile_not_found)?;
    let Some(hash) = row.pin_hash.clone() else {
        return Err(AppError::BadRequest {
            code: "pin_not_set",
            message: "This profile has no PIN.".into(),
        });
    };
    if let Some(until) = row.pin_locked_until.filter(|until| *until > now) {
        return Err(AppError::TooManyRequests {
            retry_after_secs: u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1),
        });
    }
    row.updated_at = now;
    if password::verify(pin, &hash).await? {
        row.pin_failures = 0;
        row.pin_locked_until = None;
        profiles::update(&mut tx, &row).await?;
        tx.commit().await?;
        let token = state
            .keys
            .issue_profile(identity.user_id, id, PROFILE_TOKEN_TTL_SECS, now)?;
        return Ok(ProfileToken {
            profile_token: token,
            expires_in: PROFILE_TOKEN_TTL_SECS as u64,
        });
    }
    row.pin_failures += 1;
    let locked = row.pin_failures >= PIN_ATTEMPTS;
    if locked {
        row.pin_failures = 0;
        row.pin_locked_until = Some(now + Duration::minutes(PIN_LOCK_MINUTES));
    }
    profiles::update(&mut tx, &row).await?;
    tx.commit().await?;
    Err(if locked {
        AppError::TooManyRequests {
            retry_after_secs: (PIN_LOCK_MINUTES * 60) as u64,
        }
    } else {
        AppError::Forbidden {
            code: "invalid_pin",
            message: "The PIN is wrong.".into(),
        }
    })
}

/// `row` with the input's changes, each checked. On a new row every field applies; on
/// an existing one, fields left out keep their value.
async fn apply(
    mut row: ProfileRow,
    input: ProfileInput,
    now: DateTime<Utc>,
) -> Result<ProfileRow, AppError> {
    let mut errors = Vec::new();
    // Limits count the text as sent, as the documented maxLength does.
    if input.name.trim().is_empty() || input.name.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            "name",
            "must be between 1 and 50 characters",
        ));
    }
    row.name = input.name.trim().to_string();
    if input.avatar_preset_id.is_some() {
        row.avatar_preset_id = input.avatar_preset_id;
    }
    if let Some(language) = input.language {
        if !is_locale(&language) {
            errors.push(FieldError::new(
                "language",
                "must be a BCP 47 language tag such as en-US",
            ));
        }
        row.language = language;
    }
    if let Some(autoplay) = input.autoplay_next_episode {
        row.autoplay_next_episode = autoplay;
    }
    if let Some(kids) = input.is_kids {
        row.is_kids = kids;
    }
    let current = ContentRating::parse(&row.content_rating_limit).unwrap_or(ContentRating::TvMa);
    let rating = match input.content_rating_limit {
        Some(rating) if row.is_kids && !rating.is_for_kids() => {
            errors.push(FieldError::new(
                "content_rating_limit",
                "must be a kids rating (G, PG, TV-Y, TV-G or TV-PG) on a kids profile",
            ));
            rating
        }
        Some(rating) => rating,
        // Becoming a kids profile caps the rating.
        None if row.is_kids && !current.is_for_kids() => ContentRating::TvPg,
        None => current,
    };
    row.content_rating_limit = rating.as_str().into();
    let mut new_pin = None;
    match &input.pin {
        Some(Some(pin)) => {
            let ok = (4..=6).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit());
            if ok {
                new_pin = Some(pin.clone());
            } else {
                errors.push(FieldError::new("pin", "must be 4 to 6 digits"));
            }
        }
        Some(None) => {
            row.pin_hash = None;
            row.pin_failures = 0;
            row.pin_locked_until = None;
        }
        None => {}
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if let Some(pin) = new_pin {
        row.pin_hash = Some(password::hash_secret(&pin).await?);
        row.pin_failures = 0;
        row.pin_locked_until = None;
    }
    row.updated_at = now;
    Ok(row)
}
