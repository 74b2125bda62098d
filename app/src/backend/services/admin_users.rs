//! The admin console's user management: search, status and platform roles, suspension
//! and reinstatement. Every change is audit-logged with before and after, in the same
//! transaction. Two rules keep the platform governable: only a superadmin touches
//! superadmins (their role or their account), and a change that would leave no active
//! superadmin is refused.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_platform_staff;
use crate::backend::db::Tx;
use crate::backend::domain::role::Role;
use crate::backend::domain::search_terms;
use crate::backend::error::{AppError, FieldError};
use crate::backend::mail::Message;
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::services::{self, devices};
use crate::backend::store::audit::{self, Entry};
use crate::backend::store::sessions;
use crate::backend::store::user_search::{self, UserFilter};
use crate::backend::store::users::{self, UserRow};
use crate::backend::AppState;
use crate::model::admin::{
    AccountBilling, AccountStatus, AdminUpdateUser, PlatformRole, ReinstateUser, SettableStatus,
    SuspendUser,
};
use crate::model::page::Page;
use crate::model::user::User;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;
use uuid::Uuid;

pub const Q_MAX: usize = 200;
pub const REASON_MAX: usize = 500;
/// More words than this in a search add nothing but work.
const MAX_WORDS: usize = 8;

/// `GET /admin/users` query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Words that start a word of the email or display name (all must match).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only this status; without it, deleted accounts are left out.
    pub status: Option<AccountStatus>,
    /// Only holders of this role.
    #[param(example = "admin")]
    pub role: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[param(min_length = 2, max_length = 2)]
    pub country_code: Option<String>,
    /// Created at or after.
    pub created_after: Option<DateTime<Utc>>,
    /// Created before.
    pub created_before: Option<DateTime<Utc>>,
    /// `next_cursor` or `prev_cursor` from the previous page's `meta`.
    pub cursor: Option<String>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

const DOING: &str = "manage user accounts";

pub fn user_not_found() -> AppError {
    AppError::NotFound {
        code: "user_not_found",
        message: "User not found.".into(),
    }
}

/// The words of a search, split as the email and name are (`search_terms`).
pub fn search_words(q: &str) -> Vec<String> {
    search_terms::words_of(q).take(MAX_WORDS).collect()
}

