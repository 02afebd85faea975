//! `tessera audit verify` and `tessera audit purge --before DATE`.

use anyhow::Context;
use app::api::AuditOutcome;
use time::{macros::format_description, Date, Time};

use crate::{
    audit::{self, AuditEvent},
    config::Config,
    startup,
};

/// `tessera audit …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain: prints OK with the row count, or the first row
    /// whose content or link does not match (exit code 1).
    Verify,
    /// Remove the rows older than a date (the only way rows are removed);
    /// records itself in the log and keeps the chain verifiable.
    Purge(Purge),
}

/// `tessera audit purge`.
#[derive(Debug, Clone, clap::Args)]
pub struct Purge {
    /// Remove rows that occurred before this day (YYYY-MM-DD, UTC midnight).
    #[arg(long)]
    pub before: String,
}

/// Runs an audit subcommand.
pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    let db = startup::connect_and_migrate(config).await?;
    let result = match command {
        AuditCommand::Verify => verify(&db).await,
        AuditCommand::Purge(args) => purge(&db, &args).await,
    };
    db.close().await;
    result
}

async fn verify(db: &crate::storage::Db) -> anyhow::Result<()> {
    match audit::verify(db).await.context("reading the audit log")? {
        Ok(rows) => {
            println!("audit log OK: {rows} rows verified");
            Ok(())
        }
        Err(broken) => {
            println!("audit log BROKEN at row {}: {}", broken.id, broken.reason);
            anyhow::bail!("the audit log does not verify: {broken}")
        }
    }
}

async fn purge(db: &crate::storage::Db, args: &Purge) -> anyhow::Result<()> {
    let day = Date::parse(&args.before, format_description!("[year]-[month]-[day]"))
        .context("--before must be a date as YYYY-MM-DD")?;
    let before = day.with_time(Time::MIDNIGHT).assume_utc();
    let mut event = AuditEvent::now(
        "audit.purged",
        AuditOutcome::Ok,
        serde_json::json!({ "before": args.before }),
    );
    event.principal = Some("cli".into());
    let removed = db
        .purge_audit(before, event)
        .await
        .context("purging the audit log")?;
    println!("removed {removed} audit rows from before {}", args.before);
    Ok(())
}
