//! The webhooks page's server functions over `/api/v1/audience/webhooks`: endpoints,
//! registering one (its secret is shown once), removing one, each endpoint's delivery
//! log, a test event and replaying a delivery.

use crate::api::audience::CreatorPanel;
use crate::model::page::Page;
use crate::model::webhook::{CreatedWebhook, Webhook, WebhookDelivery};
use leptos::prelude::*;
use uuid::Uuid;

/// The creator's endpoints (at most 20, so one page holds them all).
#[server(prefix = "/api/fn", endpoint = "dashboard_webhooks")]
pub async fn dashboard_webhooks(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<CreatorPanel<Vec<Webhook>>, ServerFnError> {
    use crate::api::admin::page_request;
    use crate::api::audience::server_side::panel;
    use crate::backend::services::webhooks;
    let request = page_request(None, 100)?;
    panel(creator_id, |state, identity, creator| async move {
        Ok(webhooks::list(&state, &identity, Some(creator), request)
            .await?
            .data)
    })
    .await
}

/// Registers an endpoint for `events` (comma-separated event types).
#[server(prefix = "/api/fn", endpoint = "create_webhook")]
pub async fn create_webhook(
    creator_id: Uuid,
    url: String,
    #[server(default)] events: String,
) -> Result<CreatedWebhook, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::webhooks;
    use crate::model::webhook::CreateWebhook;
    let (state, identity) = signed_in().await?;
    let req = CreateWebhook {
        creator_id: Some(creator_id),
        url,
        events: events
            .split(',')
            .filter(|e| !e.trim().is_empty())
            .map(String::from)
            .collect(),
    };
    webhooks::create(&state, &identity, req).await.map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "delete_webhook")]
pub async fn delete_webhook(id: Uuid) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::webhooks;
    let (state, identity) = signed_in().await?;
    webhooks::delete(&state, &identity, id).await.map_err(fail)
}

/// One page of an endpoint's deliveries, newest first.
#[server(prefix = "/api/fn", endpoint = "webhook_deliveries")]
pub async fn webhook_deliveries(
    id: Uuid,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<WebhookDelivery>, ServerFnError> {
    use crate::api::admin::page_request;
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::webhooks;
    let (state, identity) = signed_in().await?;
    webhooks::deliveries(&state, &identity, id, page_request(cursor, 10)?)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "send_test_webhook")]
pub async fn send_test_webhook(id: Uuid) -> Result<WebhookDelivery, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::webhooks;
    let (state, identity) = signed_in().await?;
    webhooks::send_test(&state, &identity, id)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "replay_webhook_delivery")]
pub async fn replay_webhook_delivery(
    id: Uuid,
    delivery_id: Uuid,
) -> Result<WebhookDelivery, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::webhooks;
    let (state, identity) = signed_in().await?;
    webhooks::replay(&state, &identity, id, delivery_id)
        .await
        .map_err(fail)
}
