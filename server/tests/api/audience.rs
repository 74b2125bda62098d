//! The Audience API: tiers, joining them (free and paid, with every documented error),
//! and the members list with its filters, totals and segments, scoped to the creator.

use crate::helpers::{assert_error, TestApp};
use crate::subscriptions::Buyer;
use app::backend::pagination::PageRequest;
use app::backend::store::memberships::{self, MemberFilter, MemberRow};
use app::on_db;
use serde_json::{json, Value};
use uuid::Uuid;

on_both_backends!(
    tiers_start_free_and_the_team_creates_and_edits_them,
    joining_free_and_paid_tiers_answers_the_documented_errors,
    the_members_list_filters_counts_and_pages_within_the_creator,
    word_searches_follow_names_statuses_and_count_each_member_once,
    join_date_filters_count_whole_days_and_the_rest_of_a_day,
    a_paid_membership_renews_and_adds_to_its_lifetime_value,
    a_tier_cap_holds_when_many_join_at_once,
    events_score_members_rank_them_and_decay,
    the_team_changes_a_members_tier_status_notes_and_tags,
    members_see_their_memberships_and_leave,
);

/// A creator's content creator and the creator's id.
pub struct Studio {
    pub token: String,
    pub id: String,
}

impl TestApp {
    pub async fn studio(&self, handle: &str) -> Studio {
        let token = self.verified_user(&format!("{handle}@example.com")).await;
        let creator = self.create_creator(&token, handle).await;
        // Creating a creator grants a role: sign in again for a token that carries it.
        let token = self.sign_in(&format!("{handle}@example.com")).await;
        Studio {
            token,
            id: creator["id"].as_str().unwrap().to_string(),
        }
    }

    pub async fn tiers(&self, studio: &Studio) -> Vec<Value> {
        let response = self
            .get_as(
                &format!("/api/v1/audience/tiers?creator_id={}", studio.id),
                &studio.token,
            )
            .await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        body["tiers"].as_array().unwrap().clone()
    }

    pub async fn create_tier(&self, studio: &Studio, tier: Value) -> Value {
        let mut tier = tier;
        tier["creator_id"] = json!(studio.id);
        let response = self
            .post_as("/api/v1/audience/tiers", &studio.token, &tier)
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    pub async fn join(
        &self,
        token: &str,
        studio: &Studio,
        tier: &Value,
        extra: Value,
    ) -> reqwest::Response {
        let mut body = json!({"creator_id": studio.id, "tier_id": tier["id"]});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        self.post_as("/api/v1/memberships", token, &body).await
    }

    /// Joins a paid tier monthly with the buyer's card.
    pub async fn join_monthly(
        &self,
        buyer: &Buyer,
        studio: &Studio,
        tier: &Value,
    ) -> reqwest::Response {
        let card = json!({"billing_cycle": "monthly", "payment_method_id": buyer.card});
        self.join(&buyer.token, studio, tier, card).await
    }

    /// Ends the membership `id` as the member `token` (`POST …/cancel`).
    pub async fn leave(&self, token: &str, id: &Value) -> reqwest::Response {
        let path = format!("/api/v1/memberships/{}/cancel", id.as_str().unwrap());
        self.post_as(&path, token, &json!({})).await
    }

    async fn members(&self, studio: &Studio, query: &str) -> Value {
        let response = self
            .get_as(
                &format!("/api/v1/audience/members?creator_id={}&{query}", studio.id),
                &studio.token,
            )
            .await;
        assert_eq!(response.status(), 200, "GET members?{query}");
        response.json().await.unwrap()
    }
}

fn vip() -> Value {
    json!({
        "name": "VIP",
        "description": "Exclusive VIP access",
        "price_monthly": 24.99,
        "price_yearly": 249.99,
        "benefits": ["1-on-1 monthly call", "Credit in content"],
        "limit": 1,
        "visible": true
    })
}

async fn tiers_start_free_and_the_team_creates_and_edits_them(app: TestApp) {
    let studio = app.studio("tiered").await;
    let tiers = app.tiers(&studio).await;
    assert_eq!(tiers.len(), 1, "{tiers:?}");
    assert_eq!(tiers[0]["is_default"], true);
    assert_eq!(tiers[0]["price_monthly"].to_string(), "0.00");
    assert_eq!(tiers[0]["member_count"], 0);

    let created = app.create_tier(&studio, vip()).await;
    assert_eq!(created["name"], "VIP");
    assert_eq!(created["price_monthly"].to_string(), "24.99");
    assert_eq!(created["price_yearly"].to_string(), "249.99");
    assert_eq!(created["limit"], 1);
    assert_eq!(created["benefits"][0], "1-on-1 monthly call");
    assert_eq!(created["is_default"], false);
    // The creator_id may be left out by a member of exactly one team.
    let plain = app
        .post_as(
            "/api/v1/audience/tiers",
            &studio.token,
            &json!({"name": "Supporter", "price_monthly": 4.99}),
        )
        .await;
    assert_eq!(plain.status(), 201);
    let plain: Value = plain.json().await.unwrap();
    assert_eq!(
        plain["price_yearly"].to_string(),
        "59.88",
        "twelve months by default"
    );
    assert_eq!(app.tiers(&studio).await.len(), 3);

    // Invalid input is refused with every problem named.
    let bad = app
        .post_as(
            "/api/v1/audience/tiers",
            &studio.token,
            &json!({"name": " ", "price_monthly": 1.999, "limit": 0}),
        )
        .await;
    let body = assert_error(bad, 400, "validation_error").await;
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"price_monthly") && fields.contains(&"limit"),
        "{body}"
    );

    // Edits: a new name, the cap lifted with null.
    let id = created["id"].as_str().unwrap();
    let edited = app
        .put_as(
            &format!("/api/v1/audience/tiers/{id}"),
            &studio.token,
            &json!({"name": "Inner circle", "limit": null}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["name"], "Inner circle");
    assert_eq!(edited["limit"], Value::Null);
    assert_eq!(
        edited["price_monthly"].to_string(),
        "24.99",
        "untouched fields stay"
    );
    // The free default tier stays free.
    let default_id = tiers[0]["id"].as_str().unwrap();
    let paid_default = app
        .put_as(
            &format!("/api/v1/audience/tiers/{default_id}"),
            &studio.token,
            &json!({"price_monthly": 3, "price_yearly": 30}),
        )
        .await;
    assert_error(paid_default, 400, "validation_error").await;

    // Another creator's team sees none of it.
    let other = app.studio("elsewhere").await;
    let foreign = app
        .put_as(
            &format!("/api/v1/audience/tiers/{id}"),
            &other.token,
            &json!({"name": "Mine"}),
        )
        .await;
    assert_error(foreign, 404, "tier_not_found").await;
    let peek = app
        .get_as(
            &format!("/api/v1/audience/tiers?creator_id={}", studio.id),
            &other.token,
        )
        .await;
    assert_error(peek, 404, "creator_not_found").await;
    // A subscriber with no team has no audience to look at.
    let fan = app.verified_user("onlooker@example.com").await;
    let none = app.get_as("/api/v1/audience/tiers", &fan).await;
    assert_error(none, 403, "forbidden").await;
}

