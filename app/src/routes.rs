//! The pages that load their code when they are first shown.
//!
//! Each route below is a split point: `cargo leptos build --split` moves the code only its
//! page reaches into a wasm file of its own, which the browser fetches when it navigates
//! there (and the server names in a preload link when it renders that page). The first
//! page a visitor opens thus downloads the shared code and its own page, not all three
//! areas. Only the home page and "not found" stay in the main bundle: even the sign-in
//! and registration forms load with their page, as each form carries its own decoding.
//!
//! The routes are written out one by one on purpose: `#[lazy_route]` names each split
//! point after the place it is written, so a macro generating them would give every
//! route the same name.

use crate::pages;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `AccountHome`, loaded on first visit.
pub struct Account;

#[lazy_route]
impl LazyRoute for Account {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::account::AccountHome/> }.into_any()
    }
}

/// `ProfilesPage`, loaded on first visit.
pub struct Profiles;

#[lazy_route]
impl LazyRoute for Profiles {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::profiles::ProfilesPage/> }.into_any()
    }
}

/// `DevicesPage`, loaded on first visit.
pub struct Devices;

#[lazy_route]
impl LazyRoute for Devices {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::devices::DevicesPage/> }.into_any()
    }
}

/// `NotificationsPage`, loaded on first visit.
pub struct Notifications;

#[lazy_route]
impl LazyRoute for Notifications {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::notifications::NotificationsPage/> }.into_any()
    }
}

/// `PrivacyPage`, loaded on first visit.
pub struct Privacy;

#[lazy_route]
impl LazyRoute for Privacy {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::privacy::PrivacyPage/> }.into_any()
    }
}

/// `BillingPage`, loaded on first visit.
pub struct Billing;

#[lazy_route]
impl LazyRoute for Billing {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::billing::BillingPage/> }.into_any()
    }
}

/// `InvoicePage`, loaded on first visit.
pub struct Invoice;

#[lazy_route]
impl LazyRoute for Invoice {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::invoice::InvoicePage/> }.into_any()
    }
}

/// `CreatorPublicPage`, loaded on first visit.
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

/// `DashboardHome`, loaded on first visit.
pub struct Dashboard;

#[lazy_route]
impl LazyRoute for Dashboard {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::dashboard::DashboardHome/> }.into_any()
    }
}

/// `CommunityPage`, loaded on first visit.
pub struct Community;

#[lazy_route]
impl LazyRoute for Community {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::community::CommunityPage/> }.into_any()
    }
}

/// `CampaignsPage`, loaded on first visit.
pub struct Campaigns;

#[lazy_route]
impl LazyRoute for Campaigns {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::campaigns::CampaignsPage/> }.into_any()
    }
}

/// `MemberPage`, loaded on first visit.
pub struct Member;

#[lazy_route]
impl LazyRoute for Member {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::member::MemberPage/> }.into_any()
    }
}

/// `TipJarsPage`, loaded on first visit.
pub struct TipJars;

#[lazy_route]
impl LazyRoute for TipJars {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::tip_jars::TipJarsPage/> }.into_any()
    }
}

/// `TiersPage`, loaded on first visit.
pub struct Tiers;

#[lazy_route]
impl LazyRoute for Tiers {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::tiers::TiersPage/> }.into_any()
    }
}

/// `AnnouncementsPage`, loaded on first visit.
pub struct Announcements;

#[lazy_route]
impl LazyRoute for Announcements {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::announcements::AnnouncementsPage/> }.into_any()
    }
}

/// `WebhooksPage`, loaded on first visit.
pub struct Webhooks;

#[lazy_route]
impl LazyRoute for Webhooks {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::webhooks::WebhooksPage/> }.into_any()
    }
}

/// `AdminHome`, loaded on first visit.
pub struct Admin;

#[lazy_route]
impl LazyRoute for Admin {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::admin::AdminHome/> }.into_any()
    }
}

/// `AdminUserPage`, loaded on first visit.
pub struct AdminUser;

#[lazy_route]
impl LazyRoute for AdminUser {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::admin_user::AdminUserPage/> }.into_any()
    }
}

/// `AuditLogPage`, loaded on first visit.
pub struct AuditLog;

#[lazy_route]
impl LazyRoute for AuditLog {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::audit_log::AuditLogPage/> }.into_any()
    }
}

/// `AdminPlansPage`, loaded on first visit.
pub struct AdminPlans;

#[lazy_route]
impl LazyRoute for AdminPlans {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::admin_plans::AdminPlansPage/> }.into_any()
    }
}

/// `AdminPlanPage`, loaded on first visit.
pub struct AdminPlan;

#[lazy_route]
impl LazyRoute for AdminPlan {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::admin_plans::AdminPlanPage/> }.into_any()
    }
}

/// `AdminInvoicesPage`, loaded on first visit.
pub struct AdminInvoices;

#[lazy_route]
impl LazyRoute for AdminInvoices {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::admin_invoices::AdminInvoicesPage/> }.into_any()
    }
}

/// `AdminGiftCardsPage`, loaded on first visit.
pub struct AdminGiftCards;

#[lazy_route]
impl LazyRoute for AdminGiftCards {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::admin_gift_cards::AdminGiftCardsPage/> }.into_any()
    }
}

/// `AdminCouponsPage`, loaded on first visit.
pub struct AdminCoupons;

#[lazy_route]
impl LazyRoute for AdminCoupons {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::admin_coupons::AdminCouponsPage/> }.into_any()
    }
}

/// `SignInPage`, loaded on first visit: its form's code stays out of the bundle every
/// first page downloads (the home page's, above all).
pub struct SignIn;

#[lazy_route]
impl LazyRoute for SignIn {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::signin::SignInPage/> }.into_any()
    }
}

/// `RegisterPage`, loaded on first visit.
pub struct Register;

#[lazy_route]
impl LazyRoute for Register {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::register::RegisterPage/> }.into_any()
    }
}

/// `VerifyEmailPage`, loaded on first visit.
pub struct VerifyEmail;

#[lazy_route]
impl LazyRoute for VerifyEmail {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::verify_email::VerifyEmailPage/> }.into_any()
    }
}

/// `ForgotPasswordPage`, loaded on first visit.
pub struct ForgotPassword;

#[lazy_route]
impl LazyRoute for ForgotPassword {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::password_reset::ForgotPasswordPage/> }.into_any()
    }
}

/// `ResetPasswordPage`, loaded on first visit.
pub struct ResetPassword;

#[lazy_route]
impl LazyRoute for ResetPassword {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::password_reset::ResetPasswordPage/> }.into_any()
    }
}
