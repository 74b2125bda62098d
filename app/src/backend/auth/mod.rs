//! Identity: passwords, tokens, sessions and who is asking.

pub mod identity;
pub mod password;
pub mod permissions;
pub mod secret_token;
pub mod tokens;
