//! Server functions: one-line adapters from the browser to backend services.

pub mod account;
pub mod admin;
pub mod admin_billing;
pub mod admin_coupons;
pub mod admin_gift_cards;
pub mod announcements;
pub mod audience;
pub mod auth;
pub mod billing;
pub mod campaigns;
pub mod community;
pub mod creator_page;
pub mod system;
pub mod tiers;
pub mod tip_jars;
pub mod webhooks;
