//! "Forgot password" through the API and the mailbox.

use crate::helpers::{assert_error, TestApp};
use chrono::Duration;
use serde_json::{json, Value};

on_both_backends!(
    a_reset_link_sets_a_new_password_once_and_signs_out_everywhere,
    asking_for_an_unknown_account_looks_the_same_and_sends_nothing,
    reset_links_expire_after_an_hour,
);

fn reset_token(app: &TestApp, to: &str) -> String {
    let mail = app
        .mail_to(to)
        .into_iter()
        .rev()
        .find(|m| m.contains("Subject: Reset your password"))
        .expect("a reset mail");
    let start = mail.find("/reset-password?token=").unwrap() + "/reset-password?token=".len();
    mail[start..].split_whitespace().next().unwrap().to_string()
}

async fn ask(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/password-reset", &json!({ "email": email }))
        .await
}

async fn confirm(app: &TestApp, token: &str, new_password: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/password-reset/confirm",
        &json!({ "token": token, "new_password": new_password }),
    )
    .await
}

async fn a_reset_link_sets_a_new_password_once_and_signs_out_everywhere(app: TestApp) {
    let tokens = app.register("forgot@example.com").await;
    assert_eq!(ask(&app, "Forgot@Example.com").await.status(), 202);
    let token = reset_token(&app, "forgot@example.com");

    assert_error(
        confirm(&app, &token, "short").await,
        400,
        "validation_error",
    )
    .await;
    assert_eq!(
        confirm(&app, &token, "a brand new password").await.status(),
        204
    );
    assert_error(
        confirm(&app, &token, "another new password").await,
        400,
        "invalid_token",
    )
    .await;

    assert_error(
        app.login("forgot@example.com", "correct horse battery")
            .await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        app.login("forgot@example.com", "a brand new password")
            .await
            .status(),
        200
    );
    // Sessions from before the reset are over.
    let old = app
        .get_as("/api/v1/users/me", tokens["access_token"].as_str().unwrap())
        .await;
    assert_error(old, 401, "UNAUTHORIZED").await;
    let refresh = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_error(refresh, 401, "UNAUTHORIZED").await;
}

async fn asking_for_an_unknown_account_looks_the_same_and_sends_nothing(app: TestApp) {
    let response = ask(&app, "ghost@example.com").await;
    assert_eq!(response.status(), 202);
    assert!(app.mail_to("ghost@example.com").is_empty());
    assert_error(
        confirm(&app, "pr_made_up", "a brand new password").await,
        400,
        "invalid_token",
    )
    .await;
}

async fn reset_links_expire_after_an_hour(app: TestApp) {
    let _: Value = app.register("slow@example.com").await;
    ask(&app, "slow@example.com").await;
    let token = reset_token(&app, "slow@example.com");
    app.clock.advance(Duration::minutes(61));
    assert_error(
        confirm(&app, &token, "a brand new password").await,
        410,
        "token_expired",
    )
    .await;
    assert_eq!(
        app.login("slow@example.com", "correct horse battery")
            .await
            .status(),
        200
    );
}
