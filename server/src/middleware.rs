//! Cross-cutting HTTP behaviour applied to every response.

use app::backend::auth::identity::Identity;
use app::backend::csp::STRICT_CSP;
use app::backend::error::AppError;
use app::backend::extract::IdentityMemo;
use app::backend::request_id;
use app::backend::services::idempotency::{self, Outcome};
use app::backend::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderName, HeaderValue};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;
use tower_http::set_header::SetResponseHeaderLayer;
use tracing::Instrument;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Gives the request its id (echoed as `X-Request-Id`, put in error bodies) and logs
/// it inside a span that carries the id.
pub async fn request_context(mut req: Request, next: Next) -> Response {
    // The page's server functions share one look-up of who is asking.
    req.extensions_mut().insert(IdentityMemo::default());
    let incoming = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok());
    let id = request_id::accept_or_generate(incoming);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let started = Instant::now();
    let mut response = request_id::scope(id.clone(), next.run(req))
        .instrument(span.clone())
        .await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "handled"
        )
    });
    response
}

/// Request body limits: `default` for every request, `upload` for the routes that take
/// files (avatars), so JSON endpoints keep their small limit.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    pub default: usize,
    pub upload: usize,
}

impl BodyLimits {
    fn for_request(&self, req: &Request) -> usize {
        let is_upload =
            req.method() == http::Method::PUT && req.uri().path() == "/api/v1/users/me/avatar";
        if is_upload {
            self.upload.max(self.default)
        } else {
            self.default
        }
    }
}

/// Refuses a body over its limit: at once when `Content-Length` says so, otherwise as
/// soon as the streamed body goes past it (the reader then fails with 413).
pub async fn body_limit(State(limits): State<BodyLimits>, req: Request, next: Next) -> Response {
    let limit = limits.for_request(&req);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return AppError::PayloadTooLarge.into_response();
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Security headers for every response. HTML pages set their own CSP (with the page's
/// nonce); everything else gets a policy that allows nothing to run.
pub fn security_headers() -> [SetResponseHeaderLayer<HeaderValue>; 5] {
    [
        SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(STRICT_CSP),
        ),
        SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ),
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
        ),
    ]
}

/// Under `/api/v1`, rewrites any error that did not come from an `AppError` (a
/// body-limit 413, an axum extractor rejection, …) into the documented `{code, message, request_id}` body, so a
/// client never has to parse two error formats.
pub async fn documented_errors(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Framework messages are one short line; more than this is not worth keeping.
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let explanation = String::from_utf8_lossy(&text).trim().to_string();
    let mut rewritten = AppError::from_status(status, explanation).into_response();
    for name in [http::header::ALLOW, http::header::RETRY_AFTER] {
        if let Some(value) = parts.headers.get(&name) {
            rewritten.headers_mut().insert(name, value.clone());
        }
    }
    rewritten
}

/// CSRF defence for cookie-authenticated writes: a state-changing request that carries
/// the session cookie (and no bearer token) must come from our own origin, as its
/// `Origin` (or, failing that, `Referer`) header shows. SameSite=Lax already stops most
/// cross-site posts; this also covers older browsers and same-site subdomains.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    use http::Method;
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let headers = req.headers();
    let cookie_authenticated = app::backend::extract::session_cookie(headers).is_some()
        && !headers.contains_key(header::AUTHORIZATION);
    if !safe && cookie_authenticated {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let source = headers
            .get(header::ORIGIN)
            .or_else(|| headers.get(header::REFERER))
            .and_then(|v| v.to_str().ok())
            .map(origin_authority);
        if host.is_none() || source != host {
            return AppError::Forbidden {
                code: "csrf_rejected",
                message: "This request did not come from this site.".into(),
            }
            .into_response();
        }
    }
    next.run(req).await
}

/// `https://example.com:8443/path` → `example.com:8443`.
fn origin_authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

