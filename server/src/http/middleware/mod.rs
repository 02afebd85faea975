//! The axum middleware every request passes through: the audit layer, the
//! request id, security headers, CSRF, the sign-in gate for pages and the
//! renderer's key.

pub mod audit;
pub mod csrf;
pub mod page_gate;
pub mod render_key;
pub mod request_id;
pub mod security_headers;
