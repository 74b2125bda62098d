//! Subscriptions, invoices, renewals and dunning, driven through the API and the
//! sandbox clock.

use crate::helpers::{assert_error, TestApp};
use crate::plans::standard_plan;
use crate::sandbox::superadmin_token;
use app::on_db;
use serde_json::{json, Value};

on_both_backends!(
    subscribing_charges_the_first_period_and_issues_a_paid_invoice,
    a_declined_card_leaves_nothing_behind,
    a_trial_converts_when_it_ends_and_renewals_follow_monthly,
    failed_renewals_retry_then_cancel_and_a_new_default_card_recovers,
    canceling_at_period_end_stops_the_next_renewal,
    resuming_undoes_a_cancellation_at_period_end,
    a_paused_subscription_keeps_its_paid_time_and_bills_after_resuming,
    renewals_due_together_are_billed_together_and_a_broken_one_holds_up_none,
);

/// A subscriber with a verified email, a saved card and a plan to buy.
pub struct Buyer {
    pub email: String,
    pub token: String,
    pub card: String,
}

impl TestApp {
    pub async fn plan(&self, trial_days: i64) -> String {
        let root = superadmin_token(self).await;
        let mut plan = standard_plan();
        plan["trial_days"] = json!(trial_days);
        let (plan, _) = self.create_plan(&root, &plan).await;
        plan["id"].as_str().unwrap().to_string()
    }

    pub async fn buyer(&self, email: &str, card: &str) -> Buyer {
        let token = self.verified_user(email).await;
        let card = self.attach_card(&token, card, false).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        Buyer {
            email: email.into(),
            token,
            card,
        }
    }

    pub async fn subscribe(&self, buyer: &Buyer, plan: &str) -> reqwest::Response {
        self.post_as(
            "/api/v1/subscriptions",
            &buyer.token,
            &json!({"plan_id": plan, "payment_method_id": buyer.card}),
        )
        .await
    }

    /// Moves the sandbox clock (as the superadmin) and signs `buyer` in again, since
    /// their access token aged with the clock.
    pub async fn months_pass(&self, buyer: &mut Buyer, seconds: i64) {
        self.sandbox_advance(seconds).await;
        buyer.token = self.sign_in(&buyer.email).await;
    }

    pub async fn invoices(&self, buyer: &Buyer) -> Vec<Value> {
        let page: Value = self
            .get_as("/api/v1/invoices", &buyer.token)
            .await
            .json()
            .await
            .unwrap();
        page["data"].as_array().unwrap().clone()
    }

    pub async fn my_subscription(&self, buyer: &Buyer) -> reqwest::Response {
        self.get_as("/api/v1/subscriptions/me", &buyer.token).await
    }
}

const DAY: i64 = 24 * 3600;

