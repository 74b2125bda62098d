//! Refunds: partial, never more than paid (also concurrently), staff only, audited.

use crate::helpers::{assert_error, TestApp};
use crate::plans::standard_plan;
use crate::sandbox::superadmin_token;
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    staff_refund_part_of_an_invoice_up_to_what_was_paid,
    concurrent_refunds_never_exceed_the_payment,
    only_card_payments_by_staff_are_refunded,
);

impl TestApp {
    /// A subscriber who paid one invoice of `price`; returns (root token, invoice id).
    async fn paid_invoice(&self, email: &str, price: Value) -> (String, String) {
        let root = superadmin_token(self).await;
        let mut plan = standard_plan();
        plan["trial_days"] = json!(0);
        plan["price"] = price;
        let (plan, _) = self.create_plan(&root, &plan).await;
        let token = self.verified_user(email).await;
        let card = self.attach_card(&token, "tok_visa", false).await;
        let subscribed = self
            .post_as(
                "/api/v1/subscriptions",
                &token,
                &json!({"plan_id": plan["id"], "payment_method_id": card["id"]}),
            )
            .await;
        assert_eq!(subscribed.status(), 201);
        let invoices: Value = self
            .get_as("/api/v1/invoices", &token)
            .await
            .json()
            .await
            .unwrap();
        (
            root,
            invoices["data"][0]["id"].as_str().unwrap().to_string(),
        )
    }

    async fn refund(&self, token: &str, invoice: &str, amount: Value) -> reqwest::Response {
        self.post_as(
            &format!("/api/v1/admin/invoices/{invoice}/refunds"),
            token,
            &json!({"amount": amount, "reason": "requested_by_customer", "notes": "Asked nicely"}),
        )
        .await
    }
}

async fn staff_refund_part_of_an_invoice_up_to_what_was_paid(app: TestApp) {
    let (root, invoice) = app.paid_invoice("refunded@example.com", json!(9.99)).await;
    let first = app.refund(&root, &invoice, json!(4.00)).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["status"], "succeeded");
    assert_eq!(first["amount"].as_f64(), Some(4.0));
    assert!(first["provider_refund_id"]
        .as_str()
        .unwrap()
        .starts_with("re_"));
    assert_eq!(first["reason"], "requested_by_customer");

    let too_much = app.refund(&root, &invoice, json!(6.00)).await;
    let body = assert_error(too_much, 400, "validation_error").await;
    assert!(
        body["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("5.99"),
        "{body}"
    );
    assert_eq!(app.refund(&root, &invoice, json!(5.99)).await.status(), 201);
    assert_error(
        app.refund(&root, &invoice, json!(0.01)).await,
        400,
        "validation_error",
    )
    .await;

    let list: Value = app
        .get_as(&format!("/api/v1/admin/invoices/{invoice}/refunds"), &root)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    let audited: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'refund.created' AND actor_id IS NOT NULL",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(audited, 2);
}

async fn concurrent_refunds_never_exceed_the_payment(app: TestApp) {
    let (root, invoice) = app.paid_invoice("twice@example.com", json!(9.99)).await;
    let (a, b) = tokio::join!(
        app.refund(&root, &invoice, json!(6.00)),
        app.refund(&root, &invoice, json!(6.00))
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 400]);
    let refunded: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM refunds WHERE status = 'succeeded'",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(refunded, 600);
}

async fn only_card_payments_by_staff_are_refunded(app: TestApp) {
    let (root, free_invoice) = app.paid_invoice("free@example.com", json!(0)).await;
    assert_error(
        app.refund(&root, &free_invoice, json!(1)).await,
        409,
        "invoice_not_refundable",
    )
    .await;
    let user = app.verified_user("curious@example.com").await;
    assert_error(
        app.refund(&user, &free_invoice, json!(1)).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.refund(&root, "0190f3a8-7b1c-7cc0-9d0e-5c1a2b3c4d5e", json!(1))
            .await,
        404,
        "invoice_not_found",
    )
    .await;
}
