//! API tests: the real router on a random port, one fresh database per test, every
//! test run on SQLite and on PostgreSQL (see `helpers::on_both_backends!`).

#[macro_use]
mod helpers;

mod admin_cli;
mod admin_users;
mod announcements;
mod audience;
mod auth;
mod avatar;
mod bench;
mod campaigns;
mod community;
mod conventions;
mod coupons;
mod creators;
mod data_export;
mod deletion;
mod demo;
mod devices;
mod email_verification;
mod engagement_analytics;
mod gift_cards;
mod idempotency;
mod jobs;
mod mail;
mod pages;
mod password_reset;
mod payment_methods;
mod plan_changes;
mod plans;
mod profile;
mod profiles;
mod reconciliation;
mod refunds;
mod revenue;
mod sandbox;
mod storage;
mod subscriptions;
mod tips;
mod webhooks;
