//! The account pages' server functions (profile, password, notifications, sub-profiles,
//! devices, privacy): the same services as the REST API, for the signed-in browser user.

use crate::model::device::DeviceList;
use crate::model::notification::{NotificationPage, NotificationPreferences};
use crate::model::privacy::{DataExport, DeletionRequest};
use crate::model::profile::ProfileList;
use crate::model::user::User;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The profile page: the account and its notification choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub user: User,
    pub preferences: NotificationPreferences,
}

/// The privacy page: the latest export and a pending deletion, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivacyOverview {
    pub export: Option<DataExport>,
    pub deletion: Option<DeletionRequest>,
    /// The platform's clock, for the countdown to the deletion date.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// The account, or `None` for a visitor (the page then offers to sign in).
#[server(prefix = "/api/fn", endpoint = "load_account")]
pub async fn load_account() -> Result<Option<AccountOverview>, ServerFnError> {
    use crate::api::auth::server_side::{fail, identity, state};
    use crate::backend::error::AppError;
    let state = state()?;
    let Some(identity) = identity(&state).await else {
        return Ok(None);
    };
    let user = crate::backend::store::users::find_by_id(&state.db, identity.user_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(AppError::Unauthorized))?;
    let preferences =
        crate::backend::services::notifications::preferences(&state, identity.user_id)
            .await
            .map_err(fail)?;
    Ok(Some(AccountOverview {
        user: user.into_api(&identity.roles),
        preferences,
    }))
}

/// Saves the profile form. Empty optional fields are left as they are.
// Each argument is one field of the form, as server functions take them.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api/fn", endpoint = "save_profile")]
pub async fn save_profile(
    display_name: String,
    #[server(default)] phone: Option<String>,
    locale: String,
    timezone: String,
    #[server(default)] country_code: Option<String>,
    preferred_language: String,
    #[server(default)] payment: Option<String>,
    #[server(default)] new_content: Option<String>,
    #[server(default)] account_security: Option<String>,
    #[server(default)] marketing: Option<String>,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::user::UpdateProfile;
    let (state, identity) = signed_in().await?;
    let filled = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let req = UpdateProfile {
        display_name: Some(display_name),
        phone: filled(phone),
        locale: Some(locale.trim().to_string()),
        timezone: Some(timezone.trim().to_string()),
        country_code: filled(country_code),
        preferred_language: Some(preferred_language.trim().to_string()),
        // Unticked checkboxes are simply absent from the form.
        notification_preferences: Some(NotificationPreferences {
            payment: payment.is_some(),
            new_content: new_content.is_some(),
            account_security: account_security.is_some(),
            marketing: marketing.is_some(),
        }),
    };
    crate::backend::services::profile::update(&state, &identity, req)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Changes the password; every other session ends and this browser gets a new one.
#[server(prefix = "/api/fn", endpoint = "change_my_password")]
pub async fn change_my_password(
    current_password: String,
    new_password: String,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{
        client, fail, session_max_age, set_session_cookie, signed_in,
    };
    use crate::model::auth::ChangePassword;
    let (state, identity) = signed_in().await?;
    let req = ChangePassword {
        current_password,
        new_password,
    };
    let cookie = crate::backend::services::auth::change_password_web(
        &state,
        &identity,
        req,
        &client().await,
    )
    .await
    .map_err(fail)?;
    set_session_cookie(&state, &cookie, session_max_age());
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "load_notifications")]
pub async fn load_notifications(
    unread_only: bool,
    cursor: Option<String>,
) -> Result<NotificationPage, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::pagination::PageQuery;
    let (state, identity) = signed_in().await?;
    let request = PageQuery {
        cursor,
        limit: Some(20),
    }
    .parse()
    .map_err(fail)?;
    crate::backend::services::notifications::list(&state, &identity, unread_only, request)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "mark_notification")]
