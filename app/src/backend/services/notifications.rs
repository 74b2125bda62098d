//! In-app notifications: the platform's own events create them (honouring the user's
//! preferences), the user lists them and marks them read.

use crate::backend::auth::identity::Identity;
use crate::backend::db::Tx;
use crate::backend::error::AppError;
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::store::notifications::{self, NotificationRow};
use crate::backend::AppState;
use crate::model::notification::{Notification, NotificationPage, NotificationPreferences};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use uuid::Uuid;

/// `GET /notifications` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only unread notifications.
    #[serde(default)]
    pub unread_only: bool,
    /// `next_cursor` or `prev_cursor` from the previous page's `meta`.
    pub cursor: Option<String>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

/// Notifications disappear from the list this long after they are created.
const KEPT_DAYS: i64 = 90;

/// What happened, which decides the category a user may opt out of and the priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    PaymentFailed,
    SubscriptionCanceled,
    PasswordChanged,
    DeletionScheduled,
    DeletionCanceled,
    DataExportReady,
    /// A creator the user is a member of announced something.
    NewContent,
    /// A creator's campaign message (an offer to come back, …).
    Marketing,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PaymentFailed => "payment_failed",
            Kind::SubscriptionCanceled => "subscription_canceled",
            Kind::PasswordChanged => "password_changed",
            Kind::DeletionScheduled => "account_deletion_scheduled",
            Kind::DeletionCanceled => "account_deletion_canceled",
            Kind::DataExportReady => "data_export_ready",
            Kind::NewContent => "new_content",
            Kind::Marketing => "marketing",
        }
    }

    /// The preference that governs it; `None`: always sent (security of the account).
    fn category(self) -> Option<&'static str> {
        match self {
            Kind::PaymentFailed | Kind::SubscriptionCanceled => Some("payment"),
            Kind::NewContent => Some("new_content"),
            Kind::Marketing => Some("marketing"),
            Kind::PasswordChanged
            | Kind::DeletionScheduled
            | Kind::DeletionCanceled
            | Kind::DataExportReady => None,
        }
    }

    fn priority(self) -> &'static str {
        match self {
            Kind::PaymentFailed | Kind::PasswordChanged | Kind::DeletionScheduled => "high",
            Kind::SubscriptionCanceled
            | Kind::DeletionCanceled
            | Kind::DataExportReady
            | Kind::NewContent
            | Kind::Marketing => "normal",
        }
    }
}

/// Records a notification in the transaction of the event it reports, unless the user
/// opted out of its category; true when it was recorded.
pub async fn notify(
    tx: &mut Tx,
    user_id: Uuid,
    kind: Kind,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if let Some(category) = kind.category() {
        if !notifications::enabled(tx, user_id, category).await? {
            return Ok(false);
        }
    }
    let row = NotificationRow {
        id: Uuid::now_v7(),
        user_id,
        kind: kind.as_str().into(),
        priority: kind.priority().into(),
        title: title.into(),
        body: body.into(),
        read_at: None,
        expires_at: Some(now + Duration::days(KEPT_DAYS)),
        created_at: now,
    };
    notifications::insert(tx, &row).await?;
    Ok(true)
}

pub fn to_api(row: NotificationRow) -> Notification {
    Notification {
        id: row.id,
        kind: row.kind,
        priority: row.priority,
        title: row.title,
        body: row.body,
        is_read: row.read_at.is_some(),
        read_at: row.read_at,
        expires_at: row.expires_at,
        created_at: row.created_at,
    }
}

pub async fn list(
    state: &AppState,
    identity: &Identity,
    unread_only: bool,
    request: PageRequest,
) -> Result<NotificationPage, AppError> {
    let now = state.clock.now();
    let user = identity.user_id;
    let rows = notifications::page(&state.db, user, unread_only, now, request).await?;
    let total = notifications::count(&state.db, user, unread_only, now).await?;
    let unread_count = if unread_only {
        total
    } else {
        notifications::count(&state.db, user, true, now).await?
    };
    let page = into_page(request, rows, total, |row| row.id);
    Ok(NotificationPage {
        data: page.data.into_iter().map(to_api).collect(),
        unread_count,
        meta: page.meta,
    })
}

/// The signed-in user's name and unread notifications, for the site header.
pub async fn header(
    state: &AppState,
    identity: &Identity,
) -> Result<Option<(String, u64)>, AppError> {
    let now = state.clock.now();
    Ok(notifications::name_and_unread(&state.db, identity.user_id, now).await?)
}

pub async fn mark(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    is_read: bool,
) -> Result<Notification, AppError> {
    let read_at = is_read.then(|| state.clock.now());
    notifications::set_read(&state.db, identity.user_id, id, read_at)
        .await?
        .map(to_api)
        .ok_or_else(|| AppError::NotFound {
            code: "notification_not_found",
            message: "Notification not found.".into(),
        })
}

pub async fn preferences(
    state: &AppState,
    user_id: Uuid,
) -> Result<NotificationPreferences, AppError> {
    let mut prefs = NotificationPreferences::default();
    for (category, enabled) in notifications::preferences(&state.db, user_id).await? {
        match category.as_str() {
            "payment" => prefs.payment = enabled,
            "new_content" => prefs.new_content = enabled,
            "account_security" => prefs.account_security = enabled,
            "marketing" => prefs.marketing = enabled,
            _ => {}
        }
    }
    Ok(prefs)
}

pub async fn set_preferences(
    tx: &mut Tx,
    user_id: Uuid,
    prefs: NotificationPreferences,
) -> Result<(), AppError> {
    for (category, enabled) in [
        ("payment", prefs.payment),
        ("new_content", prefs.new_content),
        ("account_security", prefs.account_security),
        ("marketing", prefs.marketing),
    ] {
        notifications::set_preference(tx, user_id, category, enabled).await?;
    }
    Ok(())
}
