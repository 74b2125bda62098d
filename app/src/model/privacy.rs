//! Privacy: account deletion with a grace period and data export (subscriber document,
//! "Privacy").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Body of `POST /users/me/deletion-request` and `DELETE /users/me`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDeletion {
    /// The current account password, as confirmation.
    #[cfg_attr(feature = "ssr", schema(format = Password, min_length = 1))]
    pub password: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub reason: Option<String>,
}

/// A request to delete the account, erased at `scheduled_deletion_at` unless canceled.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionRequest {
    pub id: Uuid,
    /// `pending`, `canceled` or `completed`.
    #[cfg_attr(feature = "ssr", schema(example = "pending"))]
    pub status: String,
    pub scheduled_deletion_at: DateTime<Utc>,
    pub requested_at: DateTime<Utc>,
}

/// A data export job (`GET/POST /users/me/data-export`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataExport {
    pub id: Uuid,
    /// `pending`, `ready`, `failed` or `expired`.
    #[cfg_attr(feature = "ssr", schema(example = "pending"))]
    pub status: String,
    pub requested_at: DateTime<Utc>,
    /// When the download link lapses (24 hours after the file was ready).
    pub expires_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The signed download link, while `ready`.
    pub download_url: Option<String>,
    /// The size of the file, once ready.
    pub size_bytes: Option<i64>,
}
