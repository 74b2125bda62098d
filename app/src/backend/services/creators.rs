//! Creators: a signed-in user with a verified email creates one and becomes its
//! `content_creator`; the team is managed by its content creators, managers and tenant
//! admins (and platform staff).

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{
    require_creator, require_verified_email, CreatorPermission,
};
use crate::backend::domain::role::Role;
use crate::backend::error::{is_unique_violation, AppError, FieldError};
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::services::tiers;
use crate::backend::store::{audit, creators, users};
use crate::backend::AppState;
use crate::model::creator::{AddTeamMember, CreateCreator, Creator, TeamMember};
use crate::model::page::Page;
use serde_json::json;
use uuid::Uuid;

const NAME_MAX: usize = 100;
const BIO_MAX: usize = 2000;

fn valid_handle(handle: &str) -> bool {
    (3..=30).contains(&handle.len())
        && handle
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    req: CreateCreator,
) -> Result<Creator, AppError> {
    let name = req.name.trim().to_string();
    let handle = req.handle.trim().to_string();
    let bio = req.bio.trim().to_string();
    let mut errors = Vec::new();
    // Limits count the text as sent, as the documented maxLength does.
    if name.is_empty() || req.name.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            "name",
            "must be between 1 and 100 characters",
        ));
    }
    if !valid_handle(&handle) {
        errors.push(FieldError::new(
            "handle",
            "must be 3 to 30 lower-case letters, digits or underscores",
        ));
    }
    if req.bio.chars().count() > BIO_MAX {
        errors.push(FieldError::new("bio", "must be at most 2000 characters"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    require_verified_email(&state.db, identity, "creating a creator").await?;

    let now = state.clock.now();
    let taken = || AppError::Conflict {
        code: "handle_taken",
        message: format!("The handle @{handle} is taken."),
    };
    let id = Uuid::now_v7();
    let mut tx = state.db.begin().await?;
    if creators::handle_taken(&mut tx, &handle).await? {
        return Err(taken());
    }
    creators::insert(&mut tx, id, &handle, &name, &bio, identity.user_id, now)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                taken()
            } else {
                e.into()
            }
        })?;
    creators::add_member(
        &mut tx,
        id,
        identity.user_id,
        Role::ContentCreator.as_str(),
        now,
    )
    .await?;
    users::grant_role(&mut tx, identity.user_id, Role::ContentCreator, now).await?;
    tiers::create_default(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(Creator {
        id,
        handle,
        name,
        bio,
        created_at: now,
    })
}

/// The creators whose team the user is in, by name.
pub async fn teams_for(state: &AppState, identity: &Identity) -> Result<Vec<Creator>, AppError> {
    Ok(creators::teams_with_names(&state.db, identity.user_id).await?)
}

/// The public directory.
pub async fn list(state: &AppState, request: PageRequest) -> Result<Page<Creator>, AppError> {
    let rows = creators::page(&state.db, request).await?;
    let total = creators::count(&state.db).await?;
    Ok(into_page(request, rows, total, |c| c.id))
}

pub async fn team(
    state: &AppState,
    identity: &Identity,
    creator_id: Uuid,
) -> Result<Vec<TeamMember>, AppError> {
    require_creator(&state.db, identity, creator_id, CreatorPermission::View).await?;
    Ok(creators::team(&state.db, creator_id).await?)
}

pub async fn add_team_member(
    state: &AppState,
    identity: &Identity,
    creator_id: Uuid,
    req: AddTeamMember,
) -> Result<TeamMember, AppError> {
    require_creator(
        &state.db,
        identity,
        creator_id,
        CreatorPermission::ManageTeam,
    )
    .await?;
    let role = Role::parse(&req.role)
        .filter(|r| Role::CREATOR_SIDE.contains(r))
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "role",
                "must be one of content_creator, marketing, brand_manager, manager, tenant_admin",
            )])
        })?;
    let user = users::find_by_email(&state.db, &req.email.trim().to_lowercase())
        .await?
        .ok_or_else(|| AppError::NotFound {
            code: "user_not_found",
            message: "No account has this email.".into(),
        })?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    creators::add_member(&mut tx, creator_id, user.id, role.as_str(), now)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::Conflict {
                    code: "already_member",
                    message: "This account is already on the team.".into(),
                }
            } else {
                e.into()
            }
        })?;
    users::grant_role(&mut tx, user.id, role, now).await?;
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "creator_team.member_added",
            target_type: "creator",
            target_id: creator_id.to_string(),
            reason: None,
            before: None,
            after: Some(json!({ "user_id": user.id, "role": role.as_str() })),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(TeamMember {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: role.as_str().to_string(),
        added_at: now,
    })
}

pub async fn remove_team_member(
    state: &AppState,
    identity: &Identity,
    creator_id: Uuid,
    user_id: Uuid,
) -> Result<(), AppError> {
    require_creator(
        &state.db,
        identity,
        creator_id,
        CreatorPermission::ManageTeam,
    )
    .await?;
    let mut tx = state.db.begin().await?;
    creators::lock_for_update(&mut tx, creator_id).await?;
    let role = creators::member_role(&mut tx, creator_id, user_id).await?;
    if role.as_deref() == Some(Role::ContentCreator.as_str())
        && creators::count_role(&mut tx, creator_id, Role::ContentCreator.as_str()).await? <= 1
    {
        return Err(AppError::Conflict {
            code: "last_content_creator",
            message: "A creator keeps at least one content creator on its team.".into(),
        });
    }
    if creators::remove_member(&mut tx, creator_id, user_id).await? == 0 {
        return Err(AppError::NotFound {
            code: "team_member_not_found",
            message: "This account is not on the team.".into(),
        });
    }
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "creator_team.member_removed",
            target_type: "creator",
            target_id: creator_id.to_string(),
            reason: None,
            before: Some(json!({ "user_id": user_id, "role": role })),
            after: None,
        },
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