fn filter_from(query: &UserQuery) -> Result<UserFilter, AppError> {
    let mut errors = Vec::new();
    if query.q.as_ref().is_some_and(|q| q.chars().count() > Q_MAX) {
        errors.push(FieldError::new(
            "q",
            format!("must be at most {Q_MAX} characters"),
        ));
    }
    if let Some(role) = &query.role {
        if Role::parse(role).is_none() {
            errors.push(FieldError::new("role", "is not a role"));
        }
    }
    let country_code = query.country_code.as_ref().map(|c| c.to_ascii_uppercase());
    if let Some(code) = &country_code {
        if code.len() != 2 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            errors.push(FieldError::new("country_code", "must be 2 letters"));
        }
    }
    if let (Some(after), Some(before)) = (query.created_after, query.created_before) {
        if after >= before {
            errors.push(FieldError::new(
                "created_before",
                "must be after created_after",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(UserFilter {
        words: query.q.as_deref().map(search_words).unwrap_or_default(),
        status: query.status.map(|s| s.as_str().to_string()),
        role: query.role.clone(),
        country_code,
        created_after: query.created_after,
        created_before: query.created_before,
    })
}

/// Accounts matching the query, newest first.
pub async fn list(
    state: &AppState,
    identity: &Identity,
    query: &UserQuery,
    request: PageRequest,
) -> Result<Page<User>, AppError> {
    require_platform_staff(identity, DOING)?;
    let filter = filter_from(query)?;
    let (rows, total) = user_search::find(&state.db, &filter, request).await?;
    let page = into_page(request, rows, total, |row| row.id);
    let ids: Vec<Uuid> = page.data.iter().map(|row| row.id).collect();
    let roles = users::roles_of(&state.db, &ids).await?;
    Ok(Page {
        data: page
            .data
            .into_iter()
            .map(|row| {
                let mine: Vec<Role> = roles
                    .iter()
                    .filter(|(id, _)| *id == row.id)
                    .map(|(_, role)| *role)
                    .collect();
                row.into_api(&mine)
            })
            .collect(),
        meta: page.meta,
    })
}

pub async fn get(state: &AppState, identity: &Identity, id: Uuid) -> Result<User, AppError> {
    require_platform_staff(identity, DOING)?;
    let user = users::find_by_id(&state.db, id)
        .await?
        .ok_or_else(user_not_found)?;
    let roles = users::roles(&state.db, id).await?;
    Ok(user.into_api(&roles))
}

/// What the platform bills one account for: its plan subscription, its creator
/// memberships and its latest invoices.
pub async fn billing_records(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    invoices: PageRequest,
) -> Result<AccountBilling, AppError> {
    require_platform_staff(identity, DOING)?;
    users::find_by_id(&state.db, id)
        .await?
        .ok_or_else(user_not_found)?;
    Ok(AccountBilling {
        subscription: services::subscriptions::current_of(state, id).await?,
        memberships: services::memberships::of_user(state, id).await?.data,
        invoices: services::invoices::list_of(state, id, None, invoices).await?,
    })
}

/// Sets the status and/or the platform roles.
pub async fn update(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    req: AdminUpdateUser,
) -> Result<User, AppError> {
    require_platform_staff(identity, DOING)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (user, roles) = load_target(&mut tx, identity, id).await?;
    if let Some(wanted) = req.roles {
        set_platform_roles(&mut tx, identity, &user, &roles, &wanted, now).await?;
    }
    match (req.status, user.status.as_str()) {
        (Some(SettableStatus::Suspended), current) if current != "suspended" => {
            suspend_in_tx(&mut tx, identity, &user, None, now).await?;
        }
        (Some(SettableStatus::Active), "suspended") => {
            reinstate_in_tx(&mut tx, identity, &user, None, now).await?;
        }
        _ => {}
    }
    keep_a_superadmin(&mut tx).await?;
    let user = as_it_now_stands(&mut tx, id).await?;
    tx.commit().await?;
    Ok(user)
}

/// Suspends the account: every session, refresh token, device and stream slot ends at
/// once; sign-in answers 403 until reinstated.
pub async fn suspend(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    req: SuspendUser,
) -> Result<User, AppError> {
    require_platform_staff(identity, DOING)?;
    let reason = req.reason.trim();
    if reason.is_empty() || req.reason.chars().count() > REASON_MAX {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            format!("is required, at most {REASON_MAX} characters"),
        )]));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (user, _) = load_target(&mut tx, identity, id).await?;
    if user.status == "suspended" {
        return Err(AppError::Conflict {
            code: "user_already_suspended",
            message: "This account is already suspended.".into(),
        });
    }
    suspend_in_tx(&mut tx, identity, &user, Some(reason), now).await?;
    keep_a_superadmin(&mut tx).await?;
    let suspended = as_it_now_stands(&mut tx, id).await?;
    tx.commit().await?;
    if req.notify_user {
        let message = Message {
            to: user.email.clone(),
            subject: "Your Encora account is suspended".into(),
            body: format!(
                "Your Encora account has been suspended and you have been signed out \
                 everywhere.\r\n\r\nReason: {reason}\r\n\r\nReply to this message if you \
                 think this is a mistake."
            ),
        };
        state.mailer.send(&message, now).await?;
    }
    Ok(suspended)
}

/// Restores a suspended account; the user is told by email.
pub async fn reinstate(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    req: ReinstateUser,
) -> Result<User, AppError> {
    require_platform_staff(identity, DOING)?;
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if req
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > REASON_MAX)
    {
        return Err(AppError::Validation(vec![FieldError::new(
            "note",
            format!("must be at most {REASON_MAX} characters"),
        )]));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (user, _) = load_target(&mut tx, identity, id).await?;
    if user.status != "suspended" {
        return Err(AppError::Conflict {
            code: "user_not_suspended",
            message: "This account is not suspended.".into(),
        });
    }
    reinstate_in_tx(&mut tx, identity, &user, note, now).await?;
    let reinstated = as_it_now_stands(&mut tx, id).await?;
    tx.commit().await?;
    let message = Message {
        to: user.email.clone(),
        subject: "Your Encora account is active again".into(),
        body: "Your Encora account has been reinstated: you can sign in again.".into(),
    };
    state.mailer.send(&message, now).await?;
    Ok(reinstated)
}

/// The account to change, locked for the transaction, with its roles. Deleted accounts
/// cannot change; a superadmin's account is changed by superadmins only.
async fn load_target(
    tx: &mut Tx,
    identity: &Identity,
    id: Uuid,
) -> Result<(UserRow, Vec<Role>), AppError> {
    users::lock_for_update(tx, id).await?;
    let user = users::find_by_id(&mut *tx, id)
        .await?
        .ok_or_else(user_not_found)?;
    if user.status == "deleted" {
        return Err(AppError::Conflict {
            code: "user_deleted",
            message: "This account is deleted and can no longer change.".into(),
        });
    }
    let roles = users::roles(&mut *tx, id).await?;
    if roles.iter().any(|r| r.is_superadmin()) && !is_superadmin(identity) {
        return Err(only_superadmins("change a superadmin's account"));
    }
    Ok((user, roles))
}

/// The account after the change, as the answer shows it.
async fn as_it_now_stands(tx: &mut Tx, id: Uuid) -> Result<User, AppError> {
    let user = users::find_by_id(&mut *tx, id)
        .await?
        .ok_or_else(user_not_found)?;
    let roles = users::roles(&mut *tx, id).await?;
    Ok(user.into_api(&roles))
}

