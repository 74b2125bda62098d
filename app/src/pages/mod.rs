//! One module per area (account, dashboard, admin) plus the public pages.

pub mod account;
pub mod admin;
pub mod admin_coupons;
pub mod admin_gift_cards;
pub mod admin_invoices;
pub mod admin_plans;
pub mod admin_user;
pub mod audit_log;
pub mod billing;
pub mod campaigns;
pub mod community;
pub mod creator_page;
pub mod dashboard;
pub mod devices;
pub mod home;
pub mod invoice;
pub mod member;
pub mod not_found;
pub mod notifications;
pub mod password_reset;
pub mod privacy;
pub mod profiles;
pub mod register;
pub mod signin;
pub mod tip_jars;
pub mod verify_email;
