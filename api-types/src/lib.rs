//! The types of Tessera's REST API (`/api/v1`): request and response bodies,
//! the codes they use, roles, and the shape of every error response.
//!
//! Serde only, so that the server (which produces them), the Leptos app and
//! any other Rust client (which consume them) share one definition without
//! pulling in a web stack. Every type is re-exported at the crate root; the
//! page → role table lives in [`access`].

pub mod access;
mod accounts;
mod analytics;
mod audit;
mod auth;
mod error;
mod health;
mod jobs;
mod redacted;

pub use accounts::*;
pub use analytics::*;
pub use audit::*;
pub use auth::*;
pub use error::*;
pub use health::*;
pub use jobs::*;
