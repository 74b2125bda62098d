//! The admin console's users: search and filters, suspension (which ends every session
//! at once) and reinstatement, the superadmin rules, the audit log, and the answer of
//! every admin route to every role.

use crate::auth::PASSWORD;
use crate::helpers::{assert_error, TestApp};
use crate::plans::standard_plan;
use crate::sandbox::superadmin_token;
use app::on_db;
use chrono::SecondsFormat;
use serde_json::{json, Value};

on_both_backends!(
    staff_find_accounts_by_words_and_filters,
    a_suspension_ends_every_session_until_reinstated,
    only_a_superadmin_touches_superadmins_and_one_always_stays,
    every_admin_route_answers_each_role_as_documented,
);

const USERS: &str = "/api/v1/admin/users";
const DAY: i64 = 24 * 3600;

impl TestApp {
    pub(crate) async fn user_id(&self, token: &str) -> String {
        let me: Value = self
            .get_as("/api/v1/users/me", token)
            .await
            .json()
            .await
            .unwrap();
        me["id"].as_str().unwrap().to_string()
    }

    async fn find_users(&self, token: &str, query: &str) -> Value {
        let response = self.get_as(&format!("{USERS}?{query}"), token).await;
        assert_eq!(response.status(), 200, "GET {query}");
        response.json().await.unwrap()
    }

    /// A verified account holding the platform `roles`, granted by `root`: its token.
    async fn staff(&self, root: &str, email: &str, roles: &[&str]) -> String {
        let token = self.verified_user(email).await;
        let id = self.user_id(&token).await;
        let granted = self
            .patch_as(&format!("{USERS}/{id}"), root, &json!({ "roles": roles }))
            .await;
        assert_eq!(granted.status(), 200);
        token
    }

    async fn audit(&self, token: &str, query: &str) -> Vec<Value> {
        let response = self
            .get_as(&format!("/api/v1/admin/audit-log?{query}"), token)
            .await;
        assert_eq!(response.status(), 200, "audit-log?{query}");
        let page: Value = response.json().await.unwrap();
        page["data"].as_array().unwrap().clone()
    }
}

fn emails(page: &Value) -> Vec<&str> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect()
}

