//! The signed-in user's profile: what they may change about themselves, each field
//! checked; roles, status and verification are never theirs to set.

use crate::backend::auth::identity::Identity;
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::notifications;
use crate::backend::store::users;
use crate::backend::AppState;
use crate::model::user::{UpdateProfile, User};

const DISPLAY_NAME_MAX: usize = 100;

pub async fn update(
    state: &AppState,
    identity: &Identity,
    req: UpdateProfile,
) -> Result<User, AppError> {
    let mut errors = Vec::new();
    let mut user = users::find_by_id(&state.db, identity.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if let Some(name) = &req.display_name {
        // Limits count the text as sent, as the documented maxLength does.
        if name.trim().is_empty() || name.chars().count() > DISPLAY_NAME_MAX {
            errors.push(FieldError::new(
                "display_name",
                "must be between 1 and 100 characters",
            ));
        }
        user.display_name = name.trim().to_string();
    }
    if let Some(phone) = &req.phone {
        if !is_e164(phone) {
            errors.push(FieldError::new(
                "phone",
                "must be in E.164 form: + and up to 15 digits, such as +14155550123",
            ));
        }
        user.phone = Some(phone.clone());
        user.phone_verified = false;
    }
    if let Some(locale) = &req.locale {
        if !is_locale(locale) {
            errors.push(FieldError::new(
                "locale",
                "must be a BCP 47 language tag such as en-US or pt-BR",
            ));
        }
        user.locale = locale.clone();
    }
    if let Some(timezone) = &req.timezone {
        if timezone.parse::<chrono_tz::Tz>().is_err() {
            errors.push(FieldError::new(
                "timezone",
                "must be an IANA time zone such as Europe/Paris or UTC",
            ));
        }
        user.timezone = timezone.clone();
    }
    if let Some(country) = &req.country_code {
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            errors.push(FieldError::new(
                "country_code",
                "must be a two-letter ISO 3166-1 country code such as US",
            ));
        }
        user.country_code = Some(country.to_ascii_uppercase());
    }
    if let Some(language) = &req.preferred_language {
        let ok =
            (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase());
        if !ok {
            errors.push(FieldError::new(
                "preferred_language",
                "must be an ISO 639 language code such as en",
            ));
        }
        user.preferred_language = language.clone();
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.clock.now();
    user.updated_at = now;
    let mut tx = state.db.begin().await?;
    users::update_profile(&mut tx, &user).await?;
    if let Some(prefs) = req.notification_preferences {
        notifications::set_preferences(&mut tx, user.id, prefs).await?;
    }
    tx.commit().await?;
    Ok(user.into_api(&identity.roles))
}

/// The OpenAPI schema of a time zone field: every IANA name this server knows.
pub fn timezone_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .description(Some("IANA time zone, such as America/New_York."))
        .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())))
        .build()
}

/// `+` then 2 to 15 digits, the first not 0 (`^\+[1-9]\d{1,14}$`).
fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

/// A BCP 47 tag of the common shape: language (2–3 letters), optional script (4
/// letters), optional region (2 letters or 3 digits): `en`, `en-US`, `zh-Hant-TW`.
pub fn is_locale(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()));
    let mut rest: Vec<&str> = parts.collect();
    if rest.first().is_some_and(|s| {
        s.len() == 4
            && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && s.chars().skip(1).all(|c| c.is_ascii_lowercase())
    }) {
        rest.remove(0);
    }
    let region_ok = match rest.as_slice() {
        [] => true,
        [region] => {
            (region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase()))
                || (region.len() == 3 && region.chars().all(|c| c.is_ascii_digit()))
        }
        _ => false,
    };
    language_ok && region_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_locales_are_checked_by_shape() {
        assert!(is_e164("+14155550123"));
        assert!(!is_e164("+04155550123"));
        assert!(!is_e164("14155550123"));
        assert!(!is_e164("+1415555012345678"));
        for good in ["en", "en-US", "pt-BR", "zh-Hant-TW", "es-419"] {
            assert!(is_locale(good), "{good}");
        }
        for bad in ["", "EN", "en_US", "en-us", "english", "en-US-x"] {
            assert!(!is_locale(bad), "{bad}");
        }
    }
}
