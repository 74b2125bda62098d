//! The billing engine: gateways, and (as it grows) subscriptions, invoices and the ledger.

pub mod gateway;
