//! `spawn_app()`: the production router bound to 127.0.0.1:0 over a fresh database,
//! with typed helpers for requests.

use app::backend::clock::Clock;
use app::backend::db::Db;
use app::backend::AppState;
use server::config::Config;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// The app's clock: tests move it forward instead of waiting.
    pub clock: Clock,
    /// The dev mailbox this app writes mail to.
    pub mailbox_dir: PathBuf,
    pub client: reqwest::Client,
    /// The app's payment gateway, to reconcile against what it captured.
    pub gateway: std::sync::Arc<app::backend::billing::gateway::SandboxGateway>,
    server: tokio::task::AbortHandle,
    /// The PostgreSQL database made for this app, dropped with it.
    pg_database: Option<String>,
}

impl Drop for TestApp {
    /// Stops the server and closes its database pool when the test ends, so a long run
    /// does not pile up idle connections (PostgreSQL refuses new ones past its limit).
    fn drop(&mut self) {
        self.server.abort();
        let db = self.db.clone();
        let pg_database = self.pg_database.take();
        server_runtime().spawn(async move {
            db.close().await;
            // Each database costs the cluster ~8 MB on disk; a full run makes hundreds.
            if let (Some(name), Ok(admin_url)) =
                (pg_database, std::env::var("ENCORA_TEST_POSTGRES_URL"))
            {
                if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(&drop).execute(&admin).await;
                    admin.close().await;
                }
            }
        });
    }
}

/// Runs each named `async fn(TestApp)` once per backend, as separate tests
/// (`sqlite::NAME`, `postgres::NAME`). Without `ENCORA_TEST_POSTGRES_URL` the
/// PostgreSQL variants print that they were skipped.
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite)
                        .await
                        .expect("SQLite is always available");
                    super::$test(app).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    match $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await {
                        Some(app) => super::$test(app).await,
                        None => eprintln!(
                            "SKIPPED on PostgreSQL: ENCORA_TEST_POSTGRES_URL is not set"
                        ),
                    }
                }
            )*
        }
    };
}

/// A fresh, migrated database of the given kind (with its name on PostgreSQL), or None
/// for PostgreSQL when no test cluster is configured.
pub async fn fresh_database(backend: Backend) -> Option<(Db, Option<String>)> {
    let (url, pg_database) = match backend {
        Backend::Sqlite => {
            let url = format!(
                "sqlite://{}/{}.db",
                scratch_dir().display(),
                uuid::Uuid::now_v7()
            );
            (url, None)
        }
        Backend::Postgres => {
            let admin_url = std::env::var("ENCORA_TEST_POSTGRES_URL").ok()?;
            let name = format!("encora_test_{}", uuid::Uuid::now_v7().simple());
            let admin = sqlx::PgPool::connect(&admin_url)
                .await
                .expect("connect to the test cluster");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .expect("create a test database");
            admin.close().await;
            let (base, _) = admin_url.rsplit_once('/').expect("URL ends with /DATABASE");
            (format!("{base}/{name}"), Some(name))
        }
    };
    let db = Db::connect(&url)
        .await
        .expect("connect to the test database");
    db.migrate().await.expect("migrations apply");
    Some((db, pg_database))
}

/// This test process's folder for SQLite files and mailboxes. Statics are never dropped,
/// so instead of cleaning up after itself each process removes what earlier, finished
/// processes left behind (a folder per process id, the process no longer running).
pub fn scratch_dir() -> &'static PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let root = std::env::temp_dir().join("encora-tests");
        if let Ok(entries) = std::fs::read_dir(&root) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let finished = match name.parse::<u32>() {
                    Ok(pid) => !PathBuf::from(format!("/proc/{pid}")).exists(),
                    Err(_) => true, // left by an older harness layout
                };
                if finished {
                    let _ = std::fs::remove_dir_all(entry.path())
                        .or_else(|_| std::fs::remove_file(entry.path()));
                }
            }
        }
        let dir = root.join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// One runtime, alive for the whole test process, runs every app and its database
/// pools. Leptos spawns rendering work on a process-wide executor, so apps must not live
/// on the per-test runtimes that end with each test.
pub fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("test-servers")
            .enable_all()
            .build()
            .expect("the test server runtime starts")
    })
}

