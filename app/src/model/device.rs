//! Registered devices and stream slots (subscriber account: devices and concurrency).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kinds of device a user can register.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Web,
    Ios,
    Android,
    Tv,
    Desktop,
    Other,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Web => "web",
            Platform::Ios => "ios",
            Platform::Android => "android",
            Platform::Tv => "tv",
            Platform::Desktop => "desktop",
            Platform::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        [
            Platform::Web,
            Platform::Ios,
            Platform::Android,
            Platform::Tv,
            Platform::Desktop,
            Platform::Other,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// Body of `POST /users/me/devices`: registers the calling session's device.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDevice {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: String,
    pub platform: Platform,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: Uuid,
    pub name: String,
    pub platform: Platform,
    pub registered_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// Whether this is the device of the session asking.
    pub current: bool,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceList {
    pub data: Vec<Device>,
    /// The plan's `max_devices` (1 without a subscription).
    pub max_devices: i64,
}

/// Body of `POST /streams`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartStream {
    #[serde(default)]
    pub profile_id: Option<Uuid>,
    #[serde(default)]
    pub device_id: Option<Uuid>,
}

/// A stream slot held as a lease until `expires_at`; heartbeats extend it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamLease {
    pub id: Uuid,
    pub profile_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Send a heartbeat at least this often to keep the slot.
    pub heartbeat_interval_seconds: i64,
}
