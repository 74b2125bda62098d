//! `/api/v1/admin/*`: user management, the audit log and the sandbox clock (plans,
//! coupons, gift cards and refunds have their own modules).

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::admin_users::{self, UserQuery};
use app::backend::services::audit_log::{self, AuditQuery};
use app::backend::services::sandbox;
use app::backend::AppState;
use app::model::admin::{AdminUpdateUser, AuditEntry, ReinstateUser, SuspendUser};
use app::model::page::Page;
use app::model::system::{AdvanceClock, SandboxClock};
use app::model::user::User;
use axum::extract::{Path, Query, State};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(advance_clock))
        .routes(routes!(list_users))
        .routes(routes!(show_user, update_user))
        .routes(routes!(suspend_user))
        .routes(routes!(reinstate_user))
        .routes(routes!(audit_log))
}

/// Accounts, newest first: word-prefix search over email and display name, and
/// filters. Deleted accounts only with `status=deleted`. Platform staff.
#[utoipa::path(get, path = "/users", tag = "admin", security(("bearer" = [])),
    params(UserQuery),
    responses(
        (status = 200, description = "One page of accounts.", body = Page<User>),
        (status = 400, description = "A filter is invalid (`validation_error`).", body = ErrorBody),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
    ))]
async fn list_users(
    Reading { state, identity }: Reading,
    Query(query): Query<UserQuery>,
) -> Result<Json<Page<User>>, AppError> {
    let page = PageQuery {
        cursor: query.cursor.clone(),
        limit: query.limit,
    };
    Ok(Json(
        admin_users::list(&state, &identity, &query, page.parse()?).await?,
    ))
}

/// One account. Platform staff.
#[utoipa::path(get, path = "/users/{user_id}", tag = "admin", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The account.", body = User),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
        (status = 404, description = "No such account (`user_not_found`).", body = ErrorBody),
    ))]
async fn show_user(
    Reading { state, identity }: Reading,
    Path(user_id): Path<Uuid>,
) -> Result<Json<User>, AppError> {
    Ok(Json(admin_users::get(&state, &identity, user_id).await?))
}

/// Sets an account's status and its platform roles (the complete list; creator-side
/// roles stay). Only a superadmin grants or removes `superadmin` or changes a
/// superadmin's account; the last active superadmin stays. Audit-logged.
#[utoipa::path(patch, path = "/users/{user_id}", tag = "admin", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    request_body = AdminUpdateUser,
    responses(
        (status = 200, description = "The account as it now stands.", body = User),
        (status = 400, description = "Invalid body (`validation_error`).", body = ErrorBody),
        (status = 403, description = "Not platform staff, or superadmin matters without being one.", body = ErrorBody),
        (status = 404, description = "No such account (`user_not_found`).", body = ErrorBody),
        (status = 409, description = "`last_superadmin`, `cannot_suspend_self` or `user_deleted`.", body = ErrorBody),
    ))]
async fn update_user(
    State(state): State<AppState>,
    identity: Identity,
    Path(user_id): Path<Uuid>,
    ApiJson(req): ApiJson<AdminUpdateUser>,
) -> Result<Json<User>, AppError> {
    Ok(Json(
        admin_users::update(&state, &identity, user_id, req).await?,
    ))
}

/// Suspends an account at once: every session, refresh token, device and stream slot
/// ends, and sign-in answers 403. Audit-logged with the reason; the user is emailed
/// unless `notify_user` is false.
#[utoipa::path(post, path = "/users/{user_id}/suspend", tag = "admin", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    request_body = SuspendUser,
    responses(
        (status = 200, description = "The suspended account.", body = User),
        (status = 400, description = "No reason (`validation_error`).", body = ErrorBody),
        (status = 403, description = "Not platform staff, or the account is a superadmin's.", body = ErrorBody),
        (status = 404, description = "No such account (`user_not_found`).", body = ErrorBody),
        (status = 409, description = "`user_already_suspended`, `cannot_suspend_self`, `last_superadmin` or `user_deleted`.", body = ErrorBody),
    ))]
async fn suspend_user(
    State(state): State<AppState>,
    identity: Identity,
    Path(user_id): Path<Uuid>,
    ApiJson(req): ApiJson<SuspendUser>,
) -> Result<Json<User>, AppError> {
    Ok(Json(
        admin_users::suspend(&state, &identity, user_id, req).await?,
    ))
}

/// Restores a suspended account and emails the user. Audit-logged with the note.
#[utoipa::path(post, path = "/users/{user_id}/reinstate", tag = "admin", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    request_body = ReinstateUser,
    responses(
        (status = 200, description = "The reinstated account.", body = User),
        (status = 400, description = "The note is too long (`validation_error`).", body = ErrorBody),
        (status = 403, description = "Not platform staff, or the account is a superadmin's.", body = ErrorBody),
        (status = 404, description = "No such account (`user_not_found`).", body = ErrorBody),
        (status = 409, description = "`user_not_suspended` or `user_deleted`.", body = ErrorBody),
    ))]
async fn reinstate_user(
    State(state): State<AppState>,
    identity: Identity,
    Path(user_id): Path<Uuid>,
    ApiJson(req): ApiJson<ReinstateUser>,
) -> Result<Json<User>, AppError> {
    Ok(Json(
        admin_users::reinstate(&state, &identity, user_id, req).await?,
    ))
}

/// The audit log, newest first, filtered by actor, target, action and time. Entries
/// are never changed or removed. Platform staff.
#[utoipa::path(get, path = "/audit-log", tag = "admin", security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of entries.", body = Page<AuditEntry>),
        (status = 400, description = "A filter is invalid (`validation_error`).", body = ErrorBody),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
    ))]
async fn audit_log(
    Reading { state, identity }: Reading,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Page<AuditEntry>>, AppError> {
    let page = PageQuery {
        cursor: query.cursor.clone(),
        limit: query.limit,
    };
    Ok(Json(
        audit_log::list(&state, &identity, &query, page.parse()?).await?,
    ))
}

/// Moves the sandbox clock forward and runs every job that became due (only with
/// `ENCORA_TEST_CLOCK=1`; superadmins only).
#[utoipa::path(post, path = "/sandbox/clock", tag = "admin", security(("bearer" = [])),
    request_body = AdvanceClock,
    responses(
        (status = 200, description = "The new platform time.", body = SandboxClock),
        (status = 403, description = "Not a superadmin.", body = ErrorBody),
        (status = 404, description = "The sandbox clock is off.", body = ErrorBody),
    ))]
async fn advance_clock(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<AdvanceClock>,
) -> Result<Json<SandboxClock>, AppError> {
    Ok(Json(
        sandbox::advance_clock(&state, &identity, req.advance_seconds).await?,
    ))
}
