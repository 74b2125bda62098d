//! Payment methods on the sandbox gateway: attach by test token, defaults, removal,
//! ownership, and what is never returned.

use crate::helpers::{assert_error, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    test_tokens_attach_cards_and_the_first_becomes_default,
    defaults_move_and_removal_promotes_the_newest,
    another_users_method_is_not_found_and_bad_tokens_are_refused,
    attaching_needs_a_verified_email,
);

impl TestApp {
    pub async fn attach_card(&self, token: &str, card: &str, default: bool) -> Value {
        let response = self
            .post_as(
                "/api/v1/payment-methods",
                token,
                &json!({"payment_method_token": card, "set_as_default": default, "billing_name": "Ada Lovelace"}),
            )
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    async fn methods(&self, token: &str) -> Vec<Value> {
        let list: Value = self
            .get_as("/api/v1/payment-methods", token)
            .await
            .json()
            .await
            .unwrap();
        list["data"].as_array().unwrap().clone()
    }
}

async fn test_tokens_attach_cards_and_the_first_becomes_default(app: TestApp) {
    let token = app.verified_user("payer@example.com").await;
    let visa = app.attach_card(&token, "tok_visa", false).await;
    assert_eq!(visa["type"], "card");
    assert_eq!(visa["brand"], "visa");
    assert_eq!(visa["last4"], "4242");
    assert_eq!(visa["exp_month"], 12);
    assert_eq!(visa["is_expired"], false);
    assert_eq!(visa["is_default"], true, "the first method is the default");
    assert_eq!(visa["billing_name"], "Ada Lovelace");
    let text = visa.to_string();
    assert!(
        !text.contains("gateway_ref") && !text.contains("sandbox_"),
        "{text}"
    );

    let amex = app.attach_card(&token, "tok_amex", false).await;
    assert_eq!(
        (amex["brand"].as_str(), amex["last4"].as_str()),
        (Some("amex"), Some("0005"))
    );
    assert_eq!(amex["is_default"], false);
    let declining = app.attach_card(&token, "tok_chargeDeclined", false).await;
    assert_eq!(
        declining["last4"], "0002",
        "declining cards attach; charges fail later"
    );

    let methods = app.methods(&token).await;
    assert_eq!(methods.len(), 3);
    assert_eq!(methods[0]["id"], declining["id"], "newest first");
    assert_eq!(
        methods.iter().filter(|m| m["is_default"] == true).count(),
        1
    );
}

async fn defaults_move_and_removal_promotes_the_newest(app: TestApp) {
    let token = app.verified_user("mover@example.com").await;
    let first = app.attach_card(&token, "tok_visa", false).await;
    let second = app.attach_card(&token, "tok_mastercard", true).await;
    assert_eq!(
        second["is_default"], true,
        "set_as_default moves the default"
    );
    let methods = app.methods(&token).await;
    assert_eq!(methods[1]["id"], first["id"]);
    assert_eq!(methods[1]["is_default"], false);

    let id = first["id"].as_str().unwrap();
    let made = app
        .post_as(
            &format!("/api/v1/payment-methods/{id}/default"),
            &token,
            &json!({}),
        )
        .await;
    assert_eq!(made.status(), 200);
    assert_eq!(made.json::<Value>().await.unwrap()["is_default"], true);

    let third = app.attach_card(&token, "tok_amex", false).await;
    let removed = app
        .delete_as(&format!("/api/v1/payment-methods/{id}"), &token, None)
        .await;
    assert_eq!(removed.status(), 204);
    let methods = app.methods(&token).await;
    assert_eq!(methods.len(), 2);
    assert_eq!(methods[0]["id"], third["id"]);
    assert_eq!(
        methods[0]["is_default"], true,
        "the newest remaining became default"
    );
    assert_error(
        app.get_as(&format!("/api/v1/payment-methods/{id}"), &token)
            .await,
        404,
        "payment_method_not_found",
    )
    .await;
}

async fn another_users_method_is_not_found_and_bad_tokens_are_refused(app: TestApp) {
    let alice = app.verified_user("alice@example.com").await;
    let bob = app.verified_user("bob@example.com").await;
    let card = app.attach_card(&alice, "tok_visa", false).await;
    let id = card["id"].as_str().unwrap();
    assert_error(
        app.get_as(&format!("/api/v1/payment-methods/{id}"), &bob)
            .await,
        404,
        "payment_method_not_found",
    )
    .await;
    let steal = app
        .post_as(
            &format!("/api/v1/payment-methods/{id}/default"),
            &bob,
            &json!({}),
        )
        .await;
    assert_error(steal, 404, "payment_method_not_found").await;
    assert!(app.methods(&bob).await.is_empty());

    let raw_card = app
        .post_as(
            "/api/v1/payment-methods",
            &alice,
            &json!({"payment_method_token": "4242424242424242"}),
        )
        .await;
    assert_error(raw_card, 400, "invalid_payment_method_token").await;
    let unknown_field = app
        .post_as(
            "/api/v1/payment-methods",
            &alice,
            &json!({"payment_method_token": "tok_visa", "card_number": "4242424242424242"}),
        )
        .await;
    assert_error(unknown_field, 400, "validation_error").await;
    assert_eq!(app.methods(&alice).await.len(), 1);
}

async fn attaching_needs_a_verified_email(app: TestApp) {
    let tokens = app.register("pending@example.com").await;
    let token = tokens["access_token"].as_str().unwrap();
    let response = app
        .post_as(
            "/api/v1/payment-methods",
            token,
            &json!({"payment_method_token": "tok_visa"}),
        )
        .await;
    assert_error(response, 403, "email_not_verified").await;
    assert_error(
        app.get("/api/v1/payment-methods").await,
        401,
        "UNAUTHORIZED",
    )
    .await;
}
