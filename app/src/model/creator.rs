use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creator {
    pub id: Uuid,
    pub handle: String,
    pub name: String,
    pub bio: String,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCreator {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(pattern = r"^[a-z0-9_]{3,30}$"))]
    pub handle: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 2000))]
    pub bio: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub added_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddTeamMember {
    #[cfg_attr(feature = "ssr", schema(format = Email, max_length = 254))]
    pub email: String,
    /// A creator-side role.
    #[cfg_attr(
        feature = "ssr",
        schema(pattern = "^(content_creator|marketing|brand_manager|manager|tenant_admin)$")
    )]
    pub role: String,
}
