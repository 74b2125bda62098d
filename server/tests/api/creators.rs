//! Creators, their teams, the permission check and cursor pagination.

use crate::helpers::{assert_error, TestApp};
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    a_verified_user_creates_a_creator_and_owns_its_team,
    creating_needs_a_verified_email_a_free_handle_and_valid_fields,
    another_creators_team_is_a_404_and_roles_limit_what_members_do,
    the_directory_pages_by_cursor_both_ways,
);

impl TestApp {
    /// Registers `email`, marks it verified, and returns its access token.
    pub async fn verified_user(&self, email: &str) -> String {
        let tokens = self.register(email).await;
        on_db!(&self.db, pool => sqlx::query("UPDATE users SET email_verified = TRUE, status = 'active' WHERE email_normalized = $1")
            .bind(email.to_lowercase())
            .execute(pool)
            .await
            .map(|_| ()))
        .unwrap();
        tokens["access_token"].as_str().unwrap().to_string()
    }

    pub async fn post_as(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch_as(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put_as(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A DELETE with the bearer token, and a JSON body when the endpoint takes one.
    pub async fn delete_as(
        &self,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let request = self.client.delete(self.url(path)).bearer_auth(token);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        request.send().await.unwrap()
    }

    pub async fn create_creator(&self, token: &str, handle: &str) -> Value {
        let response = self
            .post_as(
                "/api/v1/creators",
                token,
                &json!({"name": format!("Creator {handle}"), "handle": handle, "bio": "Music"}),
            )
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// A verified account `{handle}@example.com` owning the creator `handle`: its token,
    /// the creator, and the id of the creator's free default tier.
    pub async fn creator_with_free_tier(&self, handle: &str) -> (String, Value, Value) {
        let email = format!("{handle}@example.com");
        let token = self.verified_user(&email).await;
        let creator = self.create_creator(&token, handle).await;
        let tiers: Value = self
            .get_as("/api/v1/audience/tiers", &token)
            .await
            .json()
            .await
            .unwrap();
        let free = tiers["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["is_default"] == true)
            .unwrap()["id"]
            .clone();
        (token, creator, free)
    }
}

async fn a_verified_user_creates_a_creator_and_owns_its_team(app: TestApp) {
    let token = app.verified_user("maker@example.com").await;
    let creator = app.create_creator(&token, "maker").await;
    assert_eq!(creator["handle"], "maker");
    assert_eq!(creator["bio"], "Music");

    let id = creator["id"].as_str().unwrap();
    let public: Value = app
        .get(&format!("/api/v1/creators/{id}"))
        .await
        .json()
        .await
        .unwrap();
    for field in ["id", "handle", "name", "bio", "created_at"] {
        assert_eq!(public[field], creator[field], "{field}");
    }
    assert_eq!(
        public["tiers"][0]["name"], "Free",
        "every creator starts with a free tier"
    );
    assert_eq!(public["tip_jars"], json!([]));

    let team: Value = app
        .get_as(&format!("/api/v1/creators/{id}/team"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(team.as_array().unwrap().len(), 1);
    assert_eq!(team[0]["email"], "maker@example.com");
    assert_eq!(team[0]["role"], "content_creator");
    let me: Value = app
        .get_as("/api/v1/users/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert!(me["roles"]
        .as_array()
        .unwrap()
        .contains(&json!("content_creator")));
}

async fn creating_needs_a_verified_email_a_free_handle_and_valid_fields(app: TestApp) {
    let unverified = app.register("fresh@example.com").await;
    let unverified = unverified["access_token"].as_str().unwrap();
    let body = json!({"name": "Fresh", "handle": "fresh"});
    assert_error(
        app.post_as("/api/v1/creators", unverified, &body).await,
        403,
        "email_not_verified",
    )
    .await;
    assert_error(
        app.post_json("/api/v1/creators", &body).await,
        401,
        "UNAUTHORIZED",
    )
    .await;

    let token = app.verified_user("owner@example.com").await;
    app.create_creator(&token, "taken_handle").await;
    let again = app
        .post_as(
            "/api/v1/creators",
            &token,
            &json!({"name": "X", "handle": "taken_handle"}),
        )
        .await;
    assert_error(again, 409, "handle_taken").await;

    let bad = app
        .post_as(
            "/api/v1/creators",
            &token,
            &json!({"name": "", "handle": "No Spaces!"}),
        )
        .await;
    let body = assert_error(bad, 400, "validation_error").await;
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "handle"]);

    // Limits count the text as sent: surrounding spaces do not buy extra length.
    let padded_bio = format!("  {}", "x".repeat(1999));
    let long = app
        .post_as(
            "/api/v1/creators",
            &token,
            &json!({"name": "Padded", "handle": "padded", "bio": padded_bio}),
        )
        .await;
    let body = assert_error(long, 400, "validation_error").await;
    assert_eq!(body["details"][0]["field"], "bio");
}

async fn another_creators_team_is_a_404_and_roles_limit_what_members_do(app: TestApp) {
    let alice = app.verified_user("alice@example.com").await;
    let bob = app.verified_user("bob@example.com").await;
    let carol = app.verified_user("carol@example.com").await;
    let a = app.create_creator(&alice, "alice_art").await;
    let b = app.create_creator(&bob, "bob_beats").await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());

    // Bob cannot see or change Alice's team: it answers as if it did not exist.
    assert_error(
        app.get_as(&format!("/api/v1/creators/{a_id}/team"), &bob)
            .await,
        404,
        "creator_not_found",
    )
    .await;
    let add = app
        .post_as(
            &format!("/api/v1/creators/{a_id}/team"),
            &bob,
            &json!({"email": "bob@example.com", "role": "manager"}),
        )
        .await;
    assert_error(add, 404, "creator_not_found").await;

    // Alice adds Carol as marketing: Carol sees the team but may not change it.
    let added = app
        .post_as(
            &format!("/api/v1/creators/{a_id}/team"),
            &alice,
            &json!({"email": "Carol@example.com", "role": "marketing"}),
        )
        .await;
    assert_eq!(added.status(), 201);
    let carol_id = added.json::<Value>().await.unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.get_as(&format!("/api/v1/creators/{a_id}/team"), &carol)
            .await
            .status(),
        200
    );
    let denied = app
        .post_as(
            &format!("/api/v1/creators/{a_id}/team"),
            &carol,
            &json!({"email": "bob@example.com", "role": "marketing"}),
        )
        .await;
    assert_error(denied, 403, "forbidden").await;
    assert_error(
        app.get_as(&format!("/api/v1/creators/{b_id}/team"), &carol)
            .await,
        404,
        "creator_not_found",
    )
    .await;

    let dup = app
        .post_as(
            &format!("/api/v1/creators/{a_id}/team"),
            &alice,
            &json!({"email": "carol@example.com", "role": "manager"}),
        )
        .await;
    assert_error(dup, 409, "already_member").await;
    let bad_role = app
        .post_as(
            &format!("/api/v1/creators/{a_id}/team"),
            &alice,
            &json!({"email": "bob@example.com", "role": "superadmin"}),
        )
        .await;
    assert_error(bad_role, 400, "validation_error").await;
    let nobody = app
        .post_as(
            &format!("/api/v1/creators/{a_id}/team"),
            &alice,
            &json!({"email": "nobody@example.com", "role": "manager"}),
        )
        .await;
    assert_error(nobody, 404, "user_not_found").await;

    // The last content creator stays; others can be removed.
    let team: Value = app
        .get_as(&format!("/api/v1/creators/{a_id}/team"), &alice)
        .await
        .json()
        .await
        .unwrap();
    let alice_id = team
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "content_creator")
        .unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let member = |user: &str| format!("/api/v1/creators/{a_id}/team/{user}");
    assert_error(
        app.delete_as(&member(&alice_id), &alice, None).await,
        409,
        "last_content_creator",
    )
    .await;
    assert_eq!(
        app.delete_as(&member(&carol_id), &alice, None)
            .await
            .status(),
        204
    );
    assert_error(
        app.get_as(&format!("/api/v1/creators/{a_id}/team"), &carol)
            .await,
        404,
        "creator_not_found",
    )
    .await;
    assert_error(
        app.delete_as(&member(&carol_id), &alice, None).await,
        404,
        "team_member_not_found",
    )
    .await;

    // Both changes are in the audit log, attributed to Alice, with what changed.
    let rows: Vec<(String, Option<String>, Option<String>)> =
        on_db!(&app.db, pool => sqlx::query_as(
        "SELECT action, before, after FROM audit_log WHERE target_id = $1 ORDER BY created_at, id",
    )
    .bind(a_id)
    .fetch_all(pool)
    .await)
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        actions,
        ["creator_team.member_added", "creator_team.member_removed"]
    );
    assert!(rows[0]
        .2
        .as_deref()
        .unwrap()
        .contains("\"role\":\"marketing\""));
    assert!(rows[1]
        .1
        .as_deref()
        .unwrap()
        .contains("\"role\":\"marketing\""));
}

async fn the_directory_pages_by_cursor_both_ways(app: TestApp) {
    let token = app.verified_user("many@example.com").await;
    for i in 0..5 {
        app.create_creator(&token, &format!("creator_{i}")).await;
    }
    let app = &app;
    let page = |query: String| async move {
        app.get(&format!("/api/v1/creators?{query}"))
            .await
            .json::<Value>()
            .await
            .unwrap()
    };
    let handles = |p: &Value| {
        p["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["handle"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };

    let first = page("limit=2".into()).await;
    assert_eq!(handles(&first), ["creator_0", "creator_1"]);
    assert_eq!(first["meta"]["total"], 5);
    assert_eq!(first["meta"]["count"], 2);
    assert_eq!(first["meta"]["limit"], 2);
    assert_eq!(first["meta"]["has_more"], true);
    assert!(first["meta"]["prev_cursor"].is_null());

    let second = page(format!(
        "limit=2&cursor={}",
        first["meta"]["next_cursor"].as_str().unwrap()
    ))
    .await;
    assert_eq!(handles(&second), ["creator_2", "creator_3"]);
    let third = page(format!(
        "limit=2&cursor={}",
        second["meta"]["next_cursor"].as_str().unwrap()
    ))
    .await;
    assert_eq!(handles(&third), ["creator_4"]);
    assert_eq!(third["meta"]["has_more"], false);
    assert!(third["meta"]["next_cursor"].is_null());

    let back = page(format!(
        "limit=2&cursor={}",
        third["meta"]["prev_cursor"].as_str().unwrap()
    ))
    .await;
    assert_eq!(handles(&back), ["creator_2", "creator_3"]);
    let start = page(format!(
        "limit=2&cursor={}",
        back["meta"]["prev_cursor"].as_str().unwrap()
    ))
    .await;
    assert_eq!(handles(&start), ["creator_0", "creator_1"]);
    assert!(start["meta"]["prev_cursor"].is_null());

    assert_error(
        app.get("/api/v1/creators?limit=101").await,
        400,
        "validation_error",
    )
    .await;
    assert_error(
        app.get("/api/v1/creators?limit=0").await,
        400,
        "validation_error",
    )
    .await;
    assert_error(
        app.get("/api/v1/creators?cursor=not-a-cursor").await,
        400,
        "validation_error",
    )
    .await;
    assert_error(
        app.get("/api/v1/creators/not-a-uuid").await,
        400,
        "bad_request",
    )
    .await;
    assert_error(
        app.get(&format!("/api/v1/creators/{}", uuid::Uuid::now_v7()))
            .await,
        404,
        "creator_not_found",
    )
    .await;
}