async fn staff_find_accounts_by_words_and_filters(app: TestApp) {
    let root = superadmin_token(&app).await;
    let ada = app.verified_user("ada.lovelace@example.com").await;
    let renamed = app
        .patch_as(
            "/api/v1/users/me",
            &ada,
            &json!({"display_name": "Ada Lovelace", "country_code": "GB"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let grace = app.verified_user("grace.hopper@example.com").await;
    app.patch_as(
        "/api/v1/users/me",
        &grace,
        &json!({"display_name": "Grace Hopper"}),
    )
    .await;

    let by = |query: &'static str| {
        let app = &app;
        let root = root.clone();
        async move { app.find_users(&root, query).await }
    };
    assert_eq!(
        emails(&by("q=lovelace").await),
        ["ada.lovelace@example.com"]
    );
    // Word prefixes, any case, every word must match.
    assert_eq!(emails(&by("q=LOVE").await), ["ada.lovelace@example.com"]);
    assert_eq!(
        emails(&by("q=hop%20gra").await),
        ["grace.hopper@example.com"]
    );
    assert_eq!(by("q=lovelace%20hopper").await["meta"]["total"], 0);
    assert_eq!(by("q=example").await["meta"]["total"], 3);
    assert_eq!(
        emails(&by("country_code=gb").await),
        ["ada.lovelace@example.com"]
    );
    assert_eq!(emails(&by("role=superadmin").await), ["root@example.com"]);
    assert_eq!(by("status=suspended").await["meta"]["total"], 0);
    // Words with filters on the role (the index alone) and on the user's own row.
    assert_eq!(
        emails(&by("q=example&role=superadmin").await),
        ["root@example.com"]
    );
    let in_gb = by("q=example&country_code=GB").await;
    assert_eq!(emails(&in_gb), ["ada.lovelace@example.com"]);
    assert_eq!(in_gb["meta"]["total"], 1);

    // A word every account has, page by page.
    let words_first = by("q=example&limit=2").await;
    assert_eq!(
        emails(&words_first),
        ["grace.hopper@example.com", "ada.lovelace@example.com"]
    );
    assert_eq!(words_first["meta"]["total"], 3);
    let cursor = words_first["meta"]["next_cursor"].as_str().unwrap();
    let words_next = app
        .find_users(&root, &format!("q=example&limit=2&cursor={cursor}"))
        .await;
    assert_eq!(emails(&words_next), ["root@example.com"]);
    assert_eq!(words_next["meta"]["has_more"], false);

    // A prefix of several words ("com", "countess") counts each account once, and a
    // rename is searched by its new words only.
    let rename = |name: &'static str| {
        let (app, ada) = (&app, ada.clone());
        async move {
            let body = json!({ "display_name": name });
            let renamed = app.patch_as("/api/v1/users/me", &ada, &body).await;
            assert_eq!(renamed.status(), 200);
        }
    };
    rename("Ada Countess Lovelace").await;
    // One word alone is counted from the rollup of the index.
    assert_eq!(by("q=countess").await["meta"]["total"], 1);
    assert_eq!(by("q=lovelace").await["meta"]["total"], 1);
    let co = by("q=co").await;
    assert_eq!(co["meta"]["total"], 3);
    assert_eq!(
        emails(&co),
        [
            "grace.hopper@example.com",
            "ada.lovelace@example.com",
            "root@example.com"
        ]
    );
    assert_eq!(
        emails(&by("q=countess%20ada").await),
        ["ada.lovelace@example.com"]
    );
    rename("Ada Lovelace").await;
    assert_eq!(by("q=countess").await["meta"]["total"], 0);
    assert_eq!(by("q=co").await["meta"]["total"], 3);

    // A status change is searched at once.
    let grace_id = app.user_id(&grace).await;
    let set_status = |status: &'static str| {
        let (app, root, path) = (&app, root.clone(), format!("{USERS}/{grace_id}"));
        async move {
            let body = json!({ "status": status });
            assert_eq!(app.patch_as(&path, &root, &body).await.status(), 200);
        }
    };
    set_status("suspended").await;
    assert_eq!(
        emails(&by("q=grace&status=suspended").await),
        ["grace.hopper@example.com"]
    );
    assert_eq!(by("q=grace&status=suspended").await["meta"]["total"], 1);
    assert_eq!(by("q=grace&status=active").await["meta"]["total"], 0);
    assert_eq!(by("q=grace").await["meta"]["total"], 1);
    // Without words, the totals by status come from their rollup (migration 0049).
    assert_eq!(by("status=suspended").await["meta"]["total"], 1);
    assert_eq!(by("status=active").await["meta"]["total"], 2);
    assert_eq!(by("").await["meta"]["total"], 3);
    set_status("active").await;
    assert_eq!(by("q=grace&status=suspended").await["meta"]["total"], 0);
    assert_eq!(by("q=grace&status=active").await["meta"]["total"], 1);
    assert_eq!(by("status=suspended").await["meta"]["total"], 0);
    assert_eq!(by("status=active").await["meta"]["total"], 3);
    // The words' rollup counts each word's users by status, and keeps no row for a word
    // and status no user has: not "countess", nor Grace's words as suspended (0053).
    let (stale, kept, keys): (i64, i64, i64) = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM user_word_counts c WHERE c.users <> \
         (SELECT COUNT(*) FROM user_words w WHERE w.word = c.word \
          AND w.account_status = c.account_status)), \
         (SELECT COUNT(*) FROM user_word_counts), \
         (SELECT COUNT(*) FROM (SELECT DISTINCT word, account_status FROM user_words) k)",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!((stale, kept), (0, keys));
    let grace = app.sign_in_as("grace.hopper@example.com", PASSWORD).await;

    // Newest first, by cursor.
    let first = by("limit=2").await;
    assert_eq!(
        emails(&first),
        ["grace.hopper@example.com", "ada.lovelace@example.com"]
    );
    assert_eq!(first["meta"]["total"], 3);
    assert_eq!(first["meta"]["has_more"], true);
    let cursor = first["meta"]["next_cursor"].as_str().unwrap();
    let second = app
        .find_users(&root, &format!("limit=2&cursor={cursor}"))
        .await;
    assert_eq!(emails(&second), ["root@example.com"]);
    assert_eq!(second["meta"]["has_more"], false);

    let later =
        (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let none = app
        .find_users(&root, &format!("created_after={later}"))
        .await;
    assert_eq!(none["meta"]["total"], 0);
    let all = app
        .find_users(&root, &format!("created_before={later}"))
        .await;
    assert_eq!(all["meta"]["total"], 3);

    for bad in ["role=emperor", "country_code=GBR", "limit=0"] {
        let response = app.get_as(&format!("{USERS}?{bad}"), &root).await;
        assert_error(response, 400, "validation_error").await;
    }
    let long = "a".repeat(201);
    let response = app.get_as(&format!("{USERS}?q={long}"), &root).await;
    assert_error(response, 400, "validation_error").await;

    // An erased account leaves the list unless asked for.
    let gone = app
        .delete_as(
            "/api/v1/users/me",
            &grace,
            Some(&json!({"password": PASSWORD})),
        )
        .await;
    assert_eq!(gone.status(), 202);
    app.sandbox_advance(31 * DAY).await;
    let root = app.sign_in_as("root@example.com", "root password 1").await;
    assert_eq!(app.find_users(&root, "").await["meta"]["total"], 2);
    let deleted = app.find_users(&root, "status=deleted").await;
    assert_eq!(deleted["meta"]["total"], 1);
    app.register("newcomer@example.com").await;
    let pending = app.find_users(&root, "status=pending_verification").await;
    assert_eq!(pending["meta"]["total"], 1);
    assert_eq!(app.find_users(&root, "").await["meta"]["total"], 3);
    assert_eq!(deleted["data"][0]["display_name"], "Deleted user");
    assert_eq!(
        app.find_users(&root, "q=hopper").await["meta"]["total"],
        0,
        "the erased name is no longer searchable"
    );
    assert_eq!(app.find_users(&root, "q=deleted").await["meta"]["total"], 0);
    assert_eq!(
        app.find_users(&root, "q=deleted&status=deleted").await["meta"]["total"],
        1
    );
}

