//! The admin console's server functions: the same services as `/api/v1/admin`, for a
//! signed-in member of the platform staff.

use crate::model::admin::{AccountBilling, AuditEntry};
use crate::model::page::Page;
use crate::model::user::User;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Platform roles as the console offers them, in the order shown.
pub const PLATFORM_ROLES: [&str; 7] = [
    "subscriber",
    "partner",
    "admin",
    "superadmin",
    "platform_admin",
    "system_admin",
    "super_admin",
];

/// One account and what was done to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub user: User,
    pub billing: AccountBilling,
    /// The latest audit entries about this account, newest first.
    pub trail: Page<AuditEntry>,
}

#[cfg(feature = "ssr")]
pub(crate) fn page_request(
    cursor: Option<String>,
    limit: u32,
) -> Result<crate::backend::pagination::PageRequest, ServerFnError> {
    crate::backend::pagination::PageQuery {
        cursor: cursor.filter(|c| !c.is_empty()),
        limit: Some(limit),
    }
    .parse()
    .map_err(crate::api::auth::server_side::fail)
}

/// The users table: search words, status and role filters, one page.
#[server(prefix = "/api/fn", endpoint = "admin_users")]
pub async fn admin_users(
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] role: String,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<User>, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::admin_users::{self, UserQuery};
    let (state, identity) = signed_in().await?;
    let status = match status.as_str() {
        "" => None,
        other => Some(
            serde_json::from_value(serde_json::Value::String(other.into()))
                .map_err(|_| ServerFnError::new("status: is not a status"))?,
        ),
    };
    let query = UserQuery {
        q: Some(q).filter(|q| !q.trim().is_empty()),
        status,
        role: Some(role).filter(|r| !r.is_empty()),
        ..UserQuery::default()
    };
    admin_users::list(&state, &identity, &query, page_request(cursor, 20)?)
        .await
        .map_err(fail)
}

/// One account with what it is billed for and its audit trail.
#[server(prefix = "/api/fn", endpoint = "admin_user")]
pub async fn admin_user(id: Uuid) -> Result<UserDetail, ServerFnError> {
    use crate::api::auth::server_side::{fail, reading};
    use crate::backend::services::admin_users;
    use crate::backend::services::audit_log::{self, AuditQuery};
    let (state, identity) = reading().await?;
    let user = admin_users::get(&state, &identity, id)
        .await
        .map_err(fail)?;
    let billing = admin_users::billing_records(&state, &identity, id, page_request(None, 10)?)
        .await
        .map_err(fail)?;
    let query = AuditQuery {
        target_type: Some("user".into()),
        target_id: Some(id.to_string()),
        ..AuditQuery::default()
    };
    let trail = audit_log::list(&state, &identity, &query, page_request(None, 50)?)
        .await
        .map_err(fail)?;
    Ok(UserDetail {
        user,
        billing,
        trail,
    })
}

#[server(prefix = "/api/fn", endpoint = "admin_suspend_user")]
pub async fn suspend_account(
    id: Uuid,
    reason: String,
    #[server(default)] notify_user: Option<String>,
) -> Result<User, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::admin::SuspendUser;
    let (state, identity) = signed_in().await?;
    let req = SuspendUser {
        reason,
        // An unticked checkbox is absent from the form.
        notify_user: notify_user.is_some(),
    };
    crate::backend::services::admin_users::suspend(&state, &identity, id, req)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "admin_reinstate_user")]
pub async fn reinstate_account(
    id: Uuid,
    #[server(default)] note: String,
) -> Result<User, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::admin::ReinstateUser;
    let (state, identity) = signed_in().await?;
    let req = ReinstateUser {
        note: Some(note).filter(|n| !n.trim().is_empty()),
    };
    crate::backend::services::admin_users::reinstate(&state, &identity, id, req)
        .await
        .map_err(fail)
}

/// Sets the platform roles from the form's checkboxes (one per role, named after it).
#[server(prefix = "/api/fn", endpoint = "admin_set_roles")]
pub async fn set_account_roles(
    id: Uuid,
    #[server(default)] roles: Vec<String>,
) -> Result<User, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::admin::{AdminUpdateUser, PlatformRole};
    let (state, identity) = signed_in().await?;
    let roles: Vec<PlatformRole> = roles
        .iter()
        .map(|name| {
            serde_json::from_value(serde_json::Value::String(name.clone()))
                .map_err(|_| ServerFnError::new(format!("roles: {name} is not a platform role")))
        })
        .collect::<Result<_, _>>()?;
    let req = AdminUpdateUser {
        status: None,
        roles: Some(roles),
    };
    crate::backend::services::admin_users::update(&state, &identity, id, req)
        .await
        .map_err(fail)
}

/// The audit log viewer: filters and one page.
#[server(prefix = "/api/fn", endpoint = "admin_audit_log")]
pub async fn admin_audit_log(
    #[server(default)] action: String,
    #[server(default)] target_id: String,
    #[server(default)] actor_id: String,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<AuditEntry>, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::audit_log::{self, AuditQuery};
    let (state, identity) = signed_in().await?;
    let actor_id = match actor_id.trim() {
        "" => None,
        text => {
            Some(Uuid::parse_str(text).map_err(|_| ServerFnError::new("actor: is not a user id"))?)
        }
    };
    let query = AuditQuery {
        action: Some(action),
        target_id: Some(target_id),
        actor_id,
        ..AuditQuery::default()
    };
    audit_log::list(&state, &identity, &query, page_request(cursor, 25)?)
        .await
        .map_err(fail)
}
