//! The Encora process: `server serve` (default), `server migrate`, `server create-admin`,
//! `server seed-demo`, `server bench`.

use clap::{Parser, Subcommand};
use server::config::Config;
use std::process::ExitCode;

/// Memory freed after a burst of requests goes back to the system (see the workspace's
/// Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (include/mimalloc.h); the Rust
/// bindings do not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Pages freed after a burst (a thousand connections, a large query on SQLite's worker
/// threads) go back to the system at once instead of after mimalloc's default delay
/// (1,000 ms in mimalloc 3's src/options.c; its header still says 10), which a thread
/// that then sleeps never reaches (the bench's peak at 1,000 connections
/// on SQLite, one run: 131.6 → 115.6 MB; docs/benchmarks.md, session 19).
fn purge_freed_pages_at_once() {
    // SAFETY: sets one of mimalloc's process-wide options; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Encora: creator memberships and subscriber billing"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the web app and the REST API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a verified superadmin, or promote an existing account and reset its password.
    CreateAdmin {
        #[arg(long)]
        email: String,
        /// Between 10 and 128 characters.
        #[arg(long, env = "ENCORA_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Add three demo creators with a year of members, payments, tips and posts, made
    /// through the REST API on a clock that replays the last 365 days (a few minutes).
    SeedDemo {
        /// The password of every demo account (10 to 128 characters).
        #[arg(
            long,
            env = "ENCORA_DEMO_PASSWORD",
            default_value = "encora demo password"
        )]
        password: String,
        /// How many days of history to replay, ending now.
        #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
    },
    /// Generate data at scale into an empty database, drive the real server on loopback
    /// with many connections, and print the figures (also written to --out).
    Bench {
        /// Fraction of the full data set (2,000,000 members, 20,000,000 events…).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Concurrent connections of the load client.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds each scenario runs.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// The Markdown file the table is written to; by default the latest run's file
        /// of the database, `docs/bench-sqlite.md` or `docs/bench-postgres.md`.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    purge_freed_pages_at_once();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    // The demo's thousands of in-process requests would drown its progress lines.
    server::telemetry::init(match command {
        Command::SeedDemo { .. } | Command::Bench { .. } => "warn",
        _ => server::telemetry::SERVER_LOGS,
    });
    let result = match command {
        Command::Serve => server::serve(cli.config).await,
        Command::Migrate => server::migrate(&cli.config).await,
        Command::CreateAdmin { email, password } => {
            server::create_admin(&cli.config, &email, &password).await
        }
        Command::SeedDemo { password, days } => {
            server::demo::seed(&cli.config, &password, days).await
        }
        Command::Bench {
            scale,
            connections,
            seconds,
            out,
        } => {
            let options = server::bench::Options {
                scale,
                connections,
                seconds,
                out,
            };
            server::bench::run(&cli.config, options).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    /// The hand-written option index must still name the purge delay: a mimalloc upgrade
    /// that renumbered `mi_option_t` would otherwise set some other option to 0. Before
    /// it is set, the option reads mimalloc 3's default delay, 1,000 ms (src/options.c).
    #[test]
    fn the_purge_delay_option_index_names_the_purge_delay() {
        // SAFETY: reads one of mimalloc's process-wide options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
