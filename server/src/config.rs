//! Process configuration: command-line flags, each with an environment variable and a
//! default, so `server` runs with no configuration at all.

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Database: `sqlite://path` (created on first run) or `postgres://…`.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://data/encora.db"
    )]
    pub database_url: String,

    /// Address to listen on.
    #[arg(
        long,
        global = true,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000"
    )]
    pub site_addr: SocketAddr,

    /// Folder with the compiled site (JS, wasm, CSS, public files) written by cargo-leptos.
    #[arg(
        long,
        global = true,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site"
    )]
    pub site_root: PathBuf,

    /// Secret for signing access tokens (at least 32 bytes). Unset: one is generated on
    /// first start and kept in the database.
    #[arg(long, global = true, env = "ENCORA_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Folder that receives outgoing mail as .eml files (no SMTP server configured).
    #[arg(
        long,
        global = true,
        env = "ENCORA_MAILBOX_DIR",
        default_value = "data/mailbox"
    )]
    pub mailbox_dir: PathBuf,

    /// SMTP server for outgoing mail, e.g. `smtps://user:pass@mail.example.com:465` or
    /// `smtp://user:pass@mail.example.com:587?tls=required`. Unset: the mailbox folder.
    #[arg(long, global = true, env = "ENCORA_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The From address of outgoing mail.
    #[arg(long, global = true, env = "ENCORA_MAIL_FROM", default_value = app::backend::mail::DEFAULT_FROM)]
    pub mail_from: String,

    /// Public address of the app, used in links sent by email. Default: http://SITE_ADDR.
    #[arg(long, global = true, env = "ENCORA_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Sandbox: lets a superadmin move the platform clock forward
    /// (`POST /api/v1/admin/sandbox/clock`). Never enable in production.
    #[arg(long, global = true, env = "ENCORA_TEST_CLOCK", value_parser = clap::builder::BoolishValueParser::new(), default_value = "false")]
    pub test_clock: bool,

    /// Development only: lets webhook endpoints point at loopback, private, link-local
    /// and metadata addresses, which are refused by default (server-side request forgery).
    #[arg(long, global = true, env = "ENCORA_WEBHOOKS_ALLOW_PRIVATE", value_parser = clap::builder::BoolishValueParser::new(), default_value = "false")]
    pub webhooks_allow_private: bool,

    /// Largest accepted request body, in bytes.
    #[arg(long, global = true, env = "ENCORA_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
}

impl Config {
    /// The backend's runtime settings derived from this configuration.
    pub fn settings(&self) -> app::backend::Settings {
        app::backend::Settings {
            jwt_secret: self.jwt_secret.clone(),
            mailbox_dir: self.mailbox_dir.clone(),
            smtp_url: self.smtp_url.clone(),
            mail_from: self.mail_from.clone(),
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.site_addr))
                .trim_end_matches('/')
                .to_string(),
            test_clock: self.test_clock,
            webhooks_allow_private: self.webhooks_allow_private,
        }
    }
}
