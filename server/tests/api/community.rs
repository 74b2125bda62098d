//! The community: members and the team post and comment, blocked words hold texts for
//! review, members report, the team resolves, and `GET /audience/community` counts it
//! all from what was stored.

use crate::audience::Studio;
use crate::helpers::{assert_error, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    members_and_the_team_post_and_comment_and_the_overview_counts_them,
    blocked_words_hold_texts_and_reports_go_through_the_moderation_queue,
);

impl TestApp {
    /// A verified user who joined the studio's free tier.
    pub async fn fan(&self, studio: &Studio, email: &str) -> String {
        let token = self.verified_user(email).await;
        let free = self.tiers(studio).await[0].clone();
        let joined = self.join(&token, studio, &free, json!({})).await;
        assert_eq!(joined.status(), 201);
        token
    }

    pub async fn post_in(&self, token: &str, studio: &Studio, title: &str, body: &str) -> Value {
        let response = self
            .post_as(
                "/api/v1/audience/community/posts",
                token,
                &json!({"creator_id": studio.id, "title": title, "body": body}),
            )
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    async fn comment_on(&self, token: &str, post: &Value, body: &str) -> Value {
        let response = self
            .post_as(
                &format!(
                    "/api/v1/audience/community/posts/{}/comments",
                    post["id"].as_str().unwrap()
                ),
                token,
                &json!({ "body": body }),
            )
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    async fn read(&self, token: &str, path: &str) -> Value {
        let response = self.get_as(path, token).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }
}

async fn members_and_the_team_post_and_comment_and_the_overview_counts_them(app: TestApp) {
    let studio = app.studio("kitchen").await;
    let sarah = app.fan(&studio, "sarah@example.com").await;
    let tom = app.fan(&studio, "tom@example.com").await;
    let _quiet = app.fan(&studio, "quiet@example.com").await;
    let outsider = app.verified_user("outsider@example.com").await;

    let refused = app
        .post_as(
            "/api/v1/audience/community/posts",
            &outsider,
            &json!({"creator_id": studio.id, "title": "Hi", "body": "Let me in"}),
        )
        .await;
    assert_error(refused, 403, "not_a_member").await;
    let empty = app
        .post_as(
            "/api/v1/audience/community/posts",
            &sarah,
            &json!({"creator_id": studio.id, "title": " ", "body": ""}),
        )
        .await;
    let body = assert_error(empty, 400, "validation_error").await;
    assert_eq!(body["details"].as_array().unwrap().len(), 2, "{body}");

    let question = app
        .post_in(
            &sarah,
            &studio,
            "Pasta night",
            "Loved the #latest_video pasta recipe",
        )
        .await;
    assert_eq!(question["status"], "published");
    assert_eq!(question["author"]["role"], "member");
    assert!(question["author"]["member_id"].is_string());
    let answer = app
        .post_in(
            &studio.token,
            &studio,
            "Next week",
            "A new pasta recipe is coming",
        )
        .await;
    assert_eq!(answer["author"]["role"], "creator");
    assert_eq!(answer["author"]["member_id"], Value::Null);
    app.comment_on(&tom, &question, "Same here! #latest_video")
        .await;
    app.comment_on(&sarah, &answer, "Cannot wait for the pasta")
        .await;

    let posts = app
        .read(
            &tom,
            &format!("/api/v1/audience/community/posts?creator_id={}", studio.id),
        )
        .await;
    assert_eq!(posts["meta"]["total"], 2);
    assert_eq!(posts["data"][0]["id"], answer["id"], "newest first");
    assert_eq!(posts["data"][1]["comment_count"], 1);
    let comments = app
        .read(
            &tom,
            &format!(
                "/api/v1/audience/community/posts/{}/comments",
                question["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(comments["data"][0]["body"], "Same here! #latest_video");
    let hidden = app
        .get_as(
            &format!(
                "/api/v1/audience/community/posts/{}/comments",
                question["id"].as_str().unwrap()
            ),
            &outsider,
        )
        .await;
    assert_error(hidden, 404, "post_not_found").await;

    // The overview is the team's, and counts what was written.
    let forbidden = app
        .get_as(
            &format!("/api/v1/audience/community?creator_id={}", studio.id),
            &sarah,
        )
        .await;
    assert_error(forbidden, 404, "creator_not_found").await;
    let overview = app
        .read(
            &studio.token,
            &format!("/api/v1/audience/community?creator_id={}", studio.id),
        )
        .await;
    assert_eq!(
        overview["stats"],
        json!({"total_members": 3, "active_today": 2, "posts_today": 2, "comments_today": 2})
    );
    let top = overview["top_contributors"].as_array().unwrap();
    assert_eq!(top.len(), 2, "{overview}");
    assert_eq!(top[0]["member_id"], question["author"]["member_id"]);
    assert_eq!(top[0]["name"], question["author"]["name"]);
    assert_eq!(top[0]["contributions"], 2);
    assert_eq!(top[1]["contributions"], 1);
    assert!(top[0]["badge"].is_string());
    assert_eq!(
        overview["trending_topics"][0],
        json!({"topic": "pasta", "mentions": 3})
    );
    assert!(overview["trending_topics"]
        .as_array()
        .unwrap()
        .contains(&json!({"topic": "latest_video", "mentions": 2})));
    assert_eq!(
        overview["moderation"],
        json!({"pending_reports": 0, "auto_moderated_today": 0})
    );

    // Posting is engagement: the member's score moved.
    let member = app
        .read(
            &studio.token,
            &format!(
                "/api/v1/audience/members/{}",
                question["author"]["member_id"].as_str().unwrap()
            ),
        )
        .await;
    assert!(
        member["engagement"]["score"].as_u64().unwrap() > 0,
        "{member}"
    );
}

async fn blocked_words_hold_texts_and_reports_go_through_the_moderation_queue(app: TestApp) {
    let studio = app.studio("calm").await;
    let other = app.studio("elsewhere").await;
    let fan = app.fan(&studio, "fan@example.com").await;
    let critic = app.fan(&studio, "critic@example.com").await;

    let bad = app
        .put_as(
            "/api/v1/audience/community/blocked-words",
            &studio.token,
            &json!({"creator_id": studio.id, "words": ["two words"]}),
        )
        .await;
    assert_error(bad, 400, "validation_error").await;
    let not_team = app
        .put_as(
            "/api/v1/audience/community/blocked-words",
            &fan,
            &json!({"creator_id": studio.id, "words": ["spam"]}),
        )
        .await;
    assert_error(not_team, 404, "creator_not_found").await;
    let set = app
        .put_as(
            "/api/v1/audience/community/blocked-words",
            &studio.token,
            &json!({"creator_id": studio.id, "words": [" SPAM", "spam", "scam"]}),
        )
        .await;
    assert_eq!(set.status(), 200);
    assert_eq!(
        set.json::<Value>().await.unwrap()["words"],
        json!(["scam", "spam"])
    );

    let held = app
        .post_in(&fan, &studio, "Deal", "Cheap Spam here, click")
        .await;
    assert_eq!(held["status"], "held");
    assert_eq!(held["moderation_reason"], "blocked word: spam");
    let fine = app
        .post_in(&fan, &studio, "Hello", "First post, hello everyone")
        .await;
    let list = |token: &str| {
        let path = format!("/api/v1/audience/community/posts?creator_id={}", studio.id);
        let token = token.to_string();
        let app = &app;
        async move { app.read(&token, &path).await }
    };
    assert_eq!(
        list(&critic).await["meta"]["total"],
        1,
        "members see published posts"
    );
    assert_eq!(
        list(&studio.token).await["meta"]["total"],
        2,
        "the team sees all"
    );
    let unseen = app
        .post_as(
            "/api/v1/audience/community/reports",
            &critic,
            &json!({"post_id": held["id"], "reason": "spam"}),
        )
        .await;
    assert_error(unseen, 404, "post_not_found").await;

    let report = app
        .post_as(
            "/api/v1/audience/community/reports",
            &critic,
            &json!({"post_id": fine["id"], "reason": "Off topic"}),
        )
        .await;
    assert_eq!(report.status(), 201);
    let report: Value = report.json().await.unwrap();
    assert_eq!(report["source"], "member");
    assert_eq!(report["status"], "pending");
    let again = app
        .post_as(
            "/api/v1/audience/community/reports",
            &critic,
            &json!({"post_id": fine["id"], "reason": "Still off topic"}),
        )
        .await;
    assert_error(again, 409, "already_reported").await;

    let overview_path = format!("/api/v1/audience/community?creator_id={}", studio.id);
    let overview = app.read(&studio.token, &overview_path).await;
    assert_eq!(
        overview["moderation"],
        json!({"pending_reports": 2, "auto_moderated_today": 1})
    );
    assert_eq!(overview["stats"]["posts_today"], 1, "held posts wait");
    let queue = app
        .read(
            &studio.token,
            &format!(
                "/api/v1/audience/community/reports?creator_id={}&status=pending",
                studio.id
            ),
        )
        .await;
    assert_eq!(queue["meta"]["total"], 2);
    let auto = queue["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"] == "auto")
        .unwrap()
        .clone();
    assert_eq!(auto["excerpt"], "Deal\nCheap Spam here, click");

    // Another creator's team cannot act on this queue.
    let resolve = |id: &Value| {
        format!(
            "/api/v1/audience/community/reports/{}/resolve",
            id.as_str().unwrap()
        )
    };
    let foreign = app
        .post_as(
            &resolve(&auto["id"]),
            &other.token,
            &json!({"action": "keep"}),
        )
        .await;
    assert_error(foreign, 404, "report_not_found").await;
    let member_tries = app
        .post_as(&resolve(&auto["id"]), &fan, &json!({"action": "keep"}))
        .await;
    assert_error(member_tries, 404, "report_not_found").await;

    // Keeping the held post publishes it; removing the reported one hides it.
    let kept = app
        .post_as(
            &resolve(&auto["id"]),
            &studio.token,
            &json!({"action": "keep", "note": "A joke about the food"}),
        )
        .await;
    assert_eq!(kept.status(), 200);
    let kept: Value = kept.json().await.unwrap();
    assert_eq!(kept["resolution"], "kept");
    let removed = app
        .post_as(
            &resolve(&report["id"]),
            &studio.token,
            &json!({"action": "remove"}),
        )
        .await;
    assert_eq!(removed.status(), 200);
    let twice = app
        .post_as(
            &resolve(&report["id"]),
            &studio.token,
            &json!({"action": "remove"}),
        )
        .await;
    assert_error(twice, 409, "report_resolved").await;
    let visible = list(&critic).await;
    assert_eq!(visible["meta"]["total"], 1);
    assert_eq!(visible["data"][0]["id"], held["id"]);

    let overview = app.read(&studio.token, &overview_path).await;
    assert_eq!(overview["moderation"]["pending_reports"], 0);
    assert_eq!(overview["stats"]["posts_today"], 1);
    assert_eq!(
        overview["top_contributors"][0]["contributions"], 1,
        "the kept post counts, the removed one no longer does"
    );
    let audit = app
        .read(
            &crate::sandbox::superadmin_token(&app).await,
            "/api/v1/admin/audit-log?action=community_report.resolved",
        )
        .await;
    assert_eq!(audit["meta"]["total"], 2, "{audit}");
}
