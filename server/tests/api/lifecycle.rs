//! Start-up, restarts, shutdown, demo seeding and database outages.

use std::{
    io::{BufRead, BufReader, Read, Write},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use app::api::{AuditOutcome, ClientError, NewUser, Role};
use rstest_reuse::apply;
use server::demo::SEEDED_KEY;

use crate::{
    audit::{all_rows, audited_app, signed_in, PASSWORD},
    helpers::{
        database_url, each_backend, output_text, postgres_admin_url, run_tessera, spawn_app,
        spawn_app_with, spawn_on, Backend, TestDb,
    },
    proxy::TcpProxy,
};

/// When demo content was seeded, read straight from the app's database.
async fn seeded_at(app: &crate::helpers::TestApp) -> Option<String> {
    app.db()
        .connect()
        .await
        .meta(SEEDED_KEY)
        .await
        .expect("query")
}

#[apply(each_backend)]
#[tokio::test]
async fn graceful_stop_closes_the_listener(backend: Backend) {
    let app = spawn_app(backend).await;
    let addr = app.addr;
    app.api.health().await.expect("serving");
    let (result, _db) = app.stop().await;
    result.expect("clean shutdown");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "listener closed"
    );
}

#[apply(each_backend)]
#[tokio::test]
async fn demo_content_is_seeded_once_and_survives_restarts(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = seeded_at(&app).await;
    assert!(first.is_some(), "demo mode seeds on first start");
    let (result, db) = app.stop().await;
    result.expect("clean stop");

    // Second start on the same database: migrations are a no-op, no re-seed.
    let app = spawn_on(db, &[]).await;
    app.api.ready().await.expect("ready after restart");
    let second = seeded_at(&app).await;
    assert_eq!(first, second);
}

#[apply(each_backend)]
#[tokio::test]
async fn production_mode_never_seeds_data_or_accounts(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[
            ("TESSERA_MODE", "production"),
            ("TESSERA_JWT_SECRET", crate::helpers::TEST_JWT_SECRET),
        ],
    )
    .await;
    app.api.ready().await.expect("ready");
    let seeded = seeded_at(&app).await;
    assert_eq!(seeded, None);
    let users = app.db().connect().await.list_users().await.expect("list");
    assert!(users.is_empty(), "no demo accounts in production");
}

#[tokio::test]
async fn ready_follows_a_postgres_outage_without_a_restart() {
    let Some(admin) = postgres_admin_url() else {
        eprintln!("skipped: TESSERA_TEST_POSTGRES_URL not set");
        return;
    };
    let target = url::Url::parse(&admin).expect("url");
    let target_addr = format!(
        "{}:{}",
        target.host_str().expect("host"),
        target.port().unwrap_or(5432)
    );
    let proxy = TcpProxy::start(target_addr.parse().expect("socket addr")).await;

    let mut db = TestDb::create(Backend::Postgres).await;
    let name = url::Url::parse(&db.url)
        .expect("url")
        .path()
        .trim_start_matches('/')
        .to_owned();
    let mut via_proxy = url::Url::parse(&database_url(&admin, &name)).expect("url");
    via_proxy.set_port(Some(proxy.addr.port())).expect("port");
    via_proxy.set_host(Some("127.0.0.1")).expect("host");
    db.url = via_proxy.to_string();
    let app = spawn_on(db, &[]).await;

    let ready = |app: &crate::helpers::TestApp| {
        let api = app.api.clone();
        async move { api.ready().await.map_err(|e| e.status()) }
    };
    assert!(ready(&app).await.is_ok(), "ready while the database is up");

    proxy.down();
    assert_eq!(
        ready(&app).await,
        Err(Some(503)),
        "503 while the database is away"
    );
    assert!(
        app.api.health().await.is_ok(),
        "liveness does not depend on the database"
    );

    proxy.up();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match ready(&app).await {
            Ok(_) => break,
            Err(status) if Instant::now() < deadline => {
                assert_eq!(status, Some(503));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(status) => panic!("still not ready after the database returned: {status:?}"),
        }
    }
}

#[test]
fn a_bad_setting_stops_start_up_naming_the_variable() {
    let output = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .env("TESSERA_BIND", "not-an-address")
        .output()
        .expect("run tessera");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TESSERA_BIND"), "{stderr}");
}

