//! The `tessera` command line: `serve` (the default), `worker`, `migrate`,
//! account management, data and audit commands.

mod accounts;
mod audit;
mod data;
mod import;
mod signal;
mod worker;

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{
    audit::AuditDescription,
    config::{Config, Overrides},
    startup::{self, Application},
    telemetry,
};

/// Tessera: self-hosted analytics.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about)]
pub struct Cli {
    /// Settings that override their `TESSERA_*` variables.
    #[command(flatten)]
    pub overrides: Overrides,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the web server and API (the default).
    Serve,
    /// Run job workers only (no web server).
    Worker(worker::Worker),
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Create a user; the password is prompted for, or read from stdin.
    CreateUser(accounts::CreateUser),
    /// Create a service account and print its secret once.
    CreateServiceAccount(accounts::CreateServiceAccount),
    /// Generate realistic orders into the warehouse (deterministic per seed).
    Seed(data::Seed),
    /// Roll up orders added since the last refresh.
    Refresh(data::Refresh),
    /// Load a CSV (or .csv.gz) of orders, all or nothing.
    Import(import::Import),
    /// Check or prune the audit log.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
}

/// Runs the command; the exit code is 2 for configuration errors, 1 for
/// other failures.
pub async fn run(cli: Cli) -> ExitCode {
    let config = match Config::load(&cli.overrides) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("tessera: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config.log);
    let present: Vec<String> = std::env::vars().map(|(key, _)| key).collect();
    for warning in config.warnings(&present) {
        tracing::warn!("{warning}");
    }
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Worker(args) => worker::run(&config, args).await,
        Command::Migrate => startup::connect_and_migrate(&config).await.map(drop),
        Command::CreateUser(args) => accounts::create_user(&config, args).await,
        Command::CreateServiceAccount(args) => {
            accounts::create_service_account(&config, args).await
        }
        Command::Seed(args) => data::seed(&config, args).await,
        Command::Refresh(args) => data::refresh(&config, args).await,
        Command::Import(args) => import::run(&config, args).await,
        Command::Audit(command) => audit::run(&config, command).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Appends a command's audit row: the use case's action and context, with
/// the command line as the principal (as the API records the same action).
async fn record(db: &crate::storage::Db, audit: AuditDescription) -> anyhow::Result<()> {
    crate::audit::append_now(db, audit.by_cli())
        .await
        .context("recording the action in the audit log")
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let mode = config.mode;
    let app = Application::build(config).await?;
    tracing::info!(?mode, "Tessera listening on http://{}", app.local_addr());
    app.run_until_stopped(signal::shutdown_signal()).await
}