async fn subscribing_charges_the_first_period_and_issues_a_paid_invoice(app: TestApp) {
    let plan = app.plan(0).await;
    let buyer = app.buyer("buyer@example.com", "tok_visa").await;
    let response = app.subscribe(&buyer, &plan).await;
    assert_eq!(response.status(), 201);
    let sub: Value = response.json().await.unwrap();
    assert_eq!(sub["status"], "active");
    assert_eq!(sub["plan"]["id"], plan.as_str());
    assert_eq!(sub["payment_method_last4"], "4242");
    assert_eq!(sub["cancel_at_period_end"], false);
    assert_eq!(sub["next_billing_date"], sub["current_period_end"]);

    let me: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(me, sub);

    let invoices = app.invoices(&buyer).await;
    assert_eq!(invoices.len(), 1);
    let invoice = &invoices[0];
    assert_eq!(invoice["status"], "paid");
    assert_eq!(invoice["amount"], json!(9.99));
    assert_eq!(invoice["amount_paid"], json!(9.99));
    assert_eq!(invoice["subscription_id"], sub["id"]);
    let number = invoice["invoice_number"].as_str().unwrap();
    assert!(
        number.starts_with("INV-") && number.ends_with("-00001"),
        "{number}"
    );
    assert_eq!(invoice["line_items"][0]["type"], "subscription");
    assert_eq!(invoice["line_items"][0]["amount"], json!(9.99));
    let id = invoice["id"].as_str().unwrap();
    let one: Value = app
        .get_as(&format!("/api/v1/invoices/{id}"), &buyer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(&one, invoice);

    let again = app.subscribe(&buyer, &plan).await;
    assert_error(again, 409, "subscription_exists").await;
    // The default card pays a live subscription: it cannot be removed.
    let remove = app
        .delete_as(
            &format!("/api/v1/payment-methods/{}", buyer.card),
            &buyer.token,
            None,
        )
        .await;
    assert_error(remove, 409, "payment_method_in_use").await;
    let other = app.verified_user("other@example.com").await;
    assert_error(
        app.get_as(&format!("/api/v1/invoices/{id}"), &other).await,
        404,
        "invoice_not_found",
    )
    .await;
}

async fn a_declined_card_leaves_nothing_behind(app: TestApp) {
    let plan = app.plan(0).await;
    let buyer = app
        .buyer(
            "declined@example.com",
            "tok_chargeDeclinedInsufficientFunds",
        )
        .await;
    let response = app.subscribe(&buyer, &plan).await;
    let body = assert_error(response, 400, "payment_failed").await;
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("insufficient_funds"));
    assert_error(
        app.my_subscription(&buyer).await,
        404,
        "subscription_not_found",
    )
    .await;
    assert!(app.invoices(&buyer).await.is_empty());
    let rows: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM subscriptions) + (SELECT COUNT(*) FROM invoices) \
         + (SELECT COUNT(*) FROM invoice_sequences)",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(rows, 0);

    let unknown_plan =
        json!({"plan_id": "0190f3a8-7b1c-7cc0-9d0e-5c1a2b3c4d5e", "payment_method_id": buyer.card});
    let inactive = app
        .post_as("/api/v1/subscriptions", &buyer.token, &unknown_plan)
        .await;
    let body = assert_error(inactive, 400, "validation_error").await;
    assert_eq!(body["details"][0]["field"], "plan_id");
}

async fn a_trial_converts_when_it_ends_and_renewals_follow_monthly(app: TestApp) {
    let plan = app.plan(7).await;
    let mut buyer = app.buyer("trial@example.com", "tok_visa").await;
    let sub: Value = app.subscribe(&buyer, &plan).await.json().await.unwrap();
    assert_eq!(sub["status"], "trialing");
    assert!(sub["trial_end"].is_string());
    assert_eq!(sub["current_period_end"], sub["trial_end"]);
    assert!(
        app.invoices(&buyer).await.is_empty(),
        "no charge during the trial"
    );

    app.months_pass(&mut buyer, 7 * DAY + 60).await;
    let sub: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(sub["status"], "active");
    assert_eq!(app.invoices(&buyer).await.len(), 1);

    // Two more months: two more paid invoices, numbered in sequence.
    app.months_pass(&mut buyer, 31 * DAY).await;
    app.months_pass(&mut buyer, 31 * DAY).await;
    let invoices = app.invoices(&buyer).await;
    assert_eq!(invoices.len(), 3);
    assert!(invoices.iter().all(|i| i["status"] == "paid"));
    let mut numbers: Vec<&str> = invoices
        .iter()
        .map(|i| i["invoice_number"].as_str().unwrap())
        .collect();
    numbers.sort();
    // Gapless per year: each year's numbers run 1, 2, 3, … (the sandbox clock may
    // cross New Year here).
    let mut expected_next = std::collections::HashMap::new();
    for number in &numbers {
        let (year, n) = number["INV-".len()..].split_once('-').unwrap();
        let next = expected_next.entry(year.to_string()).or_insert(1);
        assert_eq!(n.parse::<i32>().unwrap(), *next, "{numbers:?}");
        *next += 1;
    }
    // Consecutive periods meet exactly.
    assert_eq!(invoices[0]["period_start"], invoices[1]["period_end"]);
}

