//! A creator's webhook endpoints: register (the secret is shown once), list, look at,
//! remove, read the delivery log, send a test event, replay a delivery. Another
//! creator's endpoint is `404 webhook_not_found`.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{require_owner, resolve_creator, CreatorPermission};
use crate::backend::error::{AppError, FieldError};
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::store::webhooks::{self, DeliveryRow, EndpointRow};
use crate::backend::webhooks::outbox::{self, Event};
use crate::backend::webhooks::{address, signature};
use crate::backend::AppState;
use crate::model::page::Page;
use crate::model::webhook::{CreateWebhook, CreatedWebhook, Webhook, WebhookDelivery, EVENT_TYPES};
use serde_json::json;
use uuid::Uuid;

const URL_MAX: usize = 2000;
const ENDPOINTS_MAX: u64 = 20;

fn webhook_not_found() -> AppError {
    AppError::NotFound {
        code: "webhook_not_found",
        message: "Webhook endpoint not found.".into(),
    }
}

fn to_api(row: &EndpointRow) -> Webhook {
    Webhook {
        id: row.id,
        creator_id: row.creator_id,
        url: row.url.clone(),
        events: row.event_list(),
        status: row.status.clone(),
        disabled_reason: row.disabled_reason.clone(),
        created_at: row.created_at,
    }
}

fn delivery_to_api(row: DeliveryRow) -> WebhookDelivery {
    WebhookDelivery {
        id: row.id,
        message_id: outbox::message_id(row.event_id),
        event_type: row.event_type,
        status: row.status,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        last_status_code: row.last_status_code.and_then(|c| u16::try_from(c).ok()),
        last_error: row.last_error,
        next_attempt_at: row.next_attempt_at,
        delivered_at: row.delivered_at,
        created_at: row.created_at,
    }
}

/// The endpoint, if the caller may act on its creator with `permission`.
async fn endpoint(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    permission: CreatorPermission,
) -> Result<EndpointRow, AppError> {
    let row = webhooks::find_endpoint(&state.db, id)
        .await?
        .ok_or_else(webhook_not_found)?;
    require_owner(
        &state.db,
        identity,
        row.creator_id,
        permission,
        webhook_not_found,
    )
    .await?;
    Ok(row)
}

