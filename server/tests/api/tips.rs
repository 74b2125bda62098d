//! Tip jars and tips: the 10 % fee rounded half-even, the receipt invoice, rewards that
//! unlock as a member's tips to a jar cross their thresholds, the documented errors, and
//! the public creator page showing tiers and jars.

use crate::helpers::{assert_error, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    tips_charge_the_member_keep_the_fee_and_unlock_rewards,
    tips_are_refused_for_others_declined_cards_and_closed_jars,
);

/// A creator (its owner's token and id) with one tip jar, and a member with a card.
struct Scene {
    owner: String,
    creator_id: Value,
    jar: Value,
    fan: crate::subscriptions::Buyer,
    member_id: Value,
}

impl TestApp {
    async fn scene(&self, handle: &str, fan_email: &str, fan_card: &str) -> Scene {
        let owner = self.verified_user(&format!("{handle}@example.com")).await;
        let creator = self.create_creator(&owner, handle).await;
        let owner = self.sign_in(&format!("{handle}@example.com")).await;
        let jar = self
            .post_as(
                "/api/v1/audience/tips/jars",
                &owner,
                &json!({
                    "name": "Support My Next Project",
                    "goal": 100,
                    "description": "Help fund my documentary",
                    "suggested_amounts": [5, 10, 25],
                    "rewards": [
                        {"threshold": 100, "reward": "Behind the scenes access"},
                        {"threshold": 25, "reward": "Name in credits", "instructions": "Reply with the name you'd like in the credits"}
                    ]
                }),
            )
            .await;
        assert_eq!(jar.status(), 201);
        let jar: Value = jar.json().await.unwrap();
        let tiers: Value = self
            .get_as("/api/v1/audience/tiers", &owner)
            .await
            .json()
            .await
            .unwrap();
        let fan = self.buyer(fan_email, fan_card).await;
        let joined: Value = self
            .post_as(
                "/api/v1/memberships",
                &fan.token,
                &json!({"creator_id": creator["id"], "tier_id": tiers["tiers"][0]["id"]}),
            )
            .await
            .json()
            .await
            .unwrap();
        Scene {
            owner,
            creator_id: creator["id"].clone(),
            jar,
            fan,
            member_id: joined["id"].clone(),
        }
    }

    async fn tip(&self, scene: &Scene, amount: Value, jar: bool) -> reqwest::Response {
        let mut body = json!({
            "member_id": scene.member_id,
            "creator_id": scene.creator_id,
            "amount": amount,
            "message": "Love your work!",
            "payment_method_id": scene.fan.card,
        });
        if jar {
            body["jar_id"] = scene.jar["id"].clone();
        }
        self.post_as("/api/v1/audience/tips", &scene.fan.token, &body)
            .await
    }
}

