//! No request can silence the audit log: hostile strings in every recorded
//! field are cleaned (and refused where they are credentials), a row the
//! database refuses is replaced by an `audit.unwritable` row without taking
//! its batch with it, and the chain verifies afterwards.

use std::time::Duration;

use futures_util::future::join_all;
use rstest_reuse::apply;
use serde_json::json;
use server::audit::{self, AuditRecord};

use super::{all_rows, audited_app, PASSWORD};
use crate::helpers::{each_backend, Backend, TestApp};

const VIEWER: &str = "viewer@tessera.local";

/// Strings no database or log should choke on.
fn hostile() -> Vec<String> {
    vec![
        "x\u{0}".into(),
        "line\nbreak\r\n".into(),
        "\u{202E}fdp.exe\u{2066}".into(),
        "tab\there\u{7f}\u{85}\u{2028}".into(),
        "a".repeat(1_000_000),
        "é".repeat(300_000),
    ]
}

/// `POST path` with a JSON body, from a client with `user_agent`: the status.
async fn post(app: &TestApp, path: &str, body: Vec<u8>, user_agent: &[u8]) -> u16 {
    app.http
        .post(app.url(path))
        .header("content-type", "application/json")
        .header(
            "user-agent",
            reqwest::header::HeaderValue::from_bytes(user_agent).expect("header bytes"),
        )
        .body(body)
        .send()
        .await
        .expect("send")
        .status()
        .as_u16()
}

/// What a refused sign-in may get: wrong credentials, past the rate limit,
/// or all password hashers busy.
fn refused(status: u16) -> bool {
    matches!(status, 401 | 429 | 503)
}

/// Ten wrong-password sign-ins for the viewer: what an attacker would hide.
async fn guesses(app: &TestApp) -> Vec<u16> {
    join_all((0..10).map(|i| {
        let body = json!({"email": VIEWER, "password": format!("guess-number-{i:03}")});
        post(
            app,
            "/api/v1/auth/login",
            body.to_string().into_bytes(),
            b"guesser",
        )
    }))
    .await
}

/// Waits until the log has stopped growing, then returns every row.
async fn settled_rows(app: &TestApp) -> Vec<AuditRecord> {
    let db = app.db().connect().await;
    let mut last = usize::MAX;
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let rows = all_rows(&db).await;
        if rows.len() == last {
            db.close().await;
            return rows;
        }
        last = rows.len();
    }
}

fn viewer_guesses(rows: &[AuditRecord]) -> usize {
    rows.iter()
        .filter(|r| r.event.action == "auth.login" && r.event.principal.as_deref() == Some(VIEWER))
        .count()
}

async fn assert_chain_verifies(app: &TestApp) {
    let db = app.db().connect().await;
    let verified = audit::verify(&db).await.expect("read the chain");
    assert!(verified.is_ok(), "{verified:?}");
    db.close().await;
}

/// Every text of a row (each string and key of the context too), for
/// "nothing unsafe was stored" checks.
fn texts(row: &AuditRecord) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| {
                out.push(k.clone());
                walk(v, out);
            }),
            _ => {}
        }
    }
    let e = &row.event;
    let mut out: Vec<String> = [
        e.session_hash.clone(),
        e.principal.clone(),
        Some(e.action.clone()),
        e.client_ip.clone(),
        e.user_agent.clone(),
        e.request_id.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    walk(&e.context, &mut out);
    out
}