fn is_superadmin(identity: &Identity) -> bool {
    identity.roles.iter().any(|r| r.is_superadmin())
}

fn only_superadmins(doing: &str) -> AppError {
    AppError::Forbidden {
        code: "forbidden",
        message: format!("Only a superadmin may {doing}."),
    }
}

fn to_role(role: PlatformRole) -> Role {
    match role {
        PlatformRole::Subscriber => Role::Subscriber,
        PlatformRole::Partner => Role::Partner,
        PlatformRole::Admin => Role::Admin,
        PlatformRole::Superadmin => Role::Superadmin,
        PlatformRole::PlatformAdmin => Role::PlatformAdmin,
        PlatformRole::SystemAdmin => Role::SystemAdmin,
        PlatformRole::SuperAdmin => Role::SuperAdmin,
    }
}

fn names(roles: &BTreeSet<&'static str>) -> serde_json::Value {
    json!(roles.iter().collect::<Vec<_>>())
}

/// Replaces the platform roles with `wanted`; creator-side roles stay.
async fn set_platform_roles(
    tx: &mut Tx,
    identity: &Identity,
    user: &UserRow,
    current: &[Role],
    wanted: &[PlatformRole],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let platform = |r: &Role| !Role::CREATOR_SIDE.contains(r);
    let before: BTreeSet<Role> = current.iter().copied().filter(platform).collect();
    let after: BTreeSet<Role> = wanted.iter().copied().map(to_role).collect();
    if before == after {
        return Ok(());
    }
    let changed_superadmin = before
        .symmetric_difference(&after)
        .any(|r| r.is_superadmin());
    if changed_superadmin && !is_superadmin(identity) {
        return Err(only_superadmins("grant or remove the superadmin role"));
    }
    for role in before.difference(&after) {
        users::revoke_role(tx, user.id, *role).await?;
    }
    for role in after.difference(&before) {
        users::grant_role(tx, user.id, *role, now).await?;
    }
    let as_names = |set: &BTreeSet<Role>| names(&set.iter().map(|r| r.as_str()).collect());
    audit::record(
        tx,
        Entry {
            actor_id: Some(identity.user_id),
            action: "user.roles_changed",
            target_type: "user",
            target_id: user.id.to_string(),
            reason: None,
            before: Some(json!({ "roles": as_names(&before) })),
            after: Some(json!({ "roles": as_names(&after) })),
        },
        now,
    )
    .await?;
    Ok(())
}

async fn suspend_in_tx(
    tx: &mut Tx,
    identity: &Identity,
    user: &UserRow,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if user.id == identity.user_id {
        return Err(AppError::Conflict {
            code: "cannot_suspend_self",
            message: "You cannot suspend your own account.".into(),
        });
    }
    users::set_status(tx, user.id, "suspended", now).await?;
    sessions::revoke_all_for_user(tx, user.id, "suspended", now).await?;
    devices::revoke_all(tx, user.id, "suspended", now).await?;
    audit::record(
        tx,
        Entry {
            actor_id: Some(identity.user_id),
            action: "user.suspended",
            target_type: "user",
            target_id: user.id.to_string(),
            reason,
            before: Some(json!({ "status": user.status })),
            after: Some(json!({ "status": "suspended" })),
        },
        now,
    )
    .await?;
    Ok(())
}

/// Back to `active`, or to `pending_verification` when the email was never confirmed.
async fn reinstate_in_tx(
    tx: &mut Tx,
    identity: &Identity,
    user: &UserRow,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let status = if user.email_verified {
        "active"
    } else {
        "pending_verification"
    };
    users::set_status(tx, user.id, status, now).await?;
    audit::record(
        tx,
        Entry {
            actor_id: Some(identity.user_id),
            action: "user.reinstated",
            target_type: "user",
            target_id: user.id.to_string(),
            reason: note,
            before: Some(json!({ "status": "suspended" })),
            after: Some(json!({ "status": status })),
        },
        now,
    )
    .await?;
    Ok(())
}

/// Refuses (and so rolls back) a change that leaves no active superadmin.
async fn keep_a_superadmin(tx: &mut Tx) -> Result<(), AppError> {
    let left = users::count_active_holders(tx, &[Role::Superadmin, Role::SuperAdmin]).await?;
    if left == 0 {
        return Err(AppError::Conflict {
            code: "last_superadmin",
            message: "This would leave the platform without an active superadmin.".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_split_like_the_indexes() {
        assert_eq!(
            search_words("Ada.Lovelace@Example.com"),
            ["ada", "lovelace", "example", "com"]
        );
        assert_eq!(search_words("  \"'*:& "), Vec::<String>::new());
        assert_eq!(search_words("Zoë"), ["zoë"]);
        assert_eq!(search_words("a b c d e f g h i j").len(), MAX_WORDS);
    }
}
