//! Data export (GDPR art. 15 and 20): the user asks, a job gathers every record about
//! them into one JSON document, and a signed link lets them download it for 24 hours.

use crate::backend::auth::identity::{parse_teams, Identity};
use crate::backend::error::AppError;
use crate::backend::mail::Message;
use crate::backend::pagination::{Direction, PageRequest, MAX_LIMIT};
use crate::backend::services::jobs::{self, Job};
use crate::backend::services::notifications::{self, Kind};
use crate::backend::services::{
    community, invoices, memberships, payment_methods, profiles, subscriptions,
};
use crate::backend::store::data_exports::{self, DataExportRow};
use crate::backend::store::{balances, notifications as notification_store, sessions};
use crate::backend::store::{community as community_store, tips as tip_store};
use crate::backend::store::{
    creators, profiles as profile_store, subscriptions as subscription_store, users,
};
use crate::backend::AppState;
use crate::model::privacy::DataExport;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

/// The query of a signed download link.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// The signature from `download_url`.
    pub token: String,
}

/// How long a ready file can be downloaded.
pub const LINK_VALID_HOURS: i64 = 24;
/// A pending export older than this is presumed lost (its job gave up) and no longer
/// blocks a new request.
const PENDING_GIVE_UP_HOURS: i64 = 6;

fn download_url(
    state: &AppState,
    row: &DataExportRow,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let (Some(expires_at), "ready") = (row.expires_at, row.status.as_str()) else {
        return Ok(None);
    };
    let token = state
        .keys
        .issue_download(row.user_id, row.id, now, expires_at)?;
    Ok(Some(format!(
        "{}/api/v1/data-exports/{}/download?token={token}",
        state.settings.public_url, row.id
    )))
}

fn to_api(
    state: &AppState,
    row: DataExportRow,
    now: DateTime<Utc>,
) -> Result<DataExport, AppError> {
    // A ready file past its date is expired even before the hourly purge says so.
    let lapsed = row.status == "ready" && row.expires_at.is_some_and(|at| at <= now);
    let download_url = if lapsed {
        None
    } else {
        download_url(state, &row, now)?
    };
    Ok(DataExport {
        id: row.id,
        status: if lapsed { "expired".into() } else { row.status },
        requested_at: row.requested_at,
        expires_at: row.expires_at,
        completed_at: row.completed_at,
        download_url,
        size_bytes: row.size_bytes,
    })
}

/// The latest export, 404 `export_not_found` if the user never asked for one.
pub async fn latest(state: &AppState, identity: &Identity) -> Result<DataExport, AppError> {
    let row = data_exports::latest(&state.db, identity.user_id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            code: "export_not_found",
            message: "You have not requested a data export yet.".into(),
        })?;
    to_api(state, row, state.clock.now())
}

/// Queues an export; 409 `export_already_pending` while one is being prepared.
pub async fn request(state: &AppState, identity: &Identity) -> Result<DataExport, AppError> {
    let now = state.clock.now();
    let row = DataExportRow {
        id: Uuid::now_v7(),
        user_id: identity.user_id,
        status: "pending".into(),
        requested_at: now,
        completed_at: None,
        expires_at: None,
        size_bytes: None,
    };
    let mut tx = state.db.begin().await?;
    if let Some(stale) = data_exports::latest_pending(&mut tx, identity.user_id).await? {
        if stale.requested_at <= now - Duration::hours(PENDING_GIVE_UP_HOURS) {
            data_exports::fail(&mut tx, stale.id, now).await?;
        }
    }
    if !data_exports::insert_pending(&mut tx, &row).await? {
        return Err(AppError::Conflict {
            code: "export_already_pending",
            message: "An export is already being prepared; you will be notified when it is ready."
                .into(),
        });
    }
    jobs::enqueue(&mut tx, &Job::ExportData { export_id: row.id }, now, now).await?;
    tx.commit().await?;
    to_api(state, row, now)
}

/// The file behind a signed link: 403 `invalid_download_link` when the link was not
/// made by us for this file, 410 `download_link_expired` once it lapsed.
pub async fn download(state: &AppState, id: Uuid, token: &str) -> Result<Vec<u8>, AppError> {
    let forged = || AppError::Forbidden {
        code: "invalid_download_link",
        message: "This download link is not valid.".into(),
    };
    let expired = || AppError::Gone {
        code: "download_link_expired",
        message: "This download link has expired; request a new export from your account.".into(),
    };
    let claims = state.keys.verify_download(token).ok_or_else(forged)?;
    if claims.sid != id {
        return Err(forged());
    }
    if claims.exp <= state.clock.now().timestamp() {
        return Err(expired());
    }
    let row = data_exports::find(&state.db, id)
        .await?
        .ok_or_else(forged)?;
    if row.user_id != claims.sub {
        return Err(forged());
    }
    data_exports::content(&state.db, id)
        .await?
        .ok_or_else(expired)
}

/// Everything stored about one user, as they would see it through the API.
#[derive(Serialize)]
struct Archive {
    format: &'static str,
    exported_at: DateTime<Utc>,
    account: crate::model::user::User,
    notification_preferences: crate::model::notification::NotificationPreferences,
    profiles: Vec<crate::model::profile::Profile>,
    /// The platform subscription and creator memberships, past and present.
    subscriptions: Vec<crate::model::subscription::Subscription>,
    invoices: Vec<crate::model::subscription::Invoice>,
    /// Brand, last 4 digits and expiry only: card numbers are never stored.
    payment_methods: Vec<crate::model::payment_method::PaymentMethod>,
    account_balances: Vec<Balance>,
    notifications: Vec<crate::model::notification::Notification>,
    sessions: Vec<sessions::SessionRecord>,
    /// Memberships with creators, current ones first.
    memberships: Vec<crate::model::audience::Membership>,
    tips: Vec<Tip>,
    community_posts: Vec<crate::model::community::Post>,
    community_comments: Vec<crate::model::community::Comment>,
}