async fn tips_charge_the_member_keep_the_fee_and_unlock_rewards(app: TestApp) {
    let scene = app
        .scene("tipped", "generous@example.com", "tok_visa")
        .await;
    assert_eq!(
        scene.jar["rewards"][0]["threshold"].to_string(),
        "25.00",
        "sorted by threshold"
    );
    assert_eq!(scene.jar["raised"].to_string(), "0.00");
    assert_eq!(scene.jar["open"], true);

    let first = app.tip(&scene, json!(25), true).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["amount"].to_string(), "25.00");
    assert_eq!(first["platform_fee"].to_string(), "2.50");
    assert_eq!(first["creator_receives"].to_string(), "22.50");
    assert_eq!(first["status"], "completed");
    assert_eq!(first["reward_unlocked"]["description"], "Name in credits");
    assert_eq!(
        first["reward_unlocked"]["instructions"],
        "Reply with the name you'd like in the credits"
    );
    assert_eq!(
        first["thank_you_message"],
        "Thank you so much for your support!"
    );
    let receipt = first["receipt_url"].as_str().unwrap();
    let invoices = app.invoices(&scene.fan).await;
    assert_eq!(invoices.len(), 1);
    assert!(receipt.ends_with(&format!(
        "/account/invoices/{}",
        invoices[0]["id"].as_str().unwrap()
    )));
    assert_eq!(invoices[0]["status"], "paid");
    assert_eq!(invoices[0]["amount_paid"].to_string(), "25.00");
    assert!(invoices[0]["description"]
        .as_str()
        .unwrap()
        .starts_with("Tip to Creator tipped"));

    // Nothing new at 30; the second reward once the tips reach 100.
    let second: Value = app.tip(&scene, json!(5), true).await.json().await.unwrap();
    assert_eq!(second["reward_unlocked"], Value::Null);
    let third: Value = app.tip(&scene, json!(70), true).await.json().await.unwrap();
    assert_eq!(
        third["reward_unlocked"]["description"],
        "Behind the scenes access"
    );
    assert_eq!(third["reward_unlocked"]["instructions"], Value::Null);

    // The fee rounds half-even at the cent: 10 % of 1.25 is 0.125 → 0.12.
    let odd: Value = app
        .tip(&scene, json!(1.25), false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(odd["platform_fee"].to_string(), "0.12");
    assert_eq!(odd["creator_receives"].to_string(), "1.13");
    assert_eq!(odd["reward_unlocked"], Value::Null);

    let jars: Value = app
        .get_as("/api/v1/audience/tips/jars", &scene.owner)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(jars[0]["raised"].to_string(), "100.00");
    assert_eq!(jars[0]["tip_count"], 3);
    assert_eq!(jars[0]["progress"].to_string(), "1");

    // The public page shows visible tiers and the jar, to anyone.
    let page: Value = app
        .get(&format!(
            "/api/v1/creators/{}",
            scene.creator_id.as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["handle"], "tipped");
    assert_eq!(page["tiers"][0]["is_default"], true);
    assert_eq!(page["tiers"][0]["spots_left"], Value::Null);
    assert_eq!(page["tip_jars"][0]["raised"].to_string(), "100.00");
    assert!(
        page["tiers"][0].get("revenue_monthly").is_none(),
        "no private figures"
    );
}

async fn tips_are_refused_for_others_declined_cards_and_closed_jars(app: TestApp) {
    let scene = app
        .scene("guarded", "declined@example.com", "tok_chargeDeclined")
        .await;
    let declined = app.tip(&scene, json!(10), true).await;
    assert_error(declined, 400, "payment_failed").await;
    let jars: Value = app
        .get_as("/api/v1/audience/tips/jars", &scene.owner)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        jars[0]["raised"].to_string(),
        "0.00",
        "a declined tip leaves nothing"
    );
    assert!(app.invoices(&scene.fan).await.is_empty());

    let bad = app.tip(&scene, json!(0.5), true).await;
    assert_error(bad, 400, "validation_error").await;

    // Someone else's membership, another creator's jar.
    let other = app
        .scene("elsewhere", "other@example.com", "tok_visa")
        .await;
    let mut body = json!({
        "member_id": scene.member_id, "creator_id": scene.creator_id,
        "amount": 5, "payment_method_id": other.fan.card,
    });
    let not_mine = app
        .post_as("/api/v1/audience/tips", &other.fan.token, &body)
        .await;
    assert_error(not_mine, 404, "member_not_found").await;
    body["member_id"] = other.member_id.clone();
    body["creator_id"] = other.creator_id.clone();
    body["jar_id"] = scene.jar["id"].clone();
    let foreign_jar = app
        .post_as("/api/v1/audience/tips", &other.fan.token, &body)
        .await;
    assert_error(foreign_jar, 404, "jar_not_found").await;

    // A jar that ended yesterday takes no more tips.
    crate::sandbox::superadmin_token(&app).await;
    let today = app.clock.now().date_naive().to_string();
    let closing: Value = app
        .post_as(
            "/api/v1/audience/tips/jars",
            &other.owner,
            &json!({"name": "Today only", "end_date": today}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.sandbox_advance(2 * 24 * 3600).await;
    let token = app.sign_in("other@example.com").await;
    body["jar_id"] = closing["id"].clone();
    let closed = app.post_as("/api/v1/audience/tips", &token, &body).await;
    assert_error(closed, 409, "jar_closed").await;
    let past = app
        .post_as(
            "/api/v1/audience/tips/jars",
            &app.sign_in("elsewhere@example.com").await,
            &json!({"name": "Back in time", "end_date": "2000-01-01"}),
        )
        .await;
    assert_error(past, 400, "validation_error").await;
}