async fn a_suspension_ends_every_session_until_reinstated(app: TestApp) {
    let root = superadmin_token(&app).await;
    let root_id = app.user_id(&root).await;
    let email = "viewer@example.com";
    let phone = app.verified_user(email).await;
    let tokens: Value = app.login(email, PASSWORD).await.json().await.unwrap();
    let laptop = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let id = app.user_id(&phone).await;
    let suspend = format!("{USERS}/{id}/suspend");
    let reinstate = format!("{USERS}/{id}/reinstate");

    let blank = app.post_as(&suspend, &root, &json!({"reason": "  "})).await;
    assert_error(blank, 400, "validation_error").await;
    let long = json!({"reason": "x".repeat(501)});
    assert_error(
        app.post_as(&suspend, &root, &long).await,
        400,
        "validation_error",
    )
    .await;

    let suspended = app
        .post_as(&suspend, &root, &json!({"reason": "Chargeback fraud"}))
        .await;
    assert_eq!(suspended.status(), 200);
    let body: Value = suspended.json().await.unwrap();
    assert_eq!(body["status"], "suspended");

    // Every session stops at once: access tokens, refresh tokens, sign-in.
    for token in [&phone, &laptop] {
        let me = app.get_as("/api/v1/users/me", token).await;
        assert_eq!(me.status(), 401);
    }
    let refreshed = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": refresh}))
        .await;
    assert_eq!(refreshed.status(), 401);
    assert_error(app.login(email, PASSWORD).await, 403, "account_suspended").await;
    let mail = app.mail_to(email);
    assert!(
        mail.last().unwrap().contains("Chargeback fraud"),
        "{mail:?}"
    );
    let again = app
        .post_as(&suspend, &root, &json!({"reason": "Twice"}))
        .await;
    assert_error(again, 409, "user_already_suspended").await;

    let audited = app
        .audit(&root, &format!("target_id={id}&action=user.suspended"))
        .await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0]["actor_id"], root_id.as_str());
    assert_eq!(audited[0]["reason"], "Chargeback fraud");
    assert_eq!(audited[0]["before"]["status"], "active");
    assert_eq!(audited[0]["after"]["status"], "suspended");

    let back = app
        .post_as(
            &reinstate,
            &root,
            &json!({"note": "Bank confirmed the payment"}),
        )
        .await;
    assert_eq!(back.status(), 200);
    assert_eq!(back.json::<Value>().await.unwrap()["status"], "active");
    assert_eq!(app.login(email, PASSWORD).await.status(), 200);
    assert!(app.mail_to(email).last().unwrap().contains("reinstated"));
    let twice = app.post_as(&reinstate, &root, &json!({})).await;
    assert_error(twice, 409, "user_not_suspended").await;
    let actions: Vec<String> = app
        .audit(&root, &format!("actor_id={root_id}&target_type=user"))
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actions, ["user.reinstated", "user.suspended"]);
    let noted = app.audit(&root, "action=user.reinstated").await;
    assert_eq!(noted[0]["reason"], "Bank confirmed the payment");

    let unknown = format!("{USERS}/{}/suspend", uuid::Uuid::now_v7());
    let missing = app.post_as(&unknown, &root, &json!({"reason": "?"})).await;
    assert_error(missing, 404, "user_not_found").await;
    let quiet = app
        .post_as(
            &suspend,
            &root,
            &json!({"reason": "Quiet", "notify_user": false}),
        )
        .await;
    assert_eq!(quiet.status(), 200);
    assert!(!app.mail_to(email).last().unwrap().contains("Quiet"));
}

