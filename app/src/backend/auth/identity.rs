//! Who is asking: resolved from a bearer access token (API clients) or the session
//! cookie (browsers), checked against its session and the account's status on every
//! request, so sign-out and suspension take effect at once.

use super::tokens::TokenKeys;
use crate::backend::clock::Clock;
use crate::backend::db::Db;
use crate::backend::domain::role::Role;
use crate::backend::error::AppError;
use crate::backend::store::sessions;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The name of the browser session cookie (HttpOnly, SameSite=Lax).
pub const SESSION_COOKIE: &str = "encora_session";

#[derive(Clone, Debug)]
pub struct Identity {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub roles: Vec<Role>,
    /// The creators whose team the user is on, with the role there, read with the
    /// session: as current as the platform roles.
    pub teams: Vec<(Uuid, Role)>,
}

impl Identity {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The user's role on the creator's team, if they are on it.
    pub fn team_role(&self, creator_id: Uuid) -> Option<Role> {
        self.teams
            .iter()
            .find(|(id, _)| *id == creator_id)
            .map(|(_, role)| *role)
    }
}

/// Team roles by name, as stored, to roles (a name no role has grants nothing).
pub fn parse_teams(teams: Vec<(Uuid, String)>) -> Vec<(Uuid, Role)> {
    teams
        .into_iter()
        .filter_map(|(creator_id, role)| Some((creator_id, Role::parse(&role)?)))
        .collect()
}

/// From an API client's bearer access token.
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
    if session.user_id != claims.sub {
        return Err(AppError::Unauthorized);
    }
    from_session(session, now)
}

/// From a browser's session cookie.
pub async fn authenticate_web(
    db: &Db,
    clock: &Clock,
    cookie_token: &str,
) -> Result<Identity, AppError> {
    let hash = super::secret_token::hash(cookie_token);
    let session = sessions::state_by_web_token(db, &hash)
        .await?
        .ok_or(AppError::Unauthorized)?;
    from_session(session, clock.now())
}

fn from_session(session: sessions::SessionState, now: DateTime<Utc>) -> Result<Identity, AppError> {
    if session.revoked_at.is_some() || session.expires_at <= now {
        return Err(AppError::Unauthorized);
    }
    if session.user_status == "suspended" {
        return Err(account_suspended());
    }
    let roles = session
        .roles
        .iter()
        .filter_map(|r| Role::parse(r))
        .collect();
    Ok(Identity {
        user_id: session.user_id,
        session_id: session.id,
        roles,
        teams: parse_teams(session.teams),
    })
}

pub fn account_suspended() -> AppError {
    AppError::Forbidden {
        code: "account_suspended",
        message: "This account is suspended. Contact support to have it reinstated.".into(),
    }
}
