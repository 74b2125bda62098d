//! `/api/v1/auth/*` and bearer authentication, through HTTP only.

use crate::helpers::{assert_error, TestApp};
use app::on_db;
use chrono::Duration;
use serde_json::{json, Value};

on_both_backends!(
    register_creates_a_pending_account_and_signs_in,
    register_lists_every_invalid_field,
    register_refuses_a_taken_email_in_any_case,
    bodies_must_be_well_formed_json,
    login_checks_the_password,
    login_is_throttled_per_account_until_the_window_passes,
    only_failed_logins_count_against_an_address,
    refresh_rotates_and_reuse_revokes_the_family,
    logout_stops_the_access_token_and_the_refresh_token,
    access_tokens_expire_after_fifteen_minutes,
    forged_tokens_are_refused,
    suspended_accounts_cannot_sign_in,
    sessions_record_the_address_they_were_opened_from,
);

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_as(&self, path: &str, access_token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(access_token)
            .send()
            .await
            .unwrap()
    }

    /// Registers `email` and returns the token response.
    pub async fn register(&self, email: &str) -> Value {
        let response = self
            .post_json(
                "/api/v1/auth/register",
                &json!({"email": email, "password": PASSWORD, "display_name": "Ada", "accept_terms": true}),
            )
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await
    }
}

fn token(tokens: &Value, name: &str) -> String {
    tokens[name].as_str().unwrap().to_string()
}

async fn register_creates_a_pending_account_and_signs_in(app: TestApp) {
    let tokens = app.register("Ada@Example.com").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert_eq!(
        tokens["scope"],
        "openid profile content:read subscription:read watchlist devices drm"
    );
    for field in ["access_token", "refresh_token", "id_token"] {
        assert!(
            tokens[field].as_str().is_some_and(|t| t.len() > 20),
            "{field}"
        );
    }

    let me: Value = app
        .get_as("/api/v1/users/me", &token(&tokens, "access_token"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "Ada@Example.com");
    assert_eq!(me["display_name"], "Ada");
    assert_eq!(me["status"], "pending_verification");
    assert_eq!(me["email_verified"], false);
    assert_eq!(me["roles"], json!(["subscriber"]));
    assert!(me["terms_accepted_at"].is_string());
    assert!(
        me.get("password_hash").is_none(),
        "secrets never leave the server"
    );
}

async fn register_lists_every_invalid_field(app: TestApp) {
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": "nope", "password": "short", "display_name": " ", "accept_terms": false}),
        )
        .await;
    let body = assert_error(response, 400, "validation_error").await;
    let mut fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        ["accept_terms", "display_name", "email", "password"]
    );
}

async fn register_refuses_a_taken_email_in_any_case(app: TestApp) {
    app.register("taken@example.com").await;
    let again = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": "TAKEN@example.com", "password": PASSWORD, "display_name": "B", "accept_terms": true}),
        )
        .await;
    assert_error(again, 409, "email_taken").await;
}

async fn bodies_must_be_well_formed_json(app: TestApp) {
    let url = app.url("/api/v1/auth/login");
    let malformed = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .unwrap();
    assert_error(malformed, 400, "invalid_json").await;

    let not_json = app
        .client
        .post(&url)
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_error(not_json, 415, "unsupported_media_type").await;

    // serde would read an all-optional body such as a profile update from `[]`.
    let token = app.verified_user("array@example.com").await;
    for body in ["[]", " 42", "\"name\""] {
        let not_an_object = app
            .client
            .patch(app.url("/api/v1/users/me"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_error(not_an_object, 400, "validation_error").await;
    }

    let unknown = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "a@b.io", "password": "x", "admin": true}),
        )
        .await;
    let body = assert_error(unknown, 400, "validation_error").await;
    assert!(
        body["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `admin`"),
        "{body}"
    );

    let missing = app
        .post_json("/api/v1/auth/login", &json!({"email": "a@b.io"}))
        .await;
    let body = assert_error(missing, 400, "validation_error").await;
    assert!(
        body["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("password"),
        "{body}"
    );
}

