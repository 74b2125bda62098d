//! Request extractors shared by every REST handler: JSON bodies with documented errors,
//! the caller's identity, and where the request came from.

use super::auth::identity::{self, Identity};
use super::error::{AppError, FieldError};
use super::services::auth::ClientContext;
use super::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use http::request::Parts;
use http::{header, StatusCode};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use std::sync::Arc;

/// A JSON body. Wrong content type → 415; unreadable or too large → 400/413;
/// malformed JSON → 400 `invalid_json`; anything but an object, wrong, missing or
/// unknown fields → 400 `validation_error` naming the field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(AppError::UnsupportedMediaType {
                expected: "application/json",
            });
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest {
                    code: "invalid_body",
                    message: e.body_text(),
                }
            }
        })?;
        let invalid_json = |e: serde_json::Error| AppError::BadRequest {
            code: "invalid_json",
            message: format!("The body is not valid JSON: {e}"),
        };
        // Every request body is an object; serde would also read a struct from an array
        // (`[]` as a struct of defaults).
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|b| *b != b'{') {
            return match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
                Ok(_) => Err(AppError::Validation(vec![FieldError::new(
                    "body",
                    "must be a JSON object",
                )])),
                Err(e) => Err(invalid_json(e)),
            };
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            // Trailing bytes after the value are malformed JSON too.
            Ok(value) => de.end().map(|()| ApiJson(value)).map_err(invalid_json),
            Err(err) => {
                let path = err.path().to_string();
                let inner = err.into_inner();
                match inner.classify() {
                    serde_json::error::Category::Data => {
                        let field = if path == "." {
                            "body".to_string()
                        } else {
                            path
                        };
                        Err(AppError::Validation(vec![FieldError::new(
                            field,
                            inner.to_string(),
                        )]))
                    }
                    _ => Err(invalid_json(inner)),
                }
            }
        }
    }
}

impl FromRequestParts<AppState> for Identity {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        identify(parts, state).await
    }
}

/// A read-only request's caller, authenticated on the connection its handler then
/// reads through ([`AppState::holding`]): one connection taken from the pool instead
/// of two. Only handlers that write nothing take one. An API request has no other
/// task that could be checking its caller meanwhile (the idempotency middleware is
/// done before the handler), so holding first cannot wait on the pool; pages check
/// first instead (`server_side::reading`).
pub struct Reading {
    pub state: AppState,
    pub identity: Identity,
}

impl FromRequestParts<AppState> for Reading {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let state = state.holding().await?;
        let identity = identify(parts, &state).await?;
        Ok(Reading { state, identity })
    }
}

/// The request's identity, from its memo when the middleware gave it one.
async fn identify(parts: &Parts, state: &AppState) -> Result<Identity, AppError> {
    match parts.extensions.get::<IdentityMemo>().cloned() {
        Some(IdentityMemo(memo)) => memo
            .get_or_try_init(|| resolve(parts, state))
            .await
            .cloned(),
        None => resolve(parts, state).await,
    }
}

/// The identity of one request, resolved once however many ask for it: a page rendered
/// on the server runs a dozen server functions, and an API request with an idempotency
/// key is identified by the middleware before its handler. Only a success is kept.
#[derive(Clone, Default)]
pub struct IdentityMemo(Arc<tokio::sync::OnceCell<Identity>>);

/// A bearer token when one is sent (API clients), otherwise the session cookie.
async fn resolve(parts: &Parts, state: &AppState) -> Result<Identity, AppError> {
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    if let Some(token) = bearer {
        return identity::authenticate(&state.db, &state.keys, &state.clock, token.trim()).await;
    }
    let cookie = session_cookie(&parts.headers).ok_or(AppError::Unauthorized)?;
    identity::authenticate_web(&state.db, &state.clock, &cookie).await
}

impl<S: Send + Sync> FromRequestParts<S> for ClientContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect());
        Ok(ClientContext { ip, user_agent })
    }
}

/// The value of the session cookie, if the request carries one.
pub fn session_cookie(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == identity::SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}
