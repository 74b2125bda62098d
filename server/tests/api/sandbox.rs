//! The sandbox test clock endpoint.

use crate::helpers::{assert_error, spawn_app_with, Backend, TestApp};
use app::backend::services::accounts::create_admin;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

on_both_backends!(
    a_superadmin_moves_the_clock_and_tokens_age_with_it,
    only_superadmins_may_move_it
);

pub async fn superadmin_token(app: &TestApp) -> String {
    create_admin(
        &app.db,
        "root@example.com",
        "root password 1",
        app.clock.now(),
    )
    .await
    .unwrap();
    superadmin_token_again(app).await
}

/// Signs the superadmin in again (tokens age with the sandbox clock).
pub async fn superadmin_token_again(app: &TestApp) -> String {
    let tokens: Value = app
        .login("root@example.com", "root password 1")
        .await
        .json()
        .await
        .unwrap();
    tokens["access_token"].as_str().unwrap().to_string()
}

async fn a_superadmin_moves_the_clock_and_tokens_age_with_it(app: TestApp) {
    let root = superadmin_token(&app).await;
    let subscriber = app.register("sub@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let before = app.clock.now();

    let moved = app
        .post_as(
            "/api/v1/admin/sandbox/clock",
            &root,
            &json!({"advance_seconds": 600}),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let now: DateTime<Utc> = moved.json::<Value>().await.unwrap()["now"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((now - before).num_seconds() >= 600);

    // 10 minutes passed: tokens still valid; 6 more and both 15-minute tokens expire.
    assert_eq!(
        app.get_as("/api/v1/users/me", &subscriber).await.status(),
        200
    );
    assert_eq!(
        app.post_as(
            "/api/v1/admin/sandbox/clock",
            &root,
            &json!({"advance_seconds": 360})
        )
        .await
        .status(),
        200
    );
    assert_error(
        app.get_as("/api/v1/users/me", &subscriber).await,
        401,
        "UNAUTHORIZED",
    )
    .await;

    let root = superadmin_token(&app).await;
    let bad = app
        .post_as(
            "/api/v1/admin/sandbox/clock",
            &root,
            &json!({"advance_seconds": 0}),
        )
        .await;
    assert_error(bad, 400, "validation_error").await;
}

async fn only_superadmins_may_move_it(app: TestApp) {
    let subscriber = app.register("plain@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let denied = app
        .post_as(
            "/api/v1/admin/sandbox/clock",
            &subscriber,
            &json!({"advance_seconds": 60}),
        )
        .await;
    assert_error(denied, 403, "forbidden").await;
    let anonymous = app
        .post_json(
            "/api/v1/admin/sandbox/clock",
            &json!({"advance_seconds": 60}),
        )
        .await;
    assert_error(anonymous, 401, "UNAUTHORIZED").await;
}

/// Without ENCORA_TEST_CLOCK the endpoint does not exist, even for a superadmin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn off_by_default() {
    let app = spawn_app_with(Backend::Sqlite, |config| config.test_clock = false)
        .await
        .unwrap();
    let root = superadmin_token(&app).await;
    let response = app
        .post_as(
            "/api/v1/admin/sandbox/clock",
            &root,
            &json!({"advance_seconds": 60}),
        )
        .await;
    assert_error(response, 404, "not_found").await;
}

impl TestApp {
    /// Moves the sandbox clock as the superadmin of [`superadmin_token`] (signing in
    /// afresh: tokens age with the clock) and returns the answer.
    pub async fn sandbox_advance(&self, seconds: i64) -> Value {
        let root = self.sign_in_as("root@example.com", "root password 1").await;
        let moved = self
            .post_as(
                "/api/v1/admin/sandbox/clock",
                &root,
                &json!({ "advance_seconds": seconds }),
            )
            .await;
        assert_eq!(moved.status(), 200);
        moved.json().await.unwrap()
    }

    /// A fresh access token for a user registered with the test password.
    pub async fn sign_in(&self, email: &str) -> String {
        self.sign_in_as(email, crate::auth::PASSWORD).await
    }

    pub async fn sign_in_as(&self, email: &str, password: &str) -> String {
        let tokens: Value = self.login(email, password).await.json().await.unwrap();
        tokens["access_token"].as_str().unwrap().to_string()
    }
}
