//! Demo mode: what a fresh installation gets on its first start so that the
//! README's run command shows a working product. Production mode never calls it.

use api_types::Role;
use secrecy::ExposeSecret;

use crate::{
    analytics::{dataset::refresh_with_progress, generator::GeneratorConfig, seed},
    auth::{email::Email, password, password::Password, secret::random_token},
    config::Config,
    storage::{AccountError, Db},
};

/// `instance_meta` key recording when demo seeding finished.
pub const SEEDED_KEY: &str = "demo_seeded_at";

/// The demo accounts: one per role.
pub const DEMO_USERS: [(&str, &str, Role); 3] = [
    ("viewer@tessera.local", "Vera Viewer", Role::Viewer),
    ("analyst@tessera.local", "Andy Analyst", Role::Analyst),
    ("admin@tessera.local", "Ada Admin", Role::Admin),
];

/// Seeds demo content on the first start of a demo installation. Safe when
/// several instances start at once: an account another instance created
/// first is left alone, and only accounts this call created are announced.
#[tracing::instrument(skip_all)]
pub async fn seed_on_first_start(db: &Db, config: &Config) -> anyhow::Result<()> {
    if db.meta(SEEDED_KEY).await?.is_some() {
        tracing::debug!("demo mode: database already seeded");
        return Ok(());
    }
    let (raw_password, chosen) = match &config.demo_password {
        Some(password) => (password.expose_secret().to_owned(), true),
        None => (random_token(12), false),
    };
    // One hash for all three: they share the password anyway.
    let hash =
        password::hash(Password::parse(raw_password.clone()).map_err(anyhow::Error::msg)?).await?;
    let mut created = Vec::new();
    for (email, name, role) in DEMO_USERS {
        let email = Email::parse(email).map_err(anyhow::Error::msg)?;
        match db
            .create_user(email.as_str(), name, role, hash.expose())
            .await
        {
            Ok(user) => created.push(user.email),
            Err(AccountError::Taken(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    db.claim_meta(SEEDED_KEY, &now).await?;
    if created.is_empty() {
        return Ok(());
    }
    if chosen {
        tracing::warn!(accounts = ?created, "demo accounts created with the password from TESSERA_DEMO_PASSWORD");
    } else {
        // Printed once, on purpose: this is how a demo user learns it.
        tracing::warn!(
            accounts = ?created,
            "demo accounts created with the generated password {raw_password} \
             (shown only now; set TESSERA_DEMO_PASSWORD to choose one)"
        );
    }
    Ok(())
}

/// `instance_meta` key claimed by the instance that seeds the demo orders.
pub const ORDERS_SEEDED_KEY: &str = "demo_orders_seeded_at";

/// Seeds `TESSERA_DEMO_ORDERS` generated orders (seed 42, ending yesterday) on a
/// demo installation's first start, and rolls them up. Of several instances
/// starting at once, the one that claims the key seeds.
#[tracing::instrument(skip_all)]
pub async fn seed_orders_on_first_start(db: &Db, config: &Config) -> anyhow::Result<()> {
    let orders = config.analytics.demo_orders;
    let now = time::OffsetDateTime::now_utc();
    let stamp = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    if orders == 0 || db.has_orders().await? || !db.claim_meta(ORDERS_SEEDED_KEY, &stamp).await? {
        return Ok(());
    }
    let generator = GeneratorConfig {
        orders,
        seed: 42,
        end: crate::analytics::calendar::day(now.date()) - 1,
    };
    let report = seed::seed(db, generator, |_| {}).await?;
    let (refresh, _) = refresh_with_progress(db, config.analytics.exact_customers, |_| {}).await?;
    tracing::info!(
        orders = report.orders,
        customers = report.customers,
        seed_ms = report.elapsed.as_millis() as u64,
        refresh_ms = refresh.duration_ms,
        "demo mode: generated the demo orders"
    );
    Ok(())
}
