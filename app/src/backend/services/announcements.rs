//! Creator announcements: the team publishes to all members, paid members or chosen
//! tiers, may pin them, and may notify the audience in-app (`push`) and by email. The
//! notifying is a job that walks the audience in batches; each batch's notifications
//! and progress commit together, so a re-run resumes where the last one stopped
//! (emails of an interrupted batch may go out twice, never not at all).

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{resolve_creator, CreatorPermission};
use crate::backend::error::{AppError, FieldError};
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::services::community::{voice, Voice};
use crate::backend::services::jobs::{self, Job};
use crate::backend::services::member_messages::{self, Delivery, MemberMessage};
use crate::backend::services::notifications::Kind;
use crate::backend::store::announcements::{self, AnnouncementRow, Reader};
use crate::backend::store::{creators, memberships, tiers};
use crate::backend::AppState;
use crate::model::announcement::{
    Announcement, AnnouncementDelivery, Channel, CreateAnnouncement, Visibility,
};
use crate::model::page::Page;
use std::collections::HashMap;
use uuid::Uuid;

/// Tiers one announcement may be limited to.
const MAX_TIERS: usize = 50;

fn to_api(row: AnnouncementRow, tier_ids: Vec<Uuid>, team: bool) -> Announcement {
    let channels: Vec<Channel> = serde_json::from_str(&row.channels).unwrap_or_default();
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Announcement {
        id: row.id,
        creator_id: row.creator_id,
        title: row.title,
        content: row.content,
        visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::AllMembers),
        tier_ids,
        pinned: row.pinned,
        notification_channels: channels,
        delivery: team.then(|| AnnouncementDelivery {
            status: row.delivery_status,
            recipients: count(row.recipients),
            push_sent: count(row.push_sent),
            email_sent: count(row.email_sent),
            delivered_at: row.delivered_at,
        }),
        created_at: row.created_at,
    }
}

async fn check(
    state: &AppState,
    creator_id: Uuid,
    req: &CreateAnnouncement,
) -> Result<Vec<Uuid>, AppError> {
    let mut errors = Vec::new();
    let title = req.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(FieldError::new(
            "title",
            "must be between 1 and 200 characters",
        ));
    }
    let content = req.content.trim();
    if content.is_empty() || content.chars().count() > 10_000 {
        errors.push(FieldError::new(
            "content",
            "must be between 1 and 10000 characters",
        ));
    }
    let mut tier_ids = req.tier_ids.clone();
    tier_ids.sort();
    tier_ids.dedup();
    match req.visibility {
        Visibility::SpecificTiers if tier_ids.is_empty() || tier_ids.len() > MAX_TIERS => {
            errors.push(FieldError::new(
                "tier_ids",
                format!("must list 1 to {MAX_TIERS} tiers for specific_tiers"),
            ));
        }
        Visibility::SpecificTiers => {
            let own: Vec<Uuid> = tiers::of_creator(&state.db, creator_id)
                .await?
                .into_iter()
                .map(|t| t.id)
                .collect();
            if tier_ids.iter().any(|id| !own.contains(id)) {
                errors.push(FieldError::new("tier_ids", "must be tiers of this creator"));
            }
        }
        _ if !tier_ids.is_empty() => {
            errors.push(FieldError::new(
                "tier_ids",
                "is only for the specific_tiers visibility",
            ));
        }
        _ => {}
    }
    if !req.notify && !req.notification_channels.is_empty() {
        errors.push(FieldError::new(
            "notification_channels",
            "needs notify: true",
        ));
    }
    if errors.is_empty() {
        Ok(tier_ids)
    } else {
        Err(AppError::Validation(errors))
    }
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    req: CreateAnnouncement,
) -> Result<Announcement, AppError> {
    let creator_id = resolve_creator(
        &state.db,
        identity,
        req.creator_id,
        CreatorPermission::Announce,
    )
    .await?;
    let tier_ids = check(state, creator_id, &req).await?;
    let mut channels = req.notification_channels.clone();
    channels.sort();
    channels.dedup();
    if req.notify && channels.is_empty() {
        channels.push(Channel::Push);
    }
    let now = state.clock.now();
    let row = AnnouncementRow {
        id: Uuid::now_v7(),
        creator_id,
        author_id: Some(identity.user_id),
        title: req.title.trim().into(),
        content: req.content.trim().into(),
        visibility: req.visibility.as_str().into(),
        pinned: req.pin,
        channels: serde_json::to_string(&channels).map_err(AppError::internal)?,
        delivery_status: if req.notify { "queued" } else { "none" }.into(),
        delivery_cursor: None,
        recipients: 0,
        push_sent: 0,
        email_sent: 0,
        created_at: now,
        delivered_at: None,
    };
    let mut tx = state.db.begin().await?;
    announcements::insert(&mut tx, &row, &tier_ids).await?;
    if req.notify {
        let job = Job::DeliverAnnouncement {
            announcement_id: row.id,
        };
        jobs::enqueue(&mut tx, &job, now, now).await?;
    }
    tx.commit().await?;
    Ok(to_api(row, tier_ids, true))
}

