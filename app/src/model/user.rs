use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
}
