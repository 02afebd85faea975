//! Reusable pieces of the UI.

pub mod admin_services;
pub mod admin_users;
pub mod audit;
pub mod dashboard;
pub mod footer;
pub mod guard;
pub mod header;
pub mod icons;
pub mod layout;
pub mod placeholder;
pub mod status;
pub mod theme;
pub mod timing;
pub mod user_menu;
