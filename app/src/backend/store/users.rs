use super::member_words;
use super::user_words;
use crate::backend::db::{Conn, Db, Tx};
use crate::backend::domain::role::Role;
use crate::{on_conn, on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A row of `users` as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub email_verified: bool,
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub locale: String,
    pub timezone: String,
    pub country_code: Option<String>,
    pub preferred_language: String,
    pub status: String,
    pub mfa_enabled: bool,
    pub terms_accepted_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the current avatar was uploaded; `None`: no avatar.
    pub avatar_updated_at: Option<DateTime<Utc>>,
}

pub(crate) const USER_COLUMNS: &str =
    "id, email, password_hash, display_name, email_verified, phone, \
     phone_verified, locale, timezone, country_code, preferred_language, status, mfa_enabled, \
     terms_accepted_at, last_login_at, created_at, updated_at, avatar_updated_at";

pub struct NewUser<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub email_normalized: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub email_verified: bool,
    pub status: &'a str,
    pub terms_accepted_at: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

pub async fn insert(tx: &mut Tx, user: &NewUser<'_>) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO users (id, email, email_normalized, password_hash, display_name, \
         email_verified, status, terms_accepted_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(user.id)
    .bind(user.email)
    .bind(user.email_normalized)
    .bind(user.password_hash)
    .bind(user.display_name)
    .bind(user.email_verified)
    .bind(user.status)
    .bind(user.terms_accepted_at)
    .bind(user.now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    user_words::index(tx, user.id, user.display_name, user.email).await
}

pub async fn find_by_email(
    db: impl Into<Conn<'_>>,
    email_normalized: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email_normalized = $1");
    on_conn!(db.into(), pool => sqlx::query_as::<_, UserRow>(&sql)
        .bind(email_normalized)
        .fetch_optional(pool)
        .await)
}

/// Sets the password and marks the account active and verified (operator action).
pub async fn activate_with_password(
    tx: &mut Tx,
    id: Uuid,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE users SET password_hash = $2, status = 'active', email_verified = TRUE, \
         updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(password_hash)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Grants `role` unless the user already holds it.
pub async fn grant_role(
    tx: &mut Tx,
    user_id: Uuid,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, role) DO NOTHING",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn roles(db: impl Into<Conn<'_>>, user_id: Uuid) -> Result<Vec<Role>, sqlx::Error> {
    let names: Vec<String> = on_conn!(db.into(), pool => sqlx::query_scalar(
        "SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)?;
    Ok(names.iter().filter_map(|n| Role::parse(n)).collect())
}

/// The roles of each of `user_ids`, as `(user_id, role)` pairs.
pub async fn roles_of(db: &Db, user_ids: &[Uuid]) -> Result<Vec<(Uuid, Role)>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=user_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT user_id, role FROM user_roles WHERE user_id IN ({}) ORDER BY user_id, role",
        placeholders.join(", ")
    );
    let pairs: Vec<(Uuid, String)> = on_db!(db, pool => {
        let mut query = sqlx::query_as::<_, (Uuid, String)>(&sql);
        for id in user_ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?;
    Ok(pairs
        .into_iter()
        .filter_map(|(id, name)| Role::parse(&name).map(|role| (id, role)))
        .collect())
}

/// Takes `role` away from the user.
pub async fn revoke_role(tx: &mut Tx, user_id: Uuid, role: Role) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
        .bind(user_id)
        .bind(role.as_str())
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// How many accounts that are not suspended or deleted hold one of `roles`.
pub async fn count_active_holders(tx: &mut Tx, roles: &[Role]) -> Result<i64, sqlx::Error> {
    let names: Vec<String> = roles.iter().map(|r| format!("'{}'", r.as_str())).collect();
    let sql = format!(
        "SELECT COUNT(DISTINCT u.id) FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role IN ({}) AND u.status NOT IN ('suspended', 'deleted')",
        names.join(", ")
    );
    on_tx!(tx, conn => sqlx::query_scalar(&sql).fetch_one(conn).await)
}

pub async fn set_status(
    tx: &mut Tx,
    user_id: Uuid,
    status: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("UPDATE users SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(user_id)
        .bind(status)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_by_id(db: impl Into<Conn<'_>>, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    on_conn!(db.into(), pool => sqlx::query_as::<_, UserRow>(&sql).bind(id).fetch_optional(pool).await)
}

pub async fn record_login(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("UPDATE users SET last_login_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

impl UserRow {
    /// The documented user object.
    pub fn into_api(self, roles: &[Role]) -> crate::model::user::User {
        crate::model::user::User {
            id: self.id,
            email: self.email,
            email_verified: self.email_verified,
            display_name: self.display_name,
            phone: self.phone,
            phone_verified: self.phone_verified,
            locale: self.locale,
            timezone: self.timezone,
            country_code: self.country_code,
            preferred_language: self.preferred_language,
            status: self.status,
            roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
            mfa_enabled: self.mfa_enabled,
            terms_accepted_at: self.terms_accepted_at,
            last_login_at: self.last_login_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            // Versioned by upload time, so the image can be cached for long.
            avatar_url: self
                .avatar_updated_at
                .map(|at| format!("/api/v1/users/me/avatar?v={}", at.timestamp_millis())),
        }
    }
}

/// Marks the email verified; a pending account becomes active.
pub async fn mark_email_verified(
    tx: &mut Tx,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE users SET email_verified = TRUE, updated_at = $2, \
         status = CASE WHEN status = 'pending_verification' THEN 'active' ELSE status END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_password(
    tx: &mut Tx,
    id: Uuid,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(password_hash)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Serialises concurrent changes to one user's billing data: on PostgreSQL the user row
/// is locked until the transaction ends; SQLite write transactions are serial already.
pub async fn lock_for_update(tx: &mut Tx, user_id: Uuid) -> Result<(), sqlx::Error> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
            .bind(user_id)
            .fetch_optional(&mut **t)
            .await?;
    }
    Ok(())
}

/// Writes back the fields a user edits on their profile.
pub async fn update_profile(tx: &mut Tx, user: &UserRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE users SET display_name = $2, phone = $3, phone_verified = $4, locale = $5, \
         timezone = $6, country_code = $7, preferred_language = $8, updated_at = $9 WHERE id = $1",
    )
    .bind(user.id)
    .bind(&user.display_name)
    .bind(&user.phone)
    .bind(user.phone_verified)
    .bind(&user.locale)
    .bind(&user.timezone)
    .bind(&user.country_code)
    .bind(&user.preferred_language)
    .bind(user.updated_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    // Always, even when the caller kept the name: the row it read may predate a
    // concurrent rename that this write undoes, and the index must follow what is written.
    member_words::reindex_user(tx, user.id, &user.display_name, &user.email).await?;
    user_words::index(tx, user.id, &user.display_name, &user.email).await
}

/// Statements that remove a user's personal data, each taking the user id as `$1`.
/// Invoices, ledger entries, subscriptions and audit entries stay, tied to the
/// pseudonymous id only; a payment method keeps brand and last 4 digits (what paid the
/// kept invoices) but loses its billing name.
const ERASURE: &[&str] = &[
    "DELETE FROM user_roles WHERE user_id = $1",
    "DELETE FROM sessions WHERE user_id = $1",
    "DELETE FROM email_tokens WHERE user_id = $1",
    "DELETE FROM idempotency_keys WHERE user_id = $1",
    "DELETE FROM profiles WHERE user_id = $1",
    "DELETE FROM notifications WHERE user_id = $1",
    "DELETE FROM notification_preferences WHERE user_id = $1",
    "DELETE FROM data_exports WHERE user_id = $1",
    "DELETE FROM avatars WHERE user_id = $1",
    "DELETE FROM devices WHERE user_id = $1",
    "DELETE FROM stream_leases WHERE user_id = $1",
];

/// The display name of an erased account.
const ERASED_NAME: &str = "Deleted user";

/// Erases the user's personal data for good and marks the account `deleted`. The
/// address becomes `deleted-<id>@deleted.invalid` (unique, undeliverable) and the
/// password hash an unusable string, so nobody can sign in as it again.
pub async fn erase(tx: &mut Tx, user_id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    for sql in ERASURE {
        on_tx!(tx, conn => sqlx::query(sql).bind(user_id).execute(conn).await.map(|_| ()))?;
    }
    on_tx!(tx, conn => sqlx::query(
        "UPDATE payment_methods SET billing_name = NULL, is_default = FALSE, \
         deleted_at = COALESCE(deleted_at, $2) WHERE user_id = $1",
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))?;
    let pseudonym = format!("deleted-{user_id}@deleted.invalid");
    on_tx!(tx, conn => sqlx::query(
        "UPDATE users SET email = $2, email_normalized = $2, password_hash = 'erased', \
         display_name = $4, email_verified = FALSE, phone = NULL, \
         phone_verified = FALSE, country_code = NULL, locale = 'en-US', timezone = 'UTC', \
         preferred_language = 'en', status = 'deleted', mfa_enabled = FALSE, \
         last_login_at = NULL, avatar_updated_at = NULL, updated_at = $3 WHERE id = $1",
    )
    .bind(user_id)
    .bind(&pseudonym)
    .bind(now)
    .bind(ERASED_NAME)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    member_words::reindex_user(tx, user_id, ERASED_NAME, &pseudonym).await?;
    user_words::index(tx, user_id, ERASED_NAME, &pseudonym).await
}
