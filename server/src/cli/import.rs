//! `tessera import FILE`: the API's CSV import from the command line, with
//! the same checks, all-or-nothing load and audit row.

use std::path::PathBuf;

use anyhow::Context;
use api_types::ImportMode;

use crate::{
    analytics::Analytics,
    config::Config,
    imports::{self, ImportError, Importer, Upload},
    startup,
};

/// `tessera import`: load a CSV (or .csv.gz) of orders.
#[derive(Debug, Clone, clap::Args)]
pub struct Import {
    /// The file: a header row, then one order per line.
    pub file: PathBuf,
    /// Replace orders whose id is already in the warehouse (otherwise such
    /// an id refuses the whole file).
    #[arg(long)]
    pub upsert: bool,
}

/// Imports the file and prints the outcome (and every problem listed).
pub async fn run(config: &Config, args: Import) -> anyhow::Result<()> {
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?
        .len();
    if size > config.imports.max_bytes as u64 {
        anyhow::bail!(
            "{} is larger than TESSERA_IMPORT_MAX_BYTES ({} bytes)",
            args.file.display(),
            config.imports.max_bytes
        );
    }
    let db = startup::connect_and_migrate(config).await?;
    let analytics = Analytics::new(&config.analytics);
    analytics.dataset.sync(&db).await?;
    let upload = Upload {
        file_name: args
            .file
            .file_name()
            .map_or_else(|| "import.csv".into(), |n| n.to_string_lossy().into_owned()),
        path: args.file.clone(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
    };
    let mode = if args.upsert {
        ImportMode::Upsert
    } else {
        ImportMode::Insert
    };
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let name = format!("{} (command line)", crate::audit::clean::text(&user, 64));
    let who = Importer {
        key: "cli",
        name: &name,
    };
    let (result, audit) = imports::import(
        &db,
        &analytics,
        (&upload, mode),
        who,
        config.imports.timeout,
    )
    .await;
    let mut event = audit.by_cli();
    if result.is_err() {
        event.outcome = api_types::AuditOutcome::Error;
    }
    crate::audit::append_now(&db, event)
        .await
        .context("recording the import in the audit log")?;
    db.close().await;
    match result {
        Ok(view) => {
            println!(
                "imported {}: {} rows, {} orders added, {} replaced; dataset version {}",
                view.file_name,
                view.rows,
                view.inserted,
                view.updated,
                view.dataset_version.unwrap_or_default()
            );
            Ok(())
        }
        Err(error) => {
            print_problems(&error);
            Err(anyhow::Error::new(error).context(format!("importing {}", args.file.display())))
        }
    }
}

/// The problems a refused file was refused for, one line each.
fn print_problems(error: &ImportError) {
    if let ImportError::Rows { problems, .. } | ImportError::Present { problems, .. } = error {
        for p in problems {
            eprintln!(
                "line {}: {}{}{}",
                p.line,
                p.column
                    .as_deref()
                    .map(|c| format!("{c}: "))
                    .unwrap_or_default(),
                p.value
                    .as_deref()
                    .map(|v| format!("'{v}' "))
                    .unwrap_or_default(),
                p.message
            );
        }
    }
}