async fn joining_free_and_paid_tiers_answers_the_documented_errors(app: TestApp) {
    let studio = app.studio("joinable").await;
    let free = app.tiers(&studio).await[0].clone();
    let vip = app.create_tier(&studio, vip()).await;
    let first = app.buyer("first@example.com", "tok_visa").await;

    let joined = app.join(&first.token, &studio, &free, json!({})).await;
    assert_eq!(joined.status(), 201);
    let joined: Value = joined.json().await.unwrap();
    assert_eq!(joined["status"], "active");
    assert_eq!(joined["billing_cycle"], Value::Null);
    assert_eq!(joined["subscription_id"], Value::Null);
    let again = app.join(&first.token, &studio, &free, json!({})).await;
    assert_error(again, 409, "already_subscribed").await;

    // A paid tier needs a cycle and a card; with them, a free member moves up.
    let missing = app.join(&first.token, &studio, &vip, json!({})).await;
    assert_error(missing, 400, "validation_error").await;
    let upgraded = app.join_monthly(&first, &studio, &vip).await;
    assert_eq!(upgraded.status(), 201);
    let upgraded: Value = upgraded.json().await.unwrap();
    assert_eq!(upgraded["id"], joined["id"], "the same member, moved up");
    assert_eq!(upgraded["billing_cycle"], "monthly");
    assert!(upgraded["next_billing"].is_string());
    let invoices = app.invoices(&first).await;
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[0]["amount_paid"].to_string(), "24.99");
    assert_eq!(invoices[0]["status"], "paid");
    assert!(invoices[0]["description"]
        .as_str()
        .unwrap()
        .contains("VIP (monthly)"));
    let repeat = app.join_monthly(&first, &studio, &vip).await;
    assert_error(repeat, 409, "already_subscribed").await;

    // The cap of one is reached.
    let second = app.buyer("second@example.com", "tok_visa").await;
    let full = app
        .join(
            &second.token,
            &studio,
            &vip,
            json!({"billing_cycle": "yearly", "payment_method_id": second.card}),
        )
        .await;
    assert_error(full, 422, "tier_limit_reached").await;
    assert!(app.invoices(&second).await.is_empty(), "nothing charged");

    // A declined card leaves nothing behind.
    let open = app
        .create_tier(
            &studio,
            json!({"name": "Open", "price_monthly": 5, "price_yearly": 50}),
        )
        .await;
    let declined = app
        .buyer("declined@example.com", "tok_chargeDeclined")
        .await;
    let refused = app.join_monthly(&declined, &studio, &open).await;
    assert_error(refused, 400, "payment_failed").await;
    assert_eq!(app.members(&studio, "").await["total"], 1);

    // Tiers that are not this creator's, or do not exist, or are hidden.
    let other = app.studio("otherside").await;
    let foreign_free = app.tiers(&other).await[0].clone();
    let crossed = app
        .join(&second.token, &studio, &foreign_free, json!({}))
        .await;
    assert_error(crossed, 400, "invalid_tier").await;
    let nowhere = app
        .join(
            &second.token,
            &studio,
            &json!({"id": "0196a0a0-0000-7000-8000-000000000000"}),
            json!({}),
        )
        .await;
    assert_error(nowhere, 400, "invalid_tier").await;
    let hidden = app
        .create_tier(
            &studio,
            json!({"name": "Hidden", "price_monthly": 0, "price_yearly": 0, "visible": false}),
        )
        .await;
    let unseen = app.join(&second.token, &studio, &hidden, json!({})).await;
    assert_error(unseen, 400, "invalid_tier").await;
}

