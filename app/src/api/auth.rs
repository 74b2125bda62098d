//! Browser sign-in through server functions. They set or clear the HttpOnly session
//! cookie; the services are the same ones the REST API uses.

use crate::model::user::{SignedInSummary, User};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod server_side {
    use crate::backend::auth::identity::{Identity, SESSION_COOKIE};
    use crate::backend::error::AppError;
    use crate::backend::services::auth::{ClientContext, SESSION_IDLE_DAYS};
    use crate::backend::AppState;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    /// The app's state. Absent only outside a request (e.g. while the router lists the
    /// routes by rendering the app once), where a server function must fail, not panic.
    pub fn state() -> Result<AppState, ServerFnError> {
        use_context::<AppState>().ok_or_else(|| ServerFnError::new("no request context"))
    }

    pub async fn client() -> ClientContext {
        leptos_axum::extract::<ClientContext>()
            .await
            .unwrap_or_default()
    }

    /// The signed-in browser user, if any.
    pub async fn identity(state: &AppState) -> Option<Identity> {
        leptos_axum::extract_with_state::<Identity, AppState>(state)
            .await
            .ok()
    }

    /// `Set-Cookie` for the session: HttpOnly, SameSite=Lax, Secure over https.
    pub fn set_session_cookie(state: &AppState, token: &str, max_age_secs: i64) {
        let secure = if state.settings.public_url.starts_with("https://") {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
        );
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            http::HeaderValue::from_str(&cookie),
        ) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    pub fn session_max_age() -> i64 {
        SESSION_IDLE_DAYS * 24 * 3600
    }

    /// The signed-in user, or an error the page shows.
    pub async fn signed_in() -> Result<(AppState, Identity), ServerFnError> {
        let state = state()?;
        let identity = identity(&state)
            .await
            .ok_or_else(|| fail(AppError::Unauthorized))?;
        Ok((state, identity))
    }

    /// [`signed_in`], with the reads that follow on one connection
    /// ([`AppState::holding`]). For server functions that only read. The user is
    /// checked first, on the pool: a page's server functions share that check, and
    /// one holding a connection while it waits for another's could leave the pool
    /// empty for them all.
    pub async fn reading() -> Result<(AppState, Identity), ServerFnError> {
        let (state, identity) = signed_in().await?;
        Ok((state.holding().await.map_err(fail)?, identity))
    }

    pub fn fail(e: impl Into<AppError>) -> ServerFnError {
        to_server_error(e.into())
    }

    /// The error a page shows. The response keeps the status the REST API would give
    /// (400, 409, …) rather than a blanket 500, so logs and monitors tell a refused
    /// request from a broken server.
    pub fn to_server_error(e: AppError) -> ServerFnError {
        if let Some(response) = use_context::<ResponseOptions>() {
            response.set_status(e.status());
        }
        shown_error(e)
    }

    /// What a page shows of `e`, for a part of a page that failed while the rest
    /// loaded (the response's status stays the page's).
    pub fn shown_error(e: AppError) -> ServerFnError {
        match e {
            AppError::Validation(fields) => ServerFnError::new(
                fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field.replace('_', " "), f.message))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            AppError::Internal(_) => {
                ServerFnError::new("Something went wrong on our side; please try again.")
            }
            AppError::Unauthorized => ServerFnError::new("Please sign in again."),
            other => ServerFnError::new(other.to_string()),
        }
    }
}

#[server(prefix = "/api/fn", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), ServerFnError> {
    use self::server_side::*;
    use crate::backend::services::auth;
    use crate::model::auth::LoginRequest;
    let state = state()?;
    let token = auth::login_web(&state, LoginRequest { email, password }, &client().await)
        .await
        .map_err(to_server_error)?;
    set_session_cookie(&state, &token, session_max_age());
    leptos_axum::redirect("/account");
    Ok(())
}

/// `accept_terms` is a checkbox: present ("on") when ticked.
#[server(prefix = "/api/fn", endpoint = "register")]
pub async fn register(
    email: String,
    password: String,
    display_name: String,
    #[server(default)] accept_terms: Option<String>,
) -> Result<(), ServerFnError> {
    use self::server_side::*;
    use crate::backend::services::auth;
    use crate::model::auth::RegisterRequest;
    let state = state()?;
    let req = RegisterRequest {
        email,
        password,
        display_name,
        accept_terms: accept_terms.is_some(),
    };
    let token = auth::register_web(&state, req, &client().await)
        .await
        .map_err(to_server_error)?;
    set_session_cookie(&state, &token, session_max_age());
    leptos_axum::redirect("/account");
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    use self::server_side::*;
    let state = state()?;
    if let Some(identity) = identity(&state).await {
        crate::backend::services::auth::logout_web(&state, &identity)
            .await
            .map_err(to_server_error)?;
    }
    set_session_cookie(&state, "", 0);
    leptos_axum::redirect("/");
    Ok(())
}

/// The signed-in user, or None for a visitor.
#[server(prefix = "/api/fn", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<User>, ServerFnError> {
    use self::server_side::*;
    let state = state()?;
    let Some(identity) = identity(&state).await else {
        return Ok(None);
    };
    let user = crate::backend::store::users::find_by_id(&state.db, identity.user_id)
        .await
        .map_err(|e| to_server_error(e.into()))?;
    Ok(user.map(|u| u.into_api(&identity.roles)))
}

/// The site header's summary of the signed-in visitor, or None for a visitor who is not
/// signed in.
#[server(prefix = "/api/fn", endpoint = "header_summary")]
pub async fn header_summary() -> Result<Option<SignedInSummary>, ServerFnError> {
    use self::server_side::*;
    let state = state()?;
    let Some(identity) = identity(&state).await else {
        return Ok(None);
    };
    let header = crate::backend::services::notifications::header(&state, &identity)
        .await
        .map_err(fail)?;
    Ok(
        header.map(|(display_name, unread_notifications)| SignedInSummary {
            display_name,
            unread_notifications,
        }),
    )
}

#[server(prefix = "/api/fn", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), ServerFnError> {
    use self::server_side::*;
    crate::backend::services::email_verification::verify(&state()?, &token)
        .await
        .map_err(to_server_error)
}

/// Always succeeds for a well-formed request: whether the account exists is not told.
#[server(prefix = "/api/fn", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), ServerFnError> {
    use self::server_side::*;
    let client = client().await;
    crate::backend::services::password_reset::request(&state()?, &email, client.ip.as_deref())
        .await
        .map_err(to_server_error)
}

#[server(prefix = "/api/fn", endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), ServerFnError> {
    use self::server_side::*;
    crate::backend::services::password_reset::confirm(&state()?, &token, &new_password)
        .await
        .map_err(to_server_error)
}
