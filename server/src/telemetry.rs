//! Logs: human-readable lines filtered by `RUST_LOG` (default `info`). Every request
//! is logged inside a span carrying its request id (see `middleware`).

use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Tests spawn many apps in one process; only the first registration wins.
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
