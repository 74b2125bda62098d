//! The creator dashboard's server functions: the same services as `/api/v1/audience`,
//! for a signed-in member of a creator's team (or platform staff naming a creator).

use crate::model::analytics::{EngagementReport, History, RevenueReport};
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

/// What a dashboard page loads: the creators the user works on and, unless the user is
/// on no team, the creator shown with the page's data about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorPanel<T> {
    pub creators: Vec<TeamCreator>,
    pub shown: Option<(TeamCreator, T)>,
}

#[cfg(feature = "ssr")]
pub(crate) mod server_side {
    use super::{CreatorPanel, TeamCreator};
    use crate::api::auth::server_side::{fail, reading};
    use crate::backend::auth::identity::Identity;
    use crate::backend::error::AppError;
    use crate::backend::services::creators;
    use crate::backend::AppState;
    use leptos::prelude::ServerFnError;
    use std::future::Future;
    use uuid::Uuid;

    /// A dashboard page's data for the signed-in user: `load` runs for the creator
    /// shown (`creator_id` when the user is on its team, else the first team).
    pub async fn panel<T, Load, Loading>(
        creator_id: Option<Uuid>,
        load: Load,
    ) -> Result<CreatorPanel<T>, ServerFnError>
    where
        Load: FnOnce(AppState, Identity, Uuid) -> Loading,
        Loading: Future<Output = Result<T, AppError>>,
    {
        let (state, identity) = reading().await?;
        let (creators, chosen) = teams(&state, &identity, creator_id).await?;
        let shown = match chosen {
            Some(creator) => {
                let data = load(state, identity, creator.id).await.map_err(fail)?;
                Some((creator, data))
            }
            None => None,
        };
        Ok(CreatorPanel { creators, shown })
    }

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

/// The overview of the creator shown: its tiers, its revenue and engagement over the
/// last 30 days, and its last twelve months.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub tiers: TierList,
    pub revenue: RevenueReport,
    pub engagement: EngagementReport,
    /// The last twelve months, for the charts over time.
    pub history: History,
    /// The members table's first page, unfiltered. Brought along so the server renders
    /// the table without a query of its own (a `Transition` renders its children more
    /// than once on the server, and the table's resource would run each time).
    pub members: MemberList,
}

/// Rows on a page of the dashboard's members table.
#[cfg(feature = "ssr")]
const MEMBERS_PER_PAGE: u32 = 20;

#[server(prefix = "/api/fn", endpoint = "dashboard_overview")]
pub async fn dashboard_overview(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<CreatorPanel<Overview>, ServerFnError> {
    use crate::backend::services::creator_reads::CreatorReads;
    use crate::backend::services::members::{self, MemberQuery};
    use crate::backend::services::{engagement_report, history, revenue, tiers};
    use crate::model::analytics::{EngagementPeriod, RevenuePeriod};
    server_side::panel(creator_id, |state, identity, creator| async move {
        let first_members = MemberQuery {
            creator_id: Some(creator),
            limit: Some(MEMBERS_PER_PAGE),
            ..MemberQuery::default()
        };
        // One after the other on one connection, the permission checked once and the
        // tiers and member counts read once for all five: 16 statements a render
        // instead of 33 (docs/benchmarks.md, sessions 28 and 41).
        let reads = CreatorReads::open(&state, &identity, Some(creator)).await?;
        let now = state.clock.now();
        let tiers = tiers::list_from(&reads).await?;
        let revenue = revenue::report_from(&reads, RevenuePeriod::Month, now).await?;
        let engagement =
            engagement_report::report_from(&reads, EngagementPeriod::Month, now.date_naive())
                .await?;
        let history = history::last_year_from(&reads, now).await?;
        let members = members::list_from(&reads, &first_members, now).await?;
        Ok(Overview {
            tiers,
            revenue,
            engagement,
            history,
            members,
        })
    })
    .await
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
    use crate::api::auth::server_side::{fail, reading};
    use crate::backend::services::members::{self, MemberQuery};
    let (state, identity) = reading().await?;
    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let query = MemberQuery {
        creator_id: Some(creator_id),
        status: some(status),
        engagement_level: some(level),
        q: some(q),
        cursor: cursor.filter(|c| !c.is_empty()),
        limit: Some(MEMBERS_PER_PAGE),
        ..MemberQuery::default()
    };
    members::list(&state, &identity, query).await.map_err(fail)
}

/// One member of the creator's audience, in full.
#[server(prefix = "/api/fn", endpoint = "dashboard_member")]
pub async fn dashboard_member(
    member_id: Uuid,
) -> Result<crate::model::audience::MemberDetail, ServerFnError> {
    use crate::api::auth::server_side::{fail, reading};
    use crate::backend::services::member;
    let (state, identity) = reading().await?;
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
