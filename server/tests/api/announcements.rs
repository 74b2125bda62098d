//! Announcements: the team publishes to all members, paid members or chosen tiers; a
//! job notifies the audience in-app and by email, honouring "new content" preferences;
//! members read only what is meant for their tier.

use crate::helpers::{assert_error, TestApp};
use crate::sandbox::superadmin_token;
use serde_json::{json, Value};

on_both_backends!(announcements_reach_the_right_members_over_the_chosen_channels);

async fn announcements_reach_the_right_members_over_the_chosen_channels(app: TestApp) {
    let studio = app.studio("newsroom").await;
    let other = app.studio("rival").await;
    let free = app.tiers(&studio).await[0].clone();
    let vip = app
        .create_tier(
            &studio,
            json!({"name": "VIP", "price_monthly": 5, "price_yearly": 50}),
        )
        .await;
    let fan = app.fan(&studio, "fan@example.com").await;
    let quiet = app.fan(&studio, "quiet@example.com").await;
    let muted = app
        .patch_as(
            "/api/v1/users/me",
            &quiet,
            &json!({"notification_preferences": {"new_content": false}}),
        )
        .await;
    assert_eq!(muted.status(), 200);
    let patron = app.buyer("patron@example.com", "tok_visa").await;
    assert_eq!(app.join_monthly(&patron, &studio, &vip).await.status(), 201);
    let outsider = app.verified_user("outsider@example.com").await;

    let path = "/api/v1/audience/announcements";
    let announce = |token: &str, body: Value| {
        let mut body = body;
        body["creator_id"] = json!(studio.id);
        let token = token.to_string();
        let app = &app;
        async move { app.post_as(path, &token, &body).await }
    };
    let bad = announce(
        &studio.token,
        json!({"title": "", "content": "x", "visibility": "specific_tiers",
               "notification_channels": ["email"]}),
    )
    .await;
    let body = assert_error(bad, 400, "validation_error").await;
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["title", "tier_ids", "notification_channels"],
        "{body}"
    );
    let foreign_tier = app.tiers(&other).await[0]["id"].clone();
    let crossed = announce(
        &studio.token,
        json!({"title": "Hi", "content": "x", "visibility": "specific_tiers",
               "tier_ids": [foreign_tier]}),
    )
    .await;
    assert_error(crossed, 400, "validation_error").await;
    let not_team = announce(&fan, json!({"title": "Hi", "content": "x"})).await;
    assert_error(not_team, 404, "creator_not_found").await;

    let paid_only = announce(
        &studio.token,
        json!({"title": "VIP livestream", "content": "Friday at 8pm", "visibility": "paid_members",
               "pin": true, "notify": true, "notification_channels": ["push", "email"]}),
    )
    .await;
    assert_eq!(paid_only.status(), 201);
    let paid_only: Value = paid_only.json().await.unwrap();
    assert_eq!(paid_only["delivery"]["status"], "queued");
    assert_eq!(paid_only["pinned"], true);
    let everyone = announce(
        &studio.token,
        json!({"title": "New season", "content": "Coming soon"}),
    )
    .await;
    assert_eq!(everyone.status(), 201);
    let free_tier = announce(
        &studio.token,
        json!({"title": "Free tier perks", "content": "Thanks for following",
               "visibility": "specific_tiers", "tier_ids": [free["id"]], "notify": true}),
    )
    .await;
    assert_eq!(free_tier.status(), 201);
    let free_tier: Value = free_tier.json().await.unwrap();
    assert_eq!(free_tier["notification_channels"], json!(["push"]));

    superadmin_token(&app).await;
    app.sandbox_advance(1).await;

    let team: Value = app
        .get_as(&format!("{path}?creator_id={}", studio.id), &studio.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(team["meta"]["total"], 3);
    let by_title = |page: &Value, title: &str| {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .cloned()
            .unwrap()
    };
    let sent = by_title(&team, "VIP livestream")["delivery"].clone();
    assert_eq!(sent["status"], "sent");
    assert_eq!(
        (&sent["recipients"], &sent["push_sent"], &sent["email_sent"]),
        (&json!(1), &json!(1), &json!(1))
    );
    let sent = by_title(&team, "Free tier perks")["delivery"].clone();
    assert_eq!(
        (&sent["recipients"], &sent["push_sent"], &sent["email_sent"]),
        (&json!(2), &json!(1), &json!(0)),
        "the member who turned new content off gets no notification"
    );
    assert_eq!(by_title(&team, "New season")["delivery"]["status"], "none");

    let patron_token = app.sign_in(&patron.email).await;
    let notes = app.notifications(&patron_token, "").await;
    assert!(notes["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["type"] == "new_content" && n["title"] == "Creator newsroom: VIP livestream"));
    assert!(app
        .mail_to(&patron.email)
        .iter()
        .any(|m| m.contains("VIP livestream") && m.contains("Friday at 8pm")));
    assert!(!app
        .mail_to("fan@example.com")
        .iter()
        .any(|m| m.contains("VIP livestream")));

    let read = |token: String, query: &'static str| {
        let url = format!("{path}?creator_id={}{query}", studio.id);
        let app = &app;
        async move {
            let response = app.get_as(&url, &token).await;
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    let fan_page = read(app.sign_in("fan@example.com").await, "").await;
    let titles: Vec<&str> = fan_page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Free tier perks", "New season"]);
    assert_eq!(fan_page["data"][0]["delivery"], Value::Null);
    let patron_page = read(patron_token.clone(), "").await;
    assert_eq!(patron_page["meta"]["total"], 2);
    let pinned = read(patron_token, "&pinned=true").await;
    assert_eq!(pinned["data"][0]["title"], "VIP livestream");
    assert_eq!(pinned["meta"]["total"], 1);
    let refused = app
        .get_as(&format!("{path}?creator_id={}", studio.id), &outsider)
        .await;
    assert_error(refused, 403, "not_a_member").await;
}
