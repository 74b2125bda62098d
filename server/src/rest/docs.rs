//! The API's own documentation: the OpenAPI document at `/api/v1/openapi.json` and an
//! interactive reference at `/api/docs` (Swagger UI, served from this app's own files
//! so it works with no internet).

use app::backend::AppState;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use http::header::{self, HeaderValue};

/// `GET /openapi.json` (under `/api/v1`), serialised once at start-up.
pub fn router(doc: &utoipa::openapi::OpenApi) -> Router<AppState> {
    let json = doc
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    Router::new().route(
        "/openapi.json",
        get(move || {
            let json = json.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], json) }
        }),
    )
}

/// Swagger UI sets inline styles, so this page relaxes `style-src`; scripts still come
/// only from this origin.
const REFERENCE_CSP: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// `GET /api/docs`.
pub async fn reference_page() -> impl IntoResponse {
    (
        [(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(REFERENCE_CSP),
        )],
        Html(include_str!("docs.html")),
    )
}
