//! The pages that load their code when they are first shown, one area at a time.
//!
//! Each area below is a split point: `cargo leptos build --split` moves the code only its
//! pages reach into wasm files of their own, which the browser fetches when it first
//! navigates into the area (and the server names in preload links when it renders one of
//! its pages). The first page a visitor opens thus downloads the shared code and its own
//! area, not all of them. Only the home page and "not found" stay in the main bundle:
//! even the sign-in and registration forms load with their area, as each form carries
//! its own decoding.
//!
//! Areas, not pages, are the split points because the splitter gives the code each set
//! of split points shares a file of its own: with a split point per page (29) the
//! dashboard's overview needed 211 files, most of them a few hundred bytes, each a
//! request for the browser and a preload link in every render (docs/benchmarks.md,
//! session 35). Within an area the router has already matched the path against the
//! table in `lib.rs`; the area only picks which of its pages that path names.

use crate::pages;
use leptos::prelude::*;
use leptos_router::hooks::use_matched;
use leptos_router::{lazy_route, LazyRoute};

/// The path the router matched, below `area` and without a trailing slash. Read when the
/// route is chosen or preloaded (before its code loads), from the route's own match: the
/// router's location may still be the page being left.
fn path_within(area: &str) -> String {
    let path = use_matched().get_untracked();
    path.strip_prefix(area)
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string()
}

/// A path the area's routes in `lib.rs` send here but the area does not know: the two
/// lists disagree, so say so the way any unknown path does.
fn unknown() -> AnyView {
    view! { <pages::not_found::NotFound/> }.into_any()
}

/// Signing in and out of an account: sign-in, registration, email verification and
/// password reset. Their forms' code stays out of the bundle every first page downloads
/// (the home page's, above all).
pub struct Entry(String);

#[lazy_route]
impl LazyRoute for Entry {
    fn data() -> Self {
        Self(path_within(""))
    }

    fn view(this: Self) -> AnyView {
        match this.0.as_str() {
            "/signin" => view! { <pages::signin::SignInPage/> }.into_any(),
            "/register" => view! { <pages::register::RegisterPage/> }.into_any(),
            "/verify-email" => view! { <pages::verify_email::VerifyEmailPage/> }.into_any(),
            "/forgot-password" => view! { <pages::password_reset::ForgotPasswordPage/> }.into_any(),
            "/reset-password" => view! { <pages::password_reset::ResetPasswordPage/> }.into_any(),
            _ => unknown(),
        }
    }
}

/// The subscriber's account pages under `/account`.
pub struct Account(String);

#[lazy_route]
impl LazyRoute for Account {
    fn data() -> Self {
        Self(path_within("/account"))
    }

    fn view(this: Self) -> AnyView {
        match this.0.as_str() {
            "" => view! { <pages::account::AccountHome/> }.into_any(),
            "/profiles" => view! { <pages::profiles::ProfilesPage/> }.into_any(),
            "/devices" => view! { <pages::devices::DevicesPage/> }.into_any(),
            "/notifications" => view! { <pages::notifications::NotificationsPage/> }.into_any(),
            "/privacy" => view! { <pages::privacy::PrivacyPage/> }.into_any(),
            "/billing" => view! { <pages::billing::BillingPage/> }.into_any(),
            p if p.starts_with("/invoices/") => view! { <pages::invoice::InvoicePage/> }.into_any(),
            _ => unknown(),
        }
    }
}

/// A creator's public page, `/c/:handle`.
pub struct CreatorPublic;

#[lazy_route]
impl LazyRoute for CreatorPublic {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::creator_page::CreatorPublicPage/> }.into_any()
    }
}

/// The creator dashboard's pages under `/dashboard`.
pub struct Dashboard(String);

#[lazy_route]
impl LazyRoute for Dashboard {
    fn data() -> Self {
        Self(path_within("/dashboard"))
    }

    fn view(this: Self) -> AnyView {
        match this.0.as_str() {
            "" => view! { <pages::dashboard::DashboardHome/> }.into_any(),
            "/community" => view! { <pages::community::CommunityPage/> }.into_any(),
            "/campaigns" => view! { <pages::campaigns::CampaignsPage/> }.into_any(),
            "/tips" => view! { <pages::tip_jars::TipJarsPage/> }.into_any(),
            "/tiers" => view! { <pages::tiers::TiersPage/> }.into_any(),
            "/announcements" => view! { <pages::announcements::AnnouncementsPage/> }.into_any(),
            "/webhooks" => view! { <pages::webhooks::WebhooksPage/> }.into_any(),
            p if p.starts_with("/members/") => view! { <pages::member::MemberPage/> }.into_any(),
            _ => unknown(),
        }
    }
}

/// The admin console's pages under `/admin`.
pub struct Admin(String);

#[lazy_route]
impl LazyRoute for Admin {
    fn data() -> Self {
        Self(path_within("/admin"))
    }

    fn view(this: Self) -> AnyView {
        match this.0.as_str() {
            "" => view! { <pages::admin::AdminHome/> }.into_any(),
            "/audit-log" => view! { <pages::audit_log::AuditLogPage/> }.into_any(),
            "/plans" => view! { <pages::admin_plans::AdminPlansPage/> }.into_any(),
            "/invoices" => view! { <pages::admin_invoices::AdminInvoicesPage/> }.into_any(),
            "/gift-cards" => view! { <pages::admin_gift_cards::AdminGiftCardsPage/> }.into_any(),
            "/coupons" => view! { <pages::admin_coupons::AdminCouponsPage/> }.into_any(),
            p if p.starts_with("/users/") => {
                view! { <pages::admin_user::AdminUserPage/> }.into_any()
            }
            p if p.starts_with("/plans/") => {
                view! { <pages::admin_plans::AdminPlanPage/> }.into_any()
            }
            _ => unknown(),
        }
    }
}
