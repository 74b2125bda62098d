//! `server seed-demo`: weeks of history made through the API, on both databases, and
//! only once.

use crate::auth::PASSWORD;
use crate::helpers::{test_config, TestApp};
use serde_json::Value;

on_both_backends!(the_demo_replays_its_days_through_the_api_once);

async fn the_demo_replays_its_days_through_the_api_once(app: TestApp) {
    let config = test_config("127.0.0.1:0".parse().unwrap(), app.mailbox_dir.clone());
    let seeded = server::demo::seed_into(app.db.clone(), &config, PASSWORD, 45)
        .await
        .unwrap();
    assert_eq!(seeded.creators.len(), 3);
    let (_, owner_email, made) = seeded.creators[0];
    assert!(made >= 60, "{made} members");
    assert!(
        seeded.fans < seeded.creators.iter().map(|c| c.2).sum::<usize>(),
        "some fans follow several creators"
    );

    // The first creator's owner signs in to the running app and sees what was made.
    let owner = app.sign_in(owner_email).await;
    let members: Value = app
        .get_as("/api/v1/audience/members?status=churned", &owner)
        .await
        .json()
        .await
        .unwrap();
    let churned = members["total"].as_u64().unwrap();
    let revenue: Value = app
        .get_as("/api/v1/audience/revenue?period=quarter", &owner)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        revenue["revenue"]["subscriptions"].as_f64().unwrap() > 0.0,
        "{revenue}"
    );
    assert!(
        revenue["revenue"]["tips"].as_f64().unwrap() > 0.0,
        "{revenue}"
    );
    let tiers: Value = app
        .get_as("/api/v1/audience/tiers", &owner)
        .await
        .json()
        .await
        .unwrap();
    let creator = tiers["tiers"][0]["creator_id"].clone();
    let browser = app.web_session(owner_email).await;
    let months = app.history(&browser, &creator).await;
    let joined: u64 = months.iter().map(|m| m["joined"].as_u64().unwrap()).sum();
    let left: u64 = months.iter().map(|m| m["churned"].as_u64().unwrap()).sum();
    assert_eq!(joined as usize, made, "every join is in the history");
    assert_eq!(left, churned, "every member who left is in the history");

    let again = server::demo::seed_into(app.db.clone(), &config, PASSWORD, 45).await;
    let error = again.err().expect("a second run is refused").to_string();
    assert!(error.contains("already there"), "{error}");
}
