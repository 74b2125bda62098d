//! Changing plans: the preview is exactly what the change charges at the same instant
//! (checked over many prices and moments), downgrades leave credit on the account
//! balance, and the next invoices spend it.

use crate::helpers::{assert_error, TestApp};
use crate::plans::standard_plan;
use crate::sandbox::superadmin_token;
use serde_json::{json, Value};

on_both_backends!(
    the_preview_is_what_the_change_charges_at_any_moment,
    a_downgrade_credits_the_balance_which_pays_later_invoices,
    plan_changes_refuse_what_they_cannot_do,
);

impl TestApp {
    async fn priced_plan(&self, root: &str, name: &str, price: Value) -> String {
        let mut plan = standard_plan();
        plan["name"] = json!(name);
        plan["price"] = price;
        plan["trial_days"] = json!(0);
        let (plan, _) = self.create_plan(root, &plan).await;
        plan["id"].as_str().unwrap().to_string()
    }

    async fn patch_plan(&self, token: &str, plan: &str) -> reqwest::Response {
        self.patch_as(
            "/api/v1/subscriptions/me",
            token,
            &json!({ "plan_id": plan }),
        )
        .await
    }

    async fn preview(&self, token: &str, plan: &str) -> reqwest::Response {
        self.post_as(
            "/api/v1/subscriptions/preview",
            token,
            &json!({ "plan_id": plan }),
        )
        .await
    }

    async fn newest_invoice(&self, token: &str) -> Value {
        let page: Value = self
            .get_as("/api/v1/invoices?limit=1", token)
            .await
            .json()
            .await
            .unwrap();
        page["data"][0].clone()
    }
}

/// A small deterministic generator, so a failure replays exactly.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

async fn the_preview_is_what_the_change_charges_at_any_moment(app: TestApp) {
    superadmin_token(&app).await;
    let mut token = app.verified_user("mover@example.com").await;
    let card = app.attach_card(&token, "tok_visa", false).await;
    // Time stands still between preview and change, as "at the same instant" requires.
    app.clock.freeze();
    let mut random = Lcg(0x5eed);
    for round in 0..6 {
        let root = app.sign_in_as("root@example.com", "root password 1").await;
        let low = 100 + random.next(5_000) as i64;
        let high = low + 1 + random.next(5_000) as i64;
        let cheap = app
            .priced_plan(&root, &format!("Low {round}"), json!(low as f64 / 100.0))
            .await;
        let dear = app
            .priced_plan(&root, &format!("High {round}"), json!(high as f64 / 100.0))
            .await;
        let subscribed = app
            .post_as(
                "/api/v1/subscriptions",
                &token,
                &json!({"plan_id": cheap, "payment_method_id": card["id"]}),
            )
            .await;
        assert_eq!(subscribed.status(), 201);
        // Somewhere in the period, to the second.
        app.clock.advance(chrono::Duration::seconds(
            1 + random.next(27 * 24 * 3600) as i64,
        ));

        token = app.sign_in("mover@example.com").await;
        let preview: Value = app.preview(&token, &dear).await.json().await.unwrap();
        let changed = app.patch_plan(&token, &dear).await;
        assert_eq!(changed.status(), 200);
        let sub: Value = changed.json().await.unwrap();
        assert_eq!(sub["plan_id"], dear.as_str());
        let invoice = app.newest_invoice(&token).await;
        assert_eq!(
            invoice["amount_paid"], preview["amount_due_now"],
            "round {round}: {preview}"
        );
        let credit_line = &invoice["line_items"][1];
        assert_eq!(
            credit_line["amount"].as_f64().unwrap(),
            -preview["proration_credit"].as_f64().unwrap()
        );
        assert_eq!(
            preview["next_billing_date"].as_str().unwrap(),
            &sub["current_period_end"].as_str().unwrap()[..10]
        );

        let canceled = app
            .post_as(
                "/api/v1/subscriptions/me/cancel",
                &token,
                &json!({"immediate": true}),
            )
            .await;
        assert_eq!(canceled.status(), 200);
        // Tokens age with the clock: sign in again for the next round.
        token = app.sign_in("mover@example.com").await;
    }
}

