//! Devices up to the plan's `max_devices` (removing one signs its session out) and
//! stream slots as leases up to `max_concurrent_streams`, lapsing without heartbeats.

use crate::helpers::{assert_error, TestApp};
use crate::plans::standard_plan;
use crate::sandbox::superadmin_token;
use crate::subscriptions::Buyer;
use serde_json::{json, Value};

on_both_backends!(
    devices_follow_the_plan_limit_and_removing_one_signs_it_out,
    stream_slots_are_leases_that_lapse_without_heartbeats,
);

const DEVICES: &str = "/api/v1/users/me/devices";
const STREAMS: &str = "/api/v1/streams";

impl TestApp {
    /// A subscriber on a plan allowing `devices` devices and `streams` streams.
    async fn viewer(&self, email: &str, devices: i64, streams: i64) -> Buyer {
        let root = superadmin_token(self).await;
        let mut plan = standard_plan();
        plan["max_devices"] = json!(devices);
        plan["max_concurrent_streams"] = json!(streams);
        let (plan, _) = self.create_plan(&root, &plan).await;
        let buyer = self.buyer(email, "tok_visa").await;
        let subscribed = self.subscribe(&buyer, plan["id"].as_str().unwrap()).await;
        assert_eq!(subscribed.status(), 201);
        buyer
    }

    async fn register_device(&self, token: &str, name: &str) -> reqwest::Response {
        self.post_as(DEVICES, token, &json!({"name": name, "platform": "tv"}))
            .await
    }

    async fn start_stream(&self, token: &str) -> reqwest::Response {
        self.post_as(STREAMS, token, &json!({})).await
    }
}

async fn devices_follow_the_plan_limit_and_removing_one_signs_it_out(app: TestApp) {
    let viewer = app.viewer("household@example.com", 2, 1).await;
    let living_room = viewer.token.clone();
    let bedroom = app.sign_in(&viewer.email).await;
    let kitchen = app.sign_in(&viewer.email).await;

    let first = app.register_device(&living_room, "Living room").await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let renamed = app.register_device(&living_room, "Lounge").await;
    assert_eq!(renamed.status(), 200, "one device per session");
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(
        (&renamed["id"], &renamed["name"]),
        (&first["id"], &json!("Lounge"))
    );
    let second: Value = app
        .register_device(&bedroom, "Bedroom")
        .await
        .json()
        .await
        .unwrap();
    let refused = app.register_device(&kitchen, "Kitchen").await;
    assert_error(refused, 409, "device_limit_reached").await;
    let blank = app
        .post_as(DEVICES, &kitchen, &json!({"name": "  ", "platform": "tv"}))
        .await;
    assert_error(blank, 400, "validation_error").await;

    let list: Value = app
        .get_as(DEVICES, &living_room)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["max_devices"], 2);
    let current: Vec<bool> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["current"].as_bool().unwrap())
        .collect();
    assert_eq!(current, [true, false]);

    let bedroom_path = format!("{DEVICES}/{}", second["id"].as_str().unwrap());
    assert_eq!(
        app.delete_as(&bedroom_path, &living_room, None)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.get_as("/api/v1/users/me", &bedroom).await.status(),
        401,
        "signed out"
    );
    assert_error(
        app.delete_as(&bedroom_path, &living_room, None).await,
        404,
        "device_not_found",
    )
    .await;
    assert_eq!(app.register_device(&kitchen, "Kitchen").await.status(), 201);

    // Another account cannot see or remove these.
    let stranger = app.verified_user("stranger@example.com").await;
    let first_path = format!("{DEVICES}/{}", first["id"].as_str().unwrap());
    assert_error(
        app.delete_as(&first_path, &stranger, None).await,
        404,
        "device_not_found",
    )
    .await;
    // Without a subscription an account has one device.
    assert_eq!(app.register_device(&stranger, "Phone").await.status(), 201);
    let tablet = app.sign_in("stranger@example.com").await;
    assert_error(
        app.register_device(&tablet, "Tablet").await,
        409,
        "device_limit_reached",
    )
    .await;
}

async fn stream_slots_are_leases_that_lapse_without_heartbeats(app: TestApp) {
    let mut viewer = app.viewer("binge@example.com", 5, 2).await;
    let nobody = app.verified_user("no-plan@example.com").await;
    let refused = app.post_as(STREAMS, &nobody, &json!({})).await;
    assert_error(refused, 403, "subscription_required").await;

    let one: Value = app.start_stream(&viewer.token).await.json().await.unwrap();
    let two = app.start_stream(&viewer.token).await;
    assert_eq!(two.status(), 201);
    let two: Value = two.json().await.unwrap();
    assert_eq!(one["heartbeat_interval_seconds"], 30);
    assert_error(
        app.start_stream(&viewer.token).await,
        409,
        "stream_limit_reached",
    )
    .await;

    let one_id = one["id"].as_str().unwrap();
    let beat = app
        .post_as(
            &format!("{STREAMS}/{one_id}/heartbeat"),
            &viewer.token,
            &json!({}),
        )
        .await;
    assert_eq!(beat.status(), 200);
    let two_path = format!("{STREAMS}/{}", two["id"].as_str().unwrap());
    assert_eq!(
        app.delete_as(&two_path, &viewer.token, None).await.status(),
        204
    );
    assert_eq!(
        app.delete_as(&two_path, &viewer.token, None).await.status(),
        204,
        "idempotent"
    );
    assert_eq!(
        app.start_stream(&viewer.token).await.status(),
        201,
        "a stopped slot is free"
    );
    assert_error(
        app.delete_as(&two_path, &nobody, None).await,
        404,
        "stream_not_found",
    )
    .await;
    let foreign_profile = json!({"profile_id": "0190f000-0000-7000-8000-000000000000"});
    let unknown = app.post_as(STREAMS, &viewer.token, &foreign_profile).await;
    assert_error(unknown, 404, "profile_not_found").await;

    // A crashed player sends no heartbeats: its slot frees itself.
    app.months_pass(&mut viewer, 150).await;
    let late = app
        .post_as(
            &format!("{STREAMS}/{one_id}/heartbeat"),
            &viewer.token,
            &json!({}),
        )
        .await;
    assert_error(late, 410, "stream_expired").await;
    let fresh: Value = app.start_stream(&viewer.token).await.json().await.unwrap();
    assert_eq!(app.start_stream(&viewer.token).await.status(), 201);

    // A password change ends every stream at once.
    let changed = app
        .post_as(
            "/api/v1/users/me/password",
            &viewer.token,
            &json!({"current_password": crate::auth::PASSWORD,
                    "new_password": "another long password 2"}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let token: Value = changed.json().await.unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let beat = app
        .post_as(
            &format!("{STREAMS}/{}/heartbeat", fresh["id"].as_str().unwrap()),
            &token,
            &json!({}),
        )
        .await;
    assert_error(beat, 410, "stream_expired").await;
    assert_eq!(app.start_stream(&token).await.status(), 201);
}
