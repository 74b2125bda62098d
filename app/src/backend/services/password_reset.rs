//! "Forgot password": a one-time link valid for one hour, sent by email. Asking never
//! reveals whether an account exists; using the link signs out every session.

use crate::backend::auth::password::{self, Password};
use crate::backend::domain::email::Email;
use crate::backend::error::AppError;
use crate::backend::mail::Message;
use crate::backend::services::email_link;
use crate::backend::services::rate_limit::{self, Limit};
use crate::backend::store::{sessions, throttle, users};
use crate::backend::AppState;
use chrono::Duration;

pub const PURPOSE: &str = "reset_password";
pub const LINK_VALID_MINUTES: i64 = 60;
const REQUESTS_PER_HOUR_PER_ACCOUNT: i64 = 3;
const REQUESTS_PER_HOUR_PER_ADDRESS: i64 = 20;

/// Sends a reset link when the account exists. The answer is the same either way; only
/// too many requests from one address are refused.
pub async fn request(
    state: &AppState,
    email: &str,
    client_ip: Option<&str>,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let window = Duration::hours(1);
    // A malformed address is refused outright; that reveals nothing about accounts.
    let normalized = Email::parse("email", email)
        .map_err(|e| AppError::Validation(vec![e]))?
        .normalized();
    let key = format!("reset:address:{}", client_ip.unwrap_or("unknown"));
    rate_limit::check(
        state,
        &[Limit {
            key,
            max: REQUESTS_PER_HOUR_PER_ADDRESS,
            window,
        }],
    )
    .await?;
    let mut tx = state.db.begin().await?;
    // The per-account limit is silent: the answer must not differ.
    let (by_account, _) =
        throttle::hit(&mut tx, &format!("reset:account:{normalized}"), window, now).await?;
    // Over the per-account limit, or no such account: say nothing different, send nothing.
    let user = match users::find_by_email(&mut tx, &normalized).await? {
        Some(user) if by_account <= REQUESTS_PER_HOUR_PER_ACCOUNT && user.status != "deleted" => {
            user
        }
        _ => {
            tx.commit().await?;
            return Ok(());
        }
    };
    let expires_at = now + Duration::minutes(LINK_VALID_MINUTES);
    let token = email_link::issue(&mut tx, "pr_", user.id, PURPOSE, now, expires_at).await?;
    tx.commit().await?;
    let link = format!("{}/reset-password?token={token}", state.settings.public_url);
    let message = Message {
        to: user.email.clone(),
        subject: "Reset your password".into(),
        body: format!(
            "Someone asked to reset the password of your Encora account.\r\n\r\n\
             Choose a new password with this link (valid for {LINK_VALID_MINUTES} minutes):\r\n\r\n{link}\r\n\r\n\
             If it was not you, ignore this message: your password stays as it is."
        ),
    };
    state.mailer.send(&message, now).await
}

/// Sets the new password from a link and ends every session of the account.
pub async fn confirm(state: &AppState, token: &str, new_password: &str) -> Result<(), AppError> {
    let password =
        Password::parse("new_password", new_password).map_err(|e| AppError::Validation(vec![e]))?;
    let hash = password::hash(&password).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let user_id = email_link::redeem(&mut tx, token, PURPOSE, "reset link", now).await?;
    users::set_password(&mut tx, user_id, &hash, now).await?;
    sessions::revoke_all_for_user(&mut tx, user_id, "password_reset", now).await?;
    tx.commit().await?;
    Ok(())
}
