//! Permission checks: creator scope, and the verified email that paying needs.
//! The creator check: platform staff act on every
//! creator; everyone else only on creators whose team they are in. A creator the caller
//! may not see answers 404, exactly like one that does not exist.

use super::identity::Identity;
use crate::backend::db::Db;
use crate::backend::domain::role::Role;
use crate::backend::error::{AppError, FieldError};
use crate::backend::store::{creators, users};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreatorPermission {
    /// See the creator's private data (team, members, analytics).
    View,
    /// Add and remove team members.
    ManageTeam,
    /// Create and edit tiers.
    ManageTiers,
    /// Change a member's tier, pause them, keep notes and tags.
    ManageMembers,
    /// Register and remove webhook endpoints, send tests, replay deliveries.
    ManageWebhooks,
    /// Resolve community reports and keep the blocked-word list.
    Moderate,
    /// Publish announcements to the members.
    Announce,
}

impl CreatorPermission {
    fn granted_to(self, role: Role) -> bool {
        match self {
            CreatorPermission::View | CreatorPermission::Announce => {
                Role::CREATOR_SIDE.contains(&role)
            }
            CreatorPermission::ManageTeam
            | CreatorPermission::ManageTiers
            | CreatorPermission::ManageMembers
            | CreatorPermission::ManageWebhooks
            | CreatorPermission::Moderate => {
                matches!(
                    role,
                    Role::ContentCreator | Role::Manager | Role::TenantAdmin
                )
            }
        }
    }
}

pub fn creator_not_found() -> AppError {
    AppError::NotFound {
        code: "creator_not_found",
        message: "Creator not found.".into(),
    }
}

pub async fn require_creator(
    db: &Db,
    identity: &Identity,
    creator_id: Uuid,
    permission: CreatorPermission,
) -> Result<(), AppError> {
    if identity.roles.iter().any(|r| r.is_platform_staff()) {
        return match creators::find(db, creator_id).await? {
            Some(_) => Ok(()),
            None => Err(creator_not_found()),
        };
    }
    grant(identity.team_role(creator_id), permission)
}

/// Whether a team role (none: not in the team) allows `permission`.
fn grant(role: Option<Role>, permission: CreatorPermission) -> Result<(), AppError> {
    let role = role.ok_or_else(creator_not_found)?;
    if permission.granted_to(role) {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "forbidden",
            message: format!(
                "Your role on this creator's team ({}) does not allow this.",
                role.as_str()
            ),
        })
    }
}

/// `require_creator` for one of that creator's records: to anyone outside the team the
/// record does not exist (`not_found`), so ids of other creators' records reveal nothing.
pub async fn require_owner(
    db: &Db,
    identity: &Identity,
    creator_id: Uuid,
    permission: CreatorPermission,
    not_found: fn() -> AppError,
) -> Result<(), AppError> {
    match require_creator(db, identity, creator_id, permission).await {
        Err(AppError::NotFound { .. }) => Err(not_found()),
        other => other,
    }
}

/// The query of a creator-scoped read.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreatorScope {
    /// May be omitted when the caller belongs to exactly one creator.
    pub creator_id: Option<Uuid>,
}

/// The creator a creator-scoped request is about: the one named, or, when none is, the
/// only creator whose team the caller is in. Platform staff must name one.
pub async fn resolve_creator(
    db: &Db,
    identity: &Identity,
    creator_id: Option<Uuid>,
    permission: CreatorPermission,
) -> Result<Uuid, AppError> {
    let creator_id = match creator_id {
        Some(id) => id,
        None => {
            let staff = identity.roles.iter().any(|r| r.is_platform_staff());
            match identity.teams.as_slice() {
                [(only, role)] if !staff => {
                    grant(Some(*role), permission)?;
                    return Ok(*only);
                }
                [(only, _)] => *only,
                [] if !staff => {
                    return Err(AppError::Forbidden {
                        code: "forbidden",
                        message: "Only a creator's team may use the Audience API.".into(),
                    })
                }
                _ => {
                    return Err(AppError::Validation(vec![FieldError::new(
                        "creator_id",
                        "is required: name the creator this is about",
                    )]))
                }
            }
        }
    };
    require_creator(db, identity, creator_id, permission).await?;
    Ok(creator_id)
}

/// Paying and becoming a creator need a confirmed email address (README, "Accounts").
/// `doing` completes "Confirm your email address before …".
pub async fn require_verified_email(
    db: &Db,
    identity: &Identity,
    doing: &str,
) -> Result<(), AppError> {
    let user = users::find_by_id(db, identity.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if user.email_verified {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "email_not_verified",
            message: format!("Confirm your email address before {doing}."),
        })
    }
}

/// Platform-wide work reserved to superadmins. `doing` completes "Only a superadmin may …".
pub fn require_superadmin(identity: &Identity, doing: &str) -> Result<(), AppError> {
    if identity.roles.iter().any(|r| r.is_superadmin()) {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "forbidden",
            message: format!("Only a superadmin may {doing}."),
        })
    }
}

/// Platform-wide work for any platform staff role. `doing` completes
/// "Only platform staff may …".
pub fn require_platform_staff(identity: &Identity, doing: &str) -> Result<(), AppError> {
    if identity.roles.iter().any(|r| r.is_platform_staff()) {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "forbidden",
            message: format!("Only platform staff may {doing}."),
        })
    }
}
