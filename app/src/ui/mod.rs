//! Shared components. Pages compose these; they are never re-styled per page.

pub mod button;
pub mod card;
pub mod form;
pub mod layout;
