//! Serde types shared by the browser and the server.

pub mod auth;
pub mod system;
pub mod user;
