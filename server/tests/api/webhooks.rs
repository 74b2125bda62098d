//! Webhooks end to end: a creator registers a local receiver, members join, upgrade and
//! churn, and the receiver gets each event once, in order, signed as the Standard
//! Webhooks spec says; failures are retried, logged and replayable; the address guard
//! refuses internal targets when private addresses are not allowed.

use crate::helpers::{assert_error, spawn_app_with, Backend, TestApp};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::{Arc, Mutex};

on_both_backends!(
    deliveries_arrive_signed_in_order_and_failures_retry,
    webhook_endpoints_are_validated_and_scoped_to_their_creator,
    a_declined_tier_renewal_reports_payment_failed_then_churn,
    milestones_and_engagement_alerts_reach_the_creator_once,
);

/// What the receiver got, and what it answers next.
#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    failing: Arc<Mutex<bool>>,
}

impl Receiver {
    /// Starts listening on 127.0.0.1; returns the URL to register.
    async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(self.clone());
        crate::helpers::server_runtime().spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        format!("http://{addr}/hook")
    }

    fn bodies(&self) -> Vec<Value> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, body)| serde_json::from_str(body).unwrap())
            .collect()
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    receiver.received.lock().unwrap().push((headers, body));
    if *receiver.failing.lock().unwrap() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::NO_CONTENT
    }
}

/// Verifies a delivery as a receiver would: HMAC-SHA256 over `id.timestamp.body` with
/// the base64-decoded key after `whsec_`, compared with each `v1,` signature.
fn verify(secret: &str, headers: &HeaderMap, body: &str) -> bool {
    let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_string();
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(
        format!(
            "{}.{}.{}",
            header("webhook-id"),
            header("webhook-timestamp"),
            body
        )
        .as_bytes(),
    );
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    header("webhook-signature")
        .split(' ')
        .any(|s| s == expected)
}

impl TestApp {
    /// Runs the jobs that are due now (deliveries are jobs).
    async fn run_jobs(&self) {
        self.sandbox_advance(1).await;
    }
}

async fn deliveries_arrive_signed_in_order_and_failures_retry(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let owner = app.verified_user("hooked@example.com").await;
    let creator = app.create_creator(&owner, "hooked").await;
    let owner = app.sign_in("hooked@example.com").await;
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let created = app
        .post_as(
            "/api/v1/audience/webhooks",
            &owner,
            &json!({"url": url, "events": ["audience.member_joined", "audience.member_upgraded", "audience.member_churned"]}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let hook = created["id"].as_str().unwrap().to_string();
    let shown: Value = app
        .get_as(&format!("/api/v1/audience/webhooks/{hook}"), &owner)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["secret"], Value::Null, "the secret is shown once");

    // A member joins free, moves up to a paid tier, and leaves when the account goes.
    let tiers: Value = app
        .get_as("/api/v1/audience/tiers", &owner)
        .await
        .json()
        .await
        .unwrap();
    let free = tiers["tiers"][0]["id"].clone();
    let paid: Value = app
        .post_as(
            "/api/v1/audience/tiers",
            &owner,
            &json!({"name": "Backstage", "price_monthly": 3}),
        )
        .await
        .json()
        .await
        .unwrap();
    let fan = app.buyer("listener@example.com", "tok_visa").await;
    let join = |tier: Value, extra: Value| {
        let mut body = json!({"creator_id": creator["id"], "tier_id": tier});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    assert_eq!(
        app.post_as("/api/v1/memberships", &fan.token, &join(free, json!({})))
            .await
            .status(),
        201
    );
    let upgraded = app
        .post_as(
            "/api/v1/memberships",
            &fan.token,
            &join(
                paid["id"].clone(),
                json!({"billing_cycle": "monthly", "payment_method_id": fan.card}),
            ),
        )
        .await;
    assert_eq!(upgraded.status(), 201);
    let deletion = app
        .post_as(
            "/api/v1/users/me/deletion-request",
            &fan.token,
            &json!({"password": crate::auth::PASSWORD}),
        )
        .await;
    assert!(deletion.status().is_success(), "{}", deletion.status());
    app.run_jobs().await;

    let bodies = receiver.bodies();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "audience.member_joined",
            "audience.member_upgraded",
            "audience.member_churned"
        ],
        "each event once, in order"
    );
    assert_eq!(bodies[1]["data"]["tier"]["name"], "Backstage");
    assert_eq!(bodies[1]["data"]["billing_cycle"], "monthly");
    assert_eq!(bodies[2]["data"]["status"], "churned");
    for (headers, body) in receiver.received.lock().unwrap().iter() {
        assert!(verify(&secret, headers, body), "signature of {body}");
        assert!(headers["webhook-id"].to_str().unwrap().starts_with("msg_"));
    }
    // A tampered body does not verify.
    {
        let received = receiver.received.lock().unwrap();
        let (headers, body) = &received[0];
        assert!(!verify(
            &secret,
            headers,
            &body.replace("joined", "churned")
        ));
    }

    // A failing receiver: the test event is retried after 5 s, then succeeds.
    *receiver.failing.lock().unwrap() = true;
    let test = app
        .post_as(
            &format!("/api/v1/audience/webhooks/{hook}/test"),
            &owner,
            &json!({}),
        )
        .await;
    assert_eq!(test.status(), 202);
    app.run_jobs().await;
    let log: Value = app
        .get_as(
            &format!("/api/v1/audience/webhooks/{hook}/deliveries"),
            &owner,
        )
        .await
        .json()
        .await
        .unwrap();
    let latest = &log["data"][0];
    assert_eq!(latest["event_type"], "webhook.test");
    assert_eq!(latest["status"], "pending");
    assert_eq!(latest["attempts"], 1);
    assert_eq!(latest["last_status_code"], 503);
    assert!(latest["next_attempt_at"].is_string());
    *receiver.failing.lock().unwrap() = false;
    app.sandbox_advance(6).await;
    let owner = app.sign_in("hooked@example.com").await;
    let log: Value = app
        .get_as(
            &format!("/api/v1/audience/webhooks/{hook}/deliveries"),
            &owner,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["data"][0]["status"], "succeeded");
    assert_eq!(log["data"][0]["attempts"], 2);
    assert_eq!(log["meta"]["total"], 4);
    let attempts = receiver.received.lock().unwrap().len();
    assert_eq!(attempts, 5, "three events, then the test twice");

    // A replay sends the same message again, under the same webhook-id.
    let first = log["data"][3].clone();
    assert_eq!(first["event_type"], "audience.member_joined");
    let replayed = app
        .post_as(
            &format!(
                "/api/v1/audience/webhooks/{hook}/deliveries/{}/replay",
                first["id"].as_str().unwrap()
            ),
            &owner,
            &json!({}),
        )
        .await;
    assert_eq!(replayed.status(), 202);
    app.run_jobs().await;
    let received = receiver.received.lock().unwrap();
    let (last_headers, last_body) = received.last().unwrap();
    assert_eq!(
        last_headers["webhook-id"].to_str().unwrap(),
        first["message_id"].as_str().unwrap()
    );
    assert_eq!(
        serde_json::from_str::<Value>(last_body).unwrap()["type"],
        "audience.member_joined"
    );
}

