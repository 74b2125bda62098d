//! Server-rendered pages: shell, titles, CSP with the page's nonce, the 404 page.

use crate::helpers::{test_config, TestApp};
use app::backend::clock::Clock;
use app::backend::AppState;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::time::Duration;

on_both_backends!(
    home_page_is_rendered_with_a_nonce_csp,
    unknown_page_is_a_404_page,
    every_listed_page_renders_its_own_page,
    pages_render_while_other_apps_build_their_routers
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

/// Every page the router lists (`app/src/lib.rs`) is one its area knows
/// (`app/src/routes.rs` picks the page from the matched path): none of them may fall
/// through to the "not found" page. Signed out, each shows its own page (most ask to
/// sign in) with its heading, and a status other than 404.
async fn every_listed_page_renders_its_own_page(app: TestApp) {
    let id = "01a2492a-0000-7000-8000-000000000000";
    let pages = [
        "/signin".to_string(),
        "/register".into(),
        "/verify-email".into(),
        "/forgot-password".into(),
        "/reset-password".into(),
        "/account".into(),
        "/account/profiles".into(),
        "/account/devices".into(),
        "/account/notifications".into(),
        "/account/privacy".into(),
        "/account/billing".into(),
        format!("/account/invoices/{id}"),
        "/c/nobody".into(),
        "/dashboard".into(),
        "/dashboard/".into(),
        "/dashboard/community".into(),
        "/dashboard/campaigns".into(),
        format!("/dashboard/members/{id}"),
        "/dashboard/tips".into(),
        "/dashboard/tiers".into(),
        "/dashboard/announcements".into(),
        "/dashboard/webhooks".into(),
        "/admin".into(),
        format!("/admin/users/{id}"),
        "/admin/audit-log".into(),
        "/admin/plans".into(),
        format!("/admin/plans/{id}"),
        "/admin/invoices".into(),
        "/admin/gift-cards".into(),
        "/admin/coupons".into(),
    ];
    let mut wrong = Vec::new();
    for path in pages {
        let response = app.get(&path).await;
        let status = response.status();
        let html = response.text().await.unwrap();
        // A page streams its loading state, then what replaces it: a heading may be
        // in both, so at least one (the browser tests count them in the page).
        let h1s = html.matches("<h1").count();
        if status == 404 || html.contains("Page not found") || h1s == 0 {
            wrong.push(format!("{path}: {status}, {h1s} h1"));
        }
    }
    assert!(
        wrong.is_empty(),
        "not a page of its own with a heading: {wrong:#?}"
    );
}

/// Another app starting in the same process (the tests start hundreds) must not hold
/// back the data of a page being rendered. Generating the route list renders the app
/// with every resource load suppressed, process-wide, while it runs; a page whose
/// resource was made meanwhile waited forever (a CI run failed so).
async fn pages_render_while_other_apps_build_their_routers(app: TestApp) {
    let config = test_config("127.0.0.1:0".parse().unwrap(), std::env::temp_dir());
    let options = server::router::leptos_options(&config);
    let state = AppState::new(app.db.clone(), Clock::system(), config.settings(), options)
        .await
        .unwrap();
    let building = Arc::new(AtomicBool::new(true));
    let builder = tokio::task::spawn_blocking({
        let building = building.clone();
        move || {
            let mut built = 0;
            while building.load(SeqCst) {
                drop(server::router::build(&config, state.clone()));
                built += 1;
            }
            built
        }
    });
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    for _ in 0..20 {
        let response = impatient.get(app.url("/")).send().await;
        let page = match response {
            Ok(response) => response.text().await,
            Err(error) => Err(error),
        };
        if page.is_err() {
            building.store(false, SeqCst);
        }
        let page = page.expect("the page is answered while other routers are built");
        assert!(page.contains("<h1"), "the whole page");
    }
    building.store(false, SeqCst);
    assert!(builder.await.unwrap() > 0, "routers were built meanwhile");
}
