//! Account deletion: a password-confirmed request ends the subscriptions at once and
//! schedules the erasure 30 days ahead; the user may cancel meanwhile; at the end of
//! the grace period personal data is erased and financial records stay.

use crate::helpers::{assert_error, TestApp};
use crate::sandbox::superadmin_token;
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    a_deletion_request_ends_subscriptions_and_can_be_canceled,
    after_the_grace_period_personal_data_is_erased_and_invoices_stay,
);

const DAY: i64 = 24 * 3600;

impl TestApp {
    async fn audit_actions(&self, target: &str) -> Vec<String> {
        on_db!(&self.db, pool => sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE target_id = $1 ORDER BY created_at, id",
        )
        .bind(target)
        .fetch_all(pool)
        .await)
        .unwrap()
    }
}

async fn a_deletion_request_ends_subscriptions_and_can_be_canceled(app: TestApp) {
    let plan = app.plan(0).await;
    let buyer = app.buyer("leaving@example.com", "tok_visa").await;
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    let path = "/api/v1/users/me/deletion-request";

    let wrong = app
        .post_as(path, &buyer.token, &json!({"password": "not my password"}))
        .await;
    let error = assert_error(wrong, 400, "validation_error").await;
    assert_eq!(error["details"][0]["field"], "password");
    let long = json!({"password": crate::auth::PASSWORD, "reason": "x".repeat(501)});
    assert_error(
        app.post_as(path, &buyer.token, &long).await,
        400,
        "validation_error",
    )
    .await;
    let live: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(
        live["status"], "active",
        "a refused request changes nothing"
    );

    let body = json!({"password": crate::auth::PASSWORD, "reason": "Moving on"});
    let requested = app.post_as(path, &buyer.token, &body).await;
    assert_eq!(requested.status(), 202);
    let requested: Value = requested.json().await.unwrap();
    assert_eq!(requested["status"], "pending");
    let at = |field: &str| {
        chrono::DateTime::parse_from_rfc3339(requested[field].as_str().unwrap()).unwrap()
    };
    assert_eq!(
        at("scheduled_deletion_at") - at("requested_at"),
        chrono::Duration::days(30)
    );

    let sub = app.my_subscription(&buyer).await;
    assert_error(sub, 404, "subscription_not_found").await;
    let again = app
        .delete_as("/api/v1/users/me", &buyer.token, Some(&body))
        .await;
    assert_error(again, 409, "deletion_already_requested").await;
    let notes: Value = app.notifications(&buyer.token, "").await;
    assert_eq!(notes["data"][0]["type"], "account_deletion_scheduled");

    let canceled = app.delete_as(path, &buyer.token, Some(&json!({}))).await;
    assert_eq!(canceled.status(), 200);
    let canceled: Value = canceled.json().await.unwrap();
    assert_eq!(canceled["id"], requested["id"]);
    assert_eq!(canceled["status"], "canceled");
    let twice = app.delete_as(path, &buyer.token, Some(&json!({}))).await;
    assert_error(twice, 404, "deletion_request_not_found").await;
    let me: Value = app
        .get_as("/api/v1/users/me", &buyer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["status"], "active");
    let user_id = me["id"].as_str().unwrap();
    assert_eq!(
        app.audit_actions(user_id).await,
        ["user.deletion_requested", "user.deletion_canceled"]
    );

    // Canceled, the erasure job does nothing when its date comes.
    superadmin_token(&app).await;
    app.sandbox_advance(31 * DAY).await;
    let token = app.sign_in(&buyer.email).await;
    let me: Value = app
        .get_as("/api/v1/users/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "leaving@example.com");
}

async fn after_the_grace_period_personal_data_is_erased_and_invoices_stay(app: TestApp) {
    let plan = app.plan(0).await;
    let buyer = app.buyer("gone@example.com", "tok_visa").await;
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    let profile = app
        .post_as(
            "/api/v1/users/me/profiles",
            &buyer.token,
            &json!({"name": "Kid", "is_kids": true}),
        )
        .await;
    assert_eq!(profile.status(), 201);
    let me: Value = app
        .get_as("/api/v1/users/me", &buyer.token)
        .await
        .json()
        .await
        .unwrap();
    let user_id = me["id"].as_str().unwrap().to_string();
    // What they wrote in a creator's community is theirs too.
    let (_, creator, free) = app.creator_with_free_tier("host").await;
    let join = json!({"creator_id": creator["id"], "tier_id": free});
    assert_eq!(
        app.post_as("/api/v1/memberships", &buyer.token, &join)
            .await
            .status(),
        201
    );
    let post =
        json!({"creator_id": creator["id"], "title": "My story", "body": "Something personal"});
    let posted = app
        .post_as("/api/v1/audience/community/posts", &buyer.token, &post)
        .await;
    assert_eq!(posted.status(), 201);
    let body = json!({"password": crate::auth::PASSWORD});
    let requested = app
        .delete_as("/api/v1/users/me", &buyer.token, Some(&body))
        .await;
    assert_eq!(requested.status(), 202);

    superadmin_token(&app).await;
    app.sandbox_advance(29 * DAY).await;
    let token = app.sign_in(&buyer.email).await;
    assert_eq!(
        app.get_as("/api/v1/users/me", &token).await.status(),
        200,
        "still in grace"
    );

    app.sandbox_advance(2 * DAY).await;
    let login = app.login(&buyer.email, crate::auth::PASSWORD).await;
    assert_error(login, 401, "invalid_credentials").await;
    assert_eq!(app.get_as("/api/v1/users/me", &token).await.status(), 401);

    let (email, name, phone, status): (String, String, Option<String>, String) =
        on_db!(&app.db, pool => sqlx::query_as(
            "SELECT email, display_name, phone, status FROM users WHERE email_normalized LIKE 'deleted-%'",
        )
        .fetch_one(pool)
        .await)
        .unwrap();
    assert_eq!(email, format!("deleted-{user_id}@deleted.invalid"));
    assert_eq!(
        (name.as_str(), phone, status.as_str()),
        ("Deleted user", None, "deleted")
    );
    let leftovers: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM profiles) + (SELECT COUNT(*) FROM notifications) \
         + (SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id \
            WHERE u.status = 'deleted') \
         + (SELECT COUNT(*) FROM payment_methods WHERE deleted_at IS NULL)",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(leftovers, 0);
    let texts: Vec<(String, String)> = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT title, body FROM community_posts",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(texts, [("[deleted]".to_string(), "[deleted]".to_string())]);
    let invoices: i64 = on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM invoices")
        .fetch_one(pool)
        .await)
    .unwrap();
    assert_eq!(invoices, 1, "financial records are kept");
    assert_eq!(
        app.audit_actions(&user_id).await,
        ["user.deletion_requested", "user.erased"]
    );
}
