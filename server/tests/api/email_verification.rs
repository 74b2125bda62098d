//! Registration sends a one-time, expiring verification link.

use crate::helpers::{assert_error, TestApp};
use chrono::Duration;
use serde_json::{json, Value};

on_both_backends!(
    the_link_verifies_the_email_once,
    an_expired_link_is_gone_and_a_new_one_can_be_asked_for,
    resending_is_throttled,
);

/// The token of the newest verification mail sent to `to`.
fn latest_token(app: &TestApp, to: &str) -> String {
    let mails = app.mail_to(to);
    let mail = mails.last().expect("a verification mail was sent");
    assert!(mail.contains("Subject: Confirm your email address"));
    let link_start = mail
        .find("/verify-email?token=")
        .expect("the mail holds a link");
    mail[link_start + "/verify-email?token=".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

async fn verify(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/verify-email", &json!({ "token": token }))
        .await
}

async fn me(app: &TestApp, tokens: &Value) -> Value {
    app.get_as("/api/v1/users/me", tokens["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap()
}

async fn the_link_verifies_the_email_once(app: TestApp) {
    let tokens = app.register("verify@example.com").await;
    let token = latest_token(&app, "verify@example.com");
    assert!(app.mail_to("verify@example.com")[0].contains(&format!("{}/verify-email", app.base)));

    assert_eq!(verify(&app, &token).await.status(), 204);
    let user = me(&app, &tokens).await;
    assert_eq!(user["email_verified"], true);
    assert_eq!(user["status"], "active");

    assert_error(verify(&app, &token).await, 400, "invalid_token").await;
    assert_error(verify(&app, "ev_forged").await, 400, "invalid_token").await;

    let resend = app
        .client
        .post(app.url("/api/v1/auth/verify-email/resend"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_error(resend, 409, "already_verified").await;
}

async fn an_expired_link_is_gone_and_a_new_one_can_be_asked_for(app: TestApp) {
    let _ = app.register("late@example.com").await;
    let old = latest_token(&app, "late@example.com");
    app.clock.advance(Duration::hours(25));
    assert_error(verify(&app, &old).await, 410, "token_expired").await;

    // The access token expired too; sign in again and ask for a new link.
    let tokens: Value = app
        .login("late@example.com", "correct horse battery")
        .await
        .json()
        .await
        .unwrap();
    let resend = app
        .client
        .post(app.url("/api/v1/auth/verify-email/resend"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resend.status(), 202);
    let fresh = latest_token(&app, "late@example.com");
    assert_ne!(fresh, old);
    assert_eq!(verify(&app, &fresh).await.status(), 204);
    assert_eq!(me(&app, &tokens).await["email_verified"], true);
}

async fn resending_is_throttled(app: TestApp) {
    let tokens = app.register("spam@example.com").await;
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let resend = || {
        app.client
            .post(app.url("/api/v1/auth/verify-email/resend"))
            .bearer_auth(&access)
            .send()
    };
    for _ in 0..3 {
        assert_eq!(resend().await.unwrap().status(), 202);
    }
    let fourth = resend().await.unwrap();
    assert!(fourth.headers().contains_key("retry-after"));
    assert_error(fourth, 429, "rate_limited").await;
    assert_eq!(
        app.mail_to("spam@example.com").len(),
        4,
        "registration + 3 resends"
    );
}
