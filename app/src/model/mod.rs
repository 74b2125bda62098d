//! Serde types shared by the browser and the server.

pub mod auth;
pub mod creator;
pub mod page;
pub mod system;
pub mod user;
