//! Revenue analytics computed from what was stored: subscription payments and tips,
//! MRR by tier, ARPU / ARPPU / LTV, churn, payouts after the platform fee.

use crate::helpers::{assert_error, TestApp};
use chrono::Duration;
use serde_json::{json, Value};

on_both_backends!(
    revenue_adds_up_what_members_paid,
    the_dashboard_history_counts_each_month,
    the_tiers_list_and_the_revenue_report_agree_on_a_tiers_monthly_revenue
);

async fn revenue_adds_up_what_members_paid(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let owner = app.verified_user("earner@example.com").await;
    let creator = app.create_creator(&owner, "earner").await;
    let owner = app.sign_in("earner@example.com").await;
    let tier = |body: Value| {
        let app = &app;
        let owner = owner.clone();
        async move {
            let created: Value = app
                .post_as("/api/v1/audience/tiers", &owner, &body)
                .await
                .json()
                .await
                .unwrap();
            created
        }
    };
    let supporter = tier(json!({"name": "Supporter", "price_monthly": 4.99})).await;
    let vip = tier(json!({"name": "VIP", "price_monthly": 24.99, "price_yearly": 249.99})).await;
    let free: Value = app
        .get_as("/api/v1/audience/tiers", &owner)
        .await
        .json()
        .await
        .unwrap();
    let free = free["tiers"][0]["id"].clone();

    let join = |token: String, tier: Value, extra: Value| {
        let app = &app;
        let creator_id = creator["id"].clone();
        async move {
            let mut body = json!({"creator_id": creator_id, "tier_id": tier});
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            let response = app.post_as("/api/v1/memberships", &token, &body).await;
            assert_eq!(response.status(), 201);
            response.json::<Value>().await.unwrap()
        }
    };
    let a = app.buyer("monthly@example.com", "tok_visa").await;
    let a_member = join(
        a.token.clone(),
        supporter["id"].clone(),
        json!({"billing_cycle": "monthly", "payment_method_id": a.card}),
    )
    .await;
    let b = app.buyer("yearly@example.com", "tok_visa").await;
    join(
        b.token.clone(),
        vip["id"].clone(),
        json!({"billing_cycle": "yearly", "payment_method_id": b.card}),
    )
    .await;
    let c = app.verified_user("free@example.com").await;
    join(c, free, json!({})).await;
    let tipped = app
        .post_as(
            "/api/v1/audience/tips",
            &a.token,
            &json!({"member_id": a_member["id"], "creator_id": creator["id"], "amount": 10, "payment_method_id": a.card}),
        )
        .await;
    assert_eq!(tipped.status(), 201);

    let report = app
        .get_as("/api/v1/audience/revenue?period=month", &owner)
        .await;
    assert_eq!(report.status(), 200);
    let report: Value = report.json().await.unwrap();
    let text = |v: &Value| v.to_string();
    assert_eq!(report["period"], "month");
    assert_eq!(report["currency"], "USD");
    assert_eq!(
        text(&report["revenue"]["subscriptions"]),
        "254.98",
        "4.99 + 249.99"
    );
    assert_eq!(text(&report["revenue"]["tips"]), "10.00");
    assert_eq!(text(&report["revenue"]["total"]), "264.98");
    assert_eq!(text(&report["revenue"]["merchandise"]), "0.00");
    // 4.99 a month, and 249.99 / 12 = 20.8325 → 20.83 (whole cents, rounded down).
    assert_eq!(text(&report["subscriptions"]["mrr"]), "25.82");
    assert_eq!(text(&report["subscriptions"]["arr"]), "309.84");
    assert_eq!(text(&report["subscriptions"]["new_mrr"]), "25.82");
    assert_eq!(text(&report["subscriptions"]["churned_mrr"]), "0.00");
    let by_tier = report["subscriptions"]["by_tier"].as_array().unwrap();
    assert_eq!(by_tier.len(), 2);
    let vip_row = by_tier.iter().find(|t| t["tier"] == "VIP").unwrap();
    assert_eq!(
        (text(&vip_row["mrr"]), vip_row["subscribers"].clone()),
        ("20.83".to_string(), json!(1))
    );
    // Three current members, two paying, two who ever paid.
    assert_eq!(text(&report["metrics"]["arpu"]), "88.33");
    assert_eq!(text(&report["metrics"]["arppu"]), "132.49");
    assert_eq!(text(&report["metrics"]["ltv"]), "132.49");
    assert_eq!(report["metrics"]["cac"], Value::Null);
    assert_eq!(text(&report["metrics"]["churn_rate"]), "0");
    // 264.98 less 10 % (26.498 → 26.50).
    assert_eq!(text(&report["payouts"]["pending"]), "238.48");
    assert_eq!(text(&report["payouts"]["platform_fee_rate"]), "0.10");
    assert!(report["payouts"]["next_payout_date"]
        .as_str()
        .unwrap()
        .ends_with("-01"));

    let bad = app
        .get_as("/api/v1/audience/revenue?period=decade", &owner)
        .await;
    assert_error(bad, 400, "validation_error").await;
    let stranger = app.get_as("/api/v1/audience/revenue", &a.token).await;
    assert_error(stranger, 403, "forbidden").await;

    // The monthly member leaves; their subscription ends with the period paid for.
    let left = app.leave(&a.token, &a_member["id"]).await;
    assert_eq!(left.status(), 200);
    app.sandbox_advance(35 * 24 * 3600).await;
    let owner = app.sign_in("earner@example.com").await;
    let later: Value = app
        .get_as("/api/v1/audience/revenue?period=month", &owner)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(text(&later["subscriptions"]["mrr"]), "20.83");
    assert_eq!(text(&later["subscriptions"]["new_mrr"]), "0.00");
    assert_eq!(text(&later["subscriptions"]["churned_mrr"]), "4.99");
    assert_eq!(
        later["metrics"]["churn_rate"].as_f64(),
        Some(0.5),
        "one of the two live when the window began"
    );
    assert_eq!(
        text(&later["revenue"]["total"]),
        "0.00",
        "nothing paid since"
    );
    assert_eq!(
        text(&later["metrics"]["ltv"]),
        "132.49",
        "lifetime revenue over the two who ever paid"
    );
}

