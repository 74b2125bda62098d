//! Sub-profiles of an account (subscriber document, "Subscriber account").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContentRating {
    #[serde(rename = "G")]
    G,
    #[serde(rename = "PG")]
    Pg,
    #[serde(rename = "PG-13")]
    Pg13,
    #[serde(rename = "R")]
    R,
    #[serde(rename = "NC-17")]
    Nc17,
    #[serde(rename = "TV-Y")]
    TvY,
    #[serde(rename = "TV-G")]
    TvG,
    #[serde(rename = "TV-PG")]
    TvPg,
    #[serde(rename = "TV-14")]
    Tv14,
    #[serde(rename = "TV-MA")]
    TvMa,
}

impl ContentRating {
    pub const ALL: [ContentRating; 10] = [
        ContentRating::G,
        ContentRating::Pg,
        ContentRating::Pg13,
        ContentRating::R,
        ContentRating::Nc17,
        ContentRating::TvY,
        ContentRating::TvG,
        ContentRating::TvPg,
        ContentRating::Tv14,
        ContentRating::TvMa,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContentRating::G => "G",
            ContentRating::Pg => "PG",
            ContentRating::Pg13 => "PG-13",
            ContentRating::R => "R",
            ContentRating::Nc17 => "NC-17",
            ContentRating::TvY => "TV-Y",
            ContentRating::TvG => "TV-G",
            ContentRating::TvPg => "TV-PG",
            ContentRating::Tv14 => "TV-14",
            ContentRating::TvMa => "TV-MA",
        }
    }

    pub fn parse(s: &str) -> Option<ContentRating> {
        ContentRating::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Ratings a kids profile may have: general audiences and parental guidance.
    pub fn is_for_kids(self) -> bool {
        matches!(
            self,
            ContentRating::G
                | ContentRating::Pg
                | ContentRating::TvY
                | ContentRating::TvG
                | ContentRating::TvPg
        )
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: Uuid,
    pub name: String,
    pub avatar_preset_id: Option<Uuid>,
    pub is_primary: bool,
    /// Whether a PIN guards it (the PIN itself is never returned).
    pub pin_protected: bool,
    pub content_rating_limit: ContentRating,
    pub language: String,
    pub is_kids: bool,
    pub autoplay_next_episode: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileList {
    pub data: Vec<Profile>,
}

/// The body of `POST /users/me/profiles` and `PATCH /users/me/profiles/{profile_id}`.
/// On PATCH, fields left out keep their value, and `"pin": null` removes the PIN.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 50, pattern = r"\S")
    )]
    pub name: String,
    #[serde(default)]
    pub avatar_preset_id: Option<Uuid>,
    #[serde(default, deserialize_with = "crate::model::nullable::present")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, min_length = 4, max_length = 6, pattern = r"^\d+$"))]
    pub pin: Option<Option<String>>,
    /// Default `TV-MA`, or `TV-PG` for a kids profile (which only takes kids ratings).
    #[serde(default)]
    pub content_rating_limit: Option<ContentRating>,
    /// BCP 47; default the account's locale.
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schema(pattern = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
    )]
    pub language: Option<String>,
    #[serde(default)]
    pub is_kids: Option<bool>,
    #[serde(default)]
    pub autoplay_next_episode: Option<bool>,
}

/// The body of `POST /users/me/profiles/{profile_id}/verify-pin`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyPin {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 4, max_length = 6, pattern = r"^\d+$")
    )]
    pub pin: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileToken {
    pub profile_token: String,
    /// Seconds: 3600.
    pub expires_in: u64,
}
