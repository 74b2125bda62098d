//! Data export: one pending job at a time, an archive of everything about the user, a
//! signed download link that refuses tampering and lapses after 24 hours.

use crate::helpers::{assert_error, TestApp};
use crate::sandbox::superadmin_token;
use serde_json::{json, Value};

on_both_backends!(an_export_gathers_the_account_behind_a_signed_expiring_link);

const HOUR: i64 = 3600;

async fn an_export_gathers_the_account_behind_a_signed_expiring_link(app: TestApp) {
    let plan = app.plan(0).await;
    let mut buyer = app.buyer("curious@example.com", "tok_visa").await;
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    let path = "/api/v1/users/me/data-export";
    assert_error(
        app.get_as(path, &buyer.token).await,
        404,
        "export_not_found",
    )
    .await;

    let studio = app.studio("exported").await;
    let free = app.tiers(&studio).await[0].clone();
    assert_eq!(
        app.join(&buyer.token, &studio, &free, json!({}))
            .await
            .status(),
        201
    );
    app.post_in(&buyer.token, &studio, "Hello", "My first post")
        .await;

    let queued = app.post_as(path, &buyer.token, &json!({})).await;
    assert_eq!(queued.status(), 202);
    let queued: Value = queued.json().await.unwrap();
    assert_eq!(queued["status"], "pending");
    assert_eq!(queued["download_url"], Value::Null);
    let again = app.post_as(path, &buyer.token, &json!({})).await;
    assert_error(again, 409, "export_already_pending").await;

    superadmin_token(&app).await;
    app.months_pass(&mut buyer, 1).await;
    let ready: Value = app.get_as(path, &buyer.token).await.json().await.unwrap();
    assert_eq!(ready["id"], queued["id"]);
    assert_eq!(ready["status"], "ready");
    let url = ready["download_url"].as_str().unwrap().to_string();
    assert!(
        // The link is signed when mailed and again when read: compare where it points.
        app.mail_to(&buyer.email)
            .iter()
            .any(|m| m.contains(url.split("token=").next().unwrap())),
        "the link is mailed"
    );
    let notes: Value = app.notifications(&buyer.token, "").await;
    assert!(notes["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["type"] == "data_export_ready"));

    // The link is the credential: no bearer token is sent.
    let download = app.client.get(&url).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert!(download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let archive: Value = download.json().await.unwrap();
    assert_eq!(archive["account"]["email"], "curious@example.com");
    assert_eq!(archive["subscriptions"].as_array().unwrap().len(), 1);
    assert_eq!(archive["invoices"].as_array().unwrap().len(), 1);
    assert_eq!(archive["payment_methods"][0]["last4"], "4242");
    assert!(
        !archive.to_string().contains("tok_visa"),
        "no gateway secrets"
    );
    assert!(!archive.to_string().contains("argon2"), "no password hash");
    assert!(!archive["sessions"].as_array().unwrap().is_empty());
    assert_eq!(archive["memberships"][0]["creator_id"], json!(studio.id));
    assert_eq!(archive["community_posts"][0]["title"], "Hello");
    assert_eq!(archive["community_comments"], json!([]));
    assert_eq!(archive["tips"], json!([]));

    let tampered = format!("{}x", url);
    let forged = app.client.get(&tampered).send().await.unwrap();
    assert_error(forged, 403, "invalid_download_link").await;
    let other_file = url.replace(
        queued["id"].as_str().unwrap(),
        "0190f000-0000-7000-8000-000000000000",
    );
    let forged = app.client.get(&other_file).send().await.unwrap();
    assert_error(forged, 403, "invalid_download_link").await;

    app.months_pass(&mut buyer, 25 * HOUR).await;
    let lapsed = app.client.get(&url).send().await.unwrap();
    assert_error(lapsed, 410, "download_link_expired").await;
    let expired: Value = app.get_as(path, &buyer.token).await.json().await.unwrap();
    assert_eq!(expired["status"], "expired");
    assert_eq!(expired["download_url"], Value::Null);
    let fresh = app.post_as(path, &buyer.token, &json!({})).await;
    assert_eq!(fresh.status(), 202, "a new export may be asked for");
}