/// `GET /audience/announcements` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnnouncementQuery {
    pub creator_id: Uuid,
    /// Only pinned announcements.
    #[serde(default)]
    pub pinned: bool,
}

/// The creator's announcements newest first: all of them for the team, those meant
/// for their tier for a member.
pub async fn list(
    state: &AppState,
    identity: &Identity,
    query: AnnouncementQuery,
    request: PageRequest,
) -> Result<Page<Announcement>, AppError> {
    let creator_id = query.creator_id;
    let reader = match voice(state, identity, creator_id).await? {
        Voice::Team => Reader::Team,
        Voice::Member(membership_id) => {
            let membership = memberships::find(&state.db, membership_id)
                .await?
                .ok_or_else(|| AppError::internal("a member's membership is missing"))?;
            let tier = tiers::find(&state.db, membership.tier_id)
                .await?
                .ok_or_else(|| AppError::internal("a membership's tier is missing"))?;
            Reader::Member {
                tier_id: tier.id,
                paid: !tier.is_free(),
            }
        }
    };
    let rows = announcements::page(&state.db, creator_id, reader, query.pinned, request).await?;
    let total = announcements::count(&state.db, creator_id, reader, query.pinned).await?;
    let page = into_page(request, rows, total, |r| r.id);
    let ids: Vec<Uuid> = page.data.iter().map(|r| r.id).collect();
    let mut tiers_by: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (announcement, tier) in announcements::tiers_of(&state.db, &ids).await? {
        tiers_by.entry(announcement).or_default().push(tier);
    }
    let team = matches!(reader, Reader::Team);
    Ok(Page {
        data: page
            .data
            .into_iter()
            .map(|row| {
                let tiers = tiers_by.remove(&row.id).unwrap_or_default();
                to_api(row, tiers, team)
            })
            .collect(),
        meta: page.meta,
    })
}

/// The job: notifies the announcement's audience, a batch per transaction.
pub async fn deliver(state: &AppState, announcement_id: Uuid) -> Result<(), AppError> {
    let Some(row) = announcements::find(&state.db, announcement_id).await? else {
        return Ok(());
    };
    if row.delivery_status != "queued" {
        return Ok(());
    }
    let channels: Vec<Channel> = serde_json::from_str(&row.channels).unwrap_or_default();
    let creator = creators::find(&state.db, row.creator_id)
        .await?
        .map_or_else(|| "A creator".to_string(), |c| c.name);
    let subject = format!("{creator}: {}", row.title);
    let footer = format!(
        "You receive this as a member of {creator}. Turn off \"New content\" in your \
         notification settings to stop these emails."
    );
    let message = MemberMessage {
        channels: &channels,
        kind: Kind::NewContent,
        category: "new_content",
        subject: &subject,
        body: &row.content,
        email_footer: &footer,
    };
    let audience = announcements::recipients(&row);
    member_messages::deliver(
        state,
        &message,
        audience,
        row.delivery_cursor,
        Delivery::Announcement(row.id),
    )
    .await
}
