//! The one router: REST API under `/api/v1`, server functions, SSR pages, static files.

use crate::config::Config;
use crate::middleware;
use crate::rest;
use app::backend::AppState;
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower::ServiceBuilder;
use tower_http::compression::predicate::{And, DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Options for the Leptos side. Set here rather than from cargo-leptos' build-time
/// variables so the binary behaves the same however it was built (tests included).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") | Ok("development") => Env::DEV,
        _ => Env::PROD,
    };
    LeptosOptions::builder()
        .output_name("encora")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(env)
        .build()
}

/// The pages' routes, generated once per process. Generating them renders the app
/// with every resource load suppressed process-wide (leptos_server's
/// `SuppressResourceLoad` is a global flag, not scoped to the render), so a page that
/// another router of the process rendered meanwhile waited forever for its data. The
/// server builds one router, but the API tests build one per test while others serve.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Compression of what the server makes per request: pages, JSON, CSV. gzip at its
/// fastest level; the static files under `/pkg` are compressed once at build time
/// (brotli and gzip beside each file) and served as they are. Brotli at its default
/// quality (11), which the layer used when a browser offered it, took 10.4 ms of CPU
/// for a dashboard page that renders in 2.3; on the same 72 KB page, gzip level 1
/// takes about 0.1 ms for 13 KB and brotli's fastest 0.2 ms for 12 KB. Bodies under
/// 1 KiB (errors, health) go as they are: they fit in one packet, and gzip saves them
/// a few bytes (the 53-byte health answer becomes 38) for a compressor set up per
/// response (docs/benchmarks.md, session 47). Brotli is turned off by name, not only
/// left out of tower-http's features: another crate asking for that feature would
/// otherwise bring quality 11 back unseen.
fn dynamic_compression() -> CompressionLayer<And<DefaultPredicate, SizeAbove>> {
    CompressionLayer::new()
        .no_br()
        .quality(CompressionLevel::Fastest)
        .compress_when(DefaultPredicate::new().and(SizeAbove::new(1024)))
}

/// Builds the full application around `state` (see [`leptos_options`]).
pub fn build(config: &Config, state: AppState) -> Router {
    let routes = page_routes();
    let options = state.leptos_options.clone();

    let (api, doc) = rest::router();
    let idempotency = middleware::IdempotencyScope::new(state.clone(), &doc, "/api/v1");
    let router = Router::new()
        .nest(
            "/api/v1",
            api.route_layer(axum::middleware::from_fn_with_state(
                idempotency,
                middleware::idempotency_keys,
            )),
        )
        .route("/api/docs", get(rest::docs::reference_page))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn(middleware::request_context))
                .layer(dynamic_compression())
                .layer(axum::middleware::from_fn(middleware::documented_errors))
                .layer(axum::middleware::from_fn(middleware::same_origin_writes))
                .layer(axum::middleware::from_fn_with_state(
                    middleware::BodyLimits {
                        default: config.max_body_bytes,
                        // The file plus room for the multipart framing.
                        upload: app::backend::services::avatar::MAX_BYTES + 64 * 1024,
                    },
                    middleware::body_limit,
                )),
        );
    middleware::security_headers()
        .into_iter()
        .fold(router, |router, layer| router.layer(layer))
}
