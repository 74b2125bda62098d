//! The admin console's user management and audit log (subscriber document, "Admin").

use crate::model::audience::Membership;
use crate::model::page::Page;
use crate::model::subscription::{Invoice, Subscription};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An account's status as the console filters it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Suspended,
    PendingVerification,
    Deleted,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Suspended => "suspended",
            AccountStatus::PendingVerification => "pending_verification",
            AccountStatus::Deleted => "deleted",
        }
    }
}

/// The status an admin may set: suspending or restoring an account.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettableStatus {
    Active,
    Suspended,
}

/// Platform-wide roles an admin grants. Creator-side roles (`content_creator`, …) are
/// given on a creator's team instead. Only a superadmin grants or removes
/// `superadmin` and `super_admin`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformRole {
    Subscriber,
    Partner,
    Admin,
    Superadmin,
    PlatformAdmin,
    SystemAdmin,
    SuperAdmin,
}

/// Body of `PATCH /admin/users/{user_id}`: the account's status and its complete set
/// of platform roles (creator-side roles are kept as they are).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminUpdateUser {
    #[serde(default)]
    pub status: Option<SettableStatus>,
    #[serde(default)]
    pub roles: Option<Vec<PlatformRole>>,
}

fn yes() -> bool {
    true
}

/// Body of `POST /admin/users/{user_id}/suspend`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspendUser {
    /// Why, for the audit trail (and the user's email).
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub reason: String,
    /// Email the user about it.
    #[serde(default = "yes")]
    #[cfg_attr(feature = "ssr", schema(default = true))]
    pub notify_user: bool,
}

/// Body of `POST /admin/users/{user_id}/reinstate`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReinstateUser {
    /// For the audit record.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub note: Option<String>,
}

/// One audit log entry. Entries are never changed or removed.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: Uuid,
    /// Who acted; null for the platform's own jobs.
    pub actor_id: Option<Uuid>,
    /// `<resource>.<past-tense verb>`, such as `user.suspended`.
    #[cfg_attr(feature = "ssr", schema(example = "user.suspended"))]
    pub action: String,
    #[cfg_attr(feature = "ssr", schema(example = "user"))]
    pub target_type: String,
    pub target_id: String,
    pub reason: Option<String>,
    /// The record before and after the change, where there was one.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    /// The `X-Request-Id` of the request that made the change.
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What the platform bills one account for, as the console's user page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountBilling {
    /// The live platform subscription, if any.
    pub subscription: Option<Subscription>,
    /// Creator memberships, current ones first.
    pub memberships: Vec<Membership>,
    /// The latest invoices, newest first.
    pub invoices: Page<Invoice>,
}
