//! The delivery job: one attempt of one delivery. It waits for earlier pending
//! deliveries of the same member to the same endpoint (order), signs the body, posts it
//! with a 10-second timeout and no redirects to the address the guard checked, and on
//! failure tries again after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 14 h and 24 h —
//! about three days — before giving up and disabling the endpoint.

use crate::backend::error::AppError;
use crate::backend::services::jobs::{self, Job};
use crate::backend::store::webhooks::{self, DeliveryRow};
use crate::backend::webhooks::{address, outbox, signature};
use crate::backend::AppState;
use chrono::{DateTime, Duration, Utc};
use std::time::Duration as StdDuration;
use uuid::Uuid;

/// Seconds to wait after each failed attempt; after the last, the delivery fails.
const RETRY_AFTER_SECS: [i64; 9] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 50_400, 86_400];
const TIMEOUT: StdDuration = StdDuration::from_secs(10);
/// Kept of a failure's response, for the delivery log.
const ERROR_MAX: usize = 300;

/// What one attempt came to.
enum Outcome {
    Delivered(u16),
    Failed { status: Option<u16>, error: String },
}

pub async fn deliver(state: &AppState, delivery_id: Uuid) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(delivery) = webhooks::find_delivery(&mut tx, delivery_id).await? else {
        return Ok(());
    };
    if delivery.status != "pending" {
        return Ok(());
    }
    if let Some(earlier) = webhooks::pending_before(&mut tx, &delivery).await? {
        // In order per member: try again just after the earlier one's next attempt.
        let at = earlier.next_attempt_at.unwrap_or(now).max(now) + Duration::seconds(1);
        jobs::enqueue(&mut tx, &Job::DeliverWebhook { delivery_id }, at, now).await?;
        tx.commit().await?;
        return Ok(());
    }
    let endpoint = webhooks::find_endpoint(&mut tx, delivery.endpoint_id).await?;
    tx.commit().await?;
    let Some(endpoint) = endpoint else {
        return Ok(());
    };
    let outcome = if endpoint.status != "enabled" {
        Outcome::Failed {
            status: None,
            error: "the endpoint is disabled".into(),
        }
    } else {
        attempt(state, &endpoint.url, &endpoint.secret, &delivery, now).await
    };
    record(state, delivery, outcome, endpoint.status == "enabled", now).await
}

async fn attempt(
    state: &AppState,
    url: &str,
    secret: &str,
    delivery: &DeliveryRow,
    now: DateTime<Utc>,
) -> Outcome {
    let failed = |error: String| Outcome::Failed {
        status: None,
        error,
    };
    let url = match address::parse(url) {
        Ok(url) => url,
        Err(why) => return failed(format!("the URL {why}")),
    };
    let addr = match address::resolve(&url, state.settings.webhooks_allow_private).await {
        Ok(addr) => addr,
        Err(why) => return failed(why),
    };
    let message_id = outbox::message_id(delivery.event_id);
    let timestamp = now.timestamp();
    let Some(signed) = signature::sign(secret, &message_id, timestamp, &delivery.payload) else {
        return failed("the endpoint's secret is malformed".into());
    };
    let host = url.host_str().unwrap_or_default().to_string();
    let client = match reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        // Connect to the address checked above, whatever the name resolves to now.
        .resolve(&host, addr)
        .build()
    {
        Ok(client) => client,
        Err(e) => return failed(format!("could not prepare the request: {e}")),
    };
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "Encora-Webhooks/1")
        .header("webhook-id", &message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signed)
        .body(delivery.payload.clone())
        .send()
        .await;
    match sent {
        Ok(response) if response.status().is_success() => {
            Outcome::Delivered(response.status().as_u16())
        }
        Ok(response) => Outcome::Failed {
            status: Some(response.status().as_u16()),
            error: format!("the endpoint answered {}", response.status()),
        },
        // The error names the URL but never the secret or the body.
        Err(e) => failed(e.without_url().to_string()),
    }
}

async fn record(
    state: &AppState,
    mut delivery: DeliveryRow,
    outcome: Outcome,
    endpoint_enabled: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    delivery.attempts += 1;
    delivery.last_attempt_at = Some(now);
    match outcome {
        Outcome::Delivered(status) => {
            delivery.status = "succeeded".into();
            delivery.last_status_code = Some(i32::from(status));
            delivery.last_error = None;
            delivery.next_attempt_at = None;
            delivery.delivered_at = Some(now);
        }
        Outcome::Failed { status, error } => {
            delivery.last_status_code = status.map(i32::from);
            delivery.last_error = Some(error.chars().take(ERROR_MAX).collect());
            let retry = usize::try_from(delivery.attempts - 1)
                .ok()
                .and_then(|i| RETRY_AFTER_SECS.get(i))
                .filter(|_| endpoint_enabled);
            match retry {
                Some(secs) => {
                    let at = now + Duration::seconds(*secs);
                    delivery.next_attempt_at = Some(at);
                    let job = Job::DeliverWebhook {
                        delivery_id: delivery.id,
                    };
                    jobs::enqueue(&mut tx, &job, at, now).await?;
                }
                None => {
                    delivery.status = "failed".into();
                    delivery.next_attempt_at = None;
                    if endpoint_enabled {
                        tracing::warn!(endpoint = %delivery.endpoint_id, "webhook endpoint disabled after failing for days");
                        webhooks::disable_endpoint(
                            &mut tx,
                            delivery.endpoint_id,
                            "Deliveries failed for about three days.",
                            now,
                        )
                        .await?;
                    }
                }
            }
        }
    }
    webhooks::record_attempt(&mut tx, &delivery).await?;
    tx.commit().await?;
    Ok(())
}
