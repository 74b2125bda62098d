//! The signed-in user's own account: profile fields with their checks, password change
//! ending every other session, and in-app notifications raised by billing events.

use crate::auth::PASSWORD;
use crate::helpers::{assert_error, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    a_user_edits_their_profile_and_nothing_else,
    changing_the_password_ends_every_other_session,
    a_failed_payment_notifies_unless_the_user_opted_out,
);

const DAY: i64 = 24 * 3600;

impl TestApp {
    async fn patch_me(&self, token: &str, body: &Value) -> reqwest::Response {
        self.patch_as("/api/v1/users/me", token, body).await
    }

    pub async fn notifications(&self, token: &str, query: &str) -> Value {
        let response = self
            .get_as(&format!("/api/v1/notifications{query}"), token)
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

async fn a_user_edits_their_profile_and_nothing_else(app: TestApp) {
    let token = app.verified_user("editor@example.com").await;
    let response = app
        .patch_me(
            &token,
            &json!({"display_name": "  Ed Itor ", "phone": "+14155550123", "locale": "pt-BR",
                    "timezone": "America/Sao_Paulo", "country_code": "br",
                    "preferred_language": "pt",
                    "notification_preferences": {"payment": true, "new_content": false,
                                                 "account_security": true, "marketing": false}}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let me: Value = app
        .get_as("/api/v1/users/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "Ed Itor");
    assert_eq!(me["phone"], "+14155550123");
    assert_eq!(me["phone_verified"], false);
    assert_eq!(me["locale"], "pt-BR");
    assert_eq!(me["timezone"], "America/Sao_Paulo");
    assert_eq!(me["country_code"], "BR");
    assert_eq!(me["preferred_language"], "pt");
    assert_eq!(response.json::<Value>().await.unwrap(), me);

    let bad = [
        (json!({"phone": "4155550123"}), "phone"),
        (json!({"timezone": "Mars/Olympus_Mons"}), "timezone"),
        (json!({"locale": "english"}), "locale"),
        (json!({"country_code": "USA"}), "country_code"),
        (json!({"display_name": "   "}), "display_name"),
        (json!({"roles": ["superadmin"]}), "roles"),
        (json!({"status": "active"}), "status"),
        (json!({"email_verified": true}), "email_verified"),
    ];
    for (body, field) in bad {
        let error = assert_error(app.patch_me(&token, &body).await, 400, "validation_error").await;
        assert_eq!(error["details"][0]["field"], field, "{body}");
    }
    let after: Value = app
        .get_as("/api/v1/users/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after, me, "refused changes change nothing");
    assert_eq!(after["roles"], json!(["subscriber"]));
}

async fn changing_the_password_ends_every_other_session(app: TestApp) {
    app.verified_user("mover@example.com").await;
    let login = |password: &'static str| app.login("mover@example.com", password);
    let first: Value = login(PASSWORD).await.json().await.unwrap();
    let second: Value = login(PASSWORD).await.json().await.unwrap();
    let first = first["access_token"].as_str().unwrap().to_string();
    let second = second["access_token"].as_str().unwrap().to_string();
    let change = |current: &str, new: &str| {
        app.client
            .post(app.url("/api/v1/users/me/password"))
            .bearer_auth(&first)
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    let wrong = assert_error(
        change("not it at all", "a brand new password")
            .await
            .unwrap(),
        400,
        "validation_error",
    )
    .await;
    assert_eq!(wrong["details"][0]["field"], "current_password");
    let weak = assert_error(
        change(PASSWORD, "short").await.unwrap(),
        400,
        "validation_error",
    )
    .await;
    assert_eq!(weak["details"][0]["field"], "new_password");

    let changed = change(PASSWORD, "a brand new password").await.unwrap();
    assert_eq!(changed.status(), 200);
    let fresh: Value = changed.json().await.unwrap();
    let fresh = fresh["access_token"].as_str().unwrap().to_string();
    for old in [&first, &second] {
        assert_eq!(app.get_as("/api/v1/users/me", old).await.status(), 401);
    }
    assert_eq!(app.get_as("/api/v1/users/me", &fresh).await.status(), 200);
    assert_eq!(login(PASSWORD).await.status(), 401);
    assert_eq!(login("a brand new password").await.status(), 200);

    // Security notices are sent whatever the preferences say.
    let page = app.notifications(&fresh, "").await;
    assert_eq!(page["unread_count"], 1);
    assert_eq!(page["data"][0]["type"], "password_changed");
    assert_eq!(page["data"][0]["priority"], "high");
}

async fn a_failed_payment_notifies_unless_the_user_opted_out(app: TestApp) {
    let plan = app.plan(0).await;
    let mut buyer = app.buyer("short@example.com", "tok_visa").await;
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    app.attach_card(&buyer.token, "tok_chargeDeclinedInsufficientFunds", true)
        .await;
    app.months_pass(&mut buyer, 32 * DAY).await;

    let page = app.notifications(&buyer.token, "").await;
    assert_eq!(page["unread_count"], 1);
    assert_eq!(page["meta"]["total"], 1);
    let note = &page["data"][0];
    assert_eq!(note["type"], "payment_failed");
    assert_eq!(note["is_read"], false);
    assert!(
        note["body"].as_str().unwrap().contains("USD 9.99"),
        "{note}"
    );
    let id = note["id"].as_str().unwrap();

    let read = app
        .client
        .patch(app.url(&format!("/api/v1/notifications/{id}")))
        .bearer_auth(&buyer.token)
        .json(&json!({"is_read": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    let read: Value = read.json().await.unwrap();
    assert_eq!(read["is_read"], true);
    assert!(read["read_at"].is_string());
    let unread = app.notifications(&buyer.token, "?unread_only=true").await;
    assert_eq!(unread["unread_count"], 0);
    assert_eq!(unread["data"], json!([]));
    assert_eq!(
        app.notifications(&buyer.token, "").await["meta"]["total"],
        1
    );

    let stranger = app.verified_user("stranger@example.com").await;
    let foreign = app
        .client
        .patch(app.url(&format!("/api/v1/notifications/{id}")))
        .bearer_auth(&stranger)
        .json(&json!({"is_read": true}))
        .send()
        .await
        .unwrap();
    assert_error(foreign, 404, "notification_not_found").await;

    // Opting out of payment notices: the next retry fails silently.
    let opted = app
        .patch_me(
            &buyer.token,
            &json!({"notification_preferences": {"payment": false, "new_content": true,
                                                 "account_security": true, "marketing": true}}),
        )
        .await;
    assert_eq!(opted.status(), 200);
    app.months_pass(&mut buyer, 2 * DAY).await;
    let sub: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(sub["status"], "past_due", "the retry failed too");
    assert_eq!(
        app.notifications(&buyer.token, "").await["meta"]["total"],
        1
    );
}