async fn failed_renewals_retry_then_cancel_and_a_new_default_card_recovers(app: TestApp) {
    let plan = app.plan(0).await;
    let mut buyer = app.buyer("dunning@example.com", "tok_visa").await;
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    // The default becomes a card that will be declined.
    app.attach_card(&buyer.token, "tok_chargeDeclined", true)
        .await;

    app.months_pass(&mut buyer, 31 * DAY).await;
    let sub: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(sub["status"], "past_due");
    let open: Value = app
        .get_as("/api/v1/invoices?status=open", &buyer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(open["meta"]["total"], 1);

    // Retries after 1 and 3 more days also fail; then the visa is the default again.
    app.months_pass(&mut buyer, DAY).await;
    app.months_pass(&mut buyer, 3 * DAY).await;
    assert_eq!(
        app.my_subscription(&buyer)
            .await
            .json::<Value>()
            .await
            .unwrap()["status"],
        "past_due"
    );
    let made = app
        .post_as(
            &format!("/api/v1/payment-methods/{}/default", buyer.card),
            &buyer.token,
            &json!({}),
        )
        .await;
    assert_eq!(made.status(), 200);
    app.months_pass(&mut buyer, 5 * DAY).await;
    let sub: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(sub["status"], "active", "the retry charged the new default");
    let invoices = app.invoices(&buyer).await;
    assert_eq!(invoices.len(), 2, "retries reuse the period's invoice");
    assert!(invoices.iter().all(|i| i["status"] == "paid"));

    // Now a card that keeps failing: after the 7-day retry it is canceled.
    app.attach_card(&buyer.token, "tok_chargeDeclinedExpiredCard", true)
        .await;
    let end: chrono::DateTime<chrono::Utc> =
        sub["current_period_end"].as_str().unwrap().parse().unwrap();
    let until_end = (end - app.clock.now()).num_seconds() + 60;
    app.months_pass(&mut buyer, until_end).await;
    for days in [1, 3, 5, 7] {
        app.months_pass(&mut buyer, days * DAY).await;
    }
    assert_error(
        app.my_subscription(&buyer).await,
        404,
        "subscription_not_found",
    )
    .await;
    let uncollectible: Value = app
        .get_as("/api/v1/invoices?status=uncollectible", &buyer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(uncollectible["meta"]["total"], 1);
}

async fn canceling_at_period_end_stops_the_next_renewal(app: TestApp) {
    let plan = app.plan(0).await;
    let mut buyer = app.buyer("leaver@example.com", "tok_visa").await;
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    let canceled = app
        .post_as(
            "/api/v1/subscriptions/me/cancel",
            &buyer.token,
            &json!({"reason": "Too expensive"}),
        )
        .await;
    assert_eq!(canceled.status(), 200);
    let sub: Value = canceled.json().await.unwrap();
    assert_eq!(sub["status"], "active", "paid until the period ends");
    assert_eq!(sub["cancel_at_period_end"], true);
    assert_eq!(sub["next_billing_date"], Value::Null);

    app.months_pass(&mut buyer, 32 * DAY).await;
    assert_error(
        app.my_subscription(&buyer).await,
        404,
        "subscription_not_found",
    )
    .await;
    assert_eq!(
        app.invoices(&buyer).await.len(),
        1,
        "nothing charged after cancel"
    );

    // Subscribing again works, and canceling immediately ends it at once.
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    let now = app
        .post_as(
            "/api/v1/subscriptions/me/cancel",
            &buyer.token,
            &json!({"immediate": true}),
        )
        .await;
    assert_eq!(now.json::<Value>().await.unwrap()["status"], "canceled");
    assert_error(
        app.my_subscription(&buyer).await,
        404,
        "subscription_not_found",
    )
    .await;
}

async fn resuming_undoes_a_cancellation_at_period_end(app: TestApp) {
    let plan = app.plan(0).await;
    let mut buyer = app.buyer("waverer@example.com", "tok_visa").await;
    assert_eq!(app.subscribe(&buyer, &plan).await.status(), 201);
    assert_error(
        app.post_as("/api/v1/subscriptions/me/resume", &buyer.token, &json!({}))
            .await,
        409,
        "subscription_not_resumable",
    )
    .await;
    app.post_as("/api/v1/subscriptions/me/cancel", &buyer.token, &json!({}))
        .await;
    let resumed = app
        .post_as("/api/v1/subscriptions/me/resume", &buyer.token, &json!({}))
        .await;
    assert_eq!(resumed.status(), 200);
    let sub: Value = resumed.json().await.unwrap();
    assert_eq!(sub["cancel_at_period_end"], false);
    assert_eq!(sub["next_billing_date"], sub["current_period_end"]);

    app.months_pass(&mut buyer, 32 * DAY).await;
    let sub: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(sub["status"], "active", "it renewed");
    assert_eq!(app.invoices(&buyer).await.len(), 2);
}

async fn a_paused_subscription_keeps_its_paid_time_and_bills_after_resuming(app: TestApp) {
    let plan = app.plan(0).await;
    let mut buyer = app.buyer("traveller@example.com", "tok_visa").await;
    let sub: Value = app.subscribe(&buyer, &plan).await.json().await.unwrap();
    let end = |sub: &Value| -> chrono::DateTime<chrono::Utc> {
        sub["current_period_end"].as_str().unwrap().parse().unwrap()
    };
    let first_end = end(&sub);

    app.months_pass(&mut buyer, 10 * DAY).await;
    let paused = app
        .post_as("/api/v1/subscriptions/me/pause", &buyer.token, &json!({}))
        .await;
    assert_eq!(paused.status(), 200);
    let paused: Value = paused.json().await.unwrap();
    assert_eq!(paused["status"], "paused");
    assert!(paused["paused_at"].is_string());
    assert_eq!(paused["next_billing_date"], Value::Null);
    let paused_at: chrono::DateTime<chrono::Utc> =
        paused["paused_at"].as_str().unwrap().parse().unwrap();
    assert_error(
        app.post_as("/api/v1/subscriptions/me/pause", &buyer.token, &json!({}))
            .await,
        409,
        "subscription_not_active",
    )
    .await;

    // Long past the old period end: nothing is billed while paused.
    app.months_pass(&mut buyer, 40 * DAY).await;
    let still: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(still["status"], "paused");
    assert_eq!(app.invoices(&buyer).await.len(), 1);

    let resumed = app
        .post_as("/api/v1/subscriptions/me/resume", &buyer.token, &json!({}))
        .await;
    assert_eq!(resumed.status(), 200);
    let resumed: Value = resumed.json().await.unwrap();
    assert_eq!(resumed["status"], "active");
    assert_eq!(resumed["paused_at"], Value::Null);
    let start: chrono::DateTime<chrono::Utc> = resumed["current_period_start"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        end(&resumed) - start,
        first_end - paused_at,
        "the paid time left when pausing runs from the resume"
    );

    // The kept time runs out, then the next period is billed.
    let kept = (end(&resumed) - start).num_seconds();
    app.months_pass(&mut buyer, kept - DAY).await;
    assert_eq!(app.invoices(&buyer).await.len(), 1);
    app.months_pass(&mut buyer, 2 * DAY).await;
    let invoices = app.invoices(&buyer).await;
    assert_eq!(invoices.len(), 2);
    assert_eq!(invoices[0]["status"], "paid");
    let renewed: Value = app.my_subscription(&buyer).await.json().await.unwrap();
    assert_eq!(renewed["status"], "active");
    assert_eq!(
        renewed["current_period_start"],
        resumed["current_period_end"]
    );
}

/// Renewals that fall due at once are billed as one batch (`renewals::renew_all`); a
/// subscription whose renewal fails must not stop the others, which are then renewed one
/// at a time while the failing job backs off.
async fn renewals_due_together_are_billed_together_and_a_broken_one_holds_up_none(app: TestApp) {
    let plan = app.plan(0).await;
    let root = superadmin_token(&app).await;
    let mut other = standard_plan();
    other["name"] = json!("Premium 4K");
    other["trial_days"] = json!(0);
    let (broken_plan, _) = app.create_plan(&root, &other).await;
    let broken_plan = broken_plan["id"].as_str().unwrap().to_string();

    let mut payer = app.buyer("payer@example.com", "tok_visa").await;
    let mut decliner = app.buyer("decliner@example.com", "tok_visa").await;
    let mut leaver = app.buyer("quitter@example.com", "tok_visa").await;
    let mut broken = app.buyer("broken@example.com", "tok_visa").await;
    for buyer in [&payer, &decliner, &leaver] {
        assert_eq!(app.subscribe(buyer, &plan).await.status(), 201);
    }
    let subscribed = app.subscribe(&broken, &broken_plan).await;
    assert_eq!(subscribed.status(), 201);
    let broken_sub = subscribed.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.attach_card(&decliner.token, "tok_chargeDeclined", true)
        .await;
    let canceled = app
        .post_as("/api/v1/subscriptions/me/cancel", &leaver.token, &json!({}))
        .await;
    assert_eq!(canceled.status(), 200);
    // A plan whose stored currency no longer parses: its renewal fails.
    on_db!(&app.db, pool => sqlx::query("UPDATE plans SET currency = 'XXX' WHERE id = $1")
        .bind(uuid::Uuid::parse_str(&broken_plan).unwrap())
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
    .unwrap();

    app.months_pass(&mut payer, 31 * DAY).await;
    for buyer in [&mut decliner, &mut leaver, &mut broken] {
        buyer.token = app.sign_in(&buyer.email).await;
    }
    let sub: Value = app.my_subscription(&payer).await.json().await.unwrap();
    assert_eq!(sub["status"], "active");
    let invoices = app.invoices(&payer).await;
    assert_eq!(invoices.len(), 2, "the second period was billed");
    assert!(invoices.iter().all(|i| i["status"] == "paid"));
    let sub: Value = app.my_subscription(&decliner).await.json().await.unwrap();
    assert_eq!(sub["status"], "past_due");
    assert_error(
        app.my_subscription(&leaver).await,
        404,
        "subscription_not_found",
    )
    .await;
    // The batch queued what comes next: the payer's next renewal, the decliner's retry
    // (and the broken one's job waits); nothing for the one who left.
    let queued: Vec<(String,)> = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT payload FROM jobs WHERE kind = 'renew' AND status = 'queued'",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(queued.len(), 3, "{queued:?}");
    let next_of = |sub: &Value| {
        let id = sub["id"].as_str().unwrap().to_string();
        queued.iter().filter(|(p,)| p.contains(&id)).count()
    };
    let paying: Value = app.my_subscription(&payer).await.json().await.unwrap();
    let declined: Value = app.my_subscription(&decliner).await.json().await.unwrap();
    assert_eq!((next_of(&paying), next_of(&declined)), (1, 1));

    // The broken renewal issued nothing and waits to be retried.
    assert_eq!(app.invoices(&broken).await.len(), 1);
    let (queued, failed_once): (i64, i64) = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT COUNT(*), COUNT(CASE WHEN attempts = 1 AND last_error IS NOT NULL THEN 1 END) \
         FROM jobs WHERE kind = 'renew' AND status = 'queued' AND payload LIKE $1",
    )
    .bind(format!("%{broken_sub}%"))
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!((queued, failed_once), (1, 1));

    // The batch numbered its invoices together, and the failed batch gave its numbers
    // back: four first invoices and two renewals, numbered once each with no gap.
    let numbers = app.assert_invoice_numbers_gapless().await;
    assert_eq!(numbers.len(), 6, "{numbers:?}");
}
