//! The community page's server functions: the overview and the moderation queue of
//! `/api/v1/audience/community`, for a signed-in member of the creator's team.

use crate::api::audience::CreatorPanel;
use crate::model::community::{CommunityOverview, Report};
use crate::model::page::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the community page shows first: the creator's community today, and the first
/// page of reports to review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityPanel {
    pub overview: CommunityOverview,
    pub to_review: Page<Report>,
}

/// The moderation queue's first filter.
pub const TO_REVIEW: &str = "pending";

#[server(prefix = "/api/fn", endpoint = "dashboard_community")]
pub async fn dashboard_community(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<CreatorPanel<CommunityPanel>, ServerFnError> {
    use crate::api::audience::server_side::panel;
    use crate::backend::pagination::PageRequest;
    use crate::backend::services::community_overview;
    panel(creator_id, |state, identity, creator| async move {
        let overview = community_overview::overview(&state, &identity, Some(creator)).await?;
        let to_review = server_side::reports(
            &state,
            &identity,
            creator,
            TO_REVIEW,
            PageRequest::first(REPORTS_PER_PAGE),
        )
        .await?;
        Ok(CommunityPanel {
            overview,
            to_review,
        })
    })
    .await
}

#[cfg(feature = "ssr")]
const REPORTS_PER_PAGE: u32 = 20;

#[cfg(feature = "ssr")]
mod server_side {
    use crate::backend::auth::identity::Identity;
    use crate::backend::error::AppError;
    use crate::backend::pagination::PageRequest;
    use crate::backend::services::moderation::{self, ReportQuery};
    use crate::backend::AppState;
    use crate::model::community::Report;
    use crate::model::page::Page;
    use uuid::Uuid;

    /// One page of the moderation queue: `pending`, `resolved`, or both (empty).
    pub async fn reports(
        state: &AppState,
        identity: &Identity,
        creator: Uuid,
        status: &str,
        request: PageRequest,
    ) -> Result<Page<Report>, AppError> {
        let query = ReportQuery {
            creator_id: Some(creator),
            status: Some(status.to_string()).filter(|s| !s.is_empty()),
        };
        moderation::list(state, identity, query, request).await
    }
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
    let (state, identity) = signed_in().await?;
    let request = page_request(cursor, REPORTS_PER_PAGE)?;
    server_side::reports(&state, &identity, creator_id, &status, request)
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
