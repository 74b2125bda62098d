//! The server process as a library, so integration tests start the real router.

pub mod bench;
pub mod config;
pub mod demo;
pub mod http;
pub mod middleware;
pub mod rest;
pub mod router;
pub mod telemetry;

use app::backend::clock::Clock;
use app::backend::db::Db;
use app::backend::services::accounts::{self, AdminOutcome};
use app::backend::services::jobs;
use app::backend::AppState;
use config::Config;
use std::error::Error;
use std::time::Duration;

/// How often the in-process worker looks for due jobs.
const JOB_POLL_INTERVAL: Duration = Duration::from_secs(5);

type BoxError = Box<dyn Error + Send + Sync>;

/// Connects and applies migrations: every command starts here.
pub async fn open_database(config: &Config) -> Result<Db, BoxError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

pub async fn migrate(config: &Config) -> Result<(), BoxError> {
    let db = open_database(config).await?;
    println!("migrations applied ({})", db.kind().as_str());
    db.close().await;
    Ok(())
}

pub async fn create_admin(config: &Config, email: &str, password: &str) -> Result<(), BoxError> {
    let db = open_database(config).await?;
    let outcome = accounts::create_admin(&db, email, password, chrono::Utc::now()).await;
    db.close().await;
    match outcome {
        Ok(AdminOutcome::Created(id)) => println!("created superadmin {email} ({id})"),
        Ok(AdminOutcome::Promoted(id)) => {
            println!("promoted {email} ({id}) to superadmin; its password was reset")
        }
        Err(app::backend::error::AppError::Validation(fields)) => {
            let list: Vec<String> = fields
                .iter()
                .map(|f| format!("{} {}", f.field, f.message))
                .collect();
            return Err(list.join("; ").into());
        }
        Err(e) => return Err(e.to_string().into()),
    }
    Ok(())
}

/// Serves until SIGINT or SIGTERM, then finishes in-flight requests and exits.
pub async fn serve(config: Config) -> Result<(), BoxError> {
    let db = open_database(&config).await?;
    if config.jwt_secret.as_ref().is_some_and(|s| s.len() < 32) {
        return Err("ENCORA_JWT_SECRET must be at least 32 bytes".into());
    }
    let state = AppState::new(
        db.clone(),
        Clock::system(),
        config.settings(),
        router::leptos_options(&config),
    )
    .await?;
    jobs::schedule_recurring(&state).await?;
    let worker = jobs::spawn_worker(state.clone(), JOB_POLL_INTERVAL);
    let app = router::build(&config, state);
    let listener = tokio::net::TcpListener::bind(config.site_addr).await?;
    let url = format!("http://{}", listener.local_addr()?);
    tracing::info!(%url, database = db.kind().as_str(), "Encora is listening");
    println!("Encora is listening on {url}");
    http::serve(listener, app, shutdown_signal()).await?;
    // A job cut short here is picked up again when its lease runs out.
    worker.abort();
    db.close().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
