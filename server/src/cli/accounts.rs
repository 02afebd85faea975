//! `tessera create-user` and `tessera create-service-account`.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context};
use app::api::{AuditOutcome, Role};
use serde_json::json;

use crate::{
    audit::{self, AuditEvent},
    auth::{
        email::Email,
        password::{self, Password},
        secret::{hash_service_secret, ServiceCredentials},
    },
    config::Config,
    startup::connect_and_migrate,
    storage::Db,
};

/// Arguments of `create-user`. The password is never taken from the command
/// line (it would land in shell history and `ps`): it is asked for on a
/// terminal, or read as the first line of standard input.
#[derive(Debug, Clone, clap::Args)]
pub struct CreateUser {
    /// Email address (the sign-in name; case-insensitive).
    #[arg(long)]
    pub email: String,
    /// viewer, analyst or admin.
    #[arg(long)]
    pub role: String,
    /// Name shown in the UI (default: the part of the email before @).
    #[arg(long)]
    pub name: Option<String>,
}

/// Arguments of `create-service-account`.
#[derive(Debug, Clone, clap::Args)]
pub struct CreateServiceAccount {
    /// Unique name, e.g. the calling service's name.
    #[arg(long)]
    pub name: String,
    /// viewer, analyst or admin.
    #[arg(long)]
    pub role: String,
}

/// Creates a user after validating every input.
pub async fn create_user(config: &Config, args: CreateUser) -> anyhow::Result<()> {
    let email = Email::parse(&args.email).map_err(|why| anyhow::anyhow!("--email {why}"))?;
    let role = Role::parse(&args.role).map_err(|why| anyhow::anyhow!("--role: {why}"))?;
    let name = display_name(args.name.as_deref(), &email)?;
    let password = read_password()?;
    let db = connect_and_migrate(config).await?;
    let hash = password::hash(password).await?;
    let user = db.create_user(&email, &name, role, &hash).await?;
    record(
        &db,
        "user.created",
        json!({"user_id": user.id, "email": user.email, "role": user.role}),
    )
    .await?;
    println!(
        "created user {} ({}) with role {}",
        user.email, user.display_name, user.role
    );
    Ok(())
}

/// Creates a service account and prints its secret, once.
pub async fn create_service_account(
    config: &Config,
    args: CreateServiceAccount,
) -> anyhow::Result<()> {
    let name = args.name.trim();
    if name.is_empty() || name.len() > 100 {
        bail!("--name must be 1 to 100 characters");
    }
    let role = Role::parse(&args.role).map_err(|why| anyhow::anyhow!("--role: {why}"))?;
    let db = connect_and_migrate(config).await?;
    let credentials = ServiceCredentials::generate();
    let secret_hash = hash_service_secret(credentials.secret_text().as_bytes());
    let account = db
        .create_service_account(name, &credentials.client_id, &secret_hash, role)
        .await?;
    record(
        &db,
        "service_account.created",
        json!({"service_account_id": account.id, "name": account.name, "role": account.role}),
    )
    .await?;
    println!(
        "created service account {} with role {}",
        account.name, account.role
    );
    println!("client_id:     {}", account.client_id);
    println!("client_secret: {}", credentials.secret_text());
    println!("Store the secret now: it is not shown again and cannot be recovered.");
    Ok(())
}

/// Appends the command's audit row, as the API would for the same action.
async fn record(db: &Db, action: &str, context: serde_json::Value) -> anyhow::Result<()> {
    let mut event = AuditEvent::now(action, AuditOutcome::Ok, context);
    event.principal = Some(audit::cli_principal());
    audit::append_now(db, event)
        .await
        .context("recording the action in the audit log")
}

fn display_name(given: Option<&str>, email: &Email) -> anyhow::Result<String> {
    let name = match given {
        Some(name) => name.trim().to_owned(),
        None => email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    if name.is_empty() || name.chars().count() > 100 {
        bail!("--name must be 1 to 100 characters");
    }
    Ok(name)
}

fn read_password() -> anyhow::Result<Password> {
    let raw = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("reading the password")?;
        let again =
            rpassword::prompt_password("Repeat password: ").context("reading the password")?;
        if first != again {
            bail!("the passwords do not match");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Password::parse(raw).map_err(|why| anyhow::anyhow!("the password {why}"))
}
