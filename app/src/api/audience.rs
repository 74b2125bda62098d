//! The creator dashboard's server functions: the same services as `/api/v1/audience`,
//! for a signed-in member of a creator's team (or platform staff naming a creator).

use crate::model::analytics::{EngagementReport, RevenueReport};
use crate::model::audience::{MemberList, TierList};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A creator the signed-in user works on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamCreator {
    pub id: Uuid,
    pub name: String,
    pub handle: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod server_side {
    use super::TeamCreator;
    use crate::api::auth::server_side::fail;
    use crate::backend::auth::identity::Identity;
    use crate::backend::services::creators;
    use crate::backend::AppState;
    use leptos::prelude::ServerFnError;
    use uuid::Uuid;

    /// The creators the user works on, and the one a dashboard page shows: the one
    /// asked for if the user is on its team, else the first.
    pub async fn teams(
        state: &AppState,
        identity: &Identity,
        creator_id: Option<Uuid>,
    ) -> Result<(Vec<TeamCreator>, Option<TeamCreator>), ServerFnError> {
        let teams: Vec<TeamCreator> = creators::teams_for(state, identity)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|c| TeamCreator {
                id: c.id,
                name: c.name,
                handle: c.handle,
            })
            .collect();
        let chosen = match creator_id {
            Some(id) => teams.iter().find(|c| c.id == id).cloned(),
            None => teams.first().cloned(),
        };
        Ok((teams, chosen))
    }
}

/// The overview: which creator, its tiers, and its revenue and engagement over the last
/// 30 days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub creators: Vec<TeamCreator>,
    /// The creator shown (`None`: the user is on no team).
    pub creator: Option<TeamCreator>,
    pub tiers: Option<TierList>,
    pub revenue: Option<RevenueReport>,
    pub engagement: Option<EngagementReport>,
}

/// The creators the user works on and, for the chosen one (default the first), its
/// tiers and revenue.
#[server(prefix = "/api/fn", endpoint = "dashboard_overview")]
pub async fn dashboard_overview(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<Overview, ServerFnError> {
    use crate::api::audience::server_side;
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::engagement_report::{self, EngagementQuery};
    use crate::backend::services::revenue::{self, RevenueQuery};
    use crate::backend::services::tiers;
    let (state, identity) = signed_in().await?;
    let (teams, chosen) = server_side::teams(&state, &identity, creator_id).await?;
    let Some(creator) = chosen else {
        return Ok(Overview {
            creators: teams,
            creator: None,
            tiers: None,
            revenue: None,
            engagement: None,
        });
    };
    let tiers = tiers::list(&state, &identity, Some(creator.id))
        .await
        .map_err(fail)?;
    let query = RevenueQuery {
        creator_id: Some(creator.id),
        period: Some("month".into()),
    };
    let revenue = revenue::report(&state, &identity, query)
        .await
        .map_err(fail)?;
    let query = EngagementQuery {
        creator_id: Some(creator.id),
        period: Some("month".into()),
    };
    let engagement = engagement_report::report(&state, &identity, query)
        .await
        .map_err(fail)?;
    Ok(Overview {
        creators: teams,
        creator: Some(creator),
        tiers: Some(tiers),
        revenue: Some(revenue),
        engagement: Some(engagement),
    })
}

/// One page of the creator's members with the filters of the members table.
#[server(prefix = "/api/fn", endpoint = "dashboard_members")]
pub async fn dashboard_members(
    creator_id: Uuid,
    #[server(default)] status: String,
    #[server(default)] level: String,
    #[server(default)] q: String,
    #[server(default)] cursor: Option<String>,
) -> Result<MemberList, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::members::{self, MemberQuery};
    let (state, identity) = signed_in().await?;
    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let query = MemberQuery {
        creator_id: Some(creator_id),
        status: some(status),
        engagement_level: some(level),
        q: some(q),
        cursor: cursor.filter(|c| !c.is_empty()),
        limit: Some(20),
        ..MemberQuery::default()
    };
    members::list(&state, &identity, query).await.map_err(fail)
}

/// One member of the creator's audience, in full.
#[server(prefix = "/api/fn", endpoint = "dashboard_member")]
pub async fn dashboard_member(
    member_id: Uuid,
) -> Result<crate::model::audience::MemberDetail, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::member;
    let (state, identity) = signed_in().await?;
    member::get(&state, &identity, member_id)
        .await
        .map_err(fail)
}

/// Saves the team's notes and tags (comma-separated) on a member.
#[server(prefix = "/api/fn", endpoint = "save_member_notes")]
pub async fn save_member_notes(
    member_id: Uuid,
    #[server(default)] notes: String,
    #[server(default)] tags: String,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::member;
    use crate::model::audience::UpdateMember;
    let (state, identity) = signed_in().await?;
    let changes = UpdateMember {
        notes: Some(notes),
        tags: Some(
            tags.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect(),
        ),
        ..UpdateMember::default()
    };
    member::update(&state, &identity, member_id, changes)
        .await
        .map_err(fail)?;
    Ok(())
}
