//! Thirteen months of billing on the test clock — a coupon, an upgrade, a downgrade,
//! a gift card, a declined renewal and its recovery, a partial refund, a cancellation —
//! then the books must balance: Σ paid invoices − Σ refunds = what the gateway
//! captured, to the cent, and the invoice numbers run without a gap or a repeat.

use crate::helpers::TestApp;
use crate::sandbox::superadmin_token;
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(thirteen_months_reconcile_to_the_cent);

const DAY: i64 = 24 * 3600;

async fn thirteen_months_reconcile_to_the_cent(app: TestApp) {
    let root = superadmin_token(&app).await;
    let mut plan = crate::plans::standard_plan();
    plan["trial_days"] = json!(0);
    plan["name"] = json!("Basic");
    let basic = app.create_plan(&root, &plan).await.0["id"].clone();
    plan["name"] = json!("Premium");
    plan["price"] = json!(19.99);
    let premium = app.create_plan(&root, &plan).await.0["id"].clone();
    let coupon = app
        .post_as(
            "/api/v1/admin/coupons",
            &root,
            &json!({"code": "WELCOME", "discount_type": "percent", "discount_value": 20,
                    "duration_periods": 3, "valid_from": "2020-01-01T00:00:00Z",
                    "status": "active"}),
        )
        .await;
    assert_eq!(coupon.status(), 201);
    let gift: Value = app
        .post_as(
            "/api/v1/admin/gift-cards",
            &root,
            &json!({"quantity": 1, "initial_value": 25, "currency": "USD"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let gift_code = gift["data"][0]["code"].as_str().unwrap().to_string();

    let mut alice = app.buyer("alice@example.com", "tok_visa").await;
    let mut bob = app.buyer("bob@example.com", "tok_mastercard").await;
    let declining = app
        .attach_card(&alice.token, "tok_chargeDeclinedInsufficientFunds", false)
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let subscribed = app
        .post_as(
            "/api/v1/subscriptions",
            &alice.token,
            &json!({"plan_id": basic, "payment_method_id": alice.card, "coupon_code": "WELCOME"}),
        )
        .await;
    assert_eq!(subscribed.status(), 201);
    assert_eq!(
        app.subscribe(&bob, premium.as_str().unwrap())
            .await
            .status(),
        201
    );
    let mut saw_past_due = false;

    for month in 0..13 {
        app.months_pass(&mut alice, 10 * DAY).await;
        bob.token = app.sign_in(&bob.email).await;
        let patch = |token: &str, plan: &Value| {
            app.client
                .patch(app.url("/api/v1/subscriptions/me"))
                .bearer_auth(token.to_string())
                .json(&json!({ "plan_id": plan }))
                .send()
        };
        let make_default = |token: &str, card: &str| {
            app.client
                .post(app.url(&format!("/api/v1/payment-methods/{card}/default")))
                .bearer_auth(token.to_string())
                .send()
        };
        match month {
            2 => assert_eq!(patch(&alice.token, &premium).await.unwrap().status(), 200),
            5 => assert_eq!(patch(&alice.token, &basic).await.unwrap().status(), 200),
            6 => {
                let redeemed = app
                    .post_as(
                        "/api/v1/gift-cards/redeem",
                        &alice.token,
                        &json!({ "code": gift_code }),
                    )
                    .await;
                assert_eq!(redeemed.status(), 200);
            }
            8 => assert_eq!(
                make_default(&alice.token, &declining)
                    .await
                    .unwrap()
                    .status(),
                200
            ),
            9 => {
                let sub: Value = app.my_subscription(&alice).await.json().await.unwrap();
                saw_past_due = sub["status"] == "past_due";
                let recovered = make_default(&alice.token, &alice.card).await.unwrap();
                assert_eq!(recovered.status(), 200);
            }
            10 => {
                let invoices = app.invoices(&alice).await;
                let last = invoices[0]["id"].as_str().unwrap();
                let refund = app
                    .post_as(
                        &format!("/api/v1/admin/invoices/{last}/refunds"),
                        &superadmin_token(&app).await,
                        &json!({"amount": 5.55, "reason": "goodwill"}),
                    )
                    .await;
                assert_eq!(refund.status(), 201);
            }
            11 => {
                let cancel = app
                    .post_as("/api/v1/subscriptions/me/cancel", &bob.token, &json!({}))
                    .await;
                assert_eq!(cancel.status(), 200);
            }
            _ => {}
        }
        app.months_pass(&mut alice, 21 * DAY).await;
    }
    assert!(
        saw_past_due,
        "the declined renewal made the subscription past due"
    );
    let sub: Value = app.my_subscription(&alice).await.json().await.unwrap();
    assert_eq!(
        sub["status"], "active",
        "and a retry on the good card recovered it"
    );

    // Every kind of line happened.
    let kinds: Vec<String> = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT DISTINCT type FROM invoice_lines ORDER BY type")
        .fetch_all(pool)
        .await)
    .unwrap();
    assert_eq!(kinds, ["credit", "discount", "proration", "subscription"]);

    // The books balance.
    let (paid, refunded): (i64, i64) = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT \
           CAST((SELECT COALESCE(SUM(amount_paid_minor), 0) FROM invoices WHERE status = 'paid') AS BIGINT), \
           CAST((SELECT COALESCE(SUM(amount_minor), 0) FROM refunds WHERE status = 'succeeded') AS BIGINT)")
        .fetch_one(pool)
        .await)
    .unwrap();
    assert_eq!(refunded, 555);
    let captured = app.gateway.net_captured().get("USD").copied().unwrap_or(0);
    assert!(
        paid > 20_000,
        "a year of two subscriptions was billed: {paid}"
    );
    assert_eq!(paid - refunded, captured, "Σ paid − Σ refunds = Σ captured");

    // Invoice numbers: per year 1..n, each once.
    let numbers = app.assert_invoice_numbers_gapless().await;
    assert!(
        numbers.first().map(|n| &n[..8]) != numbers.last().map(|n| &n[..8]),
        "the run crosses a year: {numbers:?}"
    );
}
