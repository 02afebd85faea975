//! The audit log outside the server: accounts created from the command line
//! are recorded, `tessera audit head` / `verify --head` catch the newest rows
//! removed with the head rewritten, and on PostgreSQL the server runs as a
//! role that can only append to the log.

use std::process::Output;

use app::api::AuditOutcome;
use rstest_reuse::apply;

use super::{all_rows, audited_app, one_row, signed_in, summary, PASSWORD};
use crate::helpers::{
    each_backend, output_text, postgres_admin_url, run_tessera, spawn_on, Backend, TestDb,
};

fn tessera_with(url: &str, db: &TestDb, args: &[&str], stdin: &str) -> Output {
    run_tessera(url, db, args, stdin)
}

fn tessera(db: &TestDb, args: &[&str]) -> Output {
    run_tessera(&db.url, db, args, "")
}

fn text(output: &Output) -> String {
    output_text(output)
}

#[apply(each_backend)]
#[tokio::test]
async fn accounts_created_from_the_command_line_are_recorded(backend: Backend) {
    let app = audited_app(backend).await;
    let (result, db) = app.stop().await;
    result.expect("clean stop");
    let user = tessera_with(
        &db.url,
        &db,
        &[
            "create-user",
            "--email",
            "grace@example.com",
            "--role",
            "analyst",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(user.status.success(), "{}", text(&user));
    let service = tessera(
        &db,
        &[
            "create-service-account",
            "--name",
            "etl",
            "--role",
            "viewer",
        ],
    );
    assert!(service.status.success(), "{}", text(&service));

    let app = spawn_on(db, &[("TESSERA_DEMO_PASSWORD", PASSWORD)]).await;
    let created = one_row(&app, "user.created").await;
    assert_eq!(
        summary(&created),
        (Some("cli:ops"), None, AuditOutcome::Ok, None)
    );
    assert_eq!(created.event.context["email"], "grace@example.com");
    assert_eq!(created.event.context["role"], "analyst");
    let service = one_row(&app, "service_account.created").await;
    assert_eq!(service.event.context["name"], "etl");
    let verify = tessera(app.db(), &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
}

/// The line of `output` starting with `label: `, without it.
fn field<'a>(output: &'a str, label: &str) -> &'a str {
    output
        .lines()
        .find_map(|line| line.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {output}"))
        .trim()
}

#[apply(each_backend)]
#[tokio::test]
async fn a_head_written_down_catches_the_newest_rows_removed(backend: Backend) {
    let app = audited_app(backend).await;
    let admin = signed_in(&app, "admin").await;
    admin.clear_cache().await.expect("clear");
    let (result, db) = app.stop().await;
    result.expect("clean stop");
    let rows = all_rows(&db.connect().await).await;

    let head = tessera(&db, &["audit", "head"]);
    assert!(head.status.success(), "{}", text(&head));
    let printed = text(&head);
    let hash = field(&printed, "head:").to_owned();
    assert_eq!(hash, rows.last().expect("rows").hash);
    assert_eq!(field(&printed, "rows:"), rows.len().to_string());

    let ok = tessera(&db, &["audit", "verify", "--head", &hash]);
    assert!(ok.status.success(), "{}", text(&ok));
    let bad = tessera(&db, &["audit", "verify", "--head", "xyz"]);
    assert!(
        !bad.status.success() && text(&bad).contains("--head"),
        "{}",
        text(&bad)
    );

    // Someone with the database's keys removes the newest row and
    // rewrites the head to match: the chain alone still verifies.
    let newest = rows.last().expect("rows");
    let previous = &rows[rows.len() - 2];
    let pool = db.connect().await;
    let rewrite = [
        format!("DELETE FROM audit_log WHERE id = {}", newest.id),
        format!(
            "UPDATE audit_head SET last_id = {}, last_hash = '{}'",
            previous.id, previous.hash
        ),
    ];
    match &pool {
        server::storage::Db::Sqlite(p) => {
            for sql in &rewrite {
                sqlx::query(sql).execute(p).await.expect(sql);
            }
        }
        server::storage::Db::Postgres(p) => {
            let mut tx = p.begin().await.expect("begin");
            sqlx::query("SET LOCAL tessera.audit_purge = 'on'")
                .execute(&mut *tx)
                .await
                .expect("set");
            for sql in &rewrite {
                sqlx::query(sql).execute(&mut *tx).await.expect(sql);
            }
            tx.commit().await.expect("commit");
        }
    }
    pool.close().await;
    let alone = tessera(&db, &["audit", "verify"]);
    assert!(alone.status.success(), "{}", text(&alone));
    let caught = tessera(&db, &["audit", "verify", "--head", &hash]);
    assert_eq!(caught.status.code(), Some(1), "{}", text(&caught));
    assert!(
        text(&caught).contains("head written down"),
        "{}",
        text(&caught)
    );
}

#[tokio::test]
async fn on_postgres_the_server_runs_as_a_role_that_can_only_append_to_the_log() {
    if postgres_admin_url().is_none() {
        return;
    }
    let app = audited_app(Backend::Postgres).await;
    let (result, db) = app.stop().await;
    result.expect("migrated and seeded as the owner");
    let role = format!("tessera_app_{}", uuid::Uuid::new_v4().simple());
    let grants = include_str!("../../../sql/postgres-least-privilege.sql")
        .replace("tessera_app", &role)
        .replace("'change-me'", "'app-role-test'");
    let owner = db.connect().await;
    let server::storage::Db::Postgres(owner_pool) = &owner else {
        unreachable!()
    };
    sqlx::raw_sql(&grants)
        .execute(owner_pool)
        .await
        .expect("the documented grants apply");

    let mut app_url = url::Url::parse(&db.url).expect("url");
    app_url.set_username(&role).expect("user");
    let app_url = app_url.to_string();
    let mut as_app = TestDb::create(Backend::Sqlite).await;
    as_app.url = app_url.clone();
    let app = spawn_on(as_app, &[("TESSERA_DEMO_PASSWORD", PASSWORD)]).await;
    let admin = signed_in(&app, "admin").await;
    admin
        .clear_cache()
        .await
        .expect("an admin action as the app role");
    let rows = all_rows(&owner).await;
    assert_eq!(rows.last().expect("row").event.action, "cache.cleared");

    let app_db = app.db().connect().await;
    let server::storage::Db::Postgres(app_pool) = &app_db else {
        unreachable!()
    };
    for sql in [
        "UPDATE audit_log SET principal = 'mallory'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let error = sqlx::query(sql)
            .execute(app_pool)
            .await
            .expect_err(sql)
            .to_string();
        assert!(error.contains("permission denied"), "{sql}: {error}");
    }
    let purge_as_app = tessera_with(
        &app_url,
        &db,
        &["audit", "purge", "--before", "2999-01-01"],
        "",
    );
    assert!(!purge_as_app.status.success(), "{}", text(&purge_as_app));
    let purge_as_owner = tessera(&db, &["audit", "purge", "--before", "2000-01-01"]);
    assert!(purge_as_owner.status.success(), "{}", text(&purge_as_owner));
    app_db.close().await;
    let _ = app.stop().await;
    sqlx::raw_sql(&format!("DROP OWNED BY {role}; DROP ROLE {role}"))
        .execute(owner_pool)
        .await
        .expect("drop the role");
    owner.close().await;
}
