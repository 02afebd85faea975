//! The admin audit page's parts: the filters (kept in the URL, see
//! [`state::AuditView`]), the event log with live "new events" and its
//! table, and the details panel.

pub mod details;
pub mod entry_row;
pub mod filters;
pub mod log;
pub mod state;
pub mod table;
pub mod when;
