//! The announcements page's server functions: what the page shows first, the
//! announcements with how far notifying got, and a new announcement
//! (`/api/v1/audience/announcements`).

use crate::api::audience::CreatorPanel;
use crate::model::announcement::Announcement;
use crate::model::page::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the announcements page shows first: the composer's tiers and the first page of
/// announcements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementsPanel {
    pub tiers: Vec<(Uuid, String)>,
    pub announcements: Page<Announcement>,
}

#[server(prefix = "/api/fn", endpoint = "dashboard_announcements")]
pub async fn dashboard_announcements(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<CreatorPanel<AnnouncementsPanel>, ServerFnError> {
    use crate::api::audience::server_side::panel;
    use crate::api::tiers::server_side::tier_choices;
    use crate::backend::pagination::PageRequest;
    panel(creator_id, |state, identity, creator| async move {
        let tiers = tier_choices(&state, &identity, creator).await?;
        let announcements = server_side::list(
            &state,
            &identity,
            creator,
            PageRequest::first(ANNOUNCEMENTS_PER_PAGE),
        )
        .await?;
        Ok(AnnouncementsPanel {
            tiers,
            announcements,
        })
    })
    .await
}

#[cfg(feature = "ssr")]
const ANNOUNCEMENTS_PER_PAGE: u32 = 20;

#[cfg(feature = "ssr")]
mod server_side {
    use crate::backend::auth::identity::Identity;
    use crate::backend::error::AppError;
    use crate::backend::pagination::PageRequest;
    use crate::backend::services::announcements::{self, AnnouncementQuery};
    use crate::backend::AppState;
    use crate::model::announcement::Announcement;
    use crate::model::page::Page;
    use uuid::Uuid;

    /// The creator's announcements, newest first.
    pub async fn list(
        state: &AppState,
        identity: &Identity,
        creator_id: Uuid,
        request: PageRequest,
    ) -> Result<Page<Announcement>, AppError> {
        let query = AnnouncementQuery {
            creator_id,
            pinned: false,
        };
        announcements::list(state, identity, query, request).await
    }
}

/// The creator's announcements, newest first, 20 a page.
#[server(prefix = "/api/fn", endpoint = "announcement_list")]
pub async fn announcement_list(
    creator_id: Uuid,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<Announcement>, ServerFnError> {
    use crate::api::admin::page_request;
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    let request = page_request(cursor, ANNOUNCEMENTS_PER_PAGE)?;
    server_side::list(&state, &identity, creator_id, request)
        .await
        .map_err(fail)
}

/// Publishes an announcement. `visibility` is `all_members`, `paid_members` or
/// `specific_tiers` (with `tier_ids`, comma-separated); ticked boxes arrive as
/// present values.
#[server(prefix = "/api/fn", endpoint = "create_announcement")]
#[allow(clippy::too_many_arguments)]
pub async fn create_announcement(
    creator_id: Uuid,
    title: String,
    content: String,
    visibility: String,
    #[server(default)] tier_ids: String,
    #[server(default)] pin: Option<String>,
    #[server(default)] push: Option<String>,
    #[server(default)] email: Option<String>,
) -> Result<Announcement, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::backend::services::announcements;
    use crate::model::announcement::{Channel, CreateAnnouncement, Visibility};
    let (state, identity) = signed_in().await?;
    let invalid = |field: &str, message: &str| {
        fail(AppError::Validation(vec![FieldError::new(field, message)]))
    };
    let visibility = Visibility::parse(&visibility)
        .ok_or_else(|| invalid("visibility", "choose who sees it"))?;
    let tier_ids = tier_ids
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(Uuid::parse_str)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| invalid("tier_ids", "is not a list of tiers"))?;
    let channels: Vec<Channel> = [(push, Channel::Push), (email, Channel::Email)]
        .into_iter()
        .filter_map(|(on, channel)| on.map(|_| channel))
        .collect();
    let req = CreateAnnouncement {
        creator_id: Some(creator_id),
        title,
        content,
        visibility,
        tier_ids,
        pin: pin.is_some(),
        notify: !channels.is_empty(),
        notification_channels: channels,
    };
    announcements::create(&state, &identity, req)
        .await
        .map_err(fail)
}
