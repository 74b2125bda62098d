//! Webhooks: the outbox events are written to, Standard Webhooks signatures, the guard
//! against server-side request forgery, and the delivery job.

pub mod address;
pub mod delivery;
pub mod outbox;
pub mod signature;
