//! Content-Security-Policy for server-rendered pages.
//!
//! The hydration loader is an inline module script, so pages carry a fresh nonce;
//! everything else must come from our own origin. `frame-ancestors` only works as a
//! header, which is why this sets the header rather than a `<meta>` tag.

use leptos::config::{Env, LeptosOptions};
use leptos::nonce::{provide_nonce, use_nonce};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Policy for responses that are not HTML pages (JSON, files): nothing may run.
pub const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Creates this page's nonce (used by the hydration scripts) and sets the matching header.
pub fn provide_page_csp(options: &LeptosOptions) {
    provide_nonce();
    let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) else {
        return;
    };
    // `cargo leptos watch` reloads the page over a websocket on the reload port.
    let live_reload = match options.env {
        Env::DEV => format!(
            " ws://127.0.0.1:{port} ws://localhost:{port}",
            port = options.reload_port
        ),
        Env::PROD => String::new(),
    };
    // `blob:` images are files the user picked, previewed before upload (an object
    // URL only this page could create).
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; font-src 'self'; \
         connect-src 'self'{live_reload}; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
