//! Server-rendered pages: shell, titles, CSP with the page's nonce, the 404 page.

use crate::helpers::TestApp;

on_both_backends!(
    home_page_is_rendered_with_a_nonce_csp,
    unknown_page_is_a_404_page
);

async fn home_page_is_rendered_with_a_nonce_csp(app: TestApp) {
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    assert!(html.contains("<title>"), "has a title");
    assert_eq!(html.matches("<h1").count(), 1, "exactly one h1");
    assert!(
        html.contains("/pkg/encora.js"),
        "loads the wasm bundle's JS"
    );

    // The nonce in the header must be the one on the page's inline scripts.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("script-src carries a nonce");
    assert!(nonce.len() >= 16, "nonce is long enough: {nonce}");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the header's nonce"
    );
    assert!(csp.contains("frame-ancestors 'none'"));

    // A second request gets a different nonce.
    let again = app.get("/").await;
    let csp2 = again.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp2.contains(nonce), "nonces are never reused");
}

async fn unknown_page_is_a_404_page(app: TestApp) {
    let response = app.get("/definitely/not/here").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page not found"));
}
