//! Who is asking: resolved from a bearer access token, checked against its session and
//! the account's status on every request, so logout and suspension take effect at once.

use super::tokens::TokenKeys;
use crate::backend::clock::Clock;
use crate::backend::db::Db;
use crate::backend::domain::role::Role;
use crate::backend::error::AppError;
use crate::backend::store::{sessions, users};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct Identity {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub roles: Vec<Role>,
}

impl Identity {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

pub async fn authenticate(
    db: &Db,
    keys: &TokenKeys,
    clock: &Clock,
    bearer: &str,
) -> Result<Identity, AppError> {
    let now = clock.now();
    let claims = keys.verify_access(bearer, now)?;
    let session = sessions::state(db, claims.sid)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if session.user_id != claims.sub || session.revoked_at.is_some() || session.expires_at <= now {
        return Err(AppError::Unauthorized);
    }
    if session.user_status == "suspended" {
        return Err(account_suspended());
    }
    let roles = users::roles(db, claims.sub).await?;
    Ok(Identity {
        user_id: claims.sub,
        session_id: claims.sid,
        roles,
    })
}

pub fn account_suspended() -> AppError {
    AppError::Forbidden {
        code: "account_suspended",
        message: "This account is suspended. Contact support to have it reinstated.".into(),
    }
}
