//! Authentication building blocks: password hashing, JWTs, secrets.

pub mod email;
pub mod jwt;
pub mod password;
pub mod secret;
