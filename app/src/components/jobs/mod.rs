//! Background jobs in the UI: following a job live (event stream, or
//! polling), its status and progress, what it does in words, the Jobs
//! page's table, and the orders export started from the dashboard.

pub mod describe;
pub mod export;
pub mod list;
pub mod live;
pub mod progress;
pub mod row;