async fn only_a_superadmin_touches_superadmins_and_one_always_stays(app: TestApp) {
    let root = superadmin_token(&app).await;
    let root_id = app.user_id(&root).await;
    let admin = app
        .staff(&root, "admin@example.com", &["subscriber", "admin"])
        .await;
    let admin_id = app.user_id(&admin).await;
    let member = app.verified_user("member@example.com").await;
    let member_id = app.user_id(&member).await;
    app.create_creator(&member, "member_studio").await;
    let member_path = format!("{USERS}/{member_id}");

    let escalate = json!({"roles": ["subscriber", "superadmin"]});
    let denied = app.patch_as(&member_path, &admin, &escalate).await;
    assert_error(denied, 403, "forbidden").await;
    let on_root = app
        .post_as(
            &format!("{USERS}/{root_id}/suspend"),
            &admin,
            &json!({"reason": "coup"}),
        )
        .await;
    assert_error(on_root, 403, "forbidden").await;
    let self_suspend = app
        .post_as(
            &format!("{USERS}/{admin_id}/suspend"),
            &admin,
            &json!({"reason": "oops"}),
        )
        .await;
    assert_error(self_suspend, 409, "cannot_suspend_self").await;

    // Platform roles are replaced; the creator-side role stays.
    let partner = app
        .patch_as(
            &member_path,
            &admin,
            &json!({"roles": ["partner", "subscriber"]}),
        )
        .await;
    assert_eq!(partner.status(), 200);
    let body: Value = partner.json().await.unwrap();
    assert_eq!(
        body["roles"],
        json!(["content_creator", "partner", "subscriber"])
    );
    let changed = app
        .audit(
            &admin,
            &format!("target_id={member_id}&action=user.roles_changed"),
        )
        .await;
    assert_eq!(changed[0]["before"]["roles"], json!(["subscriber"]));
    assert_eq!(
        changed[0]["after"]["roles"],
        json!(["partner", "subscriber"])
    );
    for bad in [
        json!({"roles": ["content_creator"]}),
        json!({"roles": ["emperor"]}),
        json!({"status": "deleted"}),
        json!({"email_verified": true}),
    ] {
        let response = app.patch_as(&member_path, &admin, &bad).await;
        assert_error(response, 400, "validation_error").await;
    }
    let suspended = app
        .patch_as(&member_path, &admin, &json!({"status": "suspended"}))
        .await;
    assert_eq!(
        suspended.json::<Value>().await.unwrap()["status"],
        "suspended"
    );
    let active = app
        .patch_as(&member_path, &admin, &json!({"status": "active"}))
        .await;
    assert_eq!(active.json::<Value>().await.unwrap()["status"], "active");

    // The last superadmin cannot step down, and nothing of the attempt stays.
    let root_path = format!("{USERS}/{root_id}");
    let step_down = app
        .patch_as(&root_path, &root, &json!({"roles": ["subscriber"]}))
        .await;
    assert_error(step_down, 409, "last_superadmin").await;
    let still: Value = app.get_as(&root_path, &root).await.json().await.unwrap();
    assert!(still["roles"]
        .as_array()
        .unwrap()
        .contains(&json!("superadmin")));
    let promoted = app
        .patch_as(
            &format!("{USERS}/{admin_id}"),
            &root,
            &json!({"roles": ["admin", "superadmin"]}),
        )
        .await;
    assert_eq!(promoted.status(), 200);
    let stepped = app
        .patch_as(&root_path, &root, &json!({"roles": ["subscriber"]}))
        .await;
    assert_eq!(stepped.status(), 200);
}

