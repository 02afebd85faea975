//! `tessera create-user` and `tessera create-service-account`.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context};

use crate::{
    accounts::{
        service_accounts::{self, NewServiceAccount},
        users::{self, NewUser},
    },
    auth::password,
    config::Config,
    startup::connect_and_migrate,
    validation::FieldErrors,
};

use super::record;

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

/// Creates a user: the password is read first, then every input is checked
/// by the same rules as the admin API's, every problem reported at once.
pub async fn create_user(config: &Config, args: CreateUser) -> anyhow::Result<()> {
    let password = read_password()?;
    let user =
        NewUser::parse(&args.email, args.name.as_deref(), &args.role, password).map_err(refused)?;
    let db = connect_and_migrate(config).await?;
    let created = users::create(&db, password::process_hashers(), user).await?;
    record(&db, created.audit).await?;
    let user = created.value;
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
    let account = NewServiceAccount::parse(&args.name, &args.role).map_err(refused)?;
    let db = connect_and_migrate(config).await?;
    let created = service_accounts::create(&db, account).await?;
    record(&db, created.audit).await?;
    let service_accounts::Created {
        account,
        credentials,
    } = created.value;
    println!(
        "created service account {} with role {}",
        account.name, account.role
    );
    println!("client_id:     {}", account.client_id);
    println!("client_secret: {}", credentials.secret_text());
    println!("Store the secret now: it is not shown again and cannot be recovered.");
    Ok(())
}

/// The fields refused, named as the command line spells them, e.g.
/// `--name: must be 1 to 100 characters`.
fn refused(fields: FieldErrors) -> anyhow::Error {
    let problems: Vec<String> = fields
        .0
        .iter()
        .map(|(field, why)| format!("{}: {why}", option_of(field)))
        .collect();
    anyhow::anyhow!("{}", problems.join("; "))
}

/// The command-line option (or input) behind a use case's field.
fn option_of(field: &str) -> &str {
    match field {
        "email" => "--email",
        "display_name" | "name" => "--name",
        "role" => "--role",
        "password" => "the password",
        other => other,
    }
}

/// The password as typed, not yet checked.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("reading the password")?;
        let again =
            rpassword::prompt_password("Repeat password: ").context("reading the password")?;
        if first != again {
            bail!("the passwords do not match");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