/// What the idempotency middleware needs: the app, and the write operations that
/// exist (`METHOD /path/{template}` as in the OpenAPI document), so a request that
/// routing will refuse (405) never claims a key.
#[derive(Clone)]
pub struct IdempotencyScope {
    pub state: AppState,
    pub writes: Arc<HashSet<String>>,
    /// Where the API is mounted (`/api/v1`), stripped from matched paths.
    pub prefix: &'static str,
}

impl IdempotencyScope {
    pub fn new(state: AppState, doc: &utoipa::openapi::OpenApi, prefix: &'static str) -> Self {
        let writes = doc
            .paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                [
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, exists)| *exists)
                .map(move |(method, _)| format!("{method} {path}"))
            })
            .collect();
        IdempotencyScope {
            state,
            writes: Arc::new(writes),
            prefix,
        }
    }

    fn covers(&self, method: &http::Method, matched: Option<&MatchedPath>) -> bool {
        matched.is_some_and(|m| {
            let path = m.as_str().strip_prefix(self.prefix).unwrap_or(m.as_str());
            self.writes.contains(&format!("{method} {path}"))
        })
    }
}

/// `Idempotency-Key` on authenticated write operations under `/api/v1` (the rules are
/// in `services::idempotency`). Requests without the header, reads, methods the route
/// does not have, and requests without a valid identity pass straight through.
pub async fn idempotency_keys(
    State(scope): State<IdempotencyScope>,
    req: Request,
    next: Next,
) -> Response {
    let covered = scope.covers(req.method(), req.extensions().get::<MatchedPath>());
    let Some(key) = req.headers().get(idempotency::HEADER).filter(|_| covered) else {
        return next.run(req).await;
    };
    let state = &scope.state;
    let key = key.to_str().unwrap_or_default().to_owned();
    if let Err(error) = idempotency::validate_key(&key) {
        return error.into_response();
    }
    let (mut parts, body) = req.into_parts();
    let identity = match Identity::from_request_parts(&mut parts, state).await {
        Ok(identity) => identity,
        // The handler answers the unauthenticated request (401); nothing is remembered.
        Err(_) => return next.run(Request::from_parts(parts, body)).await,
    };
    // The body limit layer sits outside this one, so this read is bounded.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return AppError::PayloadTooLarge.into_response();
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let fingerprint = idempotency::fingerprint(parts.method.as_str(), path, &bytes);
    let user_id = identity.user_id;
    match idempotency::begin(state, user_id, &key, &fingerprint).await {
        Err(error) => return error.into_response(),
        Ok(Outcome::Replay { status, body }) => return replay(status, body),
        Ok(Outcome::Proceed) => {}
    }
    // If the client goes away mid-request the handler future is dropped; the guard
    // then gives the key back so a retry is not told "in use" for a day.
    let mut guard = ReleaseOnDrop(Some((state.clone(), user_id, key.clone())));
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    // Only our own answers are kept: JSON or empty. A framework rejection in plain text
    // (reworded by `documented_errors` further out) is not replayed.
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let replayable = !parts.status.is_server_error() && (is_json || bytes.is_empty());
    let stored = std::str::from_utf8(&bytes)
        .ok()
        .filter(|_| replayable)
        .map(|text| (parts.status.as_u16(), text));
    if let Err(error) = idempotency::finish(state, user_id, &key, stored).await {
        tracing::error!(%error, "could not record the idempotent response");
    }
    guard.disarm();
    Response::from_parts(parts, Body::from(bytes))
}

/// The stored answer, marked so the client can tell it was not produced afresh.
fn replay(status: u16, body: String) -> Response {
    let status = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    let has_body = !body.is_empty();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if has_body {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    } else {
        headers.remove(header::CONTENT_TYPE);
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

struct ReleaseOnDrop(Option<(AppState, uuid::Uuid, String)>);

impl ReleaseOnDrop {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for ReleaseOnDrop {
    fn drop(&mut self) {
        if let Some((state, user_id, key)) = self.0.take() {
            tokio::spawn(async move {
                let _ = idempotency::finish(&state, user_id, &key, None).await;
            });
        }
    }
}
