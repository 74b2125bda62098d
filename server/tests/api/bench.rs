//! `server bench`'s generated data is what the app itself would have stored: the
//! counters and rollups written beside the bulk rows agree with the rows, as the
//! members list, the history and the engagement and revenue reports read them.

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

    // The reports read the daily rollups: a year is the last 365 days with today.
    let first = (chrono::Utc::now().date_naive() - chrono::Days::new(364))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let count = |sql: &'static str| {
        let (app, creator) = (&app, big.id);
        async move {
            app::on_db!(&app.db, pool => sqlx::query_scalar::<_, i64>(sql)
                .bind(creator)
                .bind(first)
                .fetch_one(pool)
                .await)
            .unwrap()
        }
    };
    let report: Value = app
        .get_as(
            &format!(
                "/api/v1/audience/engagement?creator_id={}&period=year",
                big.id
            ),
            &owner,
        )
        .await
        .json()
        .await
        .unwrap();
    let overview = &report["overview"];
    let expected = [
        (
            "SELECT COUNT(*) FROM engagement_events WHERE creator_id = $1 AND occurred_at >= $2",
            &report["engagement"]["interactions_total"],
        ),
        (
            "SELECT COUNT(*) FROM memberships WHERE creator_id = $1 AND joined_at >= $2",
            &overview["new_members"],
        ),
        (
            "SELECT COUNT(*) FROM memberships WHERE creator_id = $1 AND churned_at >= $2",
            &overview["churned_members"],
        ),
        (
            "SELECT COUNT(*) FROM memberships WHERE creator_id = $1 AND status <> 'churned' \
          AND last_interaction_at >= $2",
            &overview["active_members"],
        ),
    ];
    for (sql, figure) in expected {
        assert_eq!(figure.as_i64().unwrap(), count(sql).await, "{sql}");
    }
    let retained = count(
        "SELECT COUNT(*) FROM memberships WHERE creator_id = $1 AND status <> 'churned' \
         AND joined_at < $2",
    )
    .await;
    let at_start = count(
        "SELECT COUNT(*) FROM memberships WHERE creator_id = $1 AND joined_at < $2 \
         AND (churned_at IS NULL OR churned_at >= $2)",
    )
    .await;
    let rate = report["trends"]["retention_rate"]
        .to_string()
        .parse::<f64>()
        .unwrap();
    assert!(
        (rate - retained as f64 / at_start as f64).abs() < 0.0001,
        "{rate}"
    );

    let revenue: Value = app
        .get_as(
            &format!("/api/v1/audience/revenue?creator_id={}&period=year", big.id),
            &owner,
        )
        .await
        .json()
        .await
        .unwrap();
    let tips = count(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM tips \
         WHERE creator_id = $1 AND created_at >= $2",
    )
    .await;
    assert_eq!(
        revenue["revenue"]["tips"]
            .to_string()
            .parse::<f64>()
            .unwrap(),
        tips as f64 / 100.0
    );
    // MRR from the tier subscription rollup.
    let mrr: i64 = app::on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(price_minor), 0) AS BIGINT) FROM subscriptions \
         WHERE merchant_creator_id = $1 AND status IN ('active', 'past_due')",
    )
    .bind(big.id)
    .fetch_one(pool)
    .await)
    .unwrap();
    let figure = |v: &Value| v.to_string().parse::<f64>().unwrap();
    assert_eq!(figure(&revenue["subscriptions"]["mrr"]), mrr as f64 / 100.0);
    // The churn rate's subscriptions live at the window's start come from the totals.
    let totals = |sql: &'static str| {
        let (app, creator) = (&app, big.id);
        async move {
            app::on_db!(&app.db, pool => sqlx::query_as::<_, (i64, i64)>(sql)
                .bind(creator)
                .fetch_one(pool)
                .await)
            .unwrap()
        }
    };
    assert_eq!(
        totals("SELECT started, ended FROM subscription_totals WHERE creator_id = $1").await,
        totals(
            "SELECT COUNT(*), COUNT(canceled_at) FROM subscriptions \
             WHERE merchant_creator_id = $1"
        )
        .await
    );

    // What each member paid is kept on the membership, as the app keeps it.
    let off: i64 = app::on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m WHERE m.paid_minor <> \
         COALESCE((SELECT SUM(amount_minor) FROM tips WHERE tips.membership_id = m.id), 0)",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(off, 0, "memberships whose paid_minor is not their tips");
    // Each jar's totals are its tips, as `insert_tip` keeps them.
    let jars: Value = app
        .get_as(
            &format!("/api/v1/audience/tips/jars?creator_id={}", big.id),
            &owner,
        )
        .await
        .json()
        .await
        .unwrap();
    let (count, sum): (i64, i64) = app::on_db!(&app.db, pool => sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM tips \
         WHERE creator_id = $1 AND jar_id IS NOT NULL",
    )
    .bind(big.id)
    .fetch_one(pool)
    .await)
    .unwrap();
    assert!(count > 0, "the big creator's jar has tips");
    let jars = jars.as_array().unwrap();
    let tipped: i64 = jars.iter().map(|j| j["tip_count"].as_i64().unwrap()).sum();
    let raised: f64 = jars.iter().map(|j| figure(&j["raised"])).sum();
    assert_eq!((tipped, raised), (count, sum as f64 / 100.0));

    // The renewal run bills the next period of each subscription it made due.
    let renewals = server::bench::renewal_run(&app.db, &config, 10)
        .await
        .unwrap();
    assert_eq!(renewals.renewed, 10);
    assert!(renewals.ceiling_per_second > 0.0);
    // Each renewal finished its own job (in the transaction that recorded it) and
    // queued the next period's.
    let renew_jobs: Vec<(String, i64)> = app::on_db!(&app.db, pool => sqlx::query_as(
        "SELECT status, COUNT(*) FROM jobs WHERE kind = 'renew' GROUP BY status ORDER BY status",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(
        renew_jobs,
        [("done".to_string(), 10), ("queued".to_string(), 10)]
    );
}
