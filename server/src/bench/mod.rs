//! `server bench`: generates data at scale into a fresh database, starts the real
//! server on loopback, drives it with many connections, and prints one table of
//! figures (also written to a Markdown file). The budgets it is read against are in
//! the README; nothing here asserts a timing.

mod bulk;
mod bundle;
mod generate;
mod load;
mod renewals;

use crate::config::Config;
use crate::demo::Api;
use crate::{open_database, BoxError};
use app::backend::clock::Clock;
use app::backend::db::Db;
use app::backend::services::jobs::{self, Job};
use app::model::system::DatabaseKind;
use app::on_db;
pub use generate::{Creator, Generated, Sizes, ADMIN_EMAIL, PASSWORD};
use load::{Caller, Figures};
pub use renewals::{run as renewal_run, Renewals};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Options {
    /// Fraction of the full data set (2,000,000 members…) to generate.
    pub scale: f64,
    /// Concurrent connections of the load client.
    pub connections: usize,
    /// How long each scenario runs.
    pub seconds: u64,
    /// Where the table is written (Markdown); `None` for the latest run's file of the
    /// database under `docs/`, which the README links. The history with its analysis,
    /// `docs/benchmarks.md`, is written by hand and never overwritten.
    pub out: Option<PathBuf>,
}

pub async fn run(config: &Config, options: Options) -> Result<(), BoxError> {
    // The bundle's figures are taken last, from the built site: without one, a run at
    // full scale would fail after half an hour of generating and loading.
    let pkg = config.site_root.join("pkg");
    if !pkg.is_dir() {
        return Err(format!(
            "bench measures the release bundle in {}, which does not exist: build the site first (scripts/build)",
            pkg.display()
        )
        .into());
    }
    let db = open_database(config).await?;
    let users: i64 = on_db!(&db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)?;
    if users > 0 {
        db.close().await;
        return Err("bench needs an empty database (it generates its own data)".into());
    }
    let (backend, latest) = match db.kind() {
        DatabaseKind::Sqlite => ("SQLite", "docs/bench-sqlite.md"),
        DatabaseKind::Postgres => ("PostgreSQL", "docs/bench-postgres.md"),
    };
    let out = options.out.clone().unwrap_or_else(|| PathBuf::from(latest));
    let sizes = Sizes::at(options.scale);
    println!(
        "bench on {backend}: generating {} members, {} events, {} plan subscriptions, {} tips",
        sizes.members.iter().sum::<usize>(),
        sizes.events,
        sizes.plan_subscriptions,
        sizes.tips
    );
    let generation = Instant::now();
    let generated = generate_into(&db, config, &sizes).await?;
    let generation = generation.elapsed().as_secs_f64();
    println!("renewing {} due subscriptions", sizes.renewals);
    let renewed = renewals::run(&db, config, sizes.renewals).await?;
    db.close().await;

    let server = Server::start(config).await?;
    let result = measure(&server, &generated, &options).await;
    let pages = first_pages(&server, &generated, &pkg).await;
    server.stop();
    let mut rows = result?;
    let pages = pages?;
    rows.push(Row::Value(
        format!("renewals of {} due subscriptions (job worker, test clock)", sizes.renewals),
        format!(
            "{:.0}/s ({} renewed in {:.1} s); bare SELECT + UPDATE + 2 INSERT: {:.0}/s; {:.0} % of it",
            renewed.per_second(),
            renewed.renewed,
            renewed.seconds,
            renewed.ceiling_per_second,
            100.0 * renewed.per_second() / renewed.ceiling_per_second.max(1e-9)
        ),
    ));
    let report = report(backend, &options, &sizes, &generated, generation, &rows);
    let report = report + &bundle::table(&pkg, &pages);
    println!("{report}");
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&out, report)?;
    println!("written to {}", out.display());
    Ok(())
}

/// Writes the data set of `sizes` into `db` (empty), then refreshes the planner's
/// statistics, as a database that grew slowly would have them.
pub async fn generate_into(db: &Db, config: &Config, sizes: &Sizes) -> Result<Generated, BoxError> {
    let api = Api::new(db.clone(), config, Clock::system(), PASSWORD).await?;
    let generated = generate::generate(&api, db, sizes).await?;
    // The generated scores are current: the daily rescore and the hourly maintenance
    // are queued a period ahead, as after a pass, instead of falling due (and rescoring
    // every member) while the server is measured.
    let now = api.state.clock.now();
    let mut tx = db.begin().await?;
    for (job, after) in [
        (Job::RescoreEngagement, chrono::Duration::days(1)),
        (Job::Maintenance, chrono::Duration::hours(1)),
    ] {
        jobs::enqueue(&mut tx, &job, now + after, now).await?;
    }
    tx.commit().await?;
    db.analyze().await?;
    Ok(generated)
}