impl TestApp {
    /// A browser session's cookie for `email`, as the sign-in page gets it.
    pub async fn web_session(&self, email: &str) -> String {
        self.web_session_as(email, crate::auth::PASSWORD).await
    }

    /// A browser session of `email` signed in with `password`: its cookie.
    pub async fn web_session_as(&self, email: &str, password: &str) -> String {
        let form = [("email", email), ("password", password)];
        let signed_in = self
            .client
            .post(self.url("/api/fn/sign_in"))
            .header("origin", &self.base)
            .form(&form)
            .send()
            .await
            .unwrap();
        let set_cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
        set_cookie.split(';').next().unwrap().to_string()
    }

    /// The dashboard overview's twelve months, oldest first, through its server
    /// function.
    pub async fn history(&self, cookie: &str, creator_id: &Value) -> Vec<Value> {
        self.history_with_tiers(cookie, creator_id).await["months"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// The overview's whole history: months and each tier's amounts.
    pub async fn history_with_tiers(&self, cookie: &str, creator_id: &Value) -> Value {
        let response = self
            .client
            .post(self.url("/api/fn/dashboard_overview"))
            .header("origin", &self.base)
            .header("cookie", cookie)
            .form(&[("creator_id", creator_id.as_str().unwrap())])
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(status, 200, "{body}");
        let panel: Value = serde_json::from_str(&body).unwrap();
        panel["shown"][1]["history"].clone()
    }
}

/// Members joined and left, members at each month's end, and revenue, month by month
/// from the rollups kept by each write.
async fn the_dashboard_history_counts_each_month(app: TestApp) {
    let (owner, creator, free) = app.creator_with_free_tier("historian").await;
    let tier: Value = app
        .post_as(
            "/api/v1/audience/tiers",
            &owner,
            &json!({"name": "Supporter", "price_monthly": 4.99}),
        )
        .await
        .json()
        .await
        .unwrap();
    let paying = app.buyer("paying@example.com", "tok_visa").await;
    let joined = app
        .post_as(
            "/api/v1/memberships",
            &paying.token,
            &json!({"creator_id": creator["id"], "tier_id": tier["id"], "billing_cycle": "monthly", "payment_method_id": paying.card}),
        )
        .await;
    assert_eq!(joined.status(), 201);
    let member: Value = joined.json().await.unwrap();
    let tipped = app
        .post_as(
            "/api/v1/audience/tips",
            &paying.token,
            &json!({"member_id": member["id"], "creator_id": creator["id"], "amount": 10, "payment_method_id": paying.card}),
        )
        .await;
    assert_eq!(tipped.status(), 201);
    let leaver = app.verified_user("leaver@example.com").await;
    let left: Value = app
        .post_as(
            "/api/v1/memberships",
            &leaver,
            &json!({"creator_id": creator["id"], "tier_id": free}),
        )
        .await
        .json()
        .await
        .unwrap();

    let browser = app.web_session("historian@example.com").await;
    let months = app.history(&browser, &creator["id"]).await;
    assert_eq!(months.len(), 12);
    let this = months[11].clone();
    assert_eq!(
        (&this["joined"], &this["churned"], &this["members"]),
        (&json!(2), &json!(0), &json!(2))
    );
    assert_eq!(
        (this["subscriptions"].to_string(), this["tips"].to_string()),
        ("4.99".to_string(), "10.00".to_string())
    );
    assert_eq!(months[10]["members"], 0, "nobody before this month");
    // By tier: only the paid tier earned, this month, and the tip is not a tier's.
    let history = app.history_with_tiers(&browser, &creator["id"]).await;
    let tiers = history["tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 1, "{history}");
    assert_eq!(
        (&tiers[0]["tier_id"], &tiers[0]["tier"]),
        (&tier["id"], &json!("Supporter"))
    );
    let amounts = tiers[0]["amounts"].as_array().unwrap();
    assert_eq!(amounts.len(), 12);
    assert_eq!(amounts[11].to_string(), "4.99");
    assert!(
        amounts[..11].iter().all(|a| a.as_f64() == Some(0.0)),
        "{amounts:?}"
    );

    let cancelled = app.leave(&leaver, &left["id"]).await;
    assert_eq!(cancelled.status(), 200);
    let months = app.history(&browser, &creator["id"]).await;
    assert_eq!(
        (
            &months[11]["joined"],
            &months[11]["churned"],
            &months[11]["members"]
        ),
        (&json!(2), &json!(1), &json!(1))
    );

    // Weeks later the month is history: same figures, and the member count carries on.
    app.clock.advance(Duration::days(40));
    let browser = app.web_session("historian@example.com").await;
    let later = app.history(&browser, &creator["id"]).await;
    let then = later
        .iter()
        .find(|m| m["month"] == this["month"])
        .expect("the month is still shown");
    assert_eq!(
        (&then["joined"], &then["churned"], &then["members"]),
        (&json!(2), &json!(1), &json!(1))
    );
    assert_eq!(later[11]["members"], 1);
    assert_ne!(later[11]["month"], this["month"]);
}

/// Four yearly members at 249.99: each counts 249.99 / 12 = 20.8325 -> 20.83 a month, so
/// the tier earns 83.32 a month in the revenue report, and the tiers list says the same
/// (a twelfth of the summed prices, 83.33, would disagree with it).
async fn the_tiers_list_and_the_revenue_report_agree_on_a_tiers_monthly_revenue(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let owner = app.verified_user("yearly-owner@example.com").await;
    let creator = app.create_creator(&owner, "yearly").await;
    let owner = app.sign_in("yearly-owner@example.com").await;
    let vip: Value = app
        .post_as(
            "/api/v1/audience/tiers",
            &owner,
            &json!({"name": "VIP", "price_monthly": 24.99, "price_yearly": 249.99}),
        )
        .await
        .json()
        .await
        .unwrap();
    for n in 0..4 {
        let buyer = app
            .buyer(&format!("yearly-{n}@example.com"), "tok_visa")
            .await;
        let joined = app
            .post_as(
                "/api/v1/memberships",
                &buyer.token,
                &json!({"creator_id": creator["id"], "tier_id": vip["id"],
                        "billing_cycle": "yearly", "payment_method_id": buyer.card}),
            )
            .await;
        assert_eq!(joined.status(), 201);
    }
    let report: Value = app
        .get_as("/api/v1/audience/revenue?period=month", &owner)
        .await
        .json()
        .await
        .unwrap();
    let by_tier = &report["subscriptions"]["by_tier"][0];
    assert_eq!(by_tier["mrr"].to_string(), "83.32");
    let tiers: Value = app
        .get_as("/api/v1/audience/tiers", &owner)
        .await
        .json()
        .await
        .unwrap();
    let listed = tiers["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == vip["id"])
        .unwrap();
    assert_eq!(listed["revenue_monthly"].to_string(), "83.32");
    assert_eq!(listed["member_count"], json!(4));
}
