//! `Idempotency-Key`: a client may retry a write safely. The first request with a key
//! claims it; a replay within 24 hours gets the stored status and body instead of doing
//! the work twice; the same key with a different request is refused (422), and so is a
//! duplicate that arrives while the first is still running (409). Server-side failures
//! (5xx) give the key back so the retry runs for real.

use crate::backend::error::{AppError, FieldError};
use crate::backend::store::idempotency;
use crate::backend::AppState;
use chrono::Duration;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const HEADER: &str = "idempotency-key";
pub const MAX_KEY_LEN: usize = 255;

pub fn key_lifetime() -> Duration {
    Duration::hours(24)
}

/// A claim this old without a response belongs to a request that died with its
/// process; no handler runs anywhere near this long.
fn abandoned_after() -> Duration {
    Duration::minutes(5)
}

/// What to do with a keyed request.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The key is ours: run the request, then [`finish`].
    Proceed,
    /// The same request already ran: answer with what it answered.
    Replay { status: u16, body: String },
}

/// Keys are 1–255 visible ASCII characters (a UUID is the usual choice).
pub fn validate_key(key: &str) -> Result<(), AppError> {
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::Validation(vec![FieldError::new(
            "Idempotency-Key",
            format!("must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
        )]));
    }
    Ok(())
}

/// Identifies "the same request": method, path with query, and exact body bytes.
pub fn fingerprint(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path_and_query.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub async fn begin(
    state: &AppState,
    user_id: Uuid,
    key: &str,
    fingerprint: &str,
) -> Result<Outcome, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let stored = idempotency::claim(
        &mut tx,
        user_id,
        key,
        fingerprint,
        now,
        now + key_lifetime(),
        now - abandoned_after(),
    )
    .await?;
    tx.commit().await?;
    match stored {
        None => Ok(Outcome::Proceed),
        Some(stored) if stored.fingerprint != fingerprint => Err(AppError::Unprocessable {
            code: "idempotency_key_reused",
            message: "This Idempotency-Key was already used with a different request.".into(),
        }),
        Some(idempotency::Stored {
            response_status: Some(status),
            response_body: Some(body),
            ..
        }) => Ok(Outcome::Replay {
            status: u16::try_from(status).unwrap_or(500),
            body,
        }),
        Some(_) => Err(AppError::Conflict {
            code: "idempotency_key_in_use",
            message: "A request with this Idempotency-Key is still being processed; retry shortly."
                .into(),
        }),
    }
}

/// Records the answer to a claimed key, or releases the key when there is nothing
/// worth replaying (`None`: a server-side failure or a body that is not text).
pub async fn finish(
    state: &AppState,
    user_id: Uuid,
    key: &str,
    response: Option<(u16, &str)>,
) -> Result<(), AppError> {
    match response {
        Some((status, body)) => {
            idempotency::complete(&state.db, user_id, key, status, body).await?
        }
        None => idempotency::release(&state.db, user_id, key).await?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_bounded_visible_ascii() {
        assert!(validate_key("0190f3a8-7b1c-7cc0-9d0e-5c1a2b3c4d5e").is_ok());
        assert!(validate_key(&"k".repeat(MAX_KEY_LEN)).is_ok());
        assert!(validate_key("").is_err());
        assert!(validate_key(&"k".repeat(MAX_KEY_LEN + 1)).is_err());
        assert!(validate_key("has space").is_err());
        assert!(validate_key("é").is_err());
    }

    #[test]
    fn fingerprint_tells_requests_apart() {
        let a = fingerprint("POST", "/api/v1/x", b"{\"a\":1}");
        assert_eq!(a, fingerprint("POST", "/api/v1/x", b"{\"a\":1}"));
        assert_ne!(a, fingerprint("POST", "/api/v1/x", b"{\"a\":2}"));
        assert_ne!(a, fingerprint("PUT", "/api/v1/x", b"{\"a\":1}"));
        assert_ne!(a, fingerprint("POST", "/api/v1/y", b"{\"a\":1}"));
    }
}
