//! One-time links sent by email (verify the address, reset the password): issuing the
//! token and redeeming it, with the same rules and errors for every kind of link.

use crate::backend::auth::secret_token;
use crate::backend::db::Tx;
use crate::backend::error::AppError;
use crate::backend::store::email_tokens;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Stores a fresh token for `purpose` and returns it (only its hash is kept).
pub async fn issue(
    tx: &mut Tx,
    prefix: &str,
    user_id: Uuid,
    purpose: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = secret_token::generate(prefix);
    email_tokens::insert(
        tx,
        &secret_token::hash(&token),
        user_id,
        purpose,
        now,
        expires_at,
    )
    .await?;
    Ok(token)
}

/// Uses a token up and returns its user. Unknown, already used or of another purpose:
/// 400 `invalid_token`; past its expiry: 410 `token_expired`. `link` names the link in
/// the messages ("verification link", "reset link").
pub async fn redeem(
    tx: &mut Tx,
    token: &str,
    purpose: &str,
    link: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let token_hash = secret_token::hash(token);
    let invalid = || AppError::BadRequest {
        code: "invalid_token",
        message: format!("This {link} is not valid or was already used."),
    };
    let found = email_tokens::find(tx, &token_hash, purpose)
        .await?
        .ok_or_else(invalid)?;
    if found.used_at.is_some() {
        return Err(invalid());
    }
    if found.expires_at <= now {
        return Err(AppError::Gone {
            code: "token_expired",
            message: format!("This {link} has expired; ask for a new one."),
        });
    }
    // A concurrent use of the same link may have won between the read and here.
    if !email_tokens::consume(tx, &token_hash, now).await? {
        return Err(invalid());
    }
    Ok(found.user_id)
}
