//! The conventions every `/api/v1` response follows.

use crate::helpers::{assert_error, TestApp};

on_both_backends!(
    health_reports_status_version_and_database,
    unknown_api_path_is_a_json_404,
    wrong_method_is_a_json_405,
    request_id_is_generated_or_echoed,
    api_responses_carry_security_headers,
    responses_are_compressed_with_gzip_when_asked,
    oversized_body_is_a_json_413,
);

async fn health_reports_status_version_and_database(app: TestApp) {
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["database"], app.db.kind().as_str());
}

async fn unknown_api_path_is_a_json_404(app: TestApp) {
    let body = assert_error(app.get("/api/v1/no-such-thing").await, 404, "not_found").await;
    assert!(body.get("details").is_none());
    assert_error(app.get("/api/v1/health/extra").await, 404, "not_found").await;
}

async fn wrong_method_is_a_json_405(app: TestApp) {
    let response = app
        .client
        .delete(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_error(response, 405, "method_not_allowed").await;
}

async fn request_id_is_generated_or_echoed(app: TestApp) {
    let generated = app.get("/api/v1/health").await;
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "a fresh id is a UUID, got {id}"
    );

    let echoed = app
        .client
        .get(app.url("/api/v1/health"))
        .header("x-request-id", "trace-abc_123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "trace-abc_123");

    let unsafe_id = app
        .client
        .get(app.url("/api/v1/nope"))
        .header("x-request-id", "has spaces and <html>")
        .send()
        .await
        .unwrap();
    let replaced = unsafe_id.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(replaced, "has spaces and <html>");
    let body: serde_json::Value = unsafe_id.json().await.unwrap();
    assert_eq!(body["request_id"], replaced.as_str());
}

async fn api_responses_carry_security_headers(app: TestApp) {
    let response = app.get("/api/v1/health").await;
    let h = response.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert_eq!(h["x-frame-options"], "DENY");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

/// Pages and JSON go out gzipped to a client that accepts gzip, browsers included
/// (they offer brotli first); brotli is left to the static files compressed at build
/// time, so a client that accepts only brotli gets a page as it is. Bodies under 1 KiB
/// go as they are.
async fn responses_are_compressed_with_gzip_when_asked(app: TestApp) {
    for (path, accepted, sent) in [
        ("/", "gzip, deflate, br, zstd", Some("gzip")),
        ("/", "gzip", Some("gzip")),
        ("/", "br", None),
        ("/api/v1/health", "gzip", None),
    ] {
        let response = app
            .client
            .get(app.url(path))
            .header("accept-encoding", accepted)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let encoding = response.headers().get("content-encoding");
        assert_eq!(
            encoding.map(|e| e.to_str().unwrap()),
            sent,
            "{path} {accepted}"
        );
    }
}

async fn oversized_body_is_a_json_413(app: TestApp) {
    // The test app accepts 64 KiB; send more.
    let response = app
        .client
        .post(app.url("/api/v1/health"))
        .header("content-type", "application/json")
        .body(vec![b' '; 200 * 1024])
        .send()
        .await
        .unwrap();
    assert_error(response, 413, "payload_too_large").await;
}

/// The OpenAPI document is 3.1, lists every API route with its error responses and
/// security, and the reference page is served with a strict script policy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_the_api() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .unwrap();
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    for (path, method) in [
        ("/health", "get"),
        ("/auth/register", "post"),
        ("/auth/login", "post"),
        ("/auth/refresh", "post"),
        ("/auth/logout", "post"),
        ("/users/me", "get"),
        ("/creators", "post"),
        ("/creators/{creator_id}/team/{user_id}", "delete"),
        ("/admin/sandbox/clock", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let me = &doc["paths"]["/users/me"]["get"];
    assert_eq!(me["security"][0]["bearer"], serde_json::json!([]));
    assert_eq!(
        me["responses"]["401"]["$ref"],
        "#/components/responses/Error401"
    );
    let create = &doc["paths"]["/creators"]["post"];
    let params = create["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["name"] == "Idempotency-Key"));
    assert!(create["responses"]["422"].is_object());
    assert_eq!(
        doc["components"]["schemas"]["ErrorBody"]["required"],
        serde_json::json!(["code", "message", "request_id"])
    );

    let page = app.get("/api/docs").await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(page.text().await.unwrap().contains("/api-docs/init.js"));
}
