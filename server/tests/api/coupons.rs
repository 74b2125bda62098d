//! Coupons: staff management with immutable terms, validation naming why a code cannot
//! be used, discounts on the periods a coupon covers, free trial days, and redemption
//! limits that hold under concurrency.

use crate::helpers::{assert_error, TestApp};
use crate::sandbox::superadmin_token;
use crate::subscriptions::Buyer;
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    staff_manage_coupons_whose_terms_are_immutable,
    validation_names_why_a_code_cannot_be_used,
    a_coupon_discounts_the_periods_it_covers_then_full_price_resumes,
    free_trial_days_extend_the_trial,
    redemption_limits_hold_under_concurrency,
    a_redeemed_coupon_cannot_be_deleted,
);

const DAY: i64 = 24 * 3600;

fn coupon(code: &str) -> Value {
    json!({
        "code": code,
        "description": "Launch offer",
        "discount_type": "percent",
        "discount_value": 50,
        "valid_from": "2020-01-01T00:00:00Z",
        "status": "active"
    })
}

impl TestApp {
    async fn create_coupon(&self, token: &str, body: &Value) -> Value {
        let response = self.post_as("/api/v1/admin/coupons", token, body).await;
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
        response.json().await.unwrap()
    }

    async fn patch_coupon(&self, token: &str, id: &str, body: &Value) -> reqwest::Response {
        self.patch_as(&format!("/api/v1/admin/coupons/{id}"), token, body)
            .await
    }

    async fn validate_coupon(&self, token: &str, code: &str, plan: &str) -> Value {
        let response = self
            .post_as(
                "/api/v1/coupons/validate",
                token,
                &json!({ "code": code, "plan_id": plan }),
            )
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn subscribe_with(&self, buyer: &Buyer, plan: &str, code: &str) -> reqwest::Response {
        self.post_as(
            "/api/v1/subscriptions",
            &buyer.token,
            &json!({"plan_id": plan, "payment_method_id": buyer.card, "coupon_code": code}),
        )
        .await
    }
}

async fn staff_manage_coupons_whose_terms_are_immutable(app: TestApp) {
    let root = superadmin_token(&app).await;
    let created = app.create_coupon(&root, &coupon("LAUNCH-50")).await;
    assert_eq!(created["code"], "LAUNCH-50");
    assert_eq!(created["discount_type"], "percent");
    assert_eq!(created["discount_value"].as_f64(), Some(50.0));
    assert_eq!(created["status"], "active");
    assert_eq!(created["redemption_count"], 0);
    assert_eq!(created["max_redemptions_per_user"], 1);
    assert_eq!(created["applicable_plan_ids"], json!([]));
    let id = created["id"].as_str().unwrap();

    let bad = [
        (json!({"code": "lower-case"}), "code"),
        (json!({"discount_value": 150}), "discount_value"),
        (json!({"discount_value": 12.345}), "discount_value"),
        (json!({"discount_type": "fixed_amount"}), "currency"),
        (
            json!({"discount_type": "fixed_amount", "currency": "JPY", "discount_value": 10.5}),
            "discount_value",
        ),
        (
            json!({"discount_type": "free_trial_days", "discount_value": 1.5}),
            "discount_value",
        ),
        (
            json!({"valid_until": "2019-01-01T00:00:00Z"}),
            "valid_until",
        ),
        (
            json!({"applicable_plan_ids": ["0190a8c0-0000-7000-8000-000000000000"]}),
            "applicable_plan_ids[0]",
        ),
    ];
    for (change, field) in bad {
        let mut body = coupon("OTHER");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let error = assert_error(
            app.post_as("/api/v1/admin/coupons", &root, &body).await,
            400,
            "validation_error",
        )
        .await;
        assert_eq!(error["details"][0]["field"], field, "{change}");
    }
    assert_error(
        app.post_as("/api/v1/admin/coupons", &root, &coupon("LAUNCH-50"))
            .await,
        409,
        "coupon_code_taken",
    )
    .await;
    let fixed = app
        .create_coupon(
            &root,
            &json!({"code": "FIVE", "discount_type": "fixed_amount", "discount_value": 5,
                    "currency": "USD", "valid_from": "2020-01-01T00:00:00Z",
                    "valid_until": "2021-01-01T00:00:00Z", "status": "active"}),
        )
        .await;
    assert_eq!(fixed["status"], "expired", "valid_until has passed");

    // Code, type and value never change; status, limit, end and description do.
    assert_error(
        app.patch_coupon(&root, id, &json!({"discount_value": 90}))
            .await,
        400,
        "validation_error",
    )
    .await;
    let patched = app
        .patch_coupon(
            &root,
            id,
            &json!({"status": "disabled", "max_redemptions": 10}),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["status"], "disabled");
    assert_eq!(patched["max_redemptions"], 10);
    assert_eq!(patched["discount_value"].as_f64(), Some(50.0));

    for (status, expected) in [("active", 0), ("disabled", 1), ("expired", 1)] {
        let page: Value = app
            .get_as(&format!("/api/v1/admin/coupons?status={status}"), &root)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["meta"]["total"], expected, "{status}");
    }
    let one: Value = app
        .get_as(&format!("/api/v1/admin/coupons/{id}"), &root)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one, patched);

    let user = app.verified_user("plain@example.com").await;
    assert_error(
        app.get_as("/api/v1/admin/coupons", &user).await,
        403,
        "forbidden",
    )
    .await;
    let actions: Vec<String> = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE target_type = 'coupon' ORDER BY created_at, id")
        .fetch_all(pool)
        .await)
    .unwrap();
    assert_eq!(
        actions,
        ["coupon.created", "coupon.created", "coupon.updated"]
    );
}