async fn login_checks_the_password(app: TestApp) {
    app.register("login@example.com").await;
    let ok = app.login("LOGIN@example.com", PASSWORD).await;
    assert_eq!(ok.status(), 200);
    let tokens: Value = ok.json().await.unwrap();
    let me: Value = app
        .get_as("/api/v1/users/me", &token(&tokens, "access_token"))
        .await
        .json()
        .await
        .unwrap();
    assert!(me["last_login_at"].is_string());

    assert_error(
        app.login("login@example.com", "wrong password!").await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_error(
        app.login("nobody@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
}

async fn login_is_throttled_per_account_until_the_window_passes(app: TestApp) {
    app.register("guess@example.com").await;
    for _ in 0..10 {
        assert_eq!(
            app.login("guess@example.com", "wrong password!")
                .await
                .status(),
            401
        );
    }
    // The 11th attempt is refused even with the right password.
    let throttled = app.login("guess@example.com", PASSWORD).await;
    let retry_after: i64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=900).contains(&retry_after),
        "Retry-After {retry_after}"
    );
    assert_error(throttled, 429, "rate_limited").await;

    app.clock.advance(Duration::minutes(15));
    assert_eq!(app.login("guess@example.com", PASSWORD).await.status(), 200);
}

async fn only_failed_logins_count_against_an_address(app: TestApp) {
    app.register("office@example.com").await;
    // More successful sign-ins than the address allows failures: none is refused.
    for _ in 0..60 {
        assert_eq!(
            app.login("office@example.com", PASSWORD).await.status(),
            200
        );
    }
    // 50 failures from the same address, 10 per account so no account limit is reached.
    for attempt in 0..50 {
        let email = format!("guess{}@example.com", attempt / 10);
        assert_eq!(app.login(&email, "wrong password!").await.status(), 401);
    }
    // The address has used its failures: even a right password waits.
    assert_error(
        app.login("office@example.com", PASSWORD).await,
        429,
        "rate_limited",
    )
    .await;
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: TestApp) {
    let first = app.register("rotate@example.com").await;
    let old_refresh = token(&first, "refresh_token");
    let second: Value = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": old_refresh}),
        )
        .await
        .json()
        .await
        .unwrap();
    let new_refresh = token(&second, "refresh_token");
    assert_ne!(new_refresh, old_refresh);
    assert_eq!(
        app.get_as("/api/v1/users/me", &token(&second, "access_token"))
            .await
            .status(),
        200
    );

    // The rotated token comes back (stolen copy): the whole family ends.
    let reuse = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": old_refresh}),
        )
        .await;
    assert_error(reuse, 401, "UNAUTHORIZED").await;
    let after = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": new_refresh}),
        )
        .await;
    assert_error(after, 401, "UNAUTHORIZED").await;
    let me = app
        .get_as("/api/v1/users/me", &token(&second, "access_token"))
        .await;
    assert_error(me, 401, "UNAUTHORIZED").await;

    let unknown = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": "rt_made_up"}),
        )
        .await;
    assert_error(unknown, 401, "UNAUTHORIZED").await;
}

async fn logout_stops_the_access_token_and_the_refresh_token(app: TestApp) {
    let tokens = app.register("bye@example.com").await;
    let access = token(&tokens, "access_token");
    let refresh = token(&tokens, "refresh_token");

    let unauthenticated = app
        .post_json("/api/v1/auth/logout", &json!({"refresh_token": refresh}))
        .await;
    assert_error(unauthenticated, 401, "UNAUTHORIZED").await;

    let out = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&access)
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_error(
        app.get_as("/api/v1/users/me", &access).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    let again = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": refresh}))
        .await;
    assert_error(again, 401, "UNAUTHORIZED").await;
}

async fn access_tokens_expire_after_fifteen_minutes(app: TestApp) {
    let tokens = app.register("expiry@example.com").await;
    let access = token(&tokens, "access_token");
    app.clock.advance(Duration::minutes(14));
    assert_eq!(app.get_as("/api/v1/users/me", &access).await.status(), 200);
    app.clock.advance(Duration::minutes(1));
    assert_error(
        app.get_as("/api/v1/users/me", &access).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    // The session itself lives on: refresh gives a new access token.
    let refreshed = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": token(&tokens, "refresh_token")}),
        )
        .await;
    assert_eq!(refreshed.status(), 200);
}