#[apply(each_backend)]
#[tokio::test]
async fn hostile_strings_in_every_field_are_recorded_clean_and_lose_nothing(backend: Backend) {
    let app = audited_app(backend).await;
    let mut calls = Vec::new();
    for text in hostile() {
        // Header values cannot hold NUL or line breaks, and servers
        // refuse headers of hundreds of KB before any handler runs.
        let ua: String = format!(
            "agent {}",
            text.replace(['\n', '\r', '\u{0}', '\u{7f}'], "?")
        )
        .chars()
        .take(4_000)
        .collect();
        let login = json!({"email": text, "password": "whatever-password-1"});
        let token = json!({"client_id": text, "client_secret": "whatever"});
        calls.push((login, "/api/v1/auth/login", ua.clone()));
        calls.push((token, "/api/v1/auth/token", ua));
    }
    let sent =
        join_all(calls.iter().map(|(body, path, ua)| {
            post(&app, path, body.to_string().into_bytes(), ua.as_bytes())
        }));
    // Invalid surrogates in JSON escapes: not JSON any parser accepts.
    let surrogates = post(
        &app,
        "/api/v1/auth/login",
        br#"{"email":"\ud800\udfff\ud800x","password":"p"}"#.to_vec(),
        b"surrogates",
    );
    let (statuses, guessed, surrogates) = tokio::join!(sent, guesses(&app), surrogates);
    assert!(guessed.iter().copied().all(refused), "{guessed:?}");
    assert_eq!(surrogates, 400);
    for ((body, path, _), status) in calls.iter().zip(&statuses) {
        let text = body
            .as_object()
            .and_then(|o| o.values().next())
            .expect("field");
        let text = text.as_str().expect("text");
        if text.chars().any(|c| c.is_control() || c == '\u{202E}') {
            assert_eq!(*status, 400, "{path} with {text:.40?}");
        } else {
            assert!(refused(*status), "{path} with {text:.40?}: {status}");
        }
    }
    // An analytics read whose raw query is recorded.
    let read = app
        .http
        .get(app.url("/api/v1/analytics/kpis?bogus=%00%0A%E2%80%AE"))
        .send()
        .await
        .expect("read");
    assert_eq!(read.status(), 401);

    let rows = settled_rows(&app).await;
    assert_eq!(viewer_guesses(&rows), 10, "every guess is in the log");
    let logins = rows
        .iter()
        .filter(|r| r.event.action == "auth.login")
        .count();
    let tokens = rows
        .iter()
        .filter(|r| r.event.action == "auth.token")
        .count();
    assert_eq!((logins, tokens), (10 + 6, 6), "one row per hostile request");
    assert!(rows
        .iter()
        .any(|r| r.event.action == "request.rejected" && r.event.status == Some(400)));
    assert!(rows
        .iter()
        .any(|r| r.event.principal.as_deref() == Some("x\\u{0}")));
    for row in &rows {
        for text in texts(row) {
            assert!(
                !text.chars().any(|c| c.is_control() || c == '\u{202E}'),
                "row {} stores {text:.60?}",
                row.id
            );
            assert!(
                text.len() < 40_000,
                "row {} keeps {} bytes",
                row.id,
                text.len()
            );
        }
    }
    assert_chain_verifies(&app).await;
}

/// Makes the database refuse rows of principal `poison@example.com`.
async fn poison(app: &TestApp, backend: Backend) {
    match backend {
        Backend::Sqlite => {
            app.execute_sql(
                "CREATE TRIGGER audit.poison BEFORE INSERT ON audit_log \
                 WHEN NEW.principal = 'poison@example.com' \
                 BEGIN SELECT RAISE(ABORT, 'poisoned row'); END",
            )
            .await;
        }
        Backend::Postgres => {
            app.execute_sql(
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
                 IF NEW.principal = 'poison@example.com' THEN RAISE EXCEPTION 'poisoned row'; \
                 END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            )
            .await;
            app.execute_sql(
                "CREATE TRIGGER poison BEFORE INSERT ON audit_log \
                 FOR EACH ROW EXECUTE FUNCTION poison()",
            )
            .await;
        }
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn a_row_the_database_refuses_is_replaced_and_its_batch_kept(backend: Backend) {
    let app = audited_app(backend).await;
    poison(&app, backend).await;
    let poisoned = join_all((0..3).map(|_| {
        let body = json!({"email": "poison@example.com", "password": PASSWORD});
        post(
            &app,
            "/api/v1/auth/login",
            body.to_string().into_bytes(),
            b"p",
        )
    }));
    let started = std::time::Instant::now();
    let (poisoned, guessed) = tokio::join!(poisoned, guesses(&app));
    assert!(poisoned.iter().copied().all(refused), "{poisoned:?}");
    assert!(guessed.iter().copied().all(refused), "{guessed:?}");
    // Not a timed assertion of speed: the writer no longer retries a
    // poisoned batch for seconds while every sign-in waits on it.
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );

    let rows = settled_rows(&app).await;
    assert_eq!(viewer_guesses(&rows), 10, "every guess is in the log");
    let unwritable: Vec<_> = rows
        .iter()
        .filter(|r| r.event.action == "audit.unwritable")
        .collect();
    assert_eq!(unwritable.len(), 3, "{rows:#?}");
    for row in unwritable {
        assert_eq!(row.event.context["action"], json!("auth.login"));
        assert!(row.event.status.is_some_and(refused), "{row:?}");
        assert_eq!(row.event.principal, None);
    }
    assert!(rows
        .iter()
        .all(|r| r.event.principal.as_deref() != Some("poison@example.com")));
    assert_chain_verifies(&app).await;
}