async fn validation_names_why_a_code_cannot_be_used(app: TestApp) {
    let root = superadmin_token(&app).await;
    let plan = app.plan(0).await;
    let other_plan = app.plan(0).await;
    let buyer = app.buyer("buyer@example.com", "tok_visa").await;
    app.create_coupon(&root, &coupon("HALF")).await;
    let mut only_other = coupon("OTHER-PLAN");
    only_other["applicable_plan_ids"] = json!([other_plan]);
    app.create_coupon(&root, &only_other).await;
    let mut disabled = coupon("OFF");
    disabled["status"] = json!("disabled");
    app.create_coupon(&root, &disabled).await;
    let mut ending = coupon("ENDING");
    ending["valid_until"] = json!((chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339());
    app.create_coupon(&root, &ending).await;
    let mut future = coupon("SOON");
    future["valid_from"] = json!((chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339());
    app.create_coupon(&root, &future).await;
    let mut once = coupon("ONCE");
    once["max_redemptions"] = json!(1);
    app.create_coupon(&root, &once).await;

    let ok = app.validate_coupon(&buyer.token, "half", &plan).await;
    assert_eq!(ok["valid"], true, "codes are case-insensitive when typed");
    assert_eq!(ok["coupon"]["code"], "HALF");
    assert_eq!(ok["error_code"], Value::Null);
    let cases = [
        ("NOPE", "not_found"),
        ("OFF", "disabled"),
        ("OTHER-PLAN", "not_applicable"),
        ("SOON", "not_applicable"),
    ];
    for (code, error) in cases {
        let verdict = app.validate_coupon(&buyer.token, code, &plan).await;
        assert_eq!(verdict["valid"], false, "{code}");
        assert_eq!(verdict["error_code"], error, "{code}");
    }
    assert_eq!(
        app.validate_coupon(&buyer.token, "NOPE", &plan).await["coupon"],
        Value::Null
    );

    // Using ONCE spends it for everyone, and HALF for this buyer.
    assert_eq!(
        app.subscribe_with(&buyer, &plan, "ONCE").await.status(),
        201
    );
    let second = app.buyer("second@example.com", "tok_visa").await;
    let verdict = app.validate_coupon(&second.token, "ONCE", &plan).await;
    assert_eq!(verdict["error_code"], "max_redemptions_reached");
    assert_eq!(verdict["coupon"]["redemption_count"], 1);
    let verdict = app.validate_coupon(&buyer.token, "ONCE", &plan).await;
    assert_eq!(verdict["error_code"], "max_redemptions_reached");
    let fresh = app.buyer("third@example.com", "tok_visa").await;
    assert_eq!(
        app.subscribe_with(&fresh, &plan, "HALF").await.status(),
        201
    );
    app.client
        .post(app.url("/api/v1/subscriptions/me/cancel"))
        .bearer_auth(&fresh.token)
        .json(&json!({"immediate": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.validate_coupon(&fresh.token, "HALF", &plan).await["error_code"],
        "already_redeemed"
    );
    assert_error(
        app.subscribe_with(&fresh, &plan, "HALF").await,
        400,
        "invalid_coupon",
    )
    .await;

    let mut later = app.buyer("later@example.com", "tok_visa").await;
    app.months_pass(&mut later, 2 * DAY).await;
    assert_eq!(
        app.validate_coupon(&later.token, "ENDING", &plan).await["error_code"],
        "expired"
    );
    assert_error(
        app.post_as(
            "/api/v1/coupons/validate",
            &later.token,
            &json!({"code": "HALF", "plan_id": "0190a8c0-0000-7000-8000-000000000000"}),
        )
        .await,
        400,
        "validation_error",
    )
    .await;
}

async fn a_coupon_discounts_the_periods_it_covers_then_full_price_resumes(app: TestApp) {
    let root = superadmin_token(&app).await;
    let plan = app.plan(0).await;
    let mut body = coupon("TWO-MONTHS");
    body["duration_periods"] = json!(2);
    app.create_coupon(&root, &body).await;
    let mut buyer = app.buyer("buyer@example.com", "tok_visa").await;
    let response = app.subscribe_with(&buyer, &plan, "TWO-MONTHS").await;
    assert_eq!(response.status(), 201);
    let sub: Value = response.json().await.unwrap();
    assert!(sub["coupon_id"].is_string());

    // 50 % of 9.99 is 4.995, which rounds half-even to 5.00.
    let first = &app.invoices(&buyer).await[0];
    assert_eq!(first["amount"].as_f64(), Some(9.99));
    assert_eq!(first["discount_amount"].as_f64(), Some(5.0));
    assert_eq!(first["amount_due"].as_f64(), Some(4.99));
    assert_eq!(first["amount_paid"].as_f64(), Some(4.99));
    assert_eq!(first["line_items"][1]["type"], "discount");
    assert_eq!(first["line_items"][1]["amount"].as_f64(), Some(-5.0));

    app.months_pass(&mut buyer, 31 * DAY).await;
    app.months_pass(&mut buyer, 31 * DAY).await;
    let invoices = app.invoices(&buyer).await;
    assert_eq!(invoices.len(), 3);
    let paid: Vec<f64> = invoices
        .iter()
        .rev()
        .map(|i| i["amount_paid"].as_f64().unwrap())
        .collect();
    assert_eq!(
        paid,
        [4.99, 4.99, 9.99],
        "two discounted periods, then full price"
    );
    assert!(invoices.iter().all(|i| i["status"] == "paid"));
}

async fn free_trial_days_extend_the_trial(app: TestApp) {
    let root = superadmin_token(&app).await;
    let plan = app.plan(7).await;
    app.create_coupon(
        &root,
        &json!({"code": "TRY14", "discount_type": "free_trial_days", "discount_value": 14,
                "valid_from": "2020-01-01T00:00:00Z", "status": "active"}),
    )
    .await;
    let buyer = app.buyer("buyer@example.com", "tok_visa").await;
    let response = app.subscribe_with(&buyer, &plan, "TRY14").await;
    assert_eq!(response.status(), 201);
    let sub: Value = response.json().await.unwrap();
    assert_eq!(sub["status"], "trialing");
    let start: chrono::DateTime<chrono::Utc> =
        sub["trial_start"].as_str().unwrap().parse().unwrap();
    let end: chrono::DateTime<chrono::Utc> = sub["trial_end"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        (end - start).num_days(),
        21,
        "the plan's 7 days and the coupon's 14"
    );
    assert!(app.invoices(&buyer).await.is_empty());
}

async fn redemption_limits_hold_under_concurrency(app: TestApp) {
    let root = superadmin_token(&app).await;
    let plan = app.plan(0).await;
    let mut body = coupon("FIRST-THREE");
    body["max_redemptions"] = json!(3);
    app.create_coupon(&root, &body).await;
    let mut buyers = Vec::new();
    for i in 0..8 {
        buyers.push(app.buyer(&format!("b{i}@example.com"), "tok_visa").await);
    }
    let requests: Vec<_> = buyers
        .iter()
        .map(|buyer| {
            let body = json!({"plan_id": plan, "payment_method_id": buyer.card,
                              "coupon_code": "FIRST-THREE"});
            (buyer.token.clone(), body)
        })
        .collect();
    let statuses = app
        .post_all_at_once("/api/v1/subscriptions", &requests)
        .await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        5,
        "{statuses:?}"
    );
    let (count, redemptions, live): (i64, i64, i64) = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT (SELECT CAST(redemption_count AS BIGINT) FROM coupons), \
         (SELECT COUNT(*) FROM coupon_redemptions), \
         (SELECT COUNT(*) FROM subscriptions WHERE status = 'active')")
        .fetch_one(pool)
        .await)
    .unwrap();
    assert_eq!((count, redemptions, live), (3, 3, 3));
    // The refused ones were not charged for long: what they paid was refunded.
    let paid: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM invoices WHERE status = 'paid'")
        .fetch_one(pool)
        .await)
    .unwrap();
    assert_eq!(paid, 3);
}

async fn a_redeemed_coupon_cannot_be_deleted(app: TestApp) {
    let root = superadmin_token(&app).await;
    let plan = app.plan(0).await;
    let used = app.create_coupon(&root, &coupon("USED")).await;
    let unused = app.create_coupon(&root, &coupon("UNUSED")).await;
    let buyer = app.buyer("buyer@example.com", "tok_visa").await;
    assert_eq!(
        app.subscribe_with(&buyer, &plan, "USED").await.status(),
        201
    );
    let delete = |id: String| {
        app.client
            .delete(app.url(&format!("/api/v1/admin/coupons/{id}")))
            .bearer_auth(&root)
            .send()
    };
    assert_error(
        delete(used["id"].as_str().unwrap().into()).await.unwrap(),
        409,
        "coupon_redeemed",
    )
    .await;
    let gone = delete(unused["id"].as_str().unwrap().into()).await.unwrap();
    assert_eq!(gone.status(), 204);
    assert_error(
        app.get_as(
            &format!("/api/v1/admin/coupons/{}", unused["id"].as_str().unwrap()),
            &root,
        )
        .await,
        404,
        "coupon_not_found",
    )
    .await;
}
