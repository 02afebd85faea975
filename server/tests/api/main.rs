//! API integration tests: the real server on port 0, a fresh database each,
//! against SQLite always and PostgreSQL when `TESSERA_TEST_POSTGRES_URL` is set.

#![allow(
    clippy::too_many_lines,
    reason = "scenarios read top to bottom; the 80-line limit is for the server's code"
)]

mod accounts;
mod admin;
mod analytics;
mod audit;
mod auth;
mod browser_security;
mod data;
mod errors;
mod health;
mod helpers;
mod jobs;
mod layers;
mod lifecycle;
mod pages;
mod proxy;
mod revocation;
mod session_lifetime;
mod sessions;
mod upstream;
