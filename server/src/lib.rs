//! Tessera's server: the REST API under `/api/v1`, storage, and the host that
//! renders the Leptos app on the server and serves its WASM bundle.
//!
//! Layers, each naming only the ones before it (checked by
//! `tests/architecture.rs`):
//!
//! 1. [`config`]: plain, validated configuration data.
//! 2. [`storage`]: SQL only, with its own row and filter types.
//! 3. Domain: [`accounts`], [`analytics`], [`audit`], [`auth`], [`cache`],
//!    [`forecast`], [`imports`], [`jobs`], [`source`], [`upstream`], [`validation`]: use
//!    cases and rules, returning their own errors.
//! 4. [`http`]: axum handlers, extractors, middleware and `ApiError`.
//! 5. [`startup`], [`cli`], [`demo`], [`telemetry`]: wiring.

pub mod accounts;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
pub mod demo;
pub mod forecast;
pub mod http;
pub mod imports;
pub mod jobs;
pub mod source;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod upstream;
pub mod validation;
