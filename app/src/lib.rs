//! Encora's application crate: the Leptos UI shared by server and browser, the server
//! functions that connect them, and (feature `ssr`) the backend behind both doors.
#![recursion_limit = "256"]

pub mod api;
pub mod model;
pub mod pages;
pub mod routes;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    backend::csp::provide_page_csp(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.ico"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                <App/>
            </body>
        </html>
    }
}

/// The root component: the same tree is rendered on the server and hydrated in the browser.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(ui::layout::InboxChanged(RwSignal::new(0)));

    view! {
        <Stylesheet id="leptos" href="/pkg/encora.css"/>
        <Title formatter=|text: String| {
            if text.is_empty() { "Encora".to_string() } else { format!("{text} · Encora") }
        }/>
        <Router>
            <ui::layout::SiteHeader/>
            <main id="main" class="mx-auto w-full max-w-7xl px-4 py-8 sm:px-6 lg:px-8">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("") view=pages::home::HomePage/>
                    <Route path=path!("/signin") view={Lazy::<routes::Entry>::new()}/>
                    <Route path=path!("/register") view={Lazy::<routes::Entry>::new()}/>
                    <Route path=path!("/verify-email") view={Lazy::<routes::Entry>::new()}/>
                    <Route path=path!("/forgot-password") view={Lazy::<routes::Entry>::new()}/>
                    <Route path=path!("/reset-password") view={Lazy::<routes::Entry>::new()}/>
                    <Route path=path!("/account") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/account/profiles") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/account/devices") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/account/notifications") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/account/privacy") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/account/billing") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/account/invoices/:id") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/c/:handle") view={Lazy::<routes::CreatorPublic>::new()}/>
                    <Route path=path!("/dashboard") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/dashboard/community") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/dashboard/campaigns") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/dashboard/members/:id") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/dashboard/tips") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/dashboard/tiers") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/dashboard/announcements") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/dashboard/webhooks") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/admin") view={Lazy::<routes::Admin>::new()}/>
                    <Route path=path!("/admin/users/:id") view={Lazy::<routes::Admin>::new()}/>
                    <Route path=path!("/admin/audit-log") view={Lazy::<routes::Admin>::new()}/>
                    <Route path=path!("/admin/plans") view={Lazy::<routes::Admin>::new()}/>
                    <Route path=path!("/admin/plans/:id") view={Lazy::<routes::Admin>::new()}/>
                    <Route path=path!("/admin/invoices") view={Lazy::<routes::Admin>::new()}/>
                    <Route path=path!("/admin/gift-cards") view={Lazy::<routes::Admin>::new()}/>
                    <Route path=path!("/admin/coupons") view={Lazy::<routes::Admin>::new()}/>
                </Routes>
            </main>
            <ui::layout::SiteFooter/>
        </Router>
    }
}
