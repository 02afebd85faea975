//! `tessera worker`: job workers without the web server, for when jobs
//! should run apart from the instances answering requests.

use std::sync::Arc;

use clap::Args;

use crate::{
    analytics::Analytics,
    config::Config,
    jobs::{retention, worker},
    startup::{self, job_context},
};

/// Options of `tessera worker`.
#[derive(Debug, Clone, Args)]
pub struct Worker {
    /// Workers in this process (default: TESSERA_JOB_WORKERS, at least 1).
    #[arg(long)]
    pub workers: Option<usize>,
}

/// Runs workers until Ctrl-C or SIGTERM. A job running at that moment is
/// taken over by another worker once its lease expires.
pub async fn run(config: &Config, args: Worker) -> anyhow::Result<()> {
    let db = startup::connect_and_migrate(config).await?;
    let analytics = Arc::new(Analytics::new(&config.analytics));
    let count = args.workers.unwrap_or(config.jobs.workers).max(1);
    let mut tasks = worker::spawn_workers(job_context(&db, config, &analytics), count);
    tasks.push(retention::spawn_sweeper(
        db.clone(),
        config.jobs.clone(),
        config.data_dir.clone(),
    ));
    tracing::info!(workers = count, "Tessera job workers running");
    super::signal::shutdown_signal().await;
    tasks.iter().for_each(|task| task.abort());
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}
