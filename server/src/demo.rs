//! Demo mode: what a fresh installation gets on its first start so that the
//! README's run command shows a working product. Production mode never calls it.

use crate::storage::Db;

/// `instance_meta` key recording when demo seeding ran.
pub const SEEDED_KEY: &str = "demo_seeded_at";

/// Seeds demo content on the first start of a demo installation. Safe when
/// several instances start at once: only the one that claims the key seeds.
#[tracing::instrument(skip(db))]
pub async fn seed_on_first_start(db: &Db) -> anyhow::Result<()> {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    if db.claim_meta(SEEDED_KEY, &now).await? {
        tracing::info!("demo mode: first start of this database, demo content recorded");
    } else {
        tracing::debug!("demo mode: database already seeded");
    }
    Ok(())
}
