//! The community page's server functions: the overview and the moderation queue of
//! `/api/v1/audience/community`, for a signed-in member of the creator's team.

use crate::api::audience::CreatorPanel;
use crate::model::community::{CommunityOverview, Report};
use crate::model::page::Page;
use leptos::prelude::*;
use uuid::Uuid;

/// The creator's community today.
#[server(prefix = "/api/fn", endpoint = "dashboard_community")]
pub async fn dashboard_community(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<CreatorPanel<CommunityOverview>, ServerFnError> {
    use crate::api::audience::server_side::panel;
    use crate::backend::services::community_overview;
    panel(creator_id, |state, identity, creator| async move {
        community_overview::overview(&state, &identity, Some(creator)).await
    })
    .await
}

/// One page of the moderation queue: `pending`, `resolved`, or both (empty).
#[server(prefix = "/api/fn", endpoint = "dashboard_reports")]
pub async fn dashboard_reports(
    creator_id: Uuid,
    #[server(default)] status: String,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<Report>, ServerFnError> {
    use crate::api::admin::page_request;
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::moderation::{self, ReportQuery};
    let (state, identity) = signed_in().await?;
    let request = page_request(cursor, 20)?;
    let query = ReportQuery {
        creator_id: Some(creator_id),
        status: Some(status).filter(|s| !s.is_empty()),
    };
    moderation::list(&state, &identity, query, request)
        .await
        .map_err(fail)
}

/// Removes (`remove`) or keeps (`keep`) the reported post or comment.
#[server(prefix = "/api/fn", endpoint = "resolve_report")]
pub async fn resolve_report(
    report_id: Uuid,
    action: String,
    #[server(default)] note: String,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::backend::services::moderation;
    use crate::model::community::{ModerationAction, ResolveReport};
    let (state, identity) = signed_in().await?;
    let action = match action.as_str() {
        "remove" => ModerationAction::Remove,
        "keep" => ModerationAction::Keep,
        _ => {
            return Err(fail(AppError::Validation(vec![FieldError::new(
                "action",
                "must be remove or keep",
            )])))
        }
    };
    let req = ResolveReport {
        action,
        note: Some(note).filter(|n| !n.trim().is_empty()),
    };
    moderation::resolve(&state, &identity, report_id, req)
        .await
        .map_err(fail)?;
    Ok(())
}
