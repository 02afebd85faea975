//! Tessera's server: the REST API under `/api/v1`, storage, and the host that
//! renders the Leptos app on the server and serves its WASM bundle.

pub mod analytics;
pub mod api;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
pub mod demo;
pub mod startup;
pub mod storage;
pub mod telemetry;