/// Every admin route, for every kind of caller: no token is 401, a non-staff role 403,
/// staff get the route's answer; plans and the sandbox clock are superadmin-only.
async fn every_admin_route_answers_each_role_as_documented(app: TestApp) {
    let root = superadmin_token(&app).await;
    let mut no_trial = standard_plan();
    no_trial["trial_days"] = json!(0);
    let (plan, _) = app.create_plan(&root, &no_trial).await;
    let plan_id = plan["id"].as_str().unwrap().to_string();
    let buyer = app.buyer("payer@example.com", "tok_visa").await;
    assert_eq!(app.subscribe(&buyer, &plan_id).await.status(), 201);
    let invoice = app.invoices(&buyer).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let coupon: Value = app
        .post_as(
            "/api/v1/admin/coupons",
            &root,
            &json!({"code": "MATRIX", "discount_type": "percent", "discount_value": 10,
                    "valid_from": "2020-01-01T00:00:00Z", "status": "active"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let coupon_id = coupon["id"].as_str().unwrap().to_string();
    let target = app.verified_user("target@example.com").await;
    let target_id = app.user_id(&target).await;

    let subscriber = app.verified_user("plain@example.com").await;
    let partner = app
        .staff(&root, "partner@example.com", &["subscriber", "partner"])
        .await;
    let creator = app.verified_user("creator@example.com").await;
    app.create_creator(&creator, "matrix_studio").await;
    let admin = app.staff(&root, "staff@example.com", &["admin"]).await;

    let callers: [(&str, Option<&str>); 6] = [
        ("nobody", None),
        ("subscriber", Some(&subscriber)),
        ("partner", Some(&partner)),
        ("content_creator", Some(&creator)),
        ("admin", Some(&admin)),
        ("superadmin", Some(&root)),
    ];
    for (role, token) in callers {
        let staff = matches!(role, "admin" | "superadmin");
        let superadmin = role == "superadmin";
        // (method, path, body, answer for staff, superadmin only)
        let routes: Vec<(&str, String, Value, u16, bool)> = vec![
            ("GET", USERS.into(), Value::Null, 200, false),
            (
                "GET",
                format!("{USERS}/{target_id}"),
                Value::Null,
                200,
                false,
            ),
            (
                "PATCH",
                format!("{USERS}/{target_id}"),
                json!({"roles": ["subscriber"]}),
                200,
                false,
            ),
            (
                "POST",
                format!("{USERS}/{target_id}/suspend"),
                json!({"reason": "matrix"}),
                200,
                false,
            ),
            (
                "POST",
                format!("{USERS}/{target_id}/reinstate"),
                json!({}),
                200,
                false,
            ),
            (
                "GET",
                "/api/v1/admin/audit-log".into(),
                Value::Null,
                200,
                false,
            ),
            (
                "GET",
                "/api/v1/admin/coupons".into(),
                Value::Null,
                200,
                false,
            ),
            (
                "POST",
                "/api/v1/admin/coupons".into(),
                json!({"code": format!("M-{}", role.to_uppercase()), "discount_type": "percent", "discount_value": 5,
                       "valid_from": "2020-01-01T00:00:00Z", "status": "active"}),
                201,
                false,
            ),
            (
                "GET",
                format!("/api/v1/admin/coupons/{coupon_id}"),
                Value::Null,
                200,
                false,
            ),
            (
                "POST",
                "/api/v1/admin/gift-cards".into(),
                json!({"quantity": 1, "initial_value": 5, "currency": "USD"}),
                201,
                false,
            ),
            (
                "GET",
                format!("/api/v1/admin/invoices/{invoice}/refunds"),
                Value::Null,
                200,
                false,
            ),
            ("GET", "/api/v1/admin/plans".into(), Value::Null, 200, true),
            (
                "POST",
                "/api/v1/admin/plans".into(),
                standard_plan(),
                201,
                true,
            ),
            (
                "GET",
                format!("/api/v1/admin/plans/{plan_id}"),
                Value::Null,
                200,
                true,
            ),
            (
                "POST",
                "/api/v1/admin/sandbox/clock".into(),
                json!({"advance_seconds": 1}),
                200,
                true,
            ),
        ];
        for (method, path, body, staff_answer, superadmin_only) in routes {
            let mut request = app.client.request(method.parse().unwrap(), app.url(&path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if !body.is_null() {
                request = request.json(&body);
            }
            let response = request.send().await.unwrap();
            let expected = match (token, staff, superadmin_only) {
                (None, _, _) => 401,
                (Some(_), false, _) => 403,
                (Some(_), true, true) if !superadmin => 403,
                _ => staff_answer,
            };
            assert_eq!(
                response.status().as_u16(),
                expected,
                "{role} {method} {path}: {}",
                response.text().await.unwrap_or_default()
            );
        }
    }
}
