//! Serde types shared by the browser and the server.

pub mod admin;
pub mod analytics;
pub mod announcement;
pub mod audience;
pub mod auth;
pub mod campaign;
pub mod community;
pub mod coupon;
pub mod creator;
pub mod device;
pub mod gift_card;
pub mod money;
pub mod notification;
pub mod nullable;
pub mod page;
pub mod payment_method;
pub mod plan;
pub mod privacy;
pub mod profile;
pub mod refund;
pub mod subscription;
pub mod system;
pub mod tip;
pub mod user;
pub mod webhook;
pub mod whole;
