//! Sign-up, sign-in, token refresh and sign-out.
//!
//! Throttling (fixed windows in the database, shared by all instances):
//! - login: 10 attempts per account and 50 failed attempts per client address per 15
//!   minutes; a successful login clears the account's count and takes its own hit back
//!   from the address's, so an office behind one address is not locked out by its
//!   colleagues signing in;
//! - refresh: 60 per client address per minute.

use crate::backend::auth::identity::{account_suspended, Identity};
use crate::backend::auth::password::{self, Password};
use crate::backend::auth::secret_token;
use crate::backend::db::Tx;
use crate::backend::domain::{email::Email, role::Role};
use crate::backend::error::{is_unique_violation, AppError, FieldError};
use crate::backend::services::notifications;
use crate::backend::services::rate_limit::{self, Limit};
use crate::backend::services::{devices, email_verification};
use crate::backend::store::sessions::{self, NewSession};
use crate::backend::store::throttle;
use crate::backend::store::users::{self, NewUser, UserRow};
use crate::backend::AppState;
use crate::model::auth::{
    ChangePassword, LoginRequest, RefreshRequest, RegisterRequest, TokenResponse,
};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// A session (refresh-token family) lives this long after its last use.
pub const SESSION_IDLE_DAYS: i64 = 30;
/// The scope granted to every session, as documented.
pub const SCOPE: &str = "openid profile content:read subscription:read watchlist devices drm";

const LOGIN_WINDOW_MINUTES: i64 = 15;
const LOGIN_MAX_PER_ACCOUNT: i64 = 10;
const LOGIN_MAX_PER_ADDRESS: i64 = 50;
const REFRESH_MAX_PER_ADDRESS_PER_MINUTE: i64 = 60;
const DISPLAY_NAME_MAX: usize = 100;

/// Where a request came from, kept on the session for the user's device list.
#[derive(Clone, Debug, Default)]
pub struct ClientContext {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Registers and signs in through the API: the token response.
pub async fn register(
    state: &AppState,
    req: RegisterRequest,
    client: &ClientContext,
) -> Result<TokenResponse, AppError> {
    let (mut tx, user, verification) = create_account(state, req).await?;
    let now = state.clock.now();
    let tokens = start_session(state, &mut tx, &user.summary(), client, now).await?;
    commit_and_send(state, tx, verification).await?;
    Ok(tokens)
}

/// Registers and signs in from the browser: the session cookie's token.
pub async fn register_web(
    state: &AppState,
    req: RegisterRequest,
    client: &ClientContext,
) -> Result<String, AppError> {
    let (mut tx, user, verification) = create_account(state, req).await?;
    let now = state.clock.now();
    let cookie = start_web_session(&mut tx, user.id, client, now).await?;
    commit_and_send(state, tx, verification).await?;
    Ok(cookie)
}

/// A new account as it goes into the session it is signed in with.
struct NewAccount {
    id: Uuid,
    email: String,
    name: String,
}

impl NewAccount {
    fn summary(&self) -> UserSummary<'_> {
        UserSummary {
            id: self.id,
            email: &self.email,
            email_verified: false,
            name: &self.name,
        }
    }
}

/// Validates and stores a new account in an open transaction, with the verification
/// mail to send once that transaction commits.
async fn create_account(
    state: &AppState,
    req: RegisterRequest,
) -> Result<(Tx, NewAccount, crate::backend::mail::Message), AppError> {
    let mut errors = Vec::new();
    let email = Email::parse("email", &req.email)
        .map_err(|e| errors.push(e))
        .ok();
    let password = Password::parse("password", &req.password)
        .map_err(|e| errors.push(e))
        .ok();
    let display_name = req.display_name.trim().to_string();
    // Limits count the text as sent, as the documented maxLength does.
    if display_name.is_empty() || req.display_name.chars().count() > DISPLAY_NAME_MAX {
        errors.push(FieldError::new(
            "display_name",
            "must be between 1 and 100 characters",
        ));
    }
    if !req.accept_terms {
        errors.push(FieldError::new(
            "accept_terms",
            "the terms must be accepted",
        ));
    }
    let (Some(email), Some(password)) = (email, password) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    let hash = password::hash(&password).await?;
    let now = state.clock.now();
    let email_taken = || AppError::Conflict {
        code: "email_taken",
        message: "An account with this email already exists.".into(),
    };
    let mut tx = state.db.begin().await?;
    if users::find_by_email(&mut tx, &email.normalized())
        .await?
        .is_some()
    {
        return Err(email_taken());
    }
    let id = Uuid::now_v7();
    users::insert(
        &mut tx,
        &NewUser {
            id,
            email: email.as_str(),
            email_normalized: &email.normalized(),
            password_hash: &hash,
            display_name: &display_name,
            email_verified: false,
            status: "pending_verification",
            terms_accepted_at: Some(now),
            now,
        },
    )
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            email_taken()
        } else {
            e.into()
        }
    })?;
    users::grant_role(&mut tx, id, Role::Subscriber, now).await?;
    let verification = email_verification::prepare(state, &mut tx, id, email.as_str(), now).await?;
    let account = NewAccount {
        id,
        email: email.as_str().to_string(),
        name: display_name,
    };
    Ok((tx, account, verification))
}

