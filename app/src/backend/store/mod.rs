//! sqlx queries, one file per aggregate, written once for both backends.

pub mod audit;
pub mod avatars;
pub mod balances;
pub mod conditions;
pub mod coupons;
pub mod creators;
pub mod data_exports;
pub mod deletion_requests;
pub mod devices;
pub mod email_tokens;
pub mod gift_cards;
pub mod idempotency;
pub mod invoices;
pub mod jobs;
pub mod notifications;
pub mod payment_methods;
pub mod plans;
pub mod profiles;
pub mod refunds;
pub mod secrets;
pub mod sessions;
pub mod subscriptions;
pub mod throttle;
pub mod user_search;
pub mod users;