pub async fn list(
    state: &AppState,
    identity: &Identity,
    creator_id: Option<Uuid>,
    request: PageRequest,
) -> Result<Page<Webhook>, AppError> {
    let creator_id =
        resolve_creator(&state.db, identity, creator_id, CreatorPermission::View).await?;
    let rows = webhooks::endpoints_page(&state.db, creator_id, request).await?;
    let total = webhooks::count_endpoints(&state.db, creator_id).await?;
    let page = into_page(request, rows, total, |r| r.id);
    Ok(Page {
        data: page.data.iter().map(to_api).collect(),
        meta: page.meta,
    })
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    req: CreateWebhook,
) -> Result<CreatedWebhook, AppError> {
    let creator_id = resolve_creator(
        &state.db,
        identity,
        req.creator_id,
        CreatorPermission::ManageWebhooks,
    )
    .await?;
    let mut errors = Vec::new();
    let url = req.url.trim().to_string();
    let parsed = if url.chars().count() > URL_MAX {
        errors.push(FieldError::new("url", "must be at most 2000 characters"));
        None
    } else {
        match address::parse(&url) {
            Ok(parsed) => Some(parsed),
            Err(why) => {
                errors.push(FieldError::new("url", why));
                None
            }
        }
    };
    let mut events: Vec<String> = req.events.iter().map(|e| e.trim().to_string()).collect();
    events.sort();
    events.dedup();
    if events.is_empty() {
        errors.push(FieldError::new(
            "events",
            "must name at least one event type",
        ));
    }
    if let Some(unknown) = events.iter().find(|e| !EVENT_TYPES.contains(&e.as_str())) {
        errors.push(FieldError::new(
            "events",
            format!(
                "{unknown} is not an event type; use {}",
                EVENT_TYPES.join(", ")
            ),
        ));
    }
    if let Some(parsed) = &parsed {
        if let Err(why) = address::resolve(parsed, state.settings.webhooks_allow_private).await {
            errors.push(FieldError::new("url", format!("cannot be used: {why}")));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if webhooks::count_endpoints(&state.db, creator_id).await? >= ENDPOINTS_MAX {
        return Err(AppError::Conflict {
            code: "webhook_limit_reached",
            message: "A creator may register at most 20 webhook endpoints.".into(),
        });
    }
    let now = state.clock.now();
    let row = EndpointRow {
        id: Uuid::now_v7(),
        creator_id,
        url,
        events: serde_json::to_string(&events).map_err(AppError::internal)?,
        secret: signature::new_secret(),
        status: "enabled".into(),
        disabled_reason: None,
        created_by: Some(identity.user_id),
        created_at: now,
        updated_at: now,
    };
    let mut tx = state.db.begin().await?;
    webhooks::insert_endpoint(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(CreatedWebhook {
        webhook: to_api(&row),
        secret: row.secret,
    })
}

pub async fn get(state: &AppState, identity: &Identity, id: Uuid) -> Result<Webhook, AppError> {
    Ok(to_api(
        &endpoint(state, identity, id, CreatorPermission::View).await?,
    ))
}

pub async fn delete(state: &AppState, identity: &Identity, id: Uuid) -> Result<(), AppError> {
    endpoint(state, identity, id, CreatorPermission::ManageWebhooks).await?;
    let mut tx = state.db.begin().await?;
    webhooks::delete_endpoint(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn deliveries(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    request: PageRequest,
) -> Result<Page<WebhookDelivery>, AppError> {
    endpoint(state, identity, id, CreatorPermission::View).await?;
    let rows = webhooks::deliveries_page(&state.db, id, request).await?;
    let total = webhooks::count_deliveries(&state.db, id).await?;
    let page = into_page(request, rows, total, |r| r.id);
    Ok(Page {
        data: page.data.into_iter().map(delivery_to_api).collect(),
        meta: page.meta,
    })
}

/// Sends a `webhook.test` event to this endpoint only.
pub async fn send_test(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
) -> Result<WebhookDelivery, AppError> {
    let row = endpoint(state, identity, id, CreatorPermission::ManageWebhooks).await?;
    if row.status != "enabled" {
        return Err(endpoint_disabled());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    outbox::emit_to(
        &mut tx,
        Event {
            creator_id: row.creator_id,
            kind: "webhook.test",
            ordering_key: format!("test-{}", Uuid::now_v7()),
            data: json!({"endpoint_id": row.id, "message": "A test event from Encora."}),
        },
        std::slice::from_ref(&row),
        now,
    )
    .await?;
    tx.commit().await?;
    latest_delivery(state, id).await
}

/// Delivers a delivery's event again, as a new delivery with the same `webhook-id` (so
/// a receiver that already handled it can tell).
pub async fn replay(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    delivery_id: Uuid,
) -> Result<WebhookDelivery, AppError> {
    let row = endpoint(state, identity, id, CreatorPermission::ManageWebhooks).await?;
    if row.status != "enabled" {
        return Err(endpoint_disabled());
    }
    let original = webhooks::find_delivery(&state.db, delivery_id)
        .await?
        .filter(|d| d.endpoint_id == id)
        .ok_or_else(|| AppError::NotFound {
            code: "delivery_not_found",
            message: "Delivery not found.".into(),
        })?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let new_id =
        outbox::queue_delivery(&mut tx, original.event_id, id, &original.ordering_key, now).await?;
    let created = webhooks::find_delivery(&mut tx, new_id)
        .await?
        .ok_or_else(|| AppError::internal("the replayed delivery is gone"))?;
    tx.commit().await?;
    Ok(delivery_to_api(created))
}

fn endpoint_disabled() -> AppError {
    AppError::Conflict {
        code: "webhook_disabled",
        message: "This endpoint is disabled; register it again to receive events.".into(),
    }
}

async fn latest_delivery(state: &AppState, id: Uuid) -> Result<WebhookDelivery, AppError> {
    webhooks::deliveries_page(&state.db, id, PageRequest::first(1))
        .await?
        .into_iter()
        .next()
        .map(delivery_to_api)
        .ok_or_else(|| AppError::internal("the test delivery is gone"))
}
