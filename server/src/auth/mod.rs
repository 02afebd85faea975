//! Authentication: who is calling (JWT bearer tokens for services and, with
//! sessions, for browsers), and what their role lets them do.

pub mod email;
pub mod jwt;
pub mod keyring;
pub mod limits;
pub mod password;
pub mod principal;
pub mod principal_cache;
pub mod secret;
pub mod session;

/// Lifetime of an access token, in seconds (15 minutes).
pub const ACCESS_TOKEN_TTL_SECS: u64 = 15 * 60;