/// The real server in a child process on a free loopback port.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(config: &Config) -> Result<Server, BoxError> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(std::env::current_exe()?)
            .arg("serve")
            .env("DATABASE_URL", &config.database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", &config.site_root)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        let server = Server { child, base };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(r) = client.get(server.url("/api/v1/health")).send().await {
                if r.status().is_success() {
                    return Ok(server);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.stop();
        Err("the server did not answer /api/v1/health within 30 s".into())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the browser downloads for the public home page and for a creator's dashboard,
/// read from the HTML the server sends for each.
async fn first_pages(
    server: &Server,
    generated: &Generated,
    pkg: &Path,
) -> Result<Vec<bundle::PageDownloads>, BoxError> {
    let (_, cookie) = sign_in(server, &generated.creators[0].owner_email).await?;
    Ok(vec![
        bundle::page_downloads(&server.url("/"), None, "the home page, signed out", pkg).await?,
        bundle::page_downloads(
            &server.url("/dashboard"),
            Some(&cookie),
            "the creator dashboard, signed in",
            pkg,
        )
        .await?,
    ])
}

/// A scenario's name and figures, or a single measured value.
enum Row {
    Load(String, Figures),
    Value(String, String),
}

async fn sign_in(server: &Server, email: &str) -> Result<(String, String), BoxError> {
    let client = reqwest::Client::new();
    let tokens: serde_json::Value = client
        .post(server.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = tokens["access_token"]
        .as_str()
        .ok_or("no access token")?
        .to_string();
    let web = client
        .post(server.url("/api/fn/sign_in"))
        .header("origin", &server.base)
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await?;
    let cookie = web
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_string();
    Ok((token, cookie))
}

/// Follows `next_cursor` 100 rows at a time until `rows_deep` rows are behind (or the
/// list ends), and returns the URL of a 20-row page there and how deep it is.
async fn deep_page(token: &str, base: &str, rows_deep: usize) -> Result<(String, usize), BoxError> {
    let client = reqwest::Client::new();
    let mut url = format!("{base}&limit=100");
    let mut depth = 0;
    while depth + 100 <= rows_deep {
        let page: serde_json::Value = client
            .get(&url)
            .bearer_auth(token)
            .send()
            .await?
            .json()
            .await?;
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                depth += 100;
                url = format!("{base}&limit=100&cursor={cursor}");
            }
            None => break,
        }
    }
    Ok((url.replace("&limit=100", "&limit=20"), depth))
}

async fn measure(
    server: &Server,
    generated: &Generated,
    options: &Options,
) -> Result<Vec<Row>, BoxError> {
    let big = &generated.creators[0];
    let (owner, cookie) = sign_in(server, &big.owner_email).await?;
    let (admin, _) = sign_in(server, ADMIN_EMAIL).await?;
    let length = Duration::from_secs(options.seconds);
    let n = options.connections;
    let members = server.url(&format!("/api/v1/audience/members?creator_id={}", big.id));
    let mut rows = Vec::new();
    let mut scenario = |name: &str, figures: Figures| {
        println!(
            "  {name}: p50 {:.2} ms, p99 {:.2} ms, {:.0}/s, {} failed",
            figures.p50_ms, figures.p99_ms, figures.per_second, figures.failures
        );
        rows.push(Row::Load(name.to_string(), figures));
    };
    let bearer = Caller::Api(owner.clone());
    scenario(
        "GET /api/v1/health (ceiling)",
        load::drive(
            &[server.url("/api/v1/health")],
            &Caller::Anonymous,
            n,
            length,
        )
        .await,
    );
    scenario(
        "members, first page",
        load::drive(std::slice::from_ref(&members), &bearer, n, length).await,
    );
    // The same for a client that accepts no compression (curl's default): beside the
    // row above, what gzipping its 10 KB costs the server.
    scenario(
        "members, first page, uncompressed",
        load::drive(
            std::slice::from_ref(&members),
            &Caller::ApiUncompressed(owner.clone()),
            n,
            length,
        )
        .await,
    );
    scenario(
        "members, first page, one connection",
        load::drive(std::slice::from_ref(&members), &bearer, 1, length).await,
    );
    // The largest page a client may ask for: its rows outnumber sqlx's default channel
    // between a SQLite worker and the task reading it (db.rs, `SQLITE_ROW_BUFFER`).
    scenario(
        "members, a page of 100",
        load::drive(&[format!("{members}&limit=100")], &bearer, n, length).await,
    );
    let (deep, depth) = deep_page(&owner, &members, 200_000).await?;
    scenario(
        &format!("members, by cursor {depth} rows deep"),
        load::drive(&[deep], &bearer, n, length).await,
    );
    let tier = big.tiers[1].0;
    let filters = [
        "&status=active".to_string(),
        "&engagement_level=superfan".to_string(),
        format!("&tier={tier}"),
        format!("&status=active&engagement_level=engaged&tier={tier}"),
        "&joined_after=2026-01-01".to_string(),
        "&q=lovelace".to_string(),
        format!("&status=paused&tier={tier}&q=ada"),
    ];
    for filter in &filters {
        let url = format!("{members}{filter}");
        let label = filter
            .trim_start_matches('&')
            .replace(&tier.to_string(), "<paid tier>");
        scenario(
            &format!("members {label}"),
            load::drive(&[url], &bearer, n, length).await,
        );
    }
    let totals: Vec<String> = filters
        .iter()
        .map(|f| format!("{members}{f}&limit=1"))
        .collect();
    scenario(
        "segments + total, every filter above",
        load::drive(&totals, &bearer, n, length).await,
    );
    let creator = format!("creator_id={}", big.id);
    for (name, path) in [
        (
            "engagement, month",
            format!("/api/v1/audience/engagement?{creator}&period=month"),
        ),
        (
            "revenue, month",
            format!("/api/v1/audience/revenue?{creator}&period=month"),
        ),
        ("community", format!("/api/v1/audience/community?{creator}")),
    ] {
        scenario(
            name,
            load::drive(&[server.url(&path)], &bearer, n, length).await,
        );
    }
    scenario(
        "admin users ?q=lovelace",
        load::drive(
            &[server.url("/api/v1/admin/users?q=lovelace")],
            &Caller::Api(admin),
            n,
            length,
        )
        .await,
    );
    let dashboard = [server.url("/dashboard")];
    let signed_in = Caller::Browser(cookie);
    scenario(
        "dashboard overview SSR (HTML, compressed as a browser asks)",
        load::drive(&dashboard, &signed_in, n, length).await,
    );
    // The same page for one visitor at a time: how long a render takes, not how many
    // the two cores finish while 32 wait.
    scenario(
        "dashboard overview SSR, one connection",
        load::drive(&dashboard, &signed_in, 1, length).await,
    );
    // Resident memory with 1,000 connections open and busy.
    let pid = server.child.id();
    let sampler = tokio::spawn(async move {
        let mut peak = 0;
        for _ in 0..100 {
            peak = peak.max(load::rss_bytes(pid).unwrap_or(0));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        peak
    });
    let busy = load::drive(
        &[server.url("/api/v1/health")],
        &Caller::Anonymous,
        1000,
        Duration::from_secs(4),
    )
    .await;
    let peak = sampler.await.unwrap_or(0);
    rows.push(Row::Value(
        "server RSS, 1,000 concurrent connections".into(),
        format!(
            "{:.1} MB peak ({:.0} req/s, {} failed)",
            peak as f64 / 1_048_576.0,
            busy.per_second,
            busy.failures
        ),
    ));
    Ok(rows)
}

fn report(
    backend: &str,
    options: &Options,
    sizes: &Sizes,
    generated: &Generated,
    generation: f64,
    rows: &[Row],
) -> String {
    let mut out = String::new();
    let members: usize = sizes.members.iter().sum();
    let _ = writeln!(out, "## {backend}, scale {} ({members} members; largest creator {}), {} connections, {} s per scenario after {} s of warm-up\n",
        options.scale, sizes.members[0], options.connections, options.seconds, load::WARM_UP.as_secs_f64());
    let _ = writeln!(
        out,
        "Run of `server bench` finished {}.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    let _ = writeln!(
        out,
        "| data generated | rows | seconds | rows/s |\n|---|---:|---:|---:|"
    );
    for (what, n, seconds) in &generated.timings {
        let _ = writeln!(
            out,
            "| {what} | {n} | {seconds:.1} | {:.0} |",
            *n as f64 / seconds.max(1e-9)
        );
    }
    let _ = writeln!(out, "| total (with ANALYZE) | | {generation:.1} | |\n");
    let ceiling = rows.iter().find_map(|r| match r {
        Row::Load(_, f) => Some(f.per_second),
        Row::Value(..) => None,
    });
    let _ = writeln!(out, "| scenario | p50 ms | p99 ms | req/s | of ceiling | requests | failed |\n|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        match row {
            Row::Load(name, f) => {
                let share = ceiling.map_or(String::new(), |c| {
                    format!("{:.0} %", 100.0 * f.per_second / c.max(1e-9))
                });
                let _ = writeln!(
                    out,
                    "| {name} | {:.2} | {:.2} | {:.0} | {share} | {} | {} |",
                    f.p50_ms, f.p99_ms, f.per_second, f.requests, f.failures
                );
            }
            Row::Value(name, value) => {
                let _ = writeln!(out, "| {name} | {value} | | | | | |");
            }
        }
    }
    out
}
