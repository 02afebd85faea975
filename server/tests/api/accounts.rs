//! Accounts: demo seeding and the account CLI commands.

use std::process::Output;

use app::api::Role;
use rstest_reuse::apply;
use server::{
    auth::{email::Email, password, password::Password, secret::verify_service_secret},
    demo::DEMO_USERS,
};

use crate::helpers::{each_backend, output_text, run_tessera, spawn_app_with, Backend, TestDb};

const DEMO_PASSWORD: &str = "demo-password-123";

#[apply(each_backend)]
#[tokio::test]
async fn demo_mode_creates_one_user_per_role_with_the_chosen_password(backend: Backend) {
    let app = spawn_app_with(backend, &[("TESSERA_DEMO_PASSWORD", DEMO_PASSWORD)]).await;
    let db = app.db().connect().await;
    let users = db.list_users().await.expect("list");
    let summary: Vec<(&str, Role, bool)> = users
        .iter()
        .map(|u| (u.email.as_str(), u.role, u.disabled))
        .collect();
    let expected: Vec<(&str, Role, bool)> = DEMO_USERS
        .iter()
        .map(|(email, _, role)| (*email, *role, false))
        .collect();
    assert_eq!(summary, expected);

    let email = Email::parse("admin@tessera.local").expect("email");
    let (_, hash) = password::user_with_password(&db, &email)
        .await
        .expect("query")
        .expect("exists");
    assert!(
        password::verify(
            Password::submitted(DEMO_PASSWORD.into()),
            Some(hash.clone())
        )
        .await
    );
    assert!(!password::verify(Password::submitted("not-the-password".into()), Some(hash)).await);
}

fn tessera(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    run_tessera(&db.url, db, args, stdin)
}

fn text(output: &Output) -> String {
    output_text(output)
}

#[apply(each_backend)]
#[tokio::test]
async fn create_user_reads_the_password_from_stdin_and_refuses_duplicates(backend: Backend) {
    let db = TestDb::create(backend).await;
    let secret = "a long enough secret";
    let args = [
        "create-user",
        "--email",
        "Grace@Example.com",
        "--role",
        "analyst",
    ];
    let created = tessera(&db, &args, &format!("{secret}\n"));
    assert!(created.status.success(), "{}", text(&created));
    assert!(
        !text(&created).contains(secret),
        "the password is never echoed"
    );

    let pool = db.connect().await;
    let email = Email::parse("grace@example.com").expect("email");
    let (user, hash) = password::user_with_password(&pool, &email)
        .await
        .expect("query")
        .expect("created");
    assert_eq!(
        (user.role, user.display_name.as_str()),
        (Role::Analyst, "grace")
    );
    assert!(password::verify(Password::submitted(secret.into()), Some(hash)).await);

    let again = tessera(&db, &args, &format!("{secret}\n"));
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again).contains("email is already taken"),
        "{}",
        text(&again)
    );
}

#[tokio::test]
async fn create_user_validates_every_input() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &["create-user", "--email", "nope", "--role", "viewer"],
            "long enough pw\n",
            "--email",
        ),
        (
            &["create-user", "--email", "a@b.co", "--role", "root"],
            "long enough pw\n",
            "--role",
        ),
        (
            &["create-user", "--email", "a@b.co", "--role", "viewer"],
            "short\n",
            "at least 12",
        ),
    ];
    for (args, stdin, expected) in cases {
        let output = tessera(&db, args, stdin);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(
            text(&output).contains(expected),
            "{args:?}: {}",
            text(&output)
        );
    }
    // Nothing was written: after migrating, there are no users.
    assert!(tessera(&db, &["migrate"], "").status.success());
    assert!(db
        .connect()
        .await
        .list_users()
        .await
        .expect("list")
        .is_empty());
}

#[apply(each_backend)]
#[tokio::test]
async fn create_service_account_prints_the_secret_once_and_stores_its_hash(backend: Backend) {
    let db = TestDb::create(backend).await;
    let output = tessera(
        &db,
        &[
            "create-service-account",
            "--name",
            "billing",
            "--role",
            "viewer",
        ],
        "",
    );
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let field = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .expect(name)
    };
    let (client_id, secret) = (field("client_id:"), field("client_secret:"));
    assert!(client_id.starts_with("svc_"));

    let (account, stored) = db
        .connect()
        .await
        .service_account_with_secret(&client_id)
        .await
        .expect("query")
        .expect("created");
    assert_eq!(
        (account.name.as_str(), account.role),
        ("billing", Role::Viewer)
    );
    assert_ne!(stored, secret, "only a hash is stored");
    assert!(verify_service_secret(secret.as_bytes(), &stored));

    let again = tessera(
        &db,
        &[
            "create-service-account",
            "--name",
            "billing",
            "--role",
            "viewer",
        ],
        "",
    );
    assert!(
        text(&again).contains("name is already taken"),
        "{}",
        text(&again)
    );
}
