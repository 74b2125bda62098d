//! Everything that only exists on the server: storage, services, security plumbing.

pub mod auth;
pub mod billing;
pub mod clock;
pub mod csp;
pub mod db;
pub mod domain;
pub mod error;
pub mod etag;
pub mod extract;
pub mod mail;
pub mod pagination;
pub mod request_id;
pub mod services;
pub mod store;
pub mod webhooks;

use std::sync::Arc;

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub clock: clock::Clock,
    /// Signs and checks access tokens.
    pub keys: Arc<auth::tokens::TokenKeys>,
    pub mailer: Arc<mail::Mailer>,
    /// Where payments go: the sandbox gateway unless a real provider is configured.
    pub gateway: Arc<dyn billing::gateway::PaymentGateway>,
    pub settings: Arc<Settings>,
    /// Where the compiled site lives and how pages link to it.
    pub leptos_options: leptos::config::LeptosOptions,
}

impl AppState {
    /// Builds the state over an open, migrated database. The token signing key is
    /// `settings.jwt_secret` when given, otherwise one generated on first start and kept
    /// in the database so restarts and other instances share it.
    pub async fn new(
        db: db::Db,
        clock: clock::Clock,
        settings: Settings,
        leptos_options: leptos::config::LeptosOptions,
    ) -> Result<AppState, error::AppError> {
        let secret = match settings.jwt_secret.as_deref() {
            Some(secret) => secret.to_string(),
            None => {
                let candidate = auth::secret_token::generate("");
                store::secrets::get_or_create(&db, "jwt_hs256", &candidate, clock.now()).await?
            }
        };
        let keys = Arc::new(auth::tokens::TokenKeys::from_secret(secret.as_bytes()));
        let mailer = Arc::new(match settings.smtp_url.as_deref() {
            Some(url) => mail::Mailer::smtp(url, &settings.mail_from)?,
            None => mail::Mailer::Mailbox {
                dir: settings.mailbox_dir.clone(),
                from: settings.mail_from.clone(),
            },
        });
        Ok(AppState {
            db,
            clock,
            keys,
            mailer,
            gateway: Arc::new(billing::gateway::SandboxGateway::default()),
            settings: Arc::new(settings),
            leptos_options,
        })
    }

    /// This state with its database one connection held until the last clone is
    /// dropped (`Db::hold`), for a request that only reads: its statements, the
    /// caller's check included, then share that connection instead of taking one from
    /// the pool each. sqlx checks every connection given back to its pool, a round
    /// trip to the database each time (docs/benchmarks.md, session 45). Transactions
    /// cannot begin on it.
    pub async fn holding(&self) -> Result<AppState, sqlx::Error> {
        Ok(AppState {
            db: self.db.hold().await?,
            ..self.clone()
        })
    }
}

/// Runtime settings the backend needs (the server crate fills them from its config).
#[derive(Clone, Debug)]
pub struct Settings {
    pub jwt_secret: Option<String>,
    /// Where mail goes while no SMTP server is configured.
    pub mailbox_dir: std::path::PathBuf,
    /// SMTP server for outgoing mail (`ENCORA_SMTP_URL`); none: the mailbox folder.
    pub smtp_url: Option<String>,
    /// The From address of outgoing mail.
    pub mail_from: String,
    /// The address users reach the app at, for links in emails.
    pub public_url: String,
    /// `ENCORA_TEST_CLOCK=1`: superadmins may move the platform clock forward.
    pub test_clock: bool,
    /// `ENCORA_WEBHOOKS_ALLOW_PRIVATE=1`: webhooks may target private addresses.
    pub webhooks_allow_private: bool,
}

impl axum::extract::FromRef<AppState> for leptos::config::LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
