//! Background jobs: the sandbox clock runs what fell due, maintenance purges expired
//! records and re-queues itself, failures back off and give up, leases exclude.

use crate::helpers::TestApp;
use crate::sandbox::{superadmin_token, superadmin_token_again};
use app::backend::store::jobs;
use app::on_db;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

on_both_backends!(
    moving_the_clock_runs_maintenance_which_purges_what_expired,
    a_failing_job_backs_off_then_gives_up,
    a_leased_job_is_not_claimed_twice_until_the_lease_runs_out,
);

impl TestApp {
    async fn count(&self, sql: &str) -> i64 {
        on_db!(&self.db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await).unwrap()
    }

    async fn advance(&self, token: &str, seconds: i64) -> Value {
        let response = self
            .post_as(
                "/api/v1/admin/sandbox/clock",
                token,
                &json!({ "advance_seconds": seconds }),
            )
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

async fn moving_the_clock_runs_maintenance_which_purges_what_expired(app: TestApp) {
    let user = app.verified_user("keeper@example.com").await;
    let keyed = app
        .client
        .post(app.url("/api/v1/creators"))
        .bearer_auth(&user)
        .header("Idempotency-Key", "k1")
        .json(&json!({"name": "Keeper", "handle": "keeper"}))
        .send()
        .await
        .unwrap();
    assert_eq!(keyed.status(), 201);
    app.login("keeper@example.com", "wrong password!").await;
    app.post_json(
        "/api/v1/auth/password-reset",
        &json!({"email": "keeper@example.com"}),
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM idempotency_keys").await, 1);
    assert!(app.count("SELECT COUNT(*) FROM throttle_windows").await > 0);
    assert!(app.count("SELECT COUNT(*) FROM email_tokens").await > 0);

    // Two days on, everything above has expired; the hourly maintenance job (and the
    // daily engagement rescoring) is due.
    let root = superadmin_token(&app).await;
    let moved = app.advance(&root, 2 * 24 * 3600).await;
    assert_eq!(
        moved["jobs_run"], 2,
        "one maintenance and one rescoring run, not one per skipped hour or day"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM idempotency_keys").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM throttle_windows").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM email_tokens").await, 0);

    // It queued its next run an hour ahead, and only one.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'maintenance' AND status = 'queued'")
            .await,
        1
    );
    let root = superadmin_token_again(&app).await;
    assert_eq!(app.advance(&root, 60).await["jobs_run"], 0);
    assert_eq!(app.advance(&root, 3600).await["jobs_run"], 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'maintenance' AND status = 'done'")
            .await,
        2
    );
}

/// A job of a kind no handler knows, due at `run_at`.
fn unknown(payload: &str, run_at: DateTime<Utc>) -> jobs::NewJob<'static> {
    jobs::NewJob {
        kind: "unknown",
        payload: payload.into(),
        run_at,
        dedupe_key: None,
    }
}

async fn a_failing_job_backs_off_then_gives_up(app: TestApp) {
    let root = superadmin_token(&app).await;
    // The recurring jobs (maintenance, rescoring) are due at start-up; let them run first.
    assert_eq!(app.advance(&root, 1).await["jobs_run"], 2);
    let now = app.clock.now();
    let mut tx = app.db.begin().await.unwrap();
    // A payload no handler understands fails every time.
    jobs::enqueue(&mut tx, unknown("{\"kind\":\"unknown\"}", now), 3, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let failing = "SELECT COUNT(*) FROM jobs WHERE kind = 'unknown' AND status = 'queued' \
                   AND last_error IS NOT NULL";

    assert_eq!(app.advance(&root, 1).await["jobs_run"], 1);
    assert_eq!(app.count(failing).await, 1, "first failure: queued again");
    assert_eq!(
        app.advance(&root, 10).await["jobs_run"],
        0,
        "waits 30 s first"
    );
    assert_eq!(app.advance(&root, 20).await["jobs_run"], 1);
    assert_eq!(app.advance(&root, 59).await["jobs_run"], 0, "then 60 s");
    assert_eq!(app.advance(&root, 1).await["jobs_run"], 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'unknown' AND status = 'failed'")
            .await,
        1,
        "given up after max_attempts"
    );
    assert_eq!(app.advance(&root, 600).await["jobs_run"], 0);
}

async fn a_leased_job_is_not_claimed_twice_until_the_lease_runs_out(app: TestApp) {
    let now = app.clock.now();
    let mut tx = app.db.begin().await.unwrap();
    jobs::enqueue(&mut tx, unknown("{}", now), 5, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let lease = now + Duration::minutes(5);
    let only_unknown = |claimed: Vec<jobs::ClaimedJob>| {
        claimed
            .into_iter()
            .filter(|j| j.payload == "{}")
            .collect::<Vec<_>>()
    };

    let first = only_unknown(jobs::claim_due(&app.db, now, lease, 10).await.unwrap());
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].attempts, 1);
    let during = only_unknown(
        jobs::claim_due(&app.db, now + Duration::minutes(1), lease, 10)
            .await
            .unwrap(),
    );
    assert!(during.is_empty(), "a held lease excludes other workers");
    // The first worker died: once the lease is over, another takes the job.
    let after = only_unknown(
        jobs::claim_due(&app.db, lease, lease + Duration::minutes(5), 10)
            .await
            .unwrap(),
    );
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].attempts, 2);
}
