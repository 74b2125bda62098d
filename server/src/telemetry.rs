//! Logs: human-readable lines filtered by `RUST_LOG` (default `info` for the server,
//! quieter for one-off commands). Every request is logged inside a span carrying its
//! request id (see `middleware`).

use tracing_subscriber::{fmt, EnvFilter};

/// What is logged when `RUST_LOG` is not set.
pub const SERVER_LOGS: &str = "info,sqlx=warn";

pub fn init(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // Tests spawn many apps in one process; only the first registration wins.
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
