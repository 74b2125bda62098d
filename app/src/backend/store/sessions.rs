use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub struct NewSession<'a> {
    pub id: Uuid,
    /// Set for browser sessions (the cookie's hash), None for API sessions.
    pub web_token_hash: Option<&'a str>,
    pub user_id: Uuid,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<&'a str>,
    pub client_ip: Option<&'a str>,
}

pub async fn create(tx: &mut Tx, s: &NewSession<'_>) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, \
         client_ip, web_token_hash) VALUES ($1, $2, $3, $3, $4, $5, $6, $7)",
    )
    .bind(s.id)
    .bind(s.user_id)
    .bind(s.now)
    .bind(s.expires_at)
    .bind(s.user_agent)
    .bind(s.client_ip)
    .bind(s.web_token_hash)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn add_refresh_token(
    tx: &mut Tx,
    token_hash: &str,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(session_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A refresh token with the state of its session and user.
#[derive(Debug, sqlx::FromRow)]
pub struct RefreshTokenState {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub rotated_at: Option<DateTime<Utc>>,
    pub session_revoked_at: Option<DateTime<Utc>>,
    pub session_expires_at: DateTime<Utc>,
    pub user_status: String,
}

pub async fn find_refresh_token(
    tx: &mut Tx,
    token_hash: &str,
) -> Result<Option<RefreshTokenState>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, RefreshTokenState>(
        "SELECT t.session_id, s.user_id, t.rotated_at, s.revoked_at AS session_revoked_at, \
                s.expires_at AS session_expires_at, u.status AS user_status \
         FROM refresh_tokens t \
         JOIN sessions s ON s.id = t.session_id \
         JOIN users u ON u.id = s.user_id \
         WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await)
}

/// Marks a token used. Returns false if it had already been rotated (by a concurrent
/// request or by a thief), which the caller treats as reuse.
pub async fn rotate_refresh_token(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = on_tx!(tx, conn => sqlx::query(
        "UPDATE refresh_tokens SET rotated_at = $2 WHERE token_hash = $1 AND rotated_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(changed == 1)
}

/// Slides the session's expiry forward on use.
pub async fn touch(
    tx: &mut Tx,
    session_id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE sessions SET last_used_at = $2, expires_at = $3 WHERE id = $1",
    )
    .bind(session_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn revoke(
    tx: &mut Tx,
    session_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(session_id)
    .bind(now)
    .bind(reason)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// What authenticating a request needs to know about its session and its user, in one
/// query (it runs on every request).
#[derive(Debug)]
pub struct SessionState {
    pub id: Uuid,
    pub user_id: Uuid,
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub user_status: String,
    /// The user's platform roles, by name.
    pub roles: Vec<String>,
    /// The creators whose team the user is on, with the role there, by creator.
    pub teams: Vec<(Uuid, String)>,
}

/// One row per platform role of the session's user (one with no role for a user
/// without any), then one per team they are on (`team_creator_id` set).
#[derive(sqlx::FromRow)]
struct StateRow {
    id: Uuid,
    user_id: Uuid,
    revoked_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    user_status: String,
    role: Option<String>,
    team_creator_id: Option<Uuid>,
}

/// The session found by `condition` (on `s`), with its user's roles and teams. The teams
/// come in the same statement because nearly every request of a creator's team checks
/// one: a round trip fewer each, which matters with the database across a network (on
/// loopback no figure moved by more than a few percent: docs/benchmarks.md, session 35).
fn state_sql(condition: &str) -> String {
    format!(
        "SELECT s.id, s.user_id, s.revoked_at, s.expires_at, u.status AS user_status, \
         r.role, NULL AS team_creator_id \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN user_roles r ON r.user_id = s.user_id WHERE {condition} \
         UNION ALL \
         SELECT s.id, s.user_id, s.revoked_at, s.expires_at, u.status, t.role, t.creator_id \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         JOIN creator_team t ON t.user_id = s.user_id WHERE {condition} \
         ORDER BY team_creator_id, role"
    )
}

fn state_of(rows: Vec<StateRow>) -> Option<SessionState> {
    let first = rows.first()?;
    let mut state = SessionState {
        id: first.id,
        user_id: first.user_id,
        revoked_at: first.revoked_at,
        expires_at: first.expires_at,
        user_status: first.user_status.clone(),
        roles: Vec::new(),
        teams: Vec::new(),
    };
    for row in rows {
        match (row.team_creator_id, row.role) {
            (Some(creator_id), Some(role)) => state.teams.push((creator_id, role)),
            (None, Some(role)) => state.roles.push(role),
            (_, None) => {}
        }
    }
    Some(state)
}

/// The session named by an access token's `sid`.
pub async fn state(db: &Db, session_id: Uuid) -> Result<Option<SessionState>, sqlx::Error> {
    let sql = state_sql("s.id = $1");
    let rows = on_db!(db, pool => sqlx::query_as::<_, StateRow>(&sql).bind(session_id).fetch_all(pool).await)?;
    Ok(state_of(rows))
}

/// The browser session whose cookie token hashes to `web_token_hash`.
pub async fn state_by_web_token(
    db: &Db,
    web_token_hash: &str,
) -> Result<Option<SessionState>, sqlx::Error> {
    let sql = state_sql("s.web_token_hash = $1");
    let rows = on_db!(db, pool => sqlx::query_as::<_, StateRow>(&sql).bind(web_token_hash).fetch_all(pool).await)?;
    Ok(state_of(rows))
}

/// Ends every session of a user (password reset, suspension).
pub async fn revoke_all_for_user(
    tx: &mut Tx,
    user_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(now)
    .bind(reason)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Sessions that ended (expired or revoked) before `before`, with their refresh tokens.
pub async fn delete_ended_before(tx: &mut Tx, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1",
    )
    .bind(before)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}

/// A sign-in as the user's data export shows it.
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct SessionRecord {
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub user_agent: Option<String>,
    pub client_ip: Option<String>,
}

/// Every session of the user still on record, newest first.
pub async fn records_for_user(db: &Db, user_id: Uuid) -> Result<Vec<SessionRecord>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, SessionRecord>(
        "SELECT created_at, last_used_at, expires_at, revoked_at, user_agent, client_ip \
         FROM sessions WHERE user_id = $1 ORDER BY created_at DESC",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)
}
