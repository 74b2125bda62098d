//! Proving an email address: a one-time link valid for 24 hours, sent at registration
//! and on request (at most 3 requests per hour per account).
//!
//! What needs a verified email: paying (subscriptions, memberships, tips) and becoming a
//! creator. Signing in and managing the account do not.

use crate::backend::auth::identity::Identity;
use crate::backend::db::Tx;
use crate::backend::error::AppError;
use crate::backend::mail::Message;
use crate::backend::services::email_link;
use crate::backend::services::rate_limit::{self, Limit};
use crate::backend::store::users;
use crate::backend::AppState;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

pub const PURPOSE: &str = "verify_email";
pub const LINK_VALID_HOURS: i64 = 24;
const RESENDS_PER_HOUR: i64 = 3;

/// Stores a new verification token in `tx` and returns the message to send once the
/// transaction has committed.
pub async fn prepare(
    state: &AppState,
    tx: &mut Tx,
    user_id: Uuid,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Message, AppError> {
    let expires_at = now + Duration::hours(LINK_VALID_HOURS);
    let token = email_link::issue(tx, "ev_", user_id, PURPOSE, now, expires_at).await?;
    let link = format!("{}/verify-email?token={token}", state.settings.public_url);
    Ok(Message {
        to: email.to_string(),
        subject: "Confirm your email address".into(),
        body: format!(
            "Welcome to Encora.\r\n\r\nConfirm your email address by opening this link \
             (valid for {LINK_VALID_HOURS} hours):\r\n\r\n{link}\r\n\r\n\
             If you did not create an account, ignore this message."
        ),
    })
}

/// Follows a link: the email becomes verified and a pending account active.
pub async fn verify(state: &AppState, token: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let user_id = email_link::redeem(&mut tx, token, PURPOSE, "verification link", now).await?;
    users::mark_email_verified(&mut tx, user_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a fresh link to the signed-in user.
pub async fn resend(state: &AppState, identity: &Identity) -> Result<(), AppError> {
    let now = state.clock.now();
    let user = users::find_by_id(&state.db, identity.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if user.email_verified {
        return Err(AppError::Conflict {
            code: "already_verified",
            message: "This email address is already verified.".into(),
        });
    }
    let key = format!("verify_resend:{}", user.id);
    let limit = Limit {
        key,
        max: RESENDS_PER_HOUR,
        window: Duration::hours(1),
    };
    rate_limit::check(state, &[limit]).await?;
    let mut tx = state.db.begin().await?;
    let message = prepare(state, &mut tx, user.id, &user.email, now).await?;
    tx.commit().await?;
    state.mailer.send(&message, now).await
}
