//! `Idempotency-Key`: replays, mismatches, requests still running, expiry, and scope.

use crate::helpers::{assert_error, TestApp};
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    a_replay_returns_the_stored_response_without_doing_the_work_twice,
    the_same_key_with_another_body_is_refused,
    a_key_still_in_flight_is_a_conflict_and_keys_expire_after_a_day,
    keys_belong_to_their_caller_and_are_validated,
);

impl TestApp {
    async fn post_keyed(
        &self,
        path: &str,
        token: &str,
        key: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    async fn creator_count(&self) -> i64 {
        on_db!(&self.db, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM creators")
            .fetch_one(pool)
            .await)
        .unwrap()
    }
}

fn creator(handle: &str) -> Value {
    json!({"name": "Band", "handle": handle})
}

async fn a_replay_returns_the_stored_response_without_doing_the_work_twice(app: TestApp) {
    let token = app.verified_user("retry@example.com").await;
    let first = app
        .post_keyed("/api/v1/creators", &token, "key-1", &creator("band"))
        .await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();

    let again = app
        .post_keyed("/api/v1/creators", &token, "key-1", &creator("band"))
        .await;
    assert_eq!(again.status(), 201, "a replay is not a 409 handle_taken");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(app.creator_count().await, 1);

    // Error answers are replayed as well: the same refused request stays refused.
    let invalid = creator("x");
    let refused = app
        .post_keyed("/api/v1/creators", &token, "key-2", &invalid)
        .await;
    let refused = assert_error(refused, 400, "validation_error").await;
    let replayed = app
        .post_keyed("/api/v1/creators", &token, "key-2", &invalid)
        .await;
    assert_eq!(replayed.status(), 400);
    assert_eq!(replayed.headers()["idempotent-replayed"], "true");
    // The stored body is returned as it was, naming the request that produced it.
    assert_eq!(replayed.json::<Value>().await.unwrap(), refused);
}

async fn the_same_key_with_another_body_is_refused(app: TestApp) {
    let token = app.verified_user("mixup@example.com").await;
    let first = app
        .post_keyed("/api/v1/creators", &token, "shared", &creator("first"))
        .await;
    assert_eq!(first.status(), 201);
    let other = app
        .post_keyed("/api/v1/creators", &token, "shared", &creator("second"))
        .await;
    assert_error(other, 422, "idempotency_key_reused").await;
    assert_eq!(app.creator_count().await, 1);
}

async fn a_key_still_in_flight_is_a_conflict_and_keys_expire_after_a_day(app: TestApp) {
    let token = app.verified_user("slow@example.com").await;
    let body = creator("slow");
    let first = app.post_keyed("/api/v1/creators", &token, "k", &body).await;
    assert_eq!(first.status(), 201);

    // Put the key back into the "claimed, no answer yet" state of a running request.
    on_db!(&app.db, pool => sqlx::query(
        "UPDATE idempotency_keys SET response_status = NULL, response_body = NULL",
    )
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let duplicate = app.post_keyed("/api/v1/creators", &token, "k", &body).await;
    assert_error(duplicate, 409, "idempotency_key_in_use").await;

    // A day later the key is free: the same key and body run afresh (and now meet the
    // real conflict of a taken handle).
    app.clock.advance(chrono::Duration::hours(24));
    let token = app.sign_in("slow@example.com").await;
    let later = app.post_keyed("/api/v1/creators", &token, "k", &body).await;
    assert!(later.headers().get("idempotent-replayed").is_none());
    assert_error(later, 409, "handle_taken").await;
}

async fn keys_belong_to_their_caller_and_are_validated(app: TestApp) {
    let alice = app.verified_user("alice@example.com").await;
    let bob = app.verified_user("bob@example.com").await;
    let a = app
        .post_keyed("/api/v1/creators", &alice, "same-key", &creator("alice"))
        .await;
    assert_eq!(a.status(), 201);
    let b = app
        .post_keyed("/api/v1/creators", &bob, "same-key", &creator("bob"))
        .await;
    assert_eq!(b.status(), 201, "another caller's key does not collide");
    assert_eq!(app.creator_count().await, 2);

    // A rejection by the framework (a malformed path id) is not stored: each try gets
    // the documented JSON error afresh.
    for _ in 0..2 {
        let bad_id = app
            .client
            .delete(app.url("/api/v1/creators/not-a-uuid/team/also-not"))
            .bearer_auth(&alice)
            .header("Idempotency-Key", "bad-path")
            .send()
            .await
            .unwrap();
        assert!(bad_id.headers().get("idempotent-replayed").is_none());
        assert_error(bad_id, 400, "bad_request").await;
    }

    // A rejection by the framework (a malformed path id) is not stored: each try gets
    // the documented JSON error afresh.
    for _ in 0..2 {
        let bad_id = app
            .client
            .delete(app.url("/api/v1/creators/not-a-uuid/team/also-not"))
            .bearer_auth(&alice)
            .header("Idempotency-Key", "bad-path")
            .send()
            .await
            .unwrap();
        assert!(bad_id.headers().get("idempotent-replayed").is_none());
        assert_error(bad_id, 400, "bad_request").await;
    }

    // A method the route does not have is a 405 whatever key it carries.
    let wrong_method = app
        .client
        .put(app.url("/api/v1/creators"))
        .bearer_auth(&alice)
        .header("Idempotency-Key", "same-key")
        .json(&creator("alice"))
        .send()
        .await
        .unwrap();
    assert_error(wrong_method, 405, "method_not_allowed").await;

    let too_long = "k".repeat(256);
    let response = app
        .post_keyed("/api/v1/creators", &alice, &too_long, &creator("long"))
        .await;
    let body = assert_error(response, 400, "validation_error").await;
    assert_eq!(body["details"][0]["field"], "Idempotency-Key");

    // Without a valid identity the request is refused as usual, not remembered.
    let anonymous = app
        .post_keyed("/api/v1/creators", "not-a-token", "anon", &creator("anon"))
        .await;
    assert_error(anonymous, 401, "UNAUTHORIZED").await;
}