async fn forged_tokens_are_refused(app: TestApp) {
    let tokens = app.register("forge@example.com").await;
    let access = token(&tokens, "access_token");
    let parts: Vec<&str> = access.split('.').collect();

    assert_error(app.get("/api/v1/users/me").await, 401, "UNAUTHORIZED").await;
    let bad_signature = format!("{}.{}.{}", parts[0], parts[1], "A".repeat(parts[2].len()));
    assert_error(
        app.get_as("/api/v1/users/me", &bad_signature).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    // {"alg":"none","typ":"JWT"} with the real claims and no signature.
    let alg_none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
    assert_error(
        app.get_as("/api/v1/users/me", &alg_none).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    // The id_token is signed by us but is not an access token (no session).
    assert_error(
        app.get_as("/api/v1/users/me", &token(&tokens, "id_token"))
            .await,
        401,
        "UNAUTHORIZED",
    )
    .await;
}

async fn suspended_accounts_cannot_sign_in(app: TestApp) {
    let tokens = app.register("suspend@example.com").await;
    on_db!(&app.db, pool => sqlx::query("UPDATE users SET status = 'suspended' WHERE email_normalized = $1")
        .bind("suspend@example.com")
        .execute(pool)
        .await
        .map(|_| ()))
    .unwrap();
    assert_error(
        app.login("suspend@example.com", PASSWORD).await,
        403,
        "account_suspended",
    )
    .await;
    // A token issued before the suspension stops working at once.
    let me = app
        .get_as("/api/v1/users/me", &token(&tokens, "access_token"))
        .await;
    assert_error(me, 403, "account_suspended").await;
    // A wrong password still says only that the credentials are wrong.
    assert_error(
        app.login("suspend@example.com", "wrong password!").await,
        401,
        "invalid_credentials",
    )
    .await;
}

/// The accept loop (`server::http`) hands each request its peer's address.
async fn sessions_record_the_address_they_were_opened_from(app: TestApp) {
    app.register("address@example.com").await;
    let addresses: Vec<Option<String>> = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT s.client_ip FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE u.email_normalized = $1",
    )
    .bind("address@example.com")
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(addresses, vec![Some("127.0.0.1".to_string())]);
}

mod web_session {
    use crate::helpers::{assert_error, TestApp};

    on_both_backends!(cookie_sessions_work_and_cross_site_writes_are_refused);

    /// The browser's door: the sign-in server function sets an HttpOnly session cookie
    /// that authenticates REST calls too; a write from another origin is refused.
    async fn cookie_sessions_work_and_cross_site_writes_are_refused(app: TestApp) {
        app.register("web@example.com").await;
        let form = [("email", "web@example.com"), ("password", super::PASSWORD)];
        let signed_in = app
            .client
            .post(app.url("/api/fn/sign_in"))
            .header("origin", &app.base)
            .form(&form)
            .send()
            .await
            .unwrap();
        let set_cookie = signed_in.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(set_cookie.starts_with("encora_session=ws_"), "{set_cookie}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(
                set_cookie.contains(attribute),
                "{attribute} in {set_cookie}"
            );
        }
        let cookie = set_cookie.split(';').next().unwrap().to_string();

        let me = app
            .client
            .get(app.url("/api/v1/users/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200, "{cookie}: {}", me.text().await.unwrap());

        // The same cookie on a write from elsewhere: refused before any handler runs.
        let forged = app
            .client
            .post(app.url("/api/fn/sign_out"))
            .header("cookie", &cookie)
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_error(forged, 403, "csrf_rejected").await;
        let no_origin = app
            .client
            .post(app.url("/api/fn/sign_out"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_error(no_origin, 403, "csrf_rejected").await;

        // Signing out from our own origin ends the session.
        let host = app.base.trim_start_matches("http://").to_string();
        let out = app
            .client
            .post(app.url("/api/fn/sign_out"))
            .header("cookie", &cookie)
            .header("origin", format!("http://{host}"))
            .send()
            .await
            .unwrap();
        assert!(
            out.status().is_success() || out.status().is_redirection(),
            "{}",
            out.status()
        );
        let me = app
            .client
            .get(app.url("/api/v1/users/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_error(me, 401, "UNAUTHORIZED").await;
    }
}
