//! The billing engine: the payment gateway, invoices, renewals and dunning.

pub mod coupons;
pub mod gateway;
pub mod invoicing;
pub mod proration;
pub mod renewals;
