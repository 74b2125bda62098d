//! The OpenAPI 3.1 document. Paths and schemas come from the handlers' `#[utoipa::path]`
//! attributes (collected by `utoipa_axum::routes!` as the routes are registered); this
//! module adds what every operation shares: the bearer scheme, the error body, the
//! `Idempotency-Key` header, and the error responses the conventions produce anywhere.

use app::backend::error::{ErrorBody, FieldError};
use utoipa::openapi::path::{HttpMethod, Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, ObjectBuilder, OpenApi, Ref, Required, Type};
use utoipa::OpenApi as _;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Encora API",
        description = "Creator memberships and subscriber billing. Errors always have the \
                       body `{code, message, request_id, details?}`; lists page by cursor.",
    ),
    components(schemas(ErrorBody, FieldError))
)]
struct ApiDoc;

/// The base document the routes are added to.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// The shared error responses, by status; operations refer to them.
const ERRORS: [(&str, &str); 10] = [
    (
        "400",
        "Invalid request: malformed JSON, wrong types, or invalid fields (`details`).",
    ),
    ("401", "Missing, invalid, expired or revoked access token."),
    ("403", "Authenticated, but not allowed to do this."),
    ("404", "No such resource (or not visible to the caller)."),
    (
        "409",
        "Conflicts with the current state, or the Idempotency-Key is still in use.",
    ),
    ("413", "The request body is too large."),
    ("415", "The request body must be `application/json`."),
    (
        "422",
        "The Idempotency-Key was used with a different request.",
    ),
    ("429", "Too many attempts; see `Retry-After`."),
    (
        "500",
        "Unexpected server error; it has been logged with the request id.",
    ),
];

/// Adds the conventions to a finished document (call after all routes are in).
pub fn finish(mut doc: OpenApi) -> OpenApi {
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "Access token from /auth/login, /auth/register or /auth/refresh.",
                ))
                .build(),
        ),
    );
    for (status, description) in ERRORS {
        components.responses.insert(
            format!("Error{status}"),
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                )
                .build()
                .into(),
        );
    }
    for item in doc.paths.paths.values_mut() {
        for (method, operation) in operations(item) {
            add_conventions(method, operation);
        }
    }
    doc
}

fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (HttpMethod, &mut Operation)> {
    [
        (HttpMethod::Get, item.get.as_mut()),
        (HttpMethod::Post, item.post.as_mut()),
        (HttpMethod::Put, item.put.as_mut()),
        (HttpMethod::Patch, item.patch.as_mut()),
        (HttpMethod::Delete, item.delete.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.map(|op| (method, op)))
}

fn add_conventions(method: HttpMethod, operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = operation.request_body.is_some();
    let has_input = has_body || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let writes = matches!(
        method,
        HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch | HttpMethod::Delete
    );
    let mut statuses = vec!["500"];
    if has_input {
        statuses.push("400");
    }
    if has_body {
        statuses.extend(["413", "415"]);
    }
    if secured {
        statuses.push("401");
    }
    if secured && writes {
        // Idempotency-Key: a bad key is a 400, a running duplicate 409, a reused key 422.
        statuses.extend(["400", "409", "422"]);
        operation.parameters.get_or_insert_with(Vec::new).push(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Makes the write safely retryable: a replay within 24 h returns the \
                     stored response (with `Idempotent-Replayed: true`).",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255))
                        .pattern(Some("^[\\x21-\\x7e]+$")),
                ))
                .build(),
        );
    }
    for status in statuses {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| Ref::new(format!("#/components/responses/Error{status}")).into());
    }
}
