//! `tessera seed` and `tessera refresh`.

use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use api_types::RefreshOutcome;

use crate::{
    analytics::{calendar, generator::GeneratorConfig, refresh, seed, Dataset},
    audit::Audited,
    config::Config,
    startup,
    storage::Db,
};

/// `tessera refresh`: roll up new orders.
#[derive(Debug, Clone, clap::Args)]
pub struct Refresh {
    /// Empty the rollups first and rebuild them from every order (after
    /// changing TESSERA_EXACT_CUSTOMERS, say).
    #[arg(long)]
    pub rebuild: bool,
}

/// `tessera seed`: generate realistic orders.
#[derive(Debug, Clone, clap::Args)]
pub struct Seed {
    /// Number of orders to generate.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub orders: u64,
    /// Random seed: the same seed, size and end day give the same data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Last day with orders, YYYY-MM-DD (default: yesterday, UTC).
    #[arg(long)]
    pub end: Option<String>,
    /// Delete the warehouse's orders, customers and rollups first.
    #[arg(long)]
    pub replace: bool,
    /// Do not roll the new orders up afterwards.
    #[arg(long)]
    pub no_refresh: bool,
}

/// Seeds the warehouse, with a progress bar, then refreshes the rollups.
pub async fn seed(config: &Config, args: Seed) -> anyhow::Result<()> {
    let end = match &args.end {
        Some(text) => calendar::parse_day(text).context("--end must be a date as YYYY-MM-DD")?,
        None => calendar::day(time::OffsetDateTime::now_utc().date()) - 1,
    };
    let db = startup::connect_and_migrate(config).await?;
    if args.replace {
        db.clear_warehouse()
            .await
            .context("emptying the warehouse")?;
    } else if db.has_orders().await? {
        anyhow::bail!("the warehouse already holds orders; pass --replace to start over");
    }
    let bar = progress_bar(args.orders, "seeding");
    let generator = GeneratorConfig {
        orders: args.orders,
        seed: args.seed,
        end,
    };
    let report = seed::seed(&db, generator, |n| bar.set_position(n))
        .await
        .context("writing orders")?;
    bar.finish_and_clear();
    println!(
        "seeded {} orders and {} customers in {:.1} s ({:.0} rows/s), {} to {}",
        report.orders,
        report.customers,
        report.elapsed.as_secs_f64(),
        report.rows_per_second(),
        calendar::format_day(end - crate::analytics::generator::HISTORY_DAYS + 1),
        calendar::format_day(end),
    );
    if !args.no_refresh {
        refresh_rollups(&db, config, report.orders).await?;
    }
    db.close().await;
    Ok(())
}

/// `tessera refresh`: roll up new orders now (or, with `--rebuild`, all of
/// them again), recorded in the audit log as the API's refresh is.
pub async fn refresh(config: &Config, args: Refresh) -> anyhow::Result<()> {
    let db = startup::connect_and_migrate(config).await?;
    if args.rebuild {
        db.reset_rollups().await.context("emptying the rollups")?;
    }
    let state = db.dataset_state().await?;
    let pending = db.warehouse_counts(state.watermark).await?.pending_orders;
    let mut refreshed = refresh_rollups(&db, config, u64::try_from(pending).unwrap_or(0)).await?;
    if args.rebuild {
        refreshed.audit.context["rebuilt"] = true.into();
    }
    super::record(&db, refreshed.audit).await?;
    db.close().await;
    Ok(())
}

/// The refresh use case with a progress bar, and its summary printed.
async fn refresh_rollups(
    db: &Db,
    config: &Config,
    pending: u64,
) -> anyhow::Result<Audited<RefreshOutcome>> {
    let bar = progress_bar(pending, "rolling up");
    let dataset = Dataset::new(config.analytics.exact_customers);
    let refreshed = refresh::refresh(db, &dataset, |n| {
        bar.set_position(u64::try_from(n).unwrap_or(0));
    })
    .await
    .context("refreshing the rollups")?;
    bar.finish_and_clear();
    let outcome = &refreshed.value;
    let seconds = outcome.duration_ms as f64 / 1000.0;
    println!(
        "rolled up {} orders in {seconds:.1} s ({:.0} rows/s); dataset version {}, data as of {}",
        outcome.ingested,
        outcome.ingested as f64 / seconds.max(0.001),
        outcome.status.dataset_version,
        outcome.status.data_as_of.as_deref().unwrap_or("-"),
    );
    Ok(refreshed)
}

fn progress_bar(total: u64, label: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>10} [{bar:40.cyan/blue}] {pos}/{len} rows · {per_sec} · ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    bar.set_message(label);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
