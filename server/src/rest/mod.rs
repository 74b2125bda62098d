//! The JSON REST API under `/api/v1`. Handlers are thin: parse, call a service, answer.

mod admin;
mod auth;
mod creators;
mod health;
mod users;

use app::backend::error::AppError;
use app::backend::AppState;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .nest("/auth", auth::router())
        .nest("/users", users::router())
        .nest("/creators", creators::router())
        .nest("/admin", admin::router())
        // Unknown paths and wrong methods answer in the documented error shape,
        // never with an HTML page or an empty body.
        .fallback(|| async { AppError::not_found("Resource") })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
}
