//! Reusable pieces of the UI.

pub mod admin;
pub mod api_action;
pub mod audit;
pub mod card;
pub mod charts;
pub mod controls;
pub mod dashboard;
pub mod data;
pub mod dimensions;
pub mod error_text;
pub mod footer;
pub mod forecast;
pub mod form_error;
pub mod format;
pub mod guard;
pub mod header;
pub mod icons;
pub mod jobs;
pub mod layout;
pub mod skeleton;
pub mod stale_badge;
pub mod status;
pub mod theme;
pub mod timing;
pub mod url_state;
pub mod user_menu;
