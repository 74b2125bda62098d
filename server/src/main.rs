//! The Encora process: `server serve` (default), `server migrate`, `server create-admin`.

use clap::{Parser, Subcommand};
use server::config::Config;
use std::process::ExitCode;

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
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(cli.config).await,
        Command::Migrate => server::migrate(&cli.config).await,
        Command::CreateAdmin { email, password } => {
            server::create_admin(&cli.config, &email, &password).await
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
