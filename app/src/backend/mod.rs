//! Everything that only exists on the server: storage, services, security plumbing.

pub mod auth;
pub mod csp;
pub mod db;
pub mod domain;
pub mod error;
pub mod request_id;
pub mod services;
pub mod store;

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    /// Where the compiled site lives and how pages link to it.
    pub leptos_options: leptos::config::LeptosOptions,
}

impl axum::extract::FromRef<AppState> for leptos::config::LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