async fn webhook_endpoints_are_validated_and_scoped_to_their_creator(app: TestApp) {
    let owner = app.verified_user("careful@example.com").await;
    app.create_creator(&owner, "careful").await;
    let owner = app.sign_in("careful@example.com").await;
    let bad = app
        .post_as(
            "/api/v1/audience/webhooks",
            &owner,
            &json!({"url": "ftp://example.com/hook", "events": ["audience.nothing"]}),
        )
        .await;
    let body = assert_error(bad, 400, "validation_error").await;
    assert_eq!(body["details"].as_array().unwrap().len(), 2, "{body}");
    let created: Value = app
        .post_as(
            "/api/v1/audience/webhooks",
            &owner,
            &json!({"url": "http://127.0.0.1:9/hook", "events": ["audience.tip_received"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let hook = created["id"].as_str().unwrap();

    let other = app.verified_user("nosy@example.com").await;
    app.create_creator(&other, "nosy").await;
    let other = app.sign_in("nosy@example.com").await;
    for response in [
        app.get_as(&format!("/api/v1/audience/webhooks/{hook}"), &other)
            .await,
        app.get_as(
            &format!("/api/v1/audience/webhooks/{hook}/deliveries"),
            &other,
        )
        .await,
        app.delete_as(&format!("/api/v1/audience/webhooks/{hook}"), &other, None)
            .await,
    ] {
        assert_error(response, 404, "webhook_not_found").await;
    }
    let mine: Value = app
        .get_as("/api/v1/audience/webhooks", &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["meta"]["total"], 0);
    let gone = app
        .delete_as(&format!("/api/v1/audience/webhooks/{hook}"), &owner, None)
        .await;
    assert_eq!(gone.status(), 204);
}

/// Without ENCORA_WEBHOOKS_ALLOW_PRIVATE, internal targets are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_addresses_are_refused_by_default() {
    {
        let app = spawn_app_with(Backend::Sqlite, |config| {
            config.webhooks_allow_private = false;
        })
        .await
        .expect("SQLite is always available");
        let owner = app.verified_user("guarded@example.com").await;
        app.create_creator(&owner, "guarded").await;
        let owner = app.sign_in("guarded@example.com").await;
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/hook",
            "http://10.0.0.5/hook",
            "http://localhost:3000/hook",
        ] {
            let refused = app
                .post_as(
                    "/api/v1/audience/webhooks",
                    &owner,
                    &json!({"url": url, "events": ["audience.member_joined"]}),
                )
                .await;
            let body = assert_error(refused, 400, "validation_error").await;
            assert_eq!(body["details"][0]["field"], "url", "{url}: {body}");
        }
    }
}

async fn a_declined_tier_renewal_reports_payment_failed_then_churn(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let owner = app.verified_user("dunned@example.com").await;
    let creator = app.create_creator(&owner, "dunned").await;
    let owner = app.sign_in("dunned@example.com").await;
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let created = app
        .post_as(
            "/api/v1/audience/webhooks",
            &owner,
            &json!({"url": url, "events": ["audience.payment_failed", "audience.member_churned"]}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let paid: Value = app
        .post_as(
            "/api/v1/audience/tiers",
            &owner,
            &json!({"name": "Club", "price_monthly": 5}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut fan = app.buyer("lapsing@example.com", "tok_visa").await;
    let joined = app
        .post_as(
            "/api/v1/memberships",
            &fan.token,
            &json!({"creator_id": creator["id"], "tier_id": paid["id"], "billing_cycle": "monthly", "payment_method_id": fan.card}),
        )
        .await;
    assert_eq!(joined.status(), 201);
    // The default becomes a card that will be declined; renewal and every retry fail.
    app.attach_card(&fan.token, "tok_chargeDeclined", true)
        .await;
    // Day by day (the clock runs what is due at each step): the renewal at day 30, the
    // retries 1, 3, 5 and 7 days after each failure.
    for _ in 0..50 {
        app.months_pass(&mut fan, 24 * 3600).await;
    }
    let bodies = receiver.bodies();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "audience.payment_failed",
            "audience.payment_failed",
            "audience.payment_failed",
            "audience.payment_failed",
            "audience.payment_failed",
            "audience.member_churned",
        ],
        "one per failed attempt (first try and four retries), then the churn"
    );
    assert_eq!(bodies[0]["data"]["decline_code"], "generic_decline");
    assert_eq!(bodies[0]["data"]["amount"].to_string(), "5.00");
    assert_eq!(bodies[4]["data"]["final"], true);
    assert_eq!(bodies[5]["data"]["member_id"], joined_id(&bodies[0]));
}

fn joined_id(body: &Value) -> Value {
    body["data"]["member_id"].clone()
}

async fn milestones_and_engagement_alerts_reach_the_creator_once(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let studio = app.studio("milestoned").await;
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let registered = app
        .post_as(
            "/api/v1/audience/webhooks",
            &studio.token,
            &json!({"creator_id": studio.id, "url": url,
                    "events": ["audience.milestone_reached", "audience.engagement_alert"]}),
        )
        .await;
    assert_eq!(registered.status(), 201);

    let mut fans = Vec::new();
    for i in 0..10 {
        fans.push(app.fan(&studio, &format!("fan{i}@example.com")).await);
    }
    let big = app
        .create_tier(&studio, json!({"name": "Patron", "price_monthly": 100}))
        .await;
    let patron = app.buyer("patron@example.com", "tok_visa").await;
    assert_eq!(app.join_monthly(&patron, &studio, &big).await.status(), 201);

    // A busy week, ten days ago, then silence.
    let mine: Value = app
        .get_as("/api/v1/memberships", &fans[0])
        .await
        .json()
        .await
        .unwrap();
    let member = mine["data"][0]["id"].clone();
    let ten_days_ago = (chrono::Utc::now() - chrono::Duration::days(10)).to_rfc3339();
    let events: Vec<Value> = (0..20)
        .map(|i| {
            json!({"id": format!("e{i}"), "member_id": member, "type": "share",
                        "timestamp": ten_days_ago})
        })
        .collect();
    let ingested = app
        .post_as(
            "/api/v1/audience/events",
            &studio.token,
            &json!({"creator_id": studio.id, "events": events}),
        )
        .await;
    assert_eq!(ingested.status(), 200);
    // A day passes: the daily check runs, and every delivery with it.
    app.sandbox_advance(24 * 3600 + 1).await;
    app.run_jobs().await;

    let bodies = receiver.bodies();
    let milestones: Vec<&Value> = bodies
        .iter()
        .filter(|b| b["type"] == "audience.milestone_reached")
        .map(|b| &b["data"]["milestone"])
        .collect();
    assert_eq!(milestones.len(), 2, "{bodies:?}");
    assert_eq!(
        milestones[0],
        &json!({"type": "members", "threshold": 10, "value": 10})
    );
    assert_eq!(milestones[1]["type"], "revenue");
    assert_eq!(milestones[1]["currency"], "USD");
    assert_eq!(milestones[1]["threshold"].as_f64(), Some(100.0));
    assert_eq!(milestones[1]["value"].as_f64(), Some(100.0));
    let alerts: Vec<&Value> = bodies
        .iter()
        .filter(|b| b["type"] == "audience.engagement_alert")
        .map(|b| &b["data"])
        .collect();
    assert_eq!(alerts.len(), 1, "{bodies:?}");
    assert_eq!(alerts[0]["previous"], 20);
    assert_eq!(alerts[0]["current"], 0);
    assert_eq!(alerts[0]["change"], "-100%");
}
