//! The renewal run: plan subscriptions fall due on a test clock and the job worker's own
//! loop (`jobs::run_due`) renews them, in process, as the server's single worker would;
//! beside it, as many bare transactions of the same shape (read a row, update it,
//! insert two) on the same database give the ceiling the renewals are read against.

use super::bulk::{self, Value};
use super::generate::PASSWORD;
use crate::config::Config;
use crate::demo::Api;
use crate::BoxError;
use app::backend::clock::Clock;
use app::backend::db::Db;
use app::backend::services::jobs::{self, Job};
use app::on_db;
use chrono::{DateTime, Datelike, Duration, Utc};
// `begin` on the connection a held `Db` has.
use sqlx::Connection as _;
use std::time::Instant;
use uuid::Uuid;

/// What a renewal run measured.
pub struct Renewals {
    /// Subscriptions whose next period was billed and paid.
    pub renewed: usize,
    pub seconds: f64,
    /// Bare SELECT + UPDATE + 2 INSERT transactions per second, one after another.
    pub ceiling_per_second: f64,
}

impl Renewals {
    pub fn per_second(&self) -> f64 {
        self.renewed as f64 / self.seconds.max(1e-9)
    }
}

/// Makes `count` of the generated plan subscriptions due (each user gets a test card
/// that pays, each subscription its `Renew` job), moves a test clock past their period
/// ends and runs the jobs; then times the bare transactions.
pub async fn run(db: &Db, config: &Config, count: usize) -> Result<Renewals, BoxError> {
    let now = Utc::now();
    let due: Vec<(Uuid, Uuid, i32, DateTime<Utc>)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, user_id, period_index, current_period_end FROM subscriptions \
         WHERE product_kind = 'plan' ORDER BY id LIMIT $1",
    )
    .bind(i64::try_from(count)?)
    .fetch_all(pool)
    .await)?;
    let mut cards = Vec::with_capacity(due.len());
    let mut queued = Vec::with_capacity(due.len());
    for (subscription_id, user_id, period_index, period_end) in &due {
        cards.push(vec![
            Value::Id(Uuid::now_v7()),
            Value::Id(*user_id),
            Value::Text(format!("sandbox_tok_visa_{}", Uuid::now_v7().simple())),
            Value::Text("card".into()),
            Value::Text("visa".into()),
            Value::Text("4242".into()),
            Value::Int(12),
            Value::Int(i64::from(now.year() + 3)),
            Value::Bool(true),
            Value::At(now),
            Value::At(now),
        ]);
        let job = Job::Renew {
            subscription_id: *subscription_id,
            period_index: *period_index,
        };
        queued.push(vec![
            Value::Id(Uuid::now_v7()),
            Value::Text("renew".into()),
            Value::Text(serde_json::to_string(&job)?),
            Value::Text("queued".into()),
            Value::At(*period_end),
            Value::Int(0),
            Value::Int(5),
            Value::At(now),
        ]);
    }
    bulk::insert(
        db,
        "payment_methods",
        &[
            "id",
            "user_id",
            "gateway_ref",
            "type",
            "brand",
            "last4",
            "exp_month",
            "exp_year",
            "is_default",
            "created_at",
            "updated_at",
        ],
        &cards,
    )
    .await?;
    bulk::insert(
        db,
        "jobs",
        &[
            "id",
            "kind",
            "payload",
            "status",
            "run_at",
            "attempts",
            "max_attempts",
            "created_at",
        ],
        &queued,
    )
    .await?;

    let last_end = due.iter().map(|d| d.3).max().unwrap_or(now);
    let at = last_end + Duration::minutes(1);
    // The recurring jobs (the daily rescore of every member, the hourly maintenance)
    // would fall due on the test clock too and be timed as renewals; a worker running
    // through those weeks would have run them already, so they are put after it.
    on_db!(db, pool => sqlx::query(
        "UPDATE jobs SET run_at = $1 WHERE kind <> 'renew' AND status = 'queued' AND run_at <= $2",
    )
    .bind(at + Duration::days(1))
    .bind(at)
    .execute(pool)
    .await
    .map(|_| ()))?;
    let api = Api::new(db.clone(), config, Clock::stopped_at(at), PASSWORD).await?;
    let started = Instant::now();
    jobs::run_due(&api.state).await?;
    let seconds = started.elapsed().as_secs_f64();
    // The same subscriptions (first by id), now: renewed ones are a period further on.
    let after: Vec<(Uuid, i32, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, period_index, status FROM subscriptions WHERE product_kind = 'plan' \
         ORDER BY id LIMIT $1",
    )
    .bind(i64::try_from(due.len())?)
    .fetch_all(pool)
    .await)?;
    let renewed = due
        .iter()
        .zip(&after)
        .filter(|(before, now)| before.0 == now.0 && now.1 == before.2 + 1 && now.2 == "active")
        .count();
    Ok(Renewals {
        renewed,
        seconds,
        ceiling_per_second: ceiling(db, due.len()).await?,
    })
}

/// `count` transactions of a SELECT by key, an UPDATE of that row and two INSERTs, one
/// after another on scratch tables (dropped afterwards): the most a renewal could do.
async fn ceiling(db: &Db, count: usize) -> Result<f64, BoxError> {
    const TABLES: [&str; 3] = [
        "CREATE TABLE bench_rows (id BIGINT PRIMARY KEY, period_index BIGINT NOT NULL, \
         updated_at TEXT NOT NULL)",
        "CREATE TABLE bench_invoices (id BIGINT PRIMARY KEY, row_id BIGINT NOT NULL, \
         amount BIGINT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE bench_lines (id BIGINT PRIMARY KEY, invoice_id BIGINT NOT NULL, \
         amount BIGINT NOT NULL, description TEXT NOT NULL)",
    ];
    for sql in TABLES {
        on_db!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ()))?;
    }
    let rows: Vec<Vec<Value>> = (0..count)
        .map(|i| {
            vec![
                Value::Int(i as i64),
                Value::Int(0),
                Value::Text(String::new()),
            ]
        })
        .collect();
    bulk::insert(
        db,
        "bench_rows",
        &["id", "period_index", "updated_at"],
        &rows,
    )
    .await?;
    let started = Instant::now();
    for i in 0..count as i64 {
        let at = Utc::now().to_rfc3339();
        on_db!(db, pool => {
            let mut tx = pool.begin().await?;
            let index: i64 = sqlx::query_scalar("SELECT period_index FROM bench_rows WHERE id = $1")
                .bind(i)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("UPDATE bench_rows SET period_index = $2, updated_at = $3 WHERE id = $1")
                .bind(i)
                .bind(index + 1)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO bench_invoices (id, row_id, amount, created_at) VALUES ($1, $1, 999, $2)")
                .bind(i)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO bench_lines (id, invoice_id, amount, description) VALUES ($1, $1, 999, 'Plan renewal')")
                .bind(i)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })?;
    }
    let per_second = count as f64 / started.elapsed().as_secs_f64().max(1e-9);
    for table in ["bench_lines", "bench_invoices", "bench_rows"] {
        let sql = format!("DROP TABLE {table}");
        on_db!(db, pool => sqlx::query(&sql).execute(pool).await.map(|_| ()))?;
    }
    Ok(per_second)
}
