//! Serde types shared by the browser and the server.

pub mod system;
