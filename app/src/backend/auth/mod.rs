//! Identity: passwords now; tokens, sessions and permissions build on this.

pub mod password;
