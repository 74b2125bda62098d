//! `server bench`'s generated data is what the app itself would have stored: the
//! counters and monthly rollups written beside the bulk rows agree with the rows, as
//! the members list, the engagement report and the history read them.

use crate::helpers::{test_config, TestApp};
use serde_json::Value;

on_both_backends!(generated_data_agrees_with_its_counters_and_rollups);

async fn generated_data_agrees_with_its_counters_and_rollups(app: TestApp) {
    let config = test_config("127.0.0.1:0".parse().unwrap(), app.mailbox_dir.clone());
    let sizes = server::bench::Sizes::at(0.0005);
    let generated = server::bench::generate_into(&app.db, &config, &sizes)
        .await
        .unwrap();
    assert_eq!(generated.creators.len(), 20);
    let big = &generated.creators[0];
    let owner = app
        .sign_in_as(&big.owner_email, server::bench::PASSWORD)
        .await;

    // The total and segments come from member_counts; they must match the rows.
    let list = |query: String| {
        let (app, owner, creator) = (&app, &owner, big.id);
        async move {
            app.get_as(
                &format!("/api/v1/audience/members?creator_id={creator}&{query}"),
                owner,
            )
            .await
            .json::<Value>()
            .await
            .unwrap()
        }
    };
    let members = list("limit=100".into()).await;
    assert_eq!(members["total"], sizes.members[0], "{}", members["total"]);
    let mut listed = members["members"].as_array().unwrap().len();
    let mut cursor = members["next_cursor"].as_str().map(String::from);
    while let Some(next) = cursor {
        let page = list(format!("limit=100&cursor={next}")).await;
        listed += page["members"].as_array().unwrap().len();
        cursor = page["next_cursor"].as_str().map(String::from);
    }
    assert_eq!(listed, sizes.members[0], "every member is on some page");
    let active = list("status=active&limit=1".into()).await;
    let segments: u64 = ["superfans", "engaged", "casual", "inactive"]
        .iter()
        .map(|s| active["segments"][s].as_u64().unwrap())
        .sum();
    assert_eq!(Value::from(segments), active["total"]);

    // The history's joins come from member_months.
    let browser = app
        .web_session_as(&big.owner_email, server::bench::PASSWORD)
        .await;
    let months = app
        .history(&browser, &Value::String(big.id.to_string()))
        .await;
    let joined: u64 = months.iter().map(|m| m["joined"].as_u64().unwrap()).sum();
    let recent: i64 = app::on_db!(&app.db, pool => sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM memberships WHERE creator_id = $1 AND joined_at >= $2",
    )
    .bind(big.id)
    .bind(format!("{}-01", months[0]["month"].as_str().unwrap()).parse::<chrono::NaiveDate>().unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc())
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(joined as i64, recent, "the last twelve months' joins");
}
