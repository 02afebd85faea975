//! `tessera audit verify` and `tessera audit purge --before DATE`.

use anyhow::Context;
use api_types::AuditOutcome;
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
    Verify(Verify),
    /// Print the chain's head (last row id, its hash, and the rows kept),
    /// to be written down outside the database for `verify --head`.
    Head,
    /// Remove the rows older than a date (the only way rows are removed);
    /// records itself in the log and keeps the chain verifiable.
    Purge(Purge),
}

/// `tessera audit verify`.
#[derive(Debug, Clone, clap::Args)]
pub struct Verify {
    /// A head hash printed earlier by `tessera audit head`: the chain must
    /// still hold that row, so removing the newest rows and rewriting the
    /// head to match is caught.
    #[arg(long, value_name = "HASH")]
    pub head: Option<String>,
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
        AuditCommand::Verify(args) => verify(&db, args.head.as_deref()).await,
        AuditCommand::Head => head(&db).await,
        AuditCommand::Purge(args) => purge(&db, &args).await,
    };
    db.close().await;
    result
}

async fn verify(db: &crate::storage::Db, head: Option<&str>) -> anyhow::Result<()> {
    let expected = match head {
        Some(hash) => {
            Some(audit::HeadHash::parse(hash).map_err(|why| anyhow::anyhow!("--head {why}"))?)
        }
        None => None,
    };
    match audit::verify_from(db, expected.as_ref())
        .await
        .context("reading the audit log")?
    {
        Ok(rows) => {
            match head {
                Some(hash) => {
                    println!("audit log OK: {rows} rows verified; it still holds head {hash}")
                }
                None => println!("audit log OK: {rows} rows verified"),
            }
            Ok(())
        }
        Err(broken) => {
            println!("audit log BROKEN at row {}: {}", broken.id, broken.reason);
            anyhow::bail!("the audit log does not verify: {broken}")
        }
    }
}

async fn head(db: &crate::storage::Db) -> anyhow::Result<()> {
    let head = db
        .audit_head()
        .await
        .context("reading the audit log's head")?;
    let rows = db.audit_count().await.context("counting the audit rows")?;
    println!("head: {}", head.last_hash);
    println!("last id: {}", head.last_id);
    println!("rows: {rows}");
    println!("Write the head down outside this database; `tessera audit verify --head HASH` checks the log still holds it.");
    Ok(())
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
    event.principal = Some(audit::cli_principal());
    let removed = db
        .purge_audit(before, event)
        .await
        .context("purging the audit log")?;
    println!("removed {removed} audit rows from before {}", args.before);
    Ok(())
}
