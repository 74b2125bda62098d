//! Gift cards: generation by staff, lookup, redemption into the balance (exactly once,
//! even concurrently), expiry, and the balance paying the next invoice.

use crate::helpers::{assert_error, TestApp};
use crate::sandbox::superadmin_token;
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    staff_generate_cards_whose_codes_are_shown_once,
    a_card_is_redeemed_exactly_once_even_concurrently,
    expired_and_unknown_cards_are_refused,
    redeemed_value_pays_the_next_invoice,
);

impl TestApp {
    async fn gift_cards(&self, root: &str, body: Value) -> Vec<Value> {
        let response = self.post_as("/api/v1/admin/gift-cards", root, &body).await;
        assert_eq!(response.status(), 201);
        let list: Value = response.json().await.unwrap();
        list["data"].as_array().unwrap().clone()
    }

    async fn redeem(&self, token: &str, code: &str) -> reqwest::Response {
        self.post_as("/api/v1/gift-cards/redeem", token, &json!({ "code": code }))
            .await
    }
}

async fn staff_generate_cards_whose_codes_are_shown_once(app: TestApp) {
    let root = superadmin_token(&app).await;
    let cards = app
        .gift_cards(
            &root,
            json!({"quantity": 3, "initial_value": 25, "currency": "USD"}),
        )
        .await;
    assert_eq!(cards.len(), 3);
    let codes: Vec<&str> = cards.iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert!(codes.iter().all(|c| c.len() == 23), "{codes:?}");
    assert_ne!(codes[0], codes[1]);
    assert_eq!(cards[0]["initial_value"].as_f64(), Some(25.0));
    assert_eq!(cards[0]["status"], "active");
    let stored: Vec<String> =
        on_db!(&app.db, pool => sqlx::query_scalar("SELECT code_hash FROM gift_cards")
        .fetch_all(pool)
        .await)
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|h| h.len() == 64 && !codes.contains(&h.as_str())),
        "only hashes"
    );

    let user = app.verified_user("plain@example.com").await;
    let denied = app
        .post_as(
            "/api/v1/admin/gift-cards",
            &user,
            &json!({"quantity": 1, "initial_value": 5, "currency": "USD"}),
        )
        .await;
    assert_error(denied, 403, "forbidden").await;
    let too_many = app
        .post_as(
            "/api/v1/admin/gift-cards",
            &root,
            &json!({"quantity": 501, "initial_value": 5, "currency": "USD"}),
        )
        .await;
    assert_error(too_many, 400, "validation_error").await;

    // Typed loosely (lower case, no dashes), the lookup still finds it.
    let loose = codes[0].replace('-', "").to_lowercase();
    let found: Value = app
        .get_as(&format!("/api/v1/gift-cards/{loose}"), &user)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["id"], cards[0]["id"]);
    assert_eq!(found["remaining_value"].as_f64(), Some(25.0));
}

async fn a_card_is_redeemed_exactly_once_even_concurrently(app: TestApp) {
    let root = superadmin_token(&app).await;
    let card = app
        .gift_cards(
            &root,
            json!({"quantity": 1, "initial_value": 10, "currency": "USD"}),
        )
        .await
        .remove(0);
    let code = card["code"].as_str().unwrap().to_string();
    let alice = app.verified_user("alice@example.com").await;
    let bob = app.verified_user("bob@example.com").await;
    let (a, b) = tokio::join!(app.redeem(&alice, &code), app.redeem(&bob, &code));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "one winner");
    let balances: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM account_balances",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(balances, 1000, "credited once");
    assert_error(
        app.redeem(&alice, &code).await,
        409,
        "gift_card_already_redeemed",
    )
    .await;
}

async fn expired_and_unknown_cards_are_refused(app: TestApp) {
    let root = superadmin_token(&app).await;
    let soon = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
    let card = app
        .gift_cards(
            &root,
            json!({"quantity": 1, "initial_value": 10, "currency": "EUR", "expires_at": soon}),
        )
        .await
        .remove(0);
    app.clock.advance(chrono::Duration::hours(2));
    let user = app.verified_user("late@example.com").await;
    let code = card["code"].as_str().unwrap();
    let looked: Value = app
        .get_as(&format!("/api/v1/gift-cards/{code}"), &user)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(looked["status"], "expired");
    assert_error(app.redeem(&user, code).await, 410, "gift_card_expired").await;
    assert_error(
        app.redeem(&user, "NOPE0-NOPE0-NOPE0-NOPE0").await,
        404,
        "gift_card_not_found",
    )
    .await;
}

async fn redeemed_value_pays_the_next_invoice(app: TestApp) {
    let root = superadmin_token(&app).await;
    let mut plan = crate::plans::standard_plan();
    plan["trial_days"] = json!(3);
    let (plan, _) = app.create_plan(&root, &plan).await;
    let card = app
        .gift_cards(
            &root,
            json!({"quantity": 1, "initial_value": 25, "currency": "USD"}),
        )
        .await
        .remove(0);
    let token = app.verified_user("gifted@example.com").await;
    let pm = app.attach_card(&token, "tok_visa", false).await;
    assert_eq!(
        app.redeem(&token, card["code"].as_str().unwrap())
            .await
            .status(),
        200
    );
    app.post_as(
        "/api/v1/subscriptions",
        &token,
        &json!({"plan_id": plan["id"], "payment_method_id": pm["id"]}),
    )
    .await;
    // The trial ends: the first invoice (9.99) is paid from the 25.00 balance.
    app.sandbox_advance(3 * 24 * 3600 + 60).await;
    let token = &app.sign_in("gifted@example.com").await;
    let invoices: Value = app
        .get_as("/api/v1/invoices", token)
        .await
        .json()
        .await
        .unwrap();
    let invoice = &invoices["data"][0];
    assert_eq!(invoice["status"], "paid");
    assert_eq!(invoice["amount"].as_f64(), Some(0.0));
    assert_eq!(invoice["line_items"][1]["amount"].as_f64(), Some(-9.99));
    let left: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT balance_minor FROM account_balances",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(left, 2500 - 999);
}
