//! Use cases. Each takes the database (or a transaction) and returns domain values;
//! REST handlers and server functions both call these, never the store directly.

pub mod accounts;
pub mod auth;
pub mod avatar;
pub mod coupons;
pub mod creators;
pub mod data_export;
pub mod deletion;
pub mod email_link;
pub mod email_verification;
pub mod gift_cards;
pub mod health;
pub mod idempotency;
pub mod invoices;
pub mod jobs;
pub mod maintenance;
pub mod notifications;
pub mod password_reset;
pub mod payment_methods;
pub mod plans;
pub mod profile;
pub mod profiles;
pub mod rate_limit;
pub mod refunds;
pub mod sandbox;
pub mod subscriptions;