/// Commits, then sends: a mail failure must not undo the account (a new link can be
/// asked for).
async fn commit_and_send(
    state: &AppState,
    tx: Tx,
    verification: crate::backend::mail::Message,
) -> Result<(), AppError> {
    tx.commit().await?;
    if let Err(e) = state.mailer.send(&verification, state.clock.now()).await {
        tracing::error!(error = %e, "verification mail could not be sent");
    }
    Ok(())
}

/// Signs in through the API: the token response.
pub async fn login(
    state: &AppState,
    req: LoginRequest,
    client: &ClientContext,
) -> Result<TokenResponse, AppError> {
    let (mut tx, user) = check_credentials(state, req, client).await?;
    let tokens = start_session(
        state,
        &mut tx,
        &UserSummary::of(&user),
        client,
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(tokens)
}

/// Signs in from the browser: the session cookie's token.
pub async fn login_web(
    state: &AppState,
    req: LoginRequest,
    client: &ClientContext,
) -> Result<String, AppError> {
    let (mut tx, user) = check_credentials(state, req, client).await?;
    let cookie = start_web_session(&mut tx, user.id, client, state.clock.now()).await?;
    tx.commit().await?;
    Ok(cookie)
}

/// Throttles, checks the password and the account's status, and records the login in
/// an open transaction for the caller to add the session to.
async fn check_credentials(
    state: &AppState,
    req: LoginRequest,
    client: &ClientContext,
) -> Result<(Tx, UserRow), AppError> {
    let now = state.clock.now();
    let account_key = format!("login:account:{}", req.email.trim().to_lowercase());
    let address_key = format!(
        "login:address:{}",
        client.ip.as_deref().unwrap_or("unknown")
    );
    let window = Duration::minutes(LOGIN_WINDOW_MINUTES);
    // Counted before the password is checked, so parallel guessing is throttled too.
    rate_limit::check(
        state,
        &[
            Limit {
                key: address_key.clone(),
                max: LOGIN_MAX_PER_ADDRESS,
                window,
            },
            Limit {
                key: account_key.clone(),
                max: LOGIN_MAX_PER_ACCOUNT,
                window,
            },
        ],
    )
    .await?;

    let user = users::find_by_email(&state.db, &req.email.trim().to_lowercase()).await?;
    // Without an account, still spend the time of a hash check so timing tells nothing.
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or(DUMMY_HASH);
    let password_ok = password::verify(&req.password, stored).await?;
    let user = match user {
        Some(user) if password_ok && user.status != "deleted" => user,
        _ => return Err(AppError::InvalidCredentials),
    };
    if user.status == "suspended" {
        return Err(account_suspended());
    }

    let mut tx = state.db.begin().await?;
    throttle::clear(&mut tx, &account_key).await?;
    throttle::refund(&mut tx, &address_key).await?;
    users::record_login(&mut tx, user.id, now).await?;
    Ok((tx, user))
}

pub async fn refresh(
    state: &AppState,
    req: RefreshRequest,
    client: &ClientContext,
) -> Result<TokenResponse, AppError> {
    let now = state.clock.now();
    let key = format!(
        "refresh:address:{}",
        client.ip.as_deref().unwrap_or("unknown")
    );
    let limit = Limit {
        key,
        max: REFRESH_MAX_PER_ADDRESS_PER_MINUTE,
        window: Duration::minutes(1),
    };
    rate_limit::check(state, &[limit]).await?;

    let token_hash = secret_token::hash(&req.refresh_token);
    let mut tx = state.db.begin().await?;
    let found = sessions::find_refresh_token(&mut tx, &token_hash)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if found.session_revoked_at.is_some() || found.session_expires_at <= now {
        return Err(AppError::Unauthorized);
    }
    if found.rotated_at.is_some()
        || !sessions::rotate_refresh_token(&mut tx, &token_hash, now).await?
    {
        // A rotated token came back: someone holds a copy. End the whole family.
        sessions::revoke(&mut tx, found.session_id, "refresh_token_reuse", now).await?;
        tx.commit().await?;
        tracing::warn!(session_id = %found.session_id, "refresh token reuse: session revoked");
        return Err(AppError::Unauthorized);
    }
    if found.user_status == "suspended" {
        return Err(account_suspended());
    }
    let user = users::find_by_id(&state.db, found.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let refresh_token = secret_token::generate("rt_");
    sessions::add_refresh_token(
        &mut tx,
        &secret_token::hash(&refresh_token),
        found.session_id,
        now,
    )
    .await?;
    sessions::touch(
        &mut tx,
        found.session_id,
        now,
        now + Duration::days(SESSION_IDLE_DAYS),
    )
    .await?;
    let response = token_response(
        state,
        &UserSummary::of(&user),
        found.session_id,
        refresh_token,
        now,
    )?;
    tx.commit().await?;
    Ok(response)
}

/// Ends the caller's session, and the session of `refresh_token` when it is the
/// caller's too (a client may hold tokens of an older sign-in).
pub async fn logout(
    state: &AppState,
    identity: &Identity,
    req: RefreshRequest,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    sessions::revoke(&mut tx, identity.session_id, "logout", now).await?;
    if let Some(found) =
        sessions::find_refresh_token(&mut tx, &secret_token::hash(&req.refresh_token)).await?
    {
        if found.user_id == identity.user_id {
            sessions::revoke(&mut tx, found.session_id, "logout", now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The parts of a user that tokens carry.
struct UserSummary<'a> {
    id: Uuid,
    email: &'a str,
    email_verified: bool,
    name: &'a str,
}

impl<'a> UserSummary<'a> {
    fn of(user: &'a UserRow) -> Self {
        UserSummary {
            id: user.id,
            email: &user.email,
            email_verified: user.email_verified,
            name: &user.display_name,
        }
    }
}

async fn start_session(
    state: &AppState,
    tx: &mut Tx,
    user: &UserSummary<'_>,
    client: &ClientContext,
    now: DateTime<Utc>,
) -> Result<TokenResponse, AppError> {
    let session_id = Uuid::now_v7();
    sessions::create(
        tx,
        &NewSession {
            id: session_id,
            web_token_hash: None,
            user_id: user.id,
            now,
            expires_at: now + Duration::days(SESSION_IDLE_DAYS),
            user_agent: client.user_agent.as_deref(),
            client_ip: client.ip.as_deref(),
        },
    )
    .await?;
    let refresh_token = secret_token::generate("rt_");
    sessions::add_refresh_token(tx, &secret_token::hash(&refresh_token), session_id, now).await?;
    token_response(state, user, session_id, refresh_token, now)
}

/// Starts a browser session and returns the token for its cookie.
async fn start_web_session(
    tx: &mut Tx,
    user_id: Uuid,
    client: &ClientContext,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = secret_token::generate("ws_");
    sessions::create(
        tx,
        &NewSession {
            id: Uuid::now_v7(),
            web_token_hash: Some(&secret_token::hash(&token)),
            user_id,
            now,
            expires_at: now + Duration::days(SESSION_IDLE_DAYS),
            user_agent: client.user_agent.as_deref(),
            client_ip: client.ip.as_deref(),
        },
    )
    .await?;
    Ok(token)
}

/// Ends a browser session (sign out).
pub async fn logout_web(state: &AppState, identity: &Identity) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    sessions::revoke(&mut tx, identity.session_id, "logout", state.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

fn token_response(
    state: &AppState,
    user: &UserSummary<'_>,
    session_id: Uuid,
    refresh_token: String,
    now: DateTime<Utc>,
) -> Result<TokenResponse, AppError> {
    Ok(TokenResponse {
        access_token: state.keys.issue_access(user.id, session_id, now)?,
        token_type: "Bearer".into(),
        expires_in: crate::backend::auth::tokens::ACCESS_TOKEN_TTL_SECS as u64,
        refresh_token,
        scope: SCOPE.into(),
        id_token: state.keys.issue_id_token(
            user.id,
            user.email,
            user.email_verified,
            user.name,
            now,
        )?,
    })
}

/// A valid argon2id hash of a random password nobody knows, checked when the account
/// does not exist so both answers take as long.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2ms0LhHVMvZ4Ak8qJwmGgoBRlXOP5Z8QnYSb7pHC0ds";

/// The signed-in user's account, once `candidate` (sent as `field`) proves to be their
/// current password. Guessing it from a stolen token is throttled like a login.
pub async fn confirm_password(
    state: &AppState,
    identity: &Identity,
    field: &str,
    candidate: &str,
) -> Result<UserRow, AppError> {
    rate_limit::check(
        state,
        &[Limit {
            key: format!("password_check:{}", identity.user_id),
            max: LOGIN_MAX_PER_ACCOUNT,
            window: Duration::minutes(LOGIN_WINDOW_MINUTES),
        }],
    )
    .await?;
    let user = users::find_by_id(&state.db, identity.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !password::verify(candidate, &user.password_hash).await? {
        return Err(AppError::Validation(vec![FieldError::new(
            field,
            "is not your current password",
        )]));
    }
    Ok(user)
}

/// Changes the password: the current one must be given. Every session of the account
/// ends (stolen tokens stop working) and the caller gets a fresh one; the account owner
/// is notified.
pub async fn change_password(
    state: &AppState,
    identity: &Identity,
    req: ChangePassword,
    client: &ClientContext,
) -> Result<TokenResponse, AppError> {
    let now = state.clock.now();
    let (mut tx, user) = replace_password(state, identity, req, now).await?;
    let tokens = start_session(state, &mut tx, &UserSummary::of(&user), client, now).await?;
    tx.commit().await?;
    Ok(tokens)
}

/// The same from the browser: the new session's cookie token.
pub async fn change_password_web(
    state: &AppState,
    identity: &Identity,
    req: ChangePassword,
    client: &ClientContext,
) -> Result<String, AppError> {
    let now = state.clock.now();
    let (mut tx, user) = replace_password(state, identity, req, now).await?;
    let cookie = start_web_session(&mut tx, user.id, client, now).await?;
    tx.commit().await?;
    Ok(cookie)
}

/// Checks and stores the new password, ends every session, stream and device, and
/// notifies; the caller adds the new session to the open transaction.
async fn replace_password(
    state: &AppState,
    identity: &Identity,
    req: ChangePassword,
    now: DateTime<Utc>,
) -> Result<(Tx, UserRow), AppError> {
    let user = confirm_password(state, identity, "current_password", &req.current_password).await?;
    let new = Password::parse("new_password", &req.new_password)
        .map_err(|e| AppError::Validation(vec![e]))?;
    if req.new_password == req.current_password {
        return Err(AppError::Validation(vec![FieldError::new(
            "new_password",
            "must differ from the current password",
        )]));
    }
    let hash = password::hash(&new).await?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx, user.id, &hash, now).await?;
    sessions::revoke_all_for_user(&mut tx, user.id, "password_changed", now).await?;
    devices::revoke_all(&mut tx, user.id, "password_changed", now).await?;
    notifications::notify(
        &mut tx,
        user.id,
        notifications::Kind::PasswordChanged,
        "Your password was changed",
        "Every other device was signed out. If this was not you, reset your password now \
         and contact support.",
        now,
    )
    .await?;
    Ok((tx, user))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash() {
        let parsed = argon2::PasswordHash::new(super::DUMMY_HASH).expect("parses");
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert_eq!(parsed.hash.map(|h| h.len()), Some(32));
    }
}
