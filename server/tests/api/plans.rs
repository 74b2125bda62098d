//! Plans: public list, superadmin management, ETag / If-Match, validation, audit.

use crate::helpers::{assert_error, TestApp};
use crate::sandbox::superadmin_token;
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    a_superadmin_creates_a_plan_that_everyone_can_list,
    replacing_needs_the_current_etag,
    only_superadmins_manage_plans,
    prices_are_exact_in_the_currency_and_fields_are_checked,
    deleting_deactivates_and_is_audited,
);

pub fn standard_plan() -> Value {
    json!({
        "name": "Standard HD",
        "description": "Two screens in HD",
        "price": 9.99,
        "currency": "USD",
        "billing_cycle": "monthly",
        "max_profiles": 3,
        "max_concurrent_streams": 2,
        "max_devices": 5,
        "max_quality": "HD",
        "has_downloads": true,
        "allow_download_count": 10,
        "has_ads": false,
        "has_hdr": false,
        "has_dolby_atmos": false,
        "trial_days": 7,
        "is_active": true
    })
}

impl TestApp {
    pub async fn create_plan(&self, token: &str, plan: &Value) -> (Value, String) {
        let response = self.post_as("/api/v1/admin/plans", token, plan).await;
        assert_eq!(response.status(), 201);
        let etag = response.headers()["etag"].to_str().unwrap().to_string();
        (response.json().await.unwrap(), etag)
    }

    async fn put_plan(
        &self,
        token: &str,
        id: &str,
        if_match: Option<&str>,
        plan: &Value,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .put(self.url(&format!("/api/v1/admin/plans/{id}")))
            .bearer_auth(token)
            .json(plan);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        request.send().await.unwrap()
    }
}

async fn a_superadmin_creates_a_plan_that_everyone_can_list(app: TestApp) {
    let root = superadmin_token(&app).await;
    let (plan, etag) = app.create_plan(&root, &standard_plan()).await;
    assert_eq!(plan["name"], "Standard HD");
    assert_eq!(plan["price"], json!(9.99));
    assert_eq!(plan["currency"], "USD");
    assert_eq!(plan["max_quality"], "HD");
    assert_eq!(plan["is_active"], true);
    assert_eq!(etag, "\"v1\"");

    let public: Value = app.get("/api/v1/plans").await.json().await.unwrap();
    assert_eq!(public["meta"]["total"], 1);
    assert_eq!(public["data"][0], plan);

    let id = plan["id"].as_str().unwrap();
    let one = app
        .get_as(&format!("/api/v1/admin/plans/{id}"), &root)
        .await;
    assert_eq!(one.headers()["etag"], "\"v1\"");
    assert_eq!(one.json::<Value>().await.unwrap(), plan);
}

async fn replacing_needs_the_current_etag(app: TestApp) {
    let root = superadmin_token(&app).await;
    let (plan, etag) = app.create_plan(&root, &standard_plan()).await;
    let id = plan["id"].as_str().unwrap();
    let mut changed = standard_plan();
    changed["price"] = json!(12.49);

    let missing = app.put_plan(&root, id, None, &changed).await;
    assert_error(missing, 428, "precondition_required").await;
    let stale = app.put_plan(&root, id, Some("\"v0\""), &changed).await;
    assert_error(stale, 412, "precondition_failed").await;
    // An invalid body is refused as such, before any version check.
    let mut invalid = changed.clone();
    invalid["max_devices"] = json!(0);
    let refused = app.put_plan(&root, id, Some("\"v0\""), &invalid).await;
    assert_error(refused, 400, "validation_error").await;

    let done = app.put_plan(&root, id, Some(&etag), &changed).await;
    assert_eq!(done.status(), 200);
    assert_eq!(done.headers()["etag"], "\"v2\"");
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["price"], json!(12.49));
    assert_eq!(done["created_at"], plan["created_at"]);

    // A second editor still holding v1 is told, not silently overwritten.
    let mut other = standard_plan();
    other["name"] = json!("Other edit");
    let conflict = app.put_plan(&root, id, Some(&etag), &other).await;
    assert_error(conflict, 412, "precondition_failed").await;

    let (before, after): (String, String) = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT before, after FROM audit_log WHERE action = 'plan.updated'",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let before: Value = serde_json::from_str(&before).unwrap();
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(before["price"], json!(9.99));
    assert_eq!(after["price"], json!(12.49));
}

async fn only_superadmins_manage_plans(app: TestApp) {
    let user = app.verified_user("plain@example.com").await;
    let denied = app
        .post_as("/api/v1/admin/plans", &user, &standard_plan())
        .await;
    assert_error(denied, 403, "forbidden").await;
    assert_error(
        app.get_as("/api/v1/admin/plans", &user).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(app.get("/api/v1/admin/plans").await, 401, "UNAUTHORIZED").await;
    let anonymous = app.post_json("/api/v1/admin/plans", &standard_plan()).await;
    assert_error(anonymous, 401, "UNAUTHORIZED").await;
}

async fn prices_are_exact_in_the_currency_and_fields_are_checked(app: TestApp) {
    let root = superadmin_token(&app).await;
    let mut yen = standard_plan();
    yen["currency"] = json!("JPY");
    yen["price"] = json!(980.5);
    let refused = app.post_as("/api/v1/admin/plans", &root, &yen).await;
    let body = assert_error(refused, 400, "validation_error").await;
    assert_eq!(body["details"][0]["field"], "price");
    yen["price"] = json!(980);
    let (plan, _) = app.create_plan(&root, &yen).await;
    assert_eq!(plan["price"], json!(980));

    let mut dinar = standard_plan();
    dinar["currency"] = json!("KWD");
    dinar["price"] = json!(3.125);
    let (plan, _) = app.create_plan(&root, &dinar).await;
    assert_eq!(plan["price"], json!(3.125));
    let stored: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT price_minor FROM plans WHERE currency = 'KWD'",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(stored, 3125, "integer minor units");

    let mut bad = standard_plan();
    bad["currency"] = json!("usd");
    bad["max_profiles"] = json!(7);
    bad["price"] = json!(-1);
    let body = assert_error(
        app.post_as("/api/v1/admin/plans", &root, &bad).await,
        400,
        "validation_error",
    )
    .await;
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"currency") && fields.contains(&"max_profiles"),
        "{fields:?}"
    );

    let mut extra = standard_plan();
    extra["id"] = json!("0190f3a8-7b1c-7cc0-9d0e-5c1a2b3c4d5e");
    assert_error(
        app.post_as("/api/v1/admin/plans", &root, &extra).await,
        400,
        "validation_error",
    )
    .await;
}

async fn deleting_deactivates_and_is_audited(app: TestApp) {
    let root = superadmin_token(&app).await;
    let (plan, _) = app.create_plan(&root, &standard_plan()).await;
    let id = plan["id"].as_str().unwrap();
    let response = app
        .delete_as(&format!("/api/v1/admin/plans/{id}"), &root, None)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["is_active"], false);

    let public: Value = app.get("/api/v1/plans").await.json().await.unwrap();
    assert_eq!(public["meta"]["total"], 0);
    let all: Value = app
        .get_as("/api/v1/admin/plans", &root)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["meta"]["total"], 1);
    let actions: Vec<String> = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE target_type = 'plan' ORDER BY created_at, id",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(actions, ["plan.created", "plan.deactivated"]);
    assert_error(
        app.get_as(
            "/api/v1/admin/plans/0190f3a8-7b1c-7cc0-9d0e-5c1a2b3c4d5e",
            &root,
        )
        .await,
        404,
        "plan_not_found",
    )
    .await;
}