async fn the_members_list_filters_counts_and_pages_within_the_creator(app: TestApp) {
    let studio = app.studio("crowd").await;
    let free = app.tiers(&studio).await[0].clone();
    let paid = app
        .create_tier(&studio, json!({"name": "Supporter", "price_monthly": 4.99}))
        .await;
    for n in 1..=4 {
        let fan = app.verified_user(&format!("fan{n}@example.com")).await;
        assert_eq!(
            app.join(&fan, &studio, &free, json!({})).await.status(),
            201
        );
    }
    let patron = app.buyer("patron@example.com", "tok_visa").await;
    let joined = app.join_monthly(&patron, &studio, &paid).await;
    assert_eq!(joined.status(), 201);

    let all = app.members(&studio, "").await;
    assert_eq!(all["total"], 5);
    assert_eq!(
        all["segments"],
        json!({"superfans": 0, "engaged": 0, "casual": 0, "inactive": 5})
    );
    let members = all["members"].as_array().unwrap();
    assert_eq!(members.len(), 5);
    assert_eq!(members[0]["email"], "patron@example.com", "newest first");
    assert_eq!(members[0]["tier"]["name"], "Supporter");
    assert_eq!(members[0]["tier"]["price_monthly"].to_string(), "4.99");
    assert_eq!(
        members[0]["subscription"]["lifetime_value"].to_string(),
        "4.99"
    );
    assert_eq!(members[0]["subscription"]["months_subscribed"], 0);
    assert!(members[0]["subscription"]["next_billing"].is_string());
    assert_eq!(
        members[4]["subscription"],
        Value::Null,
        "free members pay nothing"
    );
    assert_eq!(members[4]["engagement"]["level"], "inactive");

    // Filters, alone and together; the totals follow them.
    let tier_id = paid["id"].as_str().unwrap();
    assert_eq!(
        app.members(&studio, &format!("tier={tier_id}")).await["total"],
        1
    );
    assert_eq!(app.members(&studio, "status=active").await["total"], 5);
    assert_eq!(app.members(&studio, "status=churned").await["total"], 0);
    let superfans = app.members(&studio, "engagement_level=superfan").await;
    assert_eq!(superfans["total"], 0);
    assert_eq!(superfans["members"], json!([]));
    assert_eq!(
        superfans["segments"]["inactive"], 5,
        "segments leave the level filter out"
    );
    let found = app.members(&studio, "q=FAN3").await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["members"][0]["email"], "fan3@example.com");
    assert_eq!(
        app.members(&studio, "q=%25").await["total"],
        0,
        "no word, no match"
    );
    assert_eq!(
        app.members(&studio, "q=fan").await["total"],
        4,
        "a word's start finds the four fanN, not the patron"
    );
    assert_eq!(
        app.members(&studio, "q=fan3 example").await["total"],
        1,
        "every word must match"
    );
    assert_eq!(
        app.members(&studio, "q=xample").await["total"],
        0,
        "words match from their start"
    );
    assert_eq!(
        app.members(&studio, "joined_after=2999-01-01").await["total"],
        0
    );
    assert_eq!(
        app.members(&studio, "joined_after=2000-01-01&status=active")
            .await["total"],
        5
    );

    // Pages by cursor, without repeats.
    let first = app.members(&studio, "limit=2").await;
    assert_eq!(first["members"].as_array().unwrap().len(), 2);
    let mut seen: Vec<Value> = first["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    let mut cursor = first["next_cursor"].as_str().unwrap().to_string();
    loop {
        let page = app
            .members(&studio, &format!("limit=2&cursor={cursor}"))
            .await;
        seen.extend(
            page["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    seen.dedup();
    assert_eq!(seen.len(), 5);

    // The same filters as CSV, every page of them.
    let export = app
        .get_as(
            &format!(
                "/api/v1/audience/members/export?creator_id={}&status=active",
                studio.id
            ),
            &studio.token,
        )
        .await;
    assert_eq!(export.status(), 200);
    assert!(export.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = export.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6, "a header and five members: {csv}");
    assert!(lines[0].starts_with("member_id,name,email,tier,status"));
    assert!(lines[1].contains("patron@example.com") && lines[1].contains(",Supporter,active,"));
    assert!(lines[1].ends_with(",4.99"));
    let searched = app
        .get_as(
            &format!(
                "/api/v1/audience/members/export?creator_id={}&q=fan2",
                studio.id
            ),
            &studio.token,
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(searched.lines().count(), 2);

    // Bad filters; another creator's members and tiers.
    let bad = app
        .get_as(
            &format!(
                "/api/v1/audience/members?creator_id={}&status=gone",
                studio.id
            ),
            &studio.token,
        )
        .await;
    assert_error(bad, 400, "validation_error").await;
    let other = app.studio("rival").await;
    let rival_tier = app.tiers(&other).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let crossed = app
        .get_as(
            &format!(
                "/api/v1/audience/members?creator_id={}&tier={rival_tier}",
                studio.id
            ),
            &studio.token,
        )
        .await;
    assert_error(crossed, 400, "invalid_tier").await;
    let peek = app
        .get_as(
            &format!("/api/v1/audience/members?creator_id={}", studio.id),
            &other.token,
        )
        .await;
    assert_error(peek, 404, "creator_not_found").await;
    assert_eq!(app.members(&other, "").await["total"], 0);
    let stranger = app.get_as("/api/v1/audience/members", &patron.token).await;
    assert_error(stranger, 403, "forbidden").await;
}

/// A search finds members by the start of any word of their name or email, follows
/// renames and status changes at once, counts a member once however many of their words
/// match, and pages the same members whichever way it finds them.
async fn word_searches_follow_names_statuses_and_count_each_member_once(app: TestApp) {
    let studio = app.studio("wordy").await;
    let free = app.tiers(&studio).await[0].clone();
    let mut tokens = Vec::new();
    for handle in ["anna", "bert", "cleo"] {
        let token = app.verified_user(&format!("{handle}@example.com")).await;
        let joined: Value = app
            .join(&token, &studio, &free, json!({}))
            .await
            .json()
            .await
            .unwrap();
        tokens.push((token, joined["id"].as_str().unwrap().to_string()));
    }
    let total = |query: &'static str| {
        let app = &app;
        let studio = &studio;
        async move { app.members(studio, query).await["total"].clone() }
    };
    assert_eq!(total("q=ada").await, 3, "every member is named Ada");

    // A new name is searched at once, in every creator's list; the old one is gone.
    rename(&app, &tokens[1].0, "Grace Hopper").await;
    assert_eq!(total("q=ada").await, 2);
    assert_eq!(total("q=grace hop").await, 1);
    assert_eq!(total("q=bert grace").await, 1);
    assert_eq!(total("q=bert ada").await, 0);

    // "a" starts two words of Anna Ada (anna, ada) and one of Cleo Ada: two members.
    rename(&app, &tokens[0].0, "Anna Ada").await;
    let a = app.members(&studio, "q=a").await;
    assert_eq!(a["total"], 2);
    assert_eq!(a["segments"]["inactive"], 2);
    assert_eq!(a["members"].as_array().unwrap().len(), 2);
    // A search's segments count every level, whichever level the list is narrowed to.
    let superfans = app
        .members(&studio, "q=ada&engagement_level=superfan")
        .await;
    assert_eq!(superfans["total"], 0);
    assert_eq!(superfans["segments"]["inactive"], 2, "{superfans}");

    // A status change moves the member within the search's filters.
    let paused = app
        .put_as(
            &format!("/api/v1/audience/members/{}", tokens[2].1),
            &studio.token,
            &json!({"status": "paused"}),
        )
        .await;
    assert_eq!(paused.status(), 200);
    assert_eq!(total("q=ada&status=paused").await, 1);
    assert_eq!(total("q=ada&status=active").await, 1);
    assert_eq!(total("q=a&status=active&limit=1").await, 1);

    // Every way of finding a search's page (probing each member walked newest first,
    // listing the matches from the index, or, when the driving word's range holds one
    // word, walking the word's members in the index or, on PostgreSQL, each key of it)
    // gives the members the names and statuses above call for, newest first, under
    // every filter, with the tier named or not. Members by join order: 0 Anna Ada
    // (active), 1 Grace Hopper, 2 Cleo Ada (paused).
    let free_id = free["id"].as_str().unwrap().parse().unwrap();
    let member_ids: Vec<Uuid> = tokens.iter().map(|(_, id)| id.parse().unwrap()).collect();
    let cases = [
        (&["a"][..], None, None, &[2, 0][..]),
        (&["a"], Some("active"), None, &[0]),
        (&["ada"], None, None, &[2, 0]),
        (&["ada"], Some("paused"), Some("inactive"), &[2]),
        (&["ada", "cleo"], Some("paused"), None, &[2]),
        (&["ada", "cl"], None, None, &[2]),
        (&["hop", "grace"], None, None, &[1]),
        (&["hopper"], None, Some("inactive"), &[1]),
        (&["ada"], Some("churned"), None, &[]),
    ];
    for (words, status, level, expected) in cases {
        let expected: Vec<Uuid> = expected.iter().map(|&i| member_ids[i]).collect();
        let request = PageRequest {
            direction: None,
            limit: 20,
        };
        let ids = |rows: Vec<MemberRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        for (matching, tier_id) in [0, u64::MAX]
            .into_iter()
            .flat_map(|matching| [(matching, Some(free_id)), (matching, None)])
        {
            let mut filter = MemberFilter::new(studio.id.parse().unwrap());
            filter.tier_id = tier_id;
            filter.status = status.map(String::from);
            filter.level = level.map(String::from);
            filter.search = Some(words.iter().map(|w| w.to_string()).collect());
            let page = memberships::page(&app.db, &filter, request, matching)
                .await
                .unwrap();
            assert_eq!(
                ids(page),
                expected,
                "{words:?} {status:?} {level:?} {tier_id:?}, {matching} matching"
            );
        }
    }
    assert_eq!(a["members"][0]["id"], member_ids[2].to_string());

    // Page by page, a search lists the members of its one page, in the same order.
    let ids = |list: &Value| -> Vec<Value> {
        list["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].clone())
            .collect()
    };
    let whole = ids(&app.members(&studio, "q=ada&limit=100").await);
    assert_eq!(whole.len(), 2);
    let mut paged = Vec::new();
    let mut query = "q=ada&limit=1".to_string();
    loop {
        let page = app.members(&studio, &query).await;
        paged.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("q=ada&limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(paged, whole);

    // The rollup still counts every index row, under its current key.
    let (rows, counted): (i64, i64) = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM member_words), \
         (SELECT CAST(SUM(members) AS BIGINT) FROM member_word_counts)",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(rows, counted);
    let stale: i64 = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM member_word_counts c WHERE c.members <> \
         (SELECT COUNT(*) FROM member_words w WHERE w.creator_id = c.creator_id \
          AND w.word = c.word AND w.tier_id = c.tier_id AND w.status = c.status \
          AND w.engagement_level = c.engagement_level)",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(stale, 0);
    // And keeps no row for a key no index row has, such as "cleo" as active since the
    // member was paused (migration 0053).
    let (keys, kept): (i64, i64) = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT creator_id, word, tier_id, status, \
         engagement_level FROM member_words) k), (SELECT COUNT(*) FROM member_word_counts)",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(kept, keys);
}

/// Renames the signed-in user, through their profile.
async fn rename(app: &TestApp, token: &str, name: &str) {
    let renamed = app
        .patch_as("/api/v1/users/me", token, &json!({"display_name": name}))
        .await;
    assert_eq!(renamed.status(), 200);
}

/// Totals and segments for a join date come from the members counted by the month and
/// the day they joined, plus, for a time within a day, that day's later joins: each must
/// agree with the members the same filters list, also after a member moves to another
/// status.
async fn join_date_filters_count_whole_days_and_the_rest_of_a_day(app: TestApp) {
    // Four members: day D (the 15th of next month) at 01:00 and 07:00, D+1 at 07:00,
    // D+40 (in the month after D's) at 07:00 (UTC).
    use chrono::{Datelike, Months};
    app.clock.freeze();
    let now = app.clock.now();
    let first_of = |day: chrono::NaiveDate, months| {
        day.with_day(1)
            .unwrap()
            .checked_add_months(Months::new(months))
            .unwrap()
    };
    let day = first_of(now.date_naive(), 1) + chrono::Days::new(14);
    let midnight = day.and_time(chrono::NaiveTime::MIN).and_utc();
    app.clock
        .advance(midnight - now + chrono::Duration::hours(1));
    let studio = app.studio("days").await;
    let free = app.tiers(&studio).await[0].clone();
    let mut joined = Vec::new();
    for (n, wait_hours) in [(1, 0), (2, 6), (3, 24), (4, 39 * 24)] {
        app.clock.advance(chrono::Duration::hours(wait_hours));
        let fan = app.verified_user(&format!("fan{n}@example.com")).await;
        let member = app.join(&fan, &studio, &free, json!({})).await;
        assert_eq!(member.status(), 201);
        joined.push(member.json::<Value>().await.unwrap()["id"].clone());
    }
    let studio = Studio {
        token: app.sign_in("days@example.com").await,
        id: studio.id,
    };
    let paused = app
        .put_as(
            &format!("/api/v1/audience/members/{}", joined[1].as_str().unwrap()),
            &studio.token,
            &json!({"status": "paused"}),
        )
        .await;
    assert_eq!(paused.status(), 200);

    let at = |hours: i64| {
        (midnight + chrono::Duration::hours(hours))
            .to_rfc3339()
            .replace('+', "%2B")
    };
    let next_day = (day + chrono::Days::new(1)).to_string();
    for (query, expected) in [
        (format!("joined_after={day}"), 4),
        (format!("joined_after={}", first_of(day, 0)), 4),
        (format!("joined_after={}", first_of(day, 1)), 1),
        (format!("joined_after={}", first_of(day, 2)), 0),
        (format!("joined_after={}", day + chrono::Days::new(40)), 1),
        (format!("joined_after={}", day + chrono::Days::new(41)), 0),
        (format!("joined_after={}", at(0)), 4),
        (format!("joined_after={}", at(1)), 4),
        (format!("joined_after={}", at(2)), 3),
        (format!("joined_after={}", at(7)), 3),
        (format!("joined_after={}", at(8)), 2),
        (format!("joined_after={next_day}"), 2),
        (format!("joined_after={}", at(31)), 2),
        (format!("joined_after={}", at(32)), 1),
        (format!("joined_after={}&status=paused", at(2)), 1),
        (format!("joined_after={}&status=active", at(2)), 2),
        (format!("joined_after={}&status=paused", at(8)), 0),
        (
            format!("joined_after={day}&status=active&engagement_level=inactive"),
            3,
        ),
        (
            format!("joined_after={day}&tier={}", free["id"].as_str().unwrap()),
            4,
        ),
        (format!("joined_after={}&q=fan2", at(2)), 1),
    ] {
        let list = app.members(&studio, &format!("{query}&limit=100")).await;
        assert_eq!(list["total"], expected, "{query}");
        assert_eq!(
            list["members"].as_array().unwrap().len(),
            expected,
            "{query}: the total counts the members listed"
        );
        if !query.contains("engagement_level") {
            let segments: u64 = ["superfans", "engaged", "casual", "inactive"]
                .iter()
                .map(|s| list["segments"][s].as_u64().unwrap())
                .sum();
            assert_eq!(
                segments as usize, expected,
                "{query}: segments add up to the total"
            );
        }
    }
}

async fn a_paid_membership_renews_and_adds_to_its_lifetime_value(app: TestApp) {
    // The superadmin who moves the sandbox clock (and refunds).
    crate::sandbox::superadmin_token(&app).await;
    let studio = app.studio("renewing").await;
    let paid = app
        .create_tier(&studio, json!({"name": "Supporter", "price_monthly": 4.99}))
        .await;
    let mut patron = app.buyer("loyal@example.com", "tok_visa").await;
    let joined = app.join_monthly(&patron, &studio, &paid).await;
    assert_eq!(joined.status(), 201);
    app.months_pass(&mut patron, 32 * 24 * 3600).await;
    let invoices = app.invoices(&patron).await;
    assert_eq!(invoices.len(), 2, "{invoices:?}");
    assert!(invoices.iter().all(|i| i["status"] == "paid"));
    let studio = Studio {
        token: app.sign_in("renewing@example.com").await,
        id: studio.id,
    };
    let members = app.members(&studio, "").await;
    let member = &members["members"][0];
    assert_eq!(member["subscription"]["lifetime_value"].to_string(), "9.98");
    assert_eq!(member["subscription"]["months_subscribed"], 1);

    // A tip adds to it, a refund takes back (each moves the stored sum).
    let tip = app
        .post_as(
            "/api/v1/audience/tips",
            &patron.token,
            &json!({"member_id": member["id"], "creator_id": studio.id, "amount": 5,
                    "payment_method_id": patron.card}),
        )
        .await;
    assert_eq!(tip.status(), 201);
    let root = app.sign_in_as("root@example.com", "root password 1").await;
    let refunded = app
        .post_as(
            &format!(
                "/api/v1/admin/invoices/{}/refunds",
                invoices[0]["id"].as_str().unwrap()
            ),
            &root,
            &json!({"amount": 2, "reason": "requested_by_customer"}),
        )
        .await;
    assert_eq!(refunded.status(), 201);
    let members = app.members(&studio, "").await;
    assert_eq!(
        members["members"][0]["subscription"]["lifetime_value"].to_string(),
        "12.98"
    );
    let tiers = app.tiers(&studio).await;
    let supporter = tiers.iter().find(|t| t["name"] == "Supporter").unwrap();
    assert_eq!(supporter["member_count"], 1);
    assert_eq!(supporter["revenue_monthly"].to_string(), "4.99");
}

async fn a_tier_cap_holds_when_many_join_at_once(app: TestApp) {
    let studio = app.studio("popular").await;
    let tier = app
        .create_tier(
            &studio,
            json!({"name": "First three", "price_monthly": 0, "price_yearly": 0, "limit": 3}),
        )
        .await;
    let mut fans = Vec::new();
    for n in 0..8 {
        fans.push(app.verified_user(&format!("rush{n}@example.com")).await);
    }
    let body = json!({"creator_id": studio.id, "tier_id": tier["id"]});
    let requests: Vec<_> = fans.into_iter().map(|fan| (fan, body.clone())).collect();
    let statuses = app.post_all_at_once("/api/v1/memberships", &requests).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        5,
        "{statuses:?}"
    );
    let tiers = app.tiers(&studio).await;
    let capped = tiers.iter().find(|t| t["id"] == tier["id"]).unwrap();
    assert_eq!(capped["member_count"], 3);
    assert_eq!(app.members(&studio, "").await["total"], 3);
}

impl TestApp {
    async fn send_events(&self, studio: &Studio, events: Value) -> reqwest::Response {
        self.post_as(
            "/api/v1/audience/events",
            &studio.token,
            &json!({"creator_id": studio.id, "events": events}),
        )
        .await
    }

    async fn member(&self, studio: &Studio, id: &Value) -> Value {
        let response = self
            .get_as(
                &format!("/api/v1/audience/members/{}", id.as_str().unwrap()),
                &studio.token,
            )
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

async fn events_score_members_rank_them_and_decay(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let studio = app.studio("engaging").await;
    let free = app.tiers(&studio).await[0].clone();
    let fan = app.verified_user("viewer@example.com").await;
    let viewer: Value = app
        .join(&fan, &studio, &free, json!({}))
        .await
        .json()
        .await
        .unwrap();
    let fan = app.verified_user("sharer@example.com").await;
    let sharer: Value = app
        .join(&fan, &studio, &free, json!({}))
        .await
        .json()
        .await
        .unwrap();

    // Weights 2 + 3 + 3.2 = 8.2: score round(100 × 8.2 / 28.2) = 29, casual.
    let batch = json!([
        {"id": "ev-1", "member_id": viewer["id"], "type": "content_view", "details": {"content_id": "c1", "completion": 1.0}},
        {"id": "ev-2", "member_id": viewer["id"], "type": "comment", "details": {}},
        {"id": "ev-3", "member_id": viewer["id"], "type": "persona_chat", "details": {"duration_minutes": 12}},
    ]);
    let sent = app.send_events(&studio, batch.clone()).await;
    assert_eq!(sent.status(), 200);
    assert_eq!(
        sent.json::<Value>().await.unwrap(),
        json!({"accepted": 3, "duplicates": 0})
    );
    let again: Value = app.send_events(&studio, batch).await.json().await.unwrap();
    assert_eq!(
        again,
        json!({"accepted": 0, "duplicates": 3}),
        "idempotent by event id"
    );

    let detail = app.member(&studio, &viewer["id"]).await;
    assert_eq!(detail["engagement"]["score"], 29);
    assert_eq!(detail["engagement"]["level"], "casual");
    assert_eq!(detail["engagement"]["rank"], 1);
    assert_eq!(detail["engagement"]["interactions_total"], 3);
    assert_eq!(detail["engagement"]["interactions_30d"], 3);
    assert_eq!(detail["engagement"]["content_views"], 1);
    assert_eq!(detail["engagement"]["comments"], 1);
    assert_eq!(detail["engagement"]["persona_conversations"], 1);
    assert_eq!(detail["activity_timeline"].as_array().unwrap().len(), 3);
    assert_eq!(
        detail["activity_timeline"][2]["details"]["content_id"],
        "c1"
    );
    assert!(detail["last_active"].is_string());
    assert_eq!(detail["tier"]["benefits"], json!([]));
    assert!(detail["preferences"]["notifications"]
        .as_array()
        .unwrap()
        .contains(&json!("payment")));

    // Five shares weigh 20: score 50, engaged, and first in rank.
    let shares: Vec<Value> = (0..5)
        .map(|n| json!({"id": format!("share-{n}"), "member_id": sharer["id"], "type": "share"}))
        .collect();
    assert_eq!(app.send_events(&studio, json!(shares)).await.status(), 200);
    assert_eq!(
        app.member(&studio, &sharer["id"]).await["engagement"]["level"],
        "engaged"
    );
    assert_eq!(
        app.member(&studio, &viewer["id"]).await["engagement"]["rank"],
        2
    );
    let members = app.members(&studio, "").await;
    assert_eq!(
        members["segments"],
        json!({"superfans": 0, "engaged": 1, "casual": 1, "inactive": 0})
    );
    assert_eq!(
        app.members(&studio, "engagement_level=casual").await["members"][0]["id"],
        viewer["id"]
    );

    // A bad batch records nothing and names every problem.
    let bad = app
        .send_events(
            &studio,
            json!([
                {"id": "ok", "member_id": viewer["id"], "type": "share"},
                {"id": "late", "member_id": viewer["id"], "type": "share", "timestamp": "2999-01-01T00:00:00Z"},
                {"id": "full", "member_id": viewer["id"], "type": "content_view", "details": {"completion": 2}},
            ]),
        )
        .await;
    let body = assert_error(bad, 400, "validation_error").await;
    assert_eq!(body["details"].as_array().unwrap().len(), 2, "{body}");
    let other = app.studio("outsider").await;
    let foreign = app
        .send_events(
            &other,
            json!([{"id": "x", "member_id": viewer["id"], "type": "share"}]),
        )
        .await;
    let body = assert_error(foreign, 400, "validation_error").await;
    assert_eq!(body["details"][0]["field"], "events[0].member_id");
    assert_eq!(
        app.member(&studio, &viewer["id"]).await["engagement"]["interactions_total"],
        3
    );
    let peek = app
        .get_as(
            &format!(
                "/api/v1/audience/members/{}",
                viewer["id"].as_str().unwrap()
            ),
            &other.token,
        )
        .await;
    assert_error(peek, 404, "member_not_found").await;

    // A month later the daily pass has let the scores decay.
    app.sandbox_advance(30 * 24 * 3600).await;
    let studio = Studio {
        token: app.sign_in("engaging@example.com").await,
        id: studio.id,
    };
    let detail = app.member(&studio, &viewer["id"]).await;
    assert_eq!(
        detail["engagement"]["score"], 8,
        "8.2 × 0.5^(30/14) = 1.86 → 8"
    );
    assert_eq!(detail["engagement"]["level"], "inactive");
    assert_eq!(detail["engagement"]["interactions_30d"], 0);
    let sharer = app.member(&studio, &sharer["id"]).await;
    assert_eq!(sharer["engagement"]["score"], 18, "20 × 0.226 = 4.53 → 18");
    assert_eq!(app.members(&studio, "").await["segments"]["inactive"], 2);
}

async fn the_team_changes_a_members_tier_status_notes_and_tags(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let studio = app.studio("managing").await;
    let supporter = app
        .create_tier(&studio, json!({"name": "Supporter", "price_monthly": 4.99}))
        .await;
    let gold = app
        .create_tier(&studio, json!({"name": "Gold", "price_monthly": 9.99}))
        .await;
    let mut patron = app.buyer("patron@example.com", "tok_visa").await;
    let joined: Value = app
        .join_monthly(&patron, &studio, &supporter)
        .await
        .json()
        .await
        .unwrap();
    let path = format!(
        "/api/v1/audience/members/{}",
        joined["id"].as_str().unwrap()
    );

    let noted = app
        .put_as(
            &path,
            &studio.token,
            &json!({"notes": "Met at the live show", "tags": ["vip", "early"]}),
        )
        .await;
    assert_eq!(noted.status(), 200);
    let noted: Value = noted.json().await.unwrap();
    assert_eq!(noted["notes"], "Met at the live show");
    assert_eq!(noted["tags"], json!(["vip", "early"]));
    assert_eq!(noted["subscription"]["payment_method"], "card_ending_4242");

    let paused: Value = app
        .put_as(&path, &studio.token, &json!({"status": "paused"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(paused["status"], "paused");
    assert_eq!(paused["subscription"]["status"], "paused");
    assert_eq!(paused["subscription"]["next_billing"], Value::Null);
    assert_eq!(app.members(&studio, "status=paused").await["total"], 1);
    let resumed: Value = app
        .put_as(&path, &studio.token, &json!({"status": "active"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resumed["status"], "active");
    assert_eq!(resumed["subscription"]["status"], "active");

    // A tier override: no charge now, the new price from the next renewal.
    let moved: Value = app
        .put_as(&path, &studio.token, &json!({"tier_id": gold["id"]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["tier"]["name"], "Gold");
    assert_eq!(app.invoices(&patron).await.len(), 1);
    app.months_pass(&mut patron, 32 * 24 * 3600).await;
    let invoices = app.invoices(&patron).await;
    assert_eq!(invoices.len(), 2);
    assert!(
        invoices.iter().any(|i| i["amount_paid"] == json!(9.99)),
        "{invoices:?}"
    );

    let studio = Studio {
        token: app.sign_in("managing@example.com").await,
        id: studio.id,
    };
    let churn = app
        .put_as(&path, &studio.token, &json!({"status": "churned"}))
        .await;
    assert_error(churn, 400, "validation_error").await;
    let other = app.studio("poacher").await;
    let foreign_tier = app.tiers(&other).await[0]["id"].clone();
    let crossed = app
        .put_as(&path, &studio.token, &json!({"tier_id": foreign_tier}))
        .await;
    assert_error(crossed, 400, "invalid_tier").await;
    let poached = app
        .put_as(&path, &other.token, &json!({"notes": "mine"}))
        .await;
    assert_error(poached, 404, "member_not_found").await;
    // A marketing team member sees members but does not change them.
    let marketer = app.verified_user("marketer@example.com").await;
    let added = app
        .post_as(
            &format!("/api/v1/creators/{}/team", studio.id),
            &studio.token,
            &json!({"email": "marketer@example.com", "role": "marketing"}),
        )
        .await;
    assert_eq!(added.status(), 201);
    let _ = marketer;
    let marketer = app.sign_in("marketer@example.com").await;
    assert_eq!(app.get_as(&path, &marketer).await.status(), 200);
    let refused = app.put_as(&path, &marketer, &json!({"notes": "hi"})).await;
    assert_error(refused, 403, "forbidden").await;
}

async fn members_see_their_memberships_and_leave(app: TestApp) {
    crate::sandbox::superadmin_token(&app).await;
    let studio = app.studio("leaving").await;
    let free = app.tiers(&studio).await[0].clone();
    let paid = app
        .create_tier(&studio, json!({"name": "Patrons", "price_monthly": 6}))
        .await;
    let fan = app.verified_user("brief@example.com").await;
    let brief: Value = app
        .join(&fan, &studio, &free, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(brief["creator_name"], "Creator leaving");
    assert_eq!(brief["tier_name"], "Free");
    let left = app.leave(&fan, &brief["id"]).await;
    assert_eq!(left.status(), 200);
    assert_eq!(
        left.json::<Value>().await.unwrap()["status"],
        "churned",
        "a free member leaves at once"
    );
    let again = app.leave(&fan, &brief["id"]).await;
    assert_error(again, 409, "membership_ended").await;

    let mut patron = app.buyer("steady@example.com", "tok_visa").await;
    let joined: Value = app
        .join_monthly(&patron, &studio, &paid)
        .await
        .json()
        .await
        .unwrap();
    let path = format!(
        "/api/v1/memberships/{}/cancel",
        joined["id"].as_str().unwrap()
    );
    let strangers = app.post_as(&path, &fan, &json!({})).await;
    assert_error(strangers, 404, "member_not_found").await;
    let leaving: Value = app
        .post_as(&path, &patron.token, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(leaving["status"], "active", "paid time is kept");
    assert!(leaving["ends_at"].is_string());
    assert_eq!(leaving["next_billing"], Value::Null);

    app.months_pass(&mut patron, 32 * 24 * 3600).await;
    let mine: Value = app
        .get_as("/api/v1/memberships", &patron.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["data"][0]["status"], "churned");
    assert_eq!(mine["data"][0]["ends_at"], Value::Null);
    assert_eq!(
        app.invoices(&patron).await.len(),
        1,
        "no renewal after leaving"
    );
    let studio = Studio {
        token: app.sign_in("leaving@example.com").await,
        id: studio.id,
    };
    assert_eq!(app.members(&studio, "status=churned").await["total"], 2);
}