pub async fn mark_notification(id: Uuid, is_read: bool) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::notifications::mark(&state, &identity, id, is_read)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "load_profiles")]
pub async fn load_profiles() -> Result<ProfileList, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::profiles::list(&state, &identity)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "add_profile")]
pub async fn add_profile(
    name: String,
    #[server(default)] is_kids: Option<String>,
    #[server(default)] pin: Option<String>,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::profile::ProfileInput;
    let (state, identity) = signed_in().await?;
    let input = ProfileInput {
        name,
        is_kids: Some(is_kids.is_some()),
        pin: pin.filter(|p| !p.is_empty()).map(Some),
        ..ProfileInput::default()
    };
    crate::backend::services::profiles::create(&state, &identity, input)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "remove_profile")]
pub async fn remove_profile(id: Uuid) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::profiles::delete(&state, &identity, id)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "load_devices")]
pub async fn load_devices() -> Result<DeviceList, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::devices::list(&state, &identity)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "remove_device")]
pub async fn remove_device(id: Uuid) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::devices::remove(&state, &identity, id)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "load_privacy")]
pub async fn load_privacy() -> Result<PrivacyOverview, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::AppError;
    use crate::backend::services::{data_export, deletion};
    let (state, identity) = signed_in().await?;
    let export = match data_export::latest(&state, &identity).await {
        Ok(export) => Some(export),
        Err(AppError::NotFound { .. }) => None,
        Err(e) => return Err(fail(e)),
    };
    let deletion = deletion::pending(&state, &identity).await.map_err(fail)?;
    Ok(PrivacyOverview {
        export,
        deletion,
        now: state.clock.now(),
    })
}

#[server(prefix = "/api/fn", endpoint = "request_export")]
pub async fn request_export() -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::data_export::request(&state, &identity)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "request_deletion")]
pub async fn request_deletion(
    password: String,
    #[server(default)] reason: Option<String>,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::privacy::RequestDeletion;
    let (state, identity) = signed_in().await?;
    crate::backend::services::deletion::request(
        &state,
        &identity,
        RequestDeletion { password, reason },
    )
    .await
    .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "cancel_deletion")]
pub async fn cancel_deletion() -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::deletion::cancel(&state, &identity)
        .await
        .map_err(fail)?;
    Ok(())
}

/// "Who's watching": opens a profile, checking its PIN when it has one. Answers the
/// profile's name.
#[server(prefix = "/api/fn", endpoint = "open_profile")]
pub async fn open_profile(
    id: Uuid,
    #[server(default)] pin: Option<String>,
) -> Result<String, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::profiles;
    let (state, identity) = signed_in().await?;
    let profile = profiles::get(&state, &identity, id).await.map_err(fail)?;
    if profile.pin_protected {
        let pin = pin.unwrap_or_default();
        profiles::verify_pin(&state, &identity, id, &pin)
            .await
            .map_err(fail)?;
    }
    Ok(profile.name)
}

/// Saves the edit form of a profile. An empty PIN keeps the current one;
/// `remove_pin` takes it off.
#[server(prefix = "/api/fn", endpoint = "edit_profile")]
pub async fn edit_profile(
    id: Uuid,
    name: String,
    content_rating_limit: String,
    language: String,
    #[server(default)] pin: Option<String>,
    #[server(default)] remove_pin: Option<String>,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::model::profile::{ContentRating, ProfileInput};
    let (state, identity) = signed_in().await?;
    let rating = ContentRating::parse(&content_rating_limit).ok_or_else(|| {
        fail(AppError::Validation(vec![FieldError::new(
            "content_rating_limit",
            "is not a rating we know",
        )]))
    })?;
    let pin = match (remove_pin.is_some(), pin.filter(|p| !p.is_empty())) {
        (true, _) => Some(None),
        (false, Some(pin)) => Some(Some(pin)),
        (false, None) => None,
    };
    let input = ProfileInput {
        name,
        content_rating_limit: Some(rating),
        language: Some(language.trim().to_string()),
        pin,
        ..ProfileInput::default()
    };
    crate::backend::services::profiles::update(&state, &identity, id, input)
        .await
        .map_err(fail)?;
    Ok(())
}
