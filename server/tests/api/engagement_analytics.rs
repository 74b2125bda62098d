//! Engagement analytics computed from memberships and events: the overview, totals by
//! kind, the distribution by level, and trends against the period before.

use crate::helpers::{assert_error, TestApp};
use serde_json::{json, Value};

on_both_backends!(engagement_analytics_count_what_members_did);

async fn engagement_analytics_count_what_members_did(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let owner = app.verified_user("analyst@example.com").await;
    let creator = app.create_creator(&owner, "analyst").await;
    let owner = app.sign_in("analyst@example.com").await;
    let tiers: Value = app
        .get_as("/api/v1/audience/tiers", &owner)
        .await
        .json()
        .await
        .unwrap();
    let free = tiers["tiers"][0]["id"].clone();
    let mut members = Vec::new();
    for n in 0..4 {
        let fan = app.verified_user(&format!("watcher{n}@example.com")).await;
        let joined: Value = app
            .post_as(
                "/api/v1/memberships",
                &fan,
                &json!({"creator_id": creator["id"], "tier_id": free}),
            )
            .await
            .json()
            .await
            .unwrap();
        members.push((fan, joined["id"].clone()));
    }
    // One leaves; two interact (one of them a lot).
    let left = app.leave(&members[3].0, &members[3].1).await;
    assert_eq!(left.status(), 200);
    let mut events = vec![
        json!({"id": "v1", "member_id": members[0].1, "type": "content_view", "details": {"completion": 1.0}}),
        json!({"id": "c1", "member_id": members[0].1, "type": "persona_chat", "details": {"duration_minutes": 12}}),
        json!({"id": "c2", "member_id": members[0].1, "type": "persona_chat", "details": {"duration_minutes": 18}}),
    ];
    for n in 0..10 {
        events.push(json!({"id": format!("s{n}"), "member_id": members[1].1, "type": "share"}));
    }
    let sent = app
        .post_as(
            "/api/v1/audience/events",
            &owner,
            &json!({"events": events}),
        )
        .await;
    assert_eq!(sent.status(), 200);

    let report = app
        .get_as("/api/v1/audience/engagement?period=week", &owner)
        .await;
    assert_eq!(report.status(), 200);
    let report: Value = report.json().await.unwrap();
    assert_eq!(report["period"], "week");
    assert_eq!(report["overview"]["total_members"], 3);
    assert_eq!(report["overview"]["active_members"], 2);
    assert_eq!(report["overview"]["new_members"], 4);
    assert_eq!(report["overview"]["churned_members"], 1);
    assert_eq!(report["overview"]["net_growth"], 3);
    assert_eq!(report["engagement"]["interactions_total"], 13);
    assert_eq!(report["engagement"]["content_views"], 1);
    assert_eq!(report["engagement"]["persona_conversations"], 2);
    assert_eq!(report["engagement"]["shares"], 10);
    // Shares weigh 40 → score 67 (engaged); 2 + 3.2 + 3.8 = 9 → 31 (casual); 0; mean 33.
    assert_eq!(report["engagement"]["avg_engagement_score"], 33);
    assert_eq!(report["distribution"]["engaged"]["count"], 1);
    assert_eq!(
        report["distribution"]["engaged"]["avg_interactions"].to_string(),
        "10"
    );
    assert_eq!(report["distribution"]["casual"]["count"], 1);
    assert_eq!(report["distribution"]["inactive"]["count"], 1);
    assert_eq!(
        report["distribution"]["inactive"]["percent"].to_string(),
        "0.33"
    );
    assert_eq!(
        report["trends"]["engagement_trend"], "n/a",
        "nothing the week before"
    );
    assert_eq!(
        report["trends"]["avg_session_duration_minutes"].to_string(),
        "15"
    );

    // A week on, the same interactions are the week before: the trend is -100%.
    app.sandbox_advance(8 * 24 * 3600).await;
    let owner = app.sign_in("analyst@example.com").await;
    let later: Value = app
        .get_as("/api/v1/audience/engagement?period=week", &owner)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(later["engagement"]["interactions_total"], 0);
    assert_eq!(later["trends"]["engagement_trend"], "-100%");
    assert_eq!(later["overview"]["active_members"], 0);
    assert_eq!(
        later["trends"]["retention_rate"].to_string(),
        "1",
        "everyone there a week ago stayed"
    );

    // Five weeks on another leaves. The three there when the week began joined at least
    // a month before it, so they are counted from the month rollup; two of them stayed.
    app.sandbox_advance(35 * 24 * 3600).await;
    let leaver = app.sign_in("watcher2@example.com").await;
    let left = app.leave(&leaver, &members[2].1).await;
    assert_eq!(left.status(), 200);
    let owner = app.sign_in("analyst@example.com").await;
    let last: Value = app
        .get_as("/api/v1/audience/engagement?period=week", &owner)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(last["overview"]["total_members"], 2);
    assert_eq!(last["overview"]["churned_members"], 1);
    assert_eq!(last["overview"]["growth_rate"].to_string(), "-0.3333");
    assert_eq!(last["trends"]["retention_rate"].to_string(), "0.6667");

    let bad = app
        .get_as("/api/v1/audience/engagement?period=decade", &owner)
        .await;
    assert_error(bad, 400, "validation_error").await;
}