#[test]
fn sigterm_stops_the_binary_gracefully() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("serve")
        .env("TESSERA_BIND", "127.0.0.1:0")
        .env("TESSERA_DATA_DIR", dir.path())
        .env("TESSERA_LOG_FORMAT", "json")
        .env("TESSERA_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn tessera");
    // Watchdog: a hung server fails the test instead of hanging the suite.
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(60));
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
    });
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut startup = Vec::new();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let addr = line
                .split("listening on http://")
                .nth(1)
                .map(|rest| rest[..rest.find('"').unwrap_or(rest.len())].to_owned());
            startup.push(line);
            addr
        })
        .expect("listening line");
    // Demo seeding announced its accounts, and no password hash was logged.
    assert!(
        startup.iter().any(|l| l.contains("demo accounts created")),
        "{startup:?}"
    );

    // One refused request with a known id: its access log line (refusals
    // are logged at `info`; quick successes only at `debug`) carries the id.
    let mut stream = std::net::TcpStream::connect(&addr).expect("serving");
    write!(
        stream,
        "GET /api/v1/me HTTP/1.1\r\nHost: {addr}\r\nX-Request-Id: trace-me-42\r\nConnection: close\r\n\r\n"
    )
    .expect("write request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    let request_line = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|line| line.contains("tessera::access") && line.contains("\"status\":401"))
        .expect("a log line for the request");
    assert!(
        request_line.contains("\"request_id\":\"trace-me-42\""),
        "{request_line}"
    );

    // A failed sign-in: neither the attempted password nor any hash is logged.
    let body = r#"{"email":"admin@tessera.local","password":"attempted-secret-42"}"#;
    let mut stream = std::net::TcpStream::connect(&addr).expect("serving");
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write login");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().expect("wait");
    assert!(status.success(), "exit status {status}");
    assert!(rest.iter().any(|l| l.contains("shutting down")), "{rest:?}");
    assert!(rest.iter().any(|l| l.contains("\"stopped\"")), "{rest:?}");
    for line in startup.iter().chain(&rest) {
        assert!(
            !line.contains("$argon2"),
            "a password hash in the log: {line}"
        );
        assert!(
            !line.contains("attempted-secret-42"),
            "a password in the log: {line}"
        );
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn migrate_subcommand_prepares_the_database_and_exits(backend: Backend) {
    let db = TestDb::create(backend).await;
    let output = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("migrate")
        .env("TESSERA_DATABASE_URL", &db.url)
        .env("TESSERA_DATA_DIR", db.data_dir())
        .output()
        .expect("run tessera migrate");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // The schema is there: instance_meta answers (and is empty: migrate never seeds).
    assert_eq!(
        db.connect().await.meta(SEEDED_KEY).await.expect("query"),
        None
    );
}

/// The keys of an audit row's context, sorted.
fn context_keys(row: &server::audit::AuditRecord) -> Vec<String> {
    let mut keys: Vec<String> = row
        .event
        .context
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

/// The one row of `action` done (outcome ok) by `principal` in `rows`.
fn row_by<'a>(
    rows: &'a [server::audit::AuditRecord],
    action: &str,
    principal: &str,
) -> &'a server::audit::AuditRecord {
    let found: Vec<_> = rows
        .iter()
        .filter(|r| r.event.action == action && r.event.outcome == AuditOutcome::Ok)
        .filter(|r| r.event.principal.as_deref() == Some(principal))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {action} row by {principal}: {found:#?}"
    );
    found[0]
}

#[tokio::test]
async fn a_user_created_on_the_command_line_follows_the_api_rules_and_is_recorded_alike() {
    let app = audited_app(Backend::Sqlite).await;
    let admin = signed_in(&app, "admin").await;
    let unsafe_name = "Grace\u{1b}[2J";
    let user = |email: &str, display_name: &str| NewUser {
        email: email.into(),
        display_name: display_name.into(),
        role: Role::Viewer,
        password: PASSWORD.into(),
    };
    let over_http = match admin
        .create_user(&user("grace@example.com", unsafe_name))
        .await
    {
        Err(ClientError::Api { status: 400, body }) => {
            body.fields.expect("fields")["display_name"].clone()
        }
        other => panic!("a control character in the name: {other:?}"),
    };
    admin
        .create_user(&user("ada@example.com", "Ada"))
        .await
        .expect("created over HTTP");
    let (result, db) = app.stop().await;
    result.expect("clean stop");

    let args = [
        "create-user",
        "--email",
        "grace@example.com",
        "--role",
        "viewer",
    ];
    let stdin = format!("{PASSWORD}\n");
    let refused = run_tessera(
        &db.url,
        &db,
        &[&args[..], &["--name", unsafe_name]].concat(),
        &stdin,
    );
    assert_eq!(refused.status.code(), Some(1), "{}", output_text(&refused));
    assert!(
        output_text(&refused).contains(&format!("--name: {over_http}")),
        "the API's words ({over_http}) in: {}",
        output_text(&refused)
    );
    let created = run_tessera(&db.url, &db, &args, &stdin);
    assert!(created.status.success(), "{}", output_text(&created));

    let rows = all_rows(&db.connect().await).await;
    let by_http = row_by(&rows, "user.created", "admin@tessera.local");
    let by_cli = row_by(&rows, "user.created", "cli:ops");
    assert_eq!(context_keys(by_cli), ["email", "role", "user_id"]);
    assert_eq!(context_keys(by_cli), context_keys(by_http));
    assert_eq!(by_cli.event.context["email"], "grace@example.com");
    assert_eq!(by_cli.event.context["role"], "viewer");
    let by_commands = rows
        .iter()
        .filter(|r| r.event.principal.as_deref() == Some("cli:ops"));
    assert_eq!(by_commands.count(), 1, "the refused command wrote nothing");
}

#[tokio::test]
async fn a_refresh_on_the_command_line_is_recorded_as_the_api_records_one() {
    let app = audited_app(Backend::Sqlite).await;
    let admin = signed_in(&app, "admin").await;
    admin.refresh_data().await.expect("refresh over HTTP");
    let (result, db) = app.stop().await;
    result.expect("clean stop");

    let refreshed = run_tessera(&db.url, &db, &["refresh"], "");
    assert!(refreshed.status.success(), "{}", output_text(&refreshed));

    let rows = all_rows(&db.connect().await).await;
    let by_http = row_by(&rows, "data.refresh", "admin@tessera.local");
    let by_cli = row_by(&rows, "data.refresh", "cli:ops");
    assert_eq!(
        context_keys(by_cli),
        ["changed", "dataset_version", "ingested"]
    );
    assert_eq!(context_keys(by_cli), context_keys(by_http));
    assert_eq!(by_cli.event.context["changed"], false);
}
