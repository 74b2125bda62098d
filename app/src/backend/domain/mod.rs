//! Pure rules and value types: no I/O, parsed once at the edge.

pub mod email;
pub mod money;
pub mod role;
pub mod search_terms;
pub mod words;
