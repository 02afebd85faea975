//! The admin page's panels (users, service accounts) and the parts they
//! share: the panel around a list, its table, and the inline form below it.

pub mod form;
pub mod panel;
pub mod secret;
pub mod services;
pub mod users;
