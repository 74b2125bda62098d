//! Campaigns: the audience is counted from the segment and filters, the offer is a real
//! coupon for the creator's tiers, a job sends the message at its time, and joining
//! with the code is discounted and counted as a redemption.

use crate::helpers::{assert_error, TestApp};
use crate::sandbox::{superadmin_token, superadmin_token_again};
use serde_json::{json, Value};

on_both_backends!(a_win_back_campaign_reaches_lapsed_payers_and_its_offer_is_redeemed);

async fn a_win_back_campaign_reaches_lapsed_payers_and_its_offer_is_redeemed(app: TestApp) {
    superadmin_token(&app).await;
    let studio = app.studio("winback").await;
    let vip = app
        .create_tier(&studio, json!({"name": "VIP", "price_monthly": 10}))
        .await;
    let mut lapsed = app.buyer("lapsed@example.com", "tok_visa").await;
    assert_eq!(app.join_monthly(&lapsed, &studio, &vip).await.status(), 201);
    let freeloader = app.fan(&studio, "freeloader@example.com").await;
    let freeloader = app.user_id(&freeloader).await;
    // A month and more of silence; then someone new joins.
    app.months_pass(&mut lapsed, 31 * 24 * 3600).await;
    let studio = crate::audience::Studio {
        token: app.sign_in("winback@example.com").await,
        id: studio.id,
    };
    app.fan(&studio, "newcomer@example.com").await;
    let free_tier = app.tiers(&studio).await[0].clone();

    let path = "/api/v1/audience/engagement/campaigns";
    let campaign = |body: Value| {
        let mut body = body;
        body["creator_id"] = json!(studio.id);
        let app = &app;
        let token = studio.token.clone();
        async move { app.post_as(path, &token, &body).await }
    };
    let message = json!({"subject": "We miss you!", "body": "It's been a while.",
                         "cta": "Come back and get 50% off your first month"});
    let bad = campaign(
        json!({"name": "", "target_segment": "inactive", "message": message,
                              "offer": {"type": "discount", "value": 1.5}, "channels": []}),
    )
    .await;
    let body = assert_error(bad, 400, "validation_error").await;
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "channels", "offer.value"], "{body}");

    // The composer's preview counts the same audience without creating anything.
    let preview = |body: Value| {
        let mut body = body;
        body["creator_id"] = json!(studio.id);
        let app = &app;
        let token = studio.token.clone();
        async move { app.post_as(&format!("{path}/preview"), &token, &body).await }
    };
    let everyone = preview(json!({"target_segment": "all"})).await;
    assert_eq!(everyone.status(), 200);
    assert_eq!(everyone.json::<Value>().await.unwrap()["audience_size"], 3);

    // A segment and tier alone are counted from the membership rollup, less the
    // accounts that are not active; with the other filters, row by row. The two agree:
    // those who paid and those who did not make up the whole audience.
    let size = |body: Value| {
        let asked = preview(body);
        async move {
            let answer: Value = asked.await.json().await.unwrap();
            answer["audience_size"].as_u64().unwrap()
        }
    };
    let agree = || async {
        for segment in [
            "all", "inactive", "casual", "engaged", "superfan", "churned",
        ] {
            for tier in [None, Some(&vip["id"]), Some(&free_tier["id"])] {
                let mut whole = json!({"target_segment": segment, "filters": {}});
                if let Some(tier) = tier {
                    whole["filters"]["tier_id"] = tier.clone();
                }
                let (mut paid, mut unpaid) = (whole.clone(), whole.clone());
                paid["filters"]["was_paid_subscriber"] = json!(true);
                unpaid["filters"]["was_paid_subscriber"] = json!(false);
                assert_eq!(
                    size(whole).await,
                    size(paid).await + size(unpaid).await,
                    "{segment} in {tier:?}"
                );
            }
        }
    };
    agree().await;
    let root = superadmin_token_again(&app).await;
    let freeloader_path = format!("/api/v1/admin/users/{freeloader}");
    let set_status = |status: &'static str| {
        let (app, root, path) = (&app, root.clone(), freeloader_path.clone());
        async move {
            let body = json!({ "status": status });
            assert_eq!(app.patch_as(&path, &root, &body).await.status(), 200);
        }
    };
    set_status("suspended").await;
    assert_eq!(
        size(json!({"target_segment": "all"})).await,
        2,
        "a suspended member is not reached"
    );
    agree().await;
    set_status("active").await;
    assert_eq!(size(json!({"target_segment": "all"})).await, 3);

    let lapsed_payers = preview(json!({"target_segment": "inactive",
        "filters": {"inactive_days_min": 30, "was_paid_subscriber": true}}))
    .await;
    assert_eq!(
        lapsed_payers.json::<Value>().await.unwrap()["audience_size"],
        1
    );
    let foreign_tier = preview(json!({"target_segment": "all",
        "filters": {"tier_id": uuid::Uuid::now_v7()}}))
    .await;
    assert_error(foreign_tier, 400, "validation_error").await;
    let listed: Value = app
        .get_as(&format!("{path}?creator_id={}", studio.id), &studio.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["meta"]["total"], 0, "a preview creates nothing");

    let soon =
        (chrono::Utc::now() + chrono::Duration::days(31) + chrono::Duration::hours(1)).to_rfc3339();
    let created = campaign(json!({
        "name": "Win Back Inactive Fans", "type": "reactivation", "target_segment": "inactive",
        "filters": {"inactive_days_min": 30, "was_paid_subscriber": true},
        "message": message,
        "offer": {"type": "discount", "value": 0.50, "duration_months": 1, "code": "comeback50"},
        "channels": ["email", "push"], "scheduled_at": soon,
    }))
    .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(
        created["audience_size"], 1,
        "only the member who paid and went quiet"
    );
    assert_eq!(created["status"], "scheduled");
    assert_eq!(created["offer"]["code"], "COMEBACK50");
    assert!(created["coupon_id"].is_string());
    let taken = campaign(json!({
        "name": "Again", "target_segment": "all", "message": message,
        "offer": {"type": "discount", "value": 0.1, "code": "COMEBACK50"}, "channels": ["push"],
    }))
    .await;
    assert_error(taken, 409, "coupon_code_taken").await;

    // Two hours later the job has sent it.
    app.sandbox_advance(2 * 3600).await;
    let shown: Value = app
        .get_as(
            &format!("{path}/{}", created["id"].as_str().unwrap()),
            &app.sign_in("winback@example.com").await,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["status"], "sent");
    assert_eq!(
        shown["stats"],
        json!({"sent": 1, "delivered": 2, "redeemed": 0})
    );
    assert!(app
        .mail_to(&lapsed.email)
        .iter()
        .any(|m| m.contains("We miss you!") && m.contains("COMEBACK50")));
    assert!(app
        .mail_to("freeloader@example.com")
        .iter()
        .all(|m| !m.contains("We miss you")));

    // The code takes half off the first month of a paid tier, once.
    let returning = app.buyer("returning@example.com", "tok_visa").await;
    let not_paid = app
        .join(
            &returning.token,
            &studio,
            &free_tier,
            json!({"coupon_code": "COMEBACK50"}),
        )
        .await;
    assert_error(not_paid, 400, "validation_error").await;
    let joined = app
        .join(
            &returning.token,
            &studio,
            &vip,
            json!({"billing_cycle": "monthly", "payment_method_id": returning.card,
                   "coupon_code": "comeback50"}),
        )
        .await;
    assert_eq!(joined.status(), 201);
    let invoices = app.invoices(&returning).await;
    assert_eq!(
        invoices[0]["amount_paid"].as_f64(),
        Some(5.0),
        "{invoices:?}"
    );
    let shown: Value = app
        .get_as(
            &format!("{path}/{}", created["id"].as_str().unwrap()),
            &app.sign_in("winback@example.com").await,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["stats"]["redeemed"], 1);

    let foreign = app.studio("elsewhere").await;
    let hidden = app
        .get_as(
            &format!("{path}/{}", created["id"].as_str().unwrap()),
            &foreign.token,
        )
        .await;
    assert_error(hidden, 404, "campaign_not_found").await;
}
