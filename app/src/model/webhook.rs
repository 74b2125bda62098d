//! Creators' webhooks (audience document, "Webhooks").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The event types a webhook endpoint may subscribe to.
pub const EVENT_TYPES: [&str; 7] = [
    "audience.member_joined",
    "audience.member_upgraded",
    "audience.member_churned",
    "audience.tip_received",
    "audience.milestone_reached",
    "audience.engagement_alert",
    "audience.payment_failed",
];

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    /// `enabled`, or `disabled` after deliveries kept failing for about three days.
    pub status: String,
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The answer to creating an endpoint: the only time its signing secret is shown.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `whsec_…`: verify each delivery's `webhook-signature` with it.
    pub secret: String,
}

/// `POST /audience/webhooks`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    #[serde(default)]
    pub creator_id: Option<Uuid>,
    /// `https://…` (or `http://…`); private and loopback addresses are refused.
    #[cfg_attr(feature = "ssr", schema(max_length = 2000))]
    pub url: String,
    #[cfg_attr(feature = "ssr", schema(min_items = 1))]
    pub events: Vec<String>,
}

/// One attempt history of one event to one endpoint.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    pub id: Uuid,
    /// The `webhook-id` header of every attempt: `msg_…`.
    pub message_id: String,
    pub event_type: String,
    /// `pending`, `succeeded` or `failed` (no attempts left).
    pub status: String,
    pub attempts: u32,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}
