//! `tessera audit verify` and `tessera audit purge`: a clean chain passes,
//! a changed row is named (SQLite) or the change refused (PostgreSQL), and a
//! purge removes old rows, records itself and keeps the chain verifiable.

use std::process::{Command, Output};

use app::api::AuditOutcome;
use rstest_reuse::apply;
use server::audit::AuditEvent;

use super::{all_rows, audited_app, signed_in};
use crate::helpers::{each_backend, Backend, TestApp, TestDb};

fn tessera(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .env("TESSERA_DATABASE_URL", &db.url)
        .env("TESSERA_DATA_DIR", db.data_dir())
        .env("TESSERA_LOG", "warn")
        .output()
        .expect("run tessera")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A few rows of every kind.
async fn some_activity(app: &TestApp) {
    let _ = app
        .api
        .login("admin@tessera.local", "wrong-password-123")
        .await;
    let admin = signed_in(app, "admin").await;
    admin.data_status().await.expect("status");
    admin.clear_cache().await.expect("clear");
}

#[apply(each_backend)]
#[tokio::test]
async fn verify_passes_on_a_clean_log_and_names_a_changed_row(backend: Backend) {
    let app = audited_app(backend).await;
    some_activity(&app).await;
    let (result, db) = app.stop().await;
    result.expect("clean stop");
    let rows = all_rows(&db.connect().await).await;
    assert_eq!(rows.len(), 4, "{rows:#?}");

    let clean = tessera(&db, &["audit", "verify"]);
    assert!(clean.status.success(), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("OK: 4 rows"), "{}", stdout(&clean));

    let pool = db.connect().await;
    let tamper = "UPDATE audit_log SET principal = 'mallory' WHERE id = 2";
    match (backend, &pool) {
        (Backend::Sqlite, server::storage::Db::Sqlite(p)) => {
            sqlx::query(tamper)
                .execute(p)
                .await
                .expect("SQLite allows the UPDATE");
            let broken = tessera(&db, &["audit", "verify"]);
            assert_eq!(broken.status.code(), Some(1), "{}", stdout(&broken));
            assert!(stdout(&broken).contains("row 2"), "{}", stdout(&broken));
        }
        (Backend::Postgres, server::storage::Db::Postgres(p)) => {
            for sql in [
                tamper,
                "DELETE FROM audit_log WHERE id = 2",
                "TRUNCATE audit_log",
            ] {
                let refused = sqlx::query(sql).execute(p).await;
                let error = refused.expect_err(sql).to_string();
                assert!(error.contains("append-only"), "{sql}: {error}");
            }
            let still = tessera(&db, &["audit", "verify"]);
            assert!(still.status.success(), "{}", stdout(&still));
        }
        _ => unreachable!(),
    }
    pool.close().await;
}

#[tokio::test]
async fn verify_notices_rows_removed_from_the_end() {
    let db = TestDb::create(Backend::Sqlite).await;
    let app = crate::helpers::spawn_on(db, &[("TESSERA_DEMO_PASSWORD", super::PASSWORD)]).await;
    some_activity(&app).await;
    app.execute_sql("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
        .await;
    let (result, db) = app.stop().await;
    result.expect("clean stop");
    let broken = tessera(&db, &["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1), "{}", stdout(&broken));
}

#[apply(each_backend)]
#[tokio::test]
async fn purge_removes_old_rows_records_itself_and_the_chain_still_verifies(backend: Backend) {
    let app = audited_app(backend).await;
    // Three rows from long ago, then today's activity.
    let pool = app.db().connect().await;
    let old: Vec<_> = (0..3)
        .map(|i| {
            let mut event =
                AuditEvent::now("test.old", AuditOutcome::Ok, serde_json::json!({ "i": i }));
            event.occurred_at = time::macros::datetime!(2020-01-01 12:00 UTC);
            event
        })
        .collect();
    pool.append_audit(&old).await.expect("append old rows");
    pool.close().await;
    some_activity(&app).await;
    let (result, db) = app.stop().await;
    result.expect("clean stop");

    let purged = tessera(&db, &["audit", "purge", "--before", "2021-01-01"]);
    assert!(
        purged.status.success(),
        "{}",
        String::from_utf8_lossy(&purged.stderr)
    );
    assert!(
        stdout(&purged).contains("removed 3 audit rows"),
        "{}",
        stdout(&purged)
    );

    let rows = all_rows(&db.connect().await).await;
    let actions: Vec<_> = rows.iter().map(|r| r.event.action.as_str()).collect();
    assert!(!actions.contains(&"test.old"), "{actions:?}");
    assert_eq!(actions.len(), 5, "four kept and the purge: {actions:?}");
    let purge = rows.last().expect("purge row");
    assert_eq!(purge.event.action, "audit.purged");
    assert_eq!(purge.event.context["removed"], 3);
    assert_eq!(purge.event.context["before"], "2021-01-01");

    let verified = tessera(&db, &["audit", "verify"]);
    assert!(verified.status.success(), "{}", stdout(&verified));
    assert!(
        stdout(&verified).contains("OK: 5 rows"),
        "{}",
        stdout(&verified)
    );

    // Purging everything leaves only its own row, still verifiable.
    let all = tessera(&db, &["audit", "purge", "--before", "2999-01-01"]);
    assert!(
        stdout(&all).contains("removed 5 audit rows"),
        "{}",
        stdout(&all)
    );
    let verified = tessera(&db, &["audit", "verify"]);
    assert!(
        stdout(&verified).contains("OK: 1 rows"),
        "{}",
        stdout(&verified)
    );
}

#[apply(each_backend)]
#[tokio::test]
async fn writers_on_several_instances_keep_one_linear_chain(backend: Backend) {
    let db = TestDb::create(backend).await;
    let instances = [db.connect().await, db.connect().await];
    instances[0].migrate().await.expect("migrate");
    let tasks: Vec<_> = (0..8)
        .map(|task| {
            let pool = instances[task % 2].clone();
            tokio::spawn(async move {
                for batch in 0..10 {
                    let events: Vec<_> = (0..5)
                        .map(|i| {
                            let context = serde_json::json!({"task": task, "batch": batch, "i": i});
                            AuditEvent::now("test.concurrent", AuditOutcome::Ok, context)
                        })
                        .collect();
                    pool.append_audit(&events).await.expect("append");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("writer");
    }
    let verified = server::audit::verify(&instances[0]).await.expect("read");
    assert_eq!(verified, Ok(8 * 10 * 5), "{backend:?}");
    for pool in instances {
        pool.close().await;
    }
}
