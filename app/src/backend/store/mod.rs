//! sqlx queries, one file per aggregate, written once for both backends.

pub mod users;
