//! Sub-profiles: the primary one exists from the start and stays; more up to the plan's
//! limit; PINs are hashed, never shown, and verified with a lock after five misses;
//! kids profiles keep to kids ratings.

use crate::helpers::{assert_error, TestApp};
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    profiles_follow_the_plan_limit_and_the_primary_stays,
    pins_are_hashed_verified_and_locked_after_five_misses,
    kids_profiles_keep_to_kids_ratings,
);

impl TestApp {
    async fn profiles(&self, token: &str) -> Vec<Value> {
        let response = self.get_as("/api/v1/users/me/profiles", token).await;
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    async fn add_profile(&self, token: &str, name: &str) -> reqwest::Response {
        self.post_as("/api/v1/users/me/profiles", token, &json!({ "name": name }))
            .await
    }

    async fn patch_profile(&self, token: &str, id: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(&format!("/api/v1/users/me/profiles/{id}")))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    async fn verify_pin(&self, token: &str, id: &str, pin: &str) -> reqwest::Response {
        self.post_as(
            &format!("/api/v1/users/me/profiles/{id}/verify-pin"),
            token,
            &json!({ "pin": pin }),
        )
        .await
    }
}

async fn profiles_follow_the_plan_limit_and_the_primary_stays(app: TestApp) {
    let buyer = app.buyer("family@example.com", "tok_visa").await;
    let listed = app.profiles(&buyer.token).await;
    assert_eq!(listed.len(), 1);
    let primary = &listed[0];
    assert_eq!(primary["is_primary"], true);
    assert_eq!(primary["pin_protected"], false);
    assert_eq!(primary["content_rating_limit"], "TV-MA");

    // Without a subscription only the primary profile is allowed.
    let add = |name: &'static str| app.add_profile(&buyer.token, name);
    assert_error(add("Second").await, 409, "profile_limit_reached").await;
    // The standard plan allows 3.
    let plan = app.plan(0).await;
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    let second = add("Second").await;
    assert_eq!(second.status(), 201);
    let second: Value = second.json().await.unwrap();
    assert_eq!(second["is_primary"], false);
    assert_eq!(add("Third").await.status(), 201);
    assert_error(add("Fourth").await, 409, "profile_limit_reached").await;

    let primary_id = primary["id"].as_str().unwrap();
    let remove = |id: String| {
        app.client
            .delete(app.url(&format!("/api/v1/users/me/profiles/{id}")))
            .bearer_auth(&buyer.token)
            .send()
    };
    assert_error(
        remove(primary_id.into()).await.unwrap(),
        409,
        "primary_profile",
    )
    .await;
    let second_id = second["id"].as_str().unwrap().to_string();
    assert_eq!(remove(second_id.clone()).await.unwrap().status(), 204);
    assert_eq!(app.profiles(&buyer.token).await.len(), 2);
    assert_error(
        app.get_as(
            &format!("/api/v1/users/me/profiles/{second_id}"),
            &buyer.token,
        )
        .await,
        404,
        "profile_not_found",
    )
    .await;
    // Another account cannot see or touch them.
    let stranger = app.verified_user("stranger@example.com").await;
    assert_error(
        app.get_as(
            &format!("/api/v1/users/me/profiles/{primary_id}"),
            &stranger,
        )
        .await,
        404,
        "profile_not_found",
    )
    .await;
    let name_error = assert_error(
        app.post_as(
            "/api/v1/users/me/profiles",
            &buyer.token,
            &json!({ "name": "" }),
        )
        .await,
        400,
        "validation_error",
    )
    .await;
    assert_eq!(name_error["details"][0]["field"], "name");
}

async fn pins_are_hashed_verified_and_locked_after_five_misses(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await; // for moving the clock later
    let token = app.verified_user("locked@example.com").await;
    let primary = app.profiles(&token).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_error(
        app.verify_pin(&token, &primary, "1234").await,
        400,
        "pin_not_set",
    )
    .await;
    let bad_pin = assert_error(
        app.patch_profile(&token, &primary, &json!({"name": "Me", "pin": "12ab"}))
            .await,
        400,
        "validation_error",
    )
    .await;
    assert_eq!(bad_pin["details"][0]["field"], "pin");
    let set = app
        .patch_profile(&token, &primary, &json!({"name": "Me", "pin": "4321"}))
        .await;
    assert_eq!(set.status(), 200);
    let set: Value = set.json().await.unwrap();
    assert_eq!(set["pin_protected"], true);
    assert!(set.get("pin").is_none() && set.get("pin_hash").is_none());
    let stored: String = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT pin_hash FROM profiles WHERE pin_hash IS NOT NULL")
        .fetch_one(pool)
        .await)
    .unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains("4321"));

    let ok = app.verify_pin(&token, &primary, "4321").await;
    assert_eq!(ok.status(), 200);
    let ok: Value = ok.json().await.unwrap();
    assert_eq!(ok["expires_in"], 3600);
    assert!(ok["profile_token"].as_str().unwrap().len() > 20);

    for _ in 0..4 {
        assert_error(
            app.verify_pin(&token, &primary, "0000").await,
            403,
            "invalid_pin",
        )
        .await;
    }
    let locked = app.verify_pin(&token, &primary, "0000").await;
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    // Even the right PIN waits out the lock.
    assert_eq!(app.verify_pin(&token, &primary, "4321").await.status(), 429);
    app.sandbox_advance(16 * 60).await;
    let token = app.sign_in("locked@example.com").await;
    assert_eq!(app.verify_pin(&token, &primary, "4321").await.status(), 200);

    // `"pin": null` removes it.
    let cleared: Value = app
        .patch_profile(&token, &primary, &json!({"name": "Me", "pin": null}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["pin_protected"], false);
}

async fn kids_profiles_keep_to_kids_ratings(app: TestApp) {
    let token = app.verified_user("parent@example.com").await;
    let primary = app.profiles(&token).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = assert_error(
        app.patch_profile(
            &token,
            &primary,
            &json!({"name": "Kid", "is_kids": true, "content_rating_limit": "R"}),
        )
        .await,
        400,
        "validation_error",
    )
    .await;
    assert_eq!(refused["details"][0]["field"], "content_rating_limit");
    let capped: Value = app
        .patch_profile(&token, &primary, &json!({"name": "Kid", "is_kids": true}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(capped["is_kids"], true);
    assert_eq!(
        capped["content_rating_limit"], "TV-PG",
        "becoming a kids profile caps it"
    );
    let g: Value = app
        .patch_profile(
            &token,
            &primary,
            &json!({"name": "Kid", "content_rating_limit": "G"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(g["content_rating_limit"], "G");
}