/// A tip the user sent; its receipt is among the invoices.
#[derive(Serialize)]
struct Tip {
    id: Uuid,
    creator_id: Uuid,
    jar_id: Option<Uuid>,
    amount_minor: i64,
    currency: String,
    message: String,
    anonymous: bool,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Balance {
    currency: String,
    amount_minor: i64,
}

/// The job: builds the archive of a pending export, stores it, and tells the user.
/// Run again after it succeeded, it finds the export no longer pending and stops.
pub async fn build(state: &AppState, export_id: Uuid) -> Result<(), AppError> {
    let Some(export) = data_exports::find(&state.db, export_id).await? else {
        return Ok(());
    };
    if export.status != "pending" {
        return Ok(());
    }
    let user_id = export.user_id;
    let Some(user) = users::find_by_id(&state.db, user_id).await? else {
        return Ok(());
    };
    // The services below answer "my …" questions; the export asks them as the user.
    let me = Identity {
        user_id,
        session_id: Uuid::nil(),
        roles: users::roles(&state.db, user_id).await?,
        teams: parse_teams(creators::teams_of(&state.db, user_id).await?),
    };
    let now = state.clock.now();
    let mut subscriptions_out = Vec::new();
    for row in subscription_store::all_for_user(&state.db, user_id).await? {
        subscriptions_out.push(subscriptions::to_api(state, row).await?);
    }
    let archive = Archive {
        format: "encora-data-export/1",
        exported_at: now,
        account: user.clone().into_api(&me.roles),
        notification_preferences: notifications::preferences(state, user_id).await?,
        profiles: profile_store::list(&state.db, user_id)
            .await?
            .into_iter()
            .map(profiles::to_api)
            .collect(),
        subscriptions: subscriptions_out,
        invoices: every_invoice(state, &me).await?,
        payment_methods: payment_methods::list(state, &me).await?.data,
        account_balances: balances::all(&state.db, user_id)
            .await?
            .into_iter()
            .map(|(currency, amount_minor)| Balance {
                currency,
                amount_minor,
            })
            .collect(),
        notifications: notification_store::all_for_user(&state.db, user_id)
            .await?
            .into_iter()
            .map(notifications::to_api)
            .collect(),
        sessions: sessions::records_for_user(&state.db, user_id).await?,
        memberships: memberships::mine(state, &me).await?.data,
        tips: tip_store::of_user(&state.db, user_id)
            .await?
            .into_iter()
            .map(|t| Tip {
                id: t.id,
                creator_id: t.creator_id,
                jar_id: t.jar_id,
                amount_minor: t.amount_minor,
                currency: t.currency,
                message: t.message,
                anonymous: t.anonymous,
                created_at: t.created_at,
            })
            .collect(),
        community_posts: community_store::posts_by(&state.db, user_id)
            .await?
            .into_iter()
            .map(community::post_to_api)
            .collect(),
        community_comments: community_store::comments_by(&state.db, user_id)
            .await?
            .into_iter()
            .map(community::comment_to_api)
            .collect(),
    };
    let content = serde_json::to_vec_pretty(&archive).map_err(AppError::internal)?;
    let expires_at = now + Duration::hours(LINK_VALID_HOURS);

    let mut tx = state.db.begin().await?;
    if !data_exports::complete(&mut tx, export_id, &content, now, expires_at).await? {
        return Ok(());
    }
    notifications::notify(
        &mut tx,
        user_id,
        Kind::DataExportReady,
        "Your data export is ready",
        &format!(
            "Download it from your account page within {LINK_VALID_HOURS} hours; after that, \
             request a new one."
        ),
        now,
    )
    .await?;
    tx.commit().await?;

    let ready = DataExportRow {
        status: "ready".into(),
        completed_at: Some(now),
        expires_at: Some(expires_at),
        ..export
    };
    if let Some(link) = download_url(state, &ready, now)? {
        let message = Message {
            to: user.email,
            subject: "Your Encora data export is ready".into(),
            body: format!(
                "The copy of your data you asked for is ready. Download it within \
                 {LINK_VALID_HOURS} hours:\r\n\r\n{link}\r\n\r\n\
                 If you did not ask for it, change your password."
            ),
        };
        if let Err(error) = state.mailer.send(&message, now).await {
            tracing::error!(%error, "data export mail could not be sent");
        }
    }
    Ok(())
}

/// Every invoice of the user, page by page.
async fn every_invoice(
    state: &AppState,
    me: &Identity,
) -> Result<Vec<crate::model::subscription::Invoice>, AppError> {
    let mut all = Vec::new();
    let mut request = PageRequest::first(MAX_LIMIT);
    loop {
        let page = invoices::list(state, me, None, request).await?;
        let last = page.data.last().map(|invoice| invoice.id);
        let more = page.meta.has_more;
        all.extend(page.data);
        match (more, last) {
            (true, Some(id)) => request.direction = Some(Direction::After(id)),
            _ => return Ok(all),
        }
    }
}
