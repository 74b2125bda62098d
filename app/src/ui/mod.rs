//! Shared components. Pages compose these; they are never re-styled per page.

pub mod avatar;
pub mod badge;
pub mod button;
pub mod card;
pub mod chart;
pub mod dialog;
pub mod form;
pub mod format;
pub mod layout;
pub mod nav;
pub mod poll;
pub mod preloaded;
pub mod progress;
pub mod table;
