//! In-app notifications and their preferences (subscriber document, "Subscriber account").

use crate::model::page::PageMeta;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: Uuid,
    /// `payment_failed`, `subscription_canceled`, `password_changed`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// `low`, `normal` or `high`.
    pub priority: String,
    pub title: String,
    pub body: String,
    pub is_read: bool,
    pub read_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub data: Vec<Notification>,
    /// Unread notifications in all, whatever the filter and page.
    pub unread_count: u64,
    pub meta: PageMeta,
}

/// The body of `PATCH /notifications/{notif_id}`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateNotification {
    pub is_read: bool,
}

/// Which kinds of notification the user wants. Security notices about the account
/// itself (password changed, …) are always sent: `account_security: false` only stops
/// the optional ones.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationPreferences {
    #[serde(default = "yes")]
    pub payment: bool,
    #[serde(default = "yes")]
    pub new_content: bool,
    #[serde(default = "yes")]
    pub account_security: bool,
    #[serde(default = "yes")]
    pub marketing: bool,
}

fn yes() -> bool {
    true
}

impl Default for NotificationPreferences {
    fn default() -> Self {
        NotificationPreferences {
            payment: true,
            new_content: true,
            account_security: true,
            marketing: true,
        }
    }
}