async fn a_downgrade_credits_the_balance_which_pays_later_invoices(app: TestApp) {
    let root = superadmin_token(&app).await;
    let token = app.verified_user("saver@example.com").await;
    let card = app.attach_card(&token, "tok_visa", false).await;
    let cheap = app.priced_plan(&root, "Basic", json!(10)).await;
    let dear = app.priced_plan(&root, "Premium", json!(30)).await;
    app.clock.freeze();
    app.post_as(
        "/api/v1/subscriptions",
        &token,
        &json!({"plan_id": dear, "payment_method_id": card["id"]}),
    )
    .await;
    // Right away: nearly all of the period is unused, so nearly 20.00 comes back.
    app.clock.advance(chrono::Duration::seconds(1));
    let preview: Value = app.preview(&token, &cheap).await.json().await.unwrap();
    assert_eq!(preview["amount_due_now"].as_f64(), Some(0.0));
    let down = app.patch_plan(&token, &cheap).await;
    assert_eq!(down.status(), 200);
    let invoices_after_downgrade: Value = app
        .get_as("/api/v1/invoices", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        invoices_after_downgrade["meta"]["total"], 1,
        "a downgrade issues no invoice"
    );

    // Upgrading back at the same instant is paid entirely by that credit.
    let preview: Value = app.preview(&token, &dear).await.json().await.unwrap();
    assert_eq!(preview["amount_due_now"].as_f64(), Some(0.0));
    assert_eq!(app.patch_plan(&token, &dear).await.status(), 200);
    let invoice = app.newest_invoice(&token).await;
    assert_eq!(invoice["status"], "paid");
    assert_eq!(invoice["amount"].as_f64(), Some(0.0));
    assert_eq!(invoice["line_items"][2]["type"], "credit");

    // Down again: the credit waits on the balance and pays the next renewal (10.00 of
    // it), leaving the card charged for nothing.
    assert_eq!(app.patch_plan(&token, &cheap).await.status(), 200);
    let sub: Value = app
        .get_as("/api/v1/subscriptions/me", &token)
        .await
        .json()
        .await
        .unwrap();
    let end: chrono::DateTime<chrono::Utc> =
        sub["current_period_end"].as_str().unwrap().parse().unwrap();
    app.sandbox_advance((end - app.clock.now()).num_seconds() + 1)
        .await;
    let token = &app.sign_in("saver@example.com").await;
    let renewal = app.newest_invoice(token).await;
    assert_eq!(renewal["status"], "paid");
    assert_eq!(renewal["line_items"][0]["amount"].as_f64(), Some(10.0));
    assert_eq!(renewal["line_items"][1]["type"], "credit");
    assert_eq!(renewal["amount"].as_f64(), Some(0.0));
}

async fn plan_changes_refuse_what_they_cannot_do(app: TestApp) {
    let root = superadmin_token(&app).await;
    let token = app.verified_user("stuck@example.com").await;
    let card = app.attach_card(&token, "tok_visa", false).await;
    let monthly = app.priced_plan(&root, "Monthly", json!(10)).await;
    assert_error(
        app.preview(&token, &monthly).await,
        404,
        "subscription_not_found",
    )
    .await;
    let mut annual = standard_plan();
    annual["billing_cycle"] = json!("annual");
    let (annual, _) = app.create_plan(&root, &annual).await;
    app.post_as(
        "/api/v1/subscriptions",
        &token,
        &json!({"plan_id": monthly, "payment_method_id": card["id"]}),
    )
    .await;
    assert_error(app.patch_plan(&token, &monthly).await, 400, "same_plan").await;
    let annual = annual["id"].as_str().unwrap();
    assert_error(
        app.patch_plan(&token, annual).await,
        400,
        "incompatible_plan",
    )
    .await;
    let dear = app.priced_plan(&root, "Dear", json!(20)).await;
    let coupon = app
        .post_as(
            "/api/v1/subscriptions/preview",
            &token,
            &json!({"plan_id": dear, "coupon_code": "SAVE10"}),
        )
        .await;
    assert_error(coupon, 400, "invalid_coupon").await;
}
