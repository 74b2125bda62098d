//! Encora's application crate: the Leptos UI shared by server and browser, the server
//! functions that connect them, and (feature `ssr`) the backend behind both doors.
#![recursion_limit = "256"]

pub mod api;
pub mod model;
pub mod pages;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
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
                    <Route path=path!("/signin") view=pages::signin::SignInPage/>
                    <Route path=path!("/register") view=pages::register::RegisterPage/>
                    <Route path=path!("/verify-email") view=pages::verify_email::VerifyEmailPage/>
                    <Route path=path!("/forgot-password") view=pages::password_reset::ForgotPasswordPage/>
                    <Route path=path!("/reset-password") view=pages::password_reset::ResetPasswordPage/>
                    <Route path=path!("/account") view=pages::account::AccountHome/>
                    <Route path=path!("/account/profiles") view=pages::profiles::ProfilesPage/>
                    <Route path=path!("/account/devices") view=pages::devices::DevicesPage/>
                    <Route path=path!("/account/notifications") view=pages::notifications::NotificationsPage/>
                    <Route path=path!("/account/privacy") view=pages::privacy::PrivacyPage/>
                    <Route path=path!("/account/billing") view=pages::billing::BillingPage/>
                    <Route path=path!("/account/invoices/:id") view=pages::invoice::InvoicePage/>
                    <Route path=path!("/c/:handle") view=pages::creator_page::CreatorPublicPage/>
                    <Route path=path!("/dashboard") view=pages::dashboard::DashboardHome/>
                    <Route path=path!("/dashboard/community") view=pages::community::CommunityPage/>
                    <Route path=path!("/dashboard/campaigns") view=pages::campaigns::CampaignsPage/>
                    <Route path=path!("/dashboard/members/:id") view=pages::member::MemberPage/>
                    <Route path=path!("/dashboard/tips") view=pages::tip_jars::TipJarsPage/>
                    <Route path=path!("/dashboard/tiers") view=pages::tiers::TiersPage/>
                    <Route path=path!("/dashboard/announcements") view=pages::announcements::AnnouncementsPage/>
                    <Route path=path!("/dashboard/webhooks") view=pages::webhooks::WebhooksPage/>
                    <Route path=path!("/admin") view=pages::admin::AdminHome/>
                    <Route path=path!("/admin/users/:id") view=pages::admin_user::AdminUserPage/>
                    <Route path=path!("/admin/audit-log") view=pages::audit_log::AuditLogPage/>
                    <Route path=path!("/admin/plans") view=pages::admin_plans::AdminPlansPage/>
                    <Route path=path!("/admin/plans/:id") view=pages::admin_plans::AdminPlanPage/>
                    <Route path=path!("/admin/invoices") view=pages::admin_invoices::AdminInvoicesPage/>
                    <Route path=path!("/admin/gift-cards") view=pages::admin_gift_cards::AdminGiftCardsPage/>
                    <Route path=path!("/admin/coupons") view=pages::admin_coupons::AdminCouponsPage/>
                </Routes>
            </main>
            <ui::layout::SiteFooter/>
        </Router>
    }
}
