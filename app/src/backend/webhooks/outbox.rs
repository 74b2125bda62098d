//! Emitting events: written in the transaction of the change they report, with one
//! delivery (and its job) per enabled endpoint that subscribed to the type. If the
//! change rolls back, no event exists; if it commits, every delivery will be tried.

use crate::backend::db::Tx;
use crate::backend::error::AppError;
use crate::backend::services::jobs::{self, Job};
use crate::backend::store::webhooks::{self, EndpointRow, EventRow};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

/// An event about to be emitted.
pub struct Event<'a> {
    pub creator_id: Uuid,
    /// One of `model::webhook::EVENT_TYPES` (or `webhook.test`).
    pub kind: &'a str,
    /// Events with the same key reach an endpoint in the order they were emitted (the
    /// member's id for member events).
    pub ordering_key: String,
    pub data: Value,
}

/// The `webhook-id` of an event's deliveries.
pub fn message_id(event_id: Uuid) -> String {
    format!("msg_{}", event_id.simple())
}

/// Records the event and queues its deliveries to the creator's subscribed endpoints.
pub async fn emit(tx: &mut Tx, event: Event<'_>, now: DateTime<Utc>) -> Result<(), AppError> {
    let endpoints: Vec<EndpointRow> = webhooks::enabled_endpoints(tx, event.creator_id)
        .await?
        .into_iter()
        .filter(|e| e.event_list().iter().any(|t| t == event.kind))
        .collect();
    if endpoints.is_empty() {
        return Ok(());
    }
    emit_to(tx, event, &endpoints, now).await
}

/// Records the event and queues its delivery to exactly `endpoints`.
pub async fn emit_to(
    tx: &mut Tx,
    event: Event<'_>,
    endpoints: &[EndpointRow],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let id = Uuid::now_v7();
    let payload = json!({
        "type": event.kind,
        "timestamp": now.to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": event.data,
    });
    webhooks::insert_event(
        tx,
        &EventRow {
            id,
            creator_id: event.creator_id,
            kind: event.kind.into(),
            ordering_key: event.ordering_key.clone(),
            payload: payload.to_string(),
            created_at: now,
        },
    )
    .await?;
    for endpoint in endpoints {
        queue_delivery(tx, id, endpoint.id, &event.ordering_key, now).await?;
    }
    Ok(())
}

/// A new delivery of a recorded event, tried at once.
pub async fn queue_delivery(
    tx: &mut Tx,
    event_id: Uuid,
    endpoint_id: Uuid,
    ordering_key: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let delivery_id = Uuid::now_v7();
    webhooks::insert_delivery(tx, delivery_id, event_id, endpoint_id, ordering_key, now).await?;
    jobs::enqueue(tx, &Job::DeliverWebhook { delivery_id }, now, now).await?;
    Ok(delivery_id)
}