/// An app with the sandbox test clock enabled (as a test deployment would run).
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// An app whose configuration `customize` adjusts first.
pub async fn spawn_app_with(backend: Backend, customize: fn(&mut Config)) -> Option<TestApp> {
    server_runtime()
        .spawn(start_app(backend, customize))
        .await
        .expect("the app starts")
}

/// The configuration of a test app listening on `site_addr`.
pub fn test_config(site_addr: SocketAddr, mailbox_dir: PathBuf) -> Config {
    Config {
        database_url: String::new(),
        site_addr,
        site_root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"),
        jwt_secret: None,
        mailbox_dir,
        smtp_url: None,
        mail_from: app::backend::mail::DEFAULT_FROM.into(),
        public_url: None,
        test_clock: true,
        // Test receivers listen on 127.0.0.1.
        webhooks_allow_private: true,
        max_body_bytes: 64 * 1024,
    }
}

async fn start_app(backend: Backend, customize: fn(&mut Config)) -> Option<TestApp> {
    let (db, pg_database) = fresh_database(backend).await?;
    let mailbox_dir = scratch_dir().join(format!("mail-{}", uuid::Uuid::now_v7()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = test_config(addr, mailbox_dir.clone());
    customize(&mut config);
    let clock = Clock::system();
    let options = server::router::leptos_options(&config);
    let mut state = AppState::new(db.clone(), clock.clone(), config.settings(), options)
        .await
        .unwrap();
    let gateway = std::sync::Arc::new(app::backend::billing::gateway::SandboxGateway::default());
    state.gateway = gateway.clone();
    // As at server start-up; tests run jobs through the sandbox clock, not a poller.
    app::backend::services::jobs::schedule_recurring(&state)
        .await
        .unwrap();
    let router = server::router::build(&config, state);
    let server = tokio::spawn(async move {
        server::http::serve(listener, router, std::future::pending())
            .await
            .unwrap();
    })
    .abort_handle();
    Some(TestApp {
        base: format!("http://{addr}"),
        db,
        clock,
        mailbox_dir,
        // A request that hangs fails its test after a minute instead of stalling the run.
        client: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap(),
        gateway,
        server,
        pg_database,
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Every message sent to `to`, oldest first, as raw .eml text.
    pub fn mail_to(&self, to: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mailbox_dir) else {
            return Vec::new();
        };
        let mut names: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        names.sort();
        names
            .into_iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .filter(|m| m.contains(&format!("\r\nTo: {to}\r\n")))
            .collect()
    }

    /// Asserts that every year's invoice numbers run 1, 2, … with no gap and no repeat;
    /// returns them, oldest year first.
    pub async fn assert_invoice_numbers_gapless(&self) -> Vec<String> {
        let numbers: Vec<String> = app::on_db!(&self.db, pool => sqlx::query_scalar(
            "SELECT invoice_number FROM invoices ORDER BY invoice_number",
        )
        .fetch_all(pool)
        .await)
        .unwrap();
        let mut by_year: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
        for number in &numbers {
            let (year, n) = number["INV-".len()..].split_once('-').unwrap();
            by_year.entry(year).or_default().push(n.parse().unwrap());
        }
        for (year, ns) in by_year {
            let expected: Vec<u32> = (1..=ns.len() as u32).collect();
            assert_eq!(ns, expected, "gapless and unique in {year}");
        }
        numbers
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// POSTs each `(token, body)` to `path` at the same time; returns the statuses in
    /// the order given.
    pub async fn post_all_at_once(
        &self,
        path: &str,
        requests: &[(String, serde_json::Value)],
    ) -> Vec<u16> {
        let attempts: Vec<_> = requests
            .iter()
            .map(|(token, body)| {
                // reqwest's pending request owns everything, so each runs as its own task.
                tokio::spawn(
                    self.client
                        .post(self.url(path))
                        .bearer_auth(token)
                        .json(body)
                        .send(),
                )
            })
            .collect();
        let mut statuses = Vec::new();
        for attempt in attempts {
            statuses.push(attempt.await.unwrap().unwrap().status().as_u16());
        }
        statuses
    }
}

/// Asserts the documented error body and that its request id matches the header.
pub async fn assert_error(
    response: reqwest::Response,
    status: u16,
    code: &str,
) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let header_id = response
        .headers()
        .get("x-request-id")
        .expect("X-Request-Id header")
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "error bodies are JSON"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "code in {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "message in {body}"
    );
    assert_eq!(
        body["request_id"],
        header_id.as_str(),
        "request_id equals X-Request-Id"
    );
    body
}
