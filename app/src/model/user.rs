use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The largest avatar file accepted, checked by the browser before it sends one and
/// by the server when it arrives.
pub const AVATAR_MAX_BYTES: usize = 5 * 1024 * 1024;

/// What the site header shows a signed-in visitor on every page: their name and how
/// many notifications they have not read. Apart from [`User`] so that each navigation
/// fetches two fields in one call, and the browser's main bundle (every first page) need
/// not decode whole users, with their dates and ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInSummary {
    pub display_name: String,
    pub unread_notifications: u64,
}

/// The documented user object (`GET /api/v1/users/me`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub email_verified: bool,
    pub display_name: String,
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub locale: String,
    pub timezone: String,
    pub country_code: Option<String>,
    pub preferred_language: String,
    pub status: String,
    pub roles: Vec<String>,
    pub mfa_enabled: bool,
    pub terms_accepted_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The avatar image (`GET /users/me/avatar`, versioned so it can be cached), or
    /// null without one. An addition to the documented object.
    pub avatar_url: Option<String>,
}

/// The body of `PATCH /users/me`: only what a user may change about themselves; any
/// other field (`roles`, `status`, `email_verified`, …) is refused.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateProfile {
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub display_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schema(max_length = 20, pattern = r"^\+[1-9]\d{1,14}$")
    )]
    pub phone: Option<String>,
    /// BCP 47, such as `en-US`.
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schema(
            example = "en-US",
            pattern = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
        )
    )]
    pub locale: Option<String>,
    /// IANA, such as `America/New_York`.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::backend::services::profile::timezone_schema))]
    pub timezone: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 2, max_length = 2, pattern = "^[A-Za-z]{2}$")
    )]
    pub country_code: Option<String>,
    /// ISO 639, such as `en`.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(example = "en", pattern = "^[a-z]{2,3}$"))]
    pub preferred_language: Option<String>,
    #[serde(default)]
    pub notification_preferences: Option<crate::model::notification::NotificationPreferences>,
}
