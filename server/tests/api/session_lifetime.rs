//! A browser session's absolute lifetime (`TESSERA_SESSION_MAX_AGE`) and the
//! deletion of expired sessions.

use std::time::{SystemTime, UNIX_EPOCH};

use rstest_reuse::apply;
use tower_sessions::{
    cookie::time::{Duration, OffsetDateTime},
    session::{Id, Record},
    SessionStore,
};

use crate::helpers::{each_backend, spawn_app_with, Backend, TestApp};

const PASSWORD: &str = "demo-password-123";

async fn app(backend: Backend, settings: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("TESSERA_DEMO_PASSWORD", PASSWORD)];
    all.extend_from_slice(settings);
    spawn_app_with(backend, &all).await
}

fn unix_now() -> i64 {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock");
    i64::try_from(now.as_secs()).expect("seconds")
}

/// The session id in a browser's `Cookie` header.
fn session_id(cookies: &str) -> Id {
    cookies
        .split("; ")
        .find_map(|pair| pair.strip_prefix("tessera_session="))
        .expect("session cookie")
        .parse()
        .expect("session id")
}

/// Rewrites the stored sign-in time of the session in `cookies` to
/// `seconds_ago`, as if the user had signed in that long ago.
async fn sign_in_moved_back(app: &TestApp, cookies: &str, seconds_ago: i64) {
    let store = app.db().connect().await.session_store();
    let mut record = store
        .load(&session_id(cookies))
        .await
        .expect("load")
        .expect("a live session");
    record.data.get_mut("auth").expect("sign-in")["signed_in_at"] =
        serde_json::json!(unix_now() - seconds_ago);
    store.save(&record).await.expect("save");
}

async fn stored(app: &TestApp, cookies: &str) -> bool {
    let store = app.db().connect().await.session_store();
    store
        .load(&session_id(cookies))
        .await
        .expect("load")
        .is_some()
}

async fn refresh_status(app: &TestApp, cookies: &str) -> u16 {
    app.http
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", cookies)
        .header("origin", app.base.clone())
        .send()
        .await
        .expect("refresh")
        .status()
        .as_u16()
}

#[apply(each_backend)]
#[tokio::test]
async fn a_session_older_than_its_max_age_is_refused_and_deleted(backend: Backend) {
    // Default: 12 hours.
    let app = app(backend, &[]).await;
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    sign_in_moved_back(&app, &cookies, 11 * 3600).await;
    assert_eq!(app.me_status(&cookies).await, 200, "{backend:?}");
    assert_eq!(refresh_status(&app, &cookies).await, 200, "{backend:?}");

    // Its access token is still valid, but the session is over.
    let old = app.login_cookies("analyst@tessera.local", PASSWORD).await;
    sign_in_moved_back(&app, &old, 12 * 3600 + 1).await;
    assert_eq!(app.me_status(&old).await, 401, "{backend:?}");
    assert!(!stored(&app, &old).await, "the session is deleted");
    assert_eq!(refresh_status(&app, &old).await, 401, "{backend:?}");

    // Renewal refuses it too, and pages send the user to sign in.
    let old = app.login_cookies("analyst@tessera.local", PASSWORD).await;
    sign_in_moved_back(&app, &old, 13 * 3600).await;
    assert_eq!(refresh_status(&app, &old).await, 401, "{backend:?}");
    assert!(!stored(&app, &old).await, "the session is deleted");
    let session_only = old
        .split("; ")
        .filter(|pair| pair.starts_with("tessera_session="))
        .collect::<String>();
    let page = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(app.url("/"))
        .header("cookie", session_only)
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/login?next=/");
}

#[tokio::test]
async fn the_max_age_is_configurable() {
    let app = app(Backend::Sqlite, &[("TESSERA_SESSION_MAX_AGE", "30m")]).await;
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    sign_in_moved_back(&app, &cookies, 29 * 60).await;
    assert_eq!(refresh_status(&app, &cookies).await, 200);
    sign_in_moved_back(&app, &cookies, 31 * 60).await;
    assert_eq!(refresh_status(&app, &cookies).await, 401);
}

#[tokio::test]
async fn the_stored_session_expires_with_the_sign_in() {
    let app = app(Backend::Sqlite, &[("TESSERA_SESSION_MAX_AGE", "1h")]).await;
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    let store = app.db().connect().await.session_store();
    let record = store
        .load(&session_id(&cookies))
        .await
        .expect("load")
        .expect("live");
    let left = record.expiry_date - OffsetDateTime::now_utc();
    assert!(
        left > Duration::minutes(59) && left <= Duration::hours(1),
        "{left}"
    );
}

async fn session_rows(app: &TestApp) -> i64 {
    let sql = "SELECT COUNT(*) FROM sessions";
    match app.db().connect().await {
        server::storage::Db::Sqlite(pool) => {
            sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await
        }
        server::storage::Db::Postgres(pool) => {
            sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await
        }
    }
    .expect("count")
}

#[apply(each_backend)]
#[tokio::test]
async fn expired_sessions_are_deleted_at_start_up(backend: Backend) {
    let first = app(backend, &[]).await;
    let store = first.db().connect().await.session_store();
    let expired = || Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: OffsetDateTime::now_utc() - Duration::minutes(1),
    };
    store.create(&mut expired()).await.expect("create");
    // The first instance sweeps at its own start-up, which on a busy
    // machine may come after this insert: once it has, the row stays
    // until the next sweep an interval later.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    if session_rows(&first).await == 0 {
        store.create(&mut expired()).await.expect("create again");
    }
    assert_eq!(session_rows(&first).await, 1, "{backend:?}");
    // Another instance sweeps at start-up.
    let _second = first.spawn_another(&[]).await;
    let mut left = session_rows(&first).await;
    for _ in 0..50 {
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = session_rows(&first).await;
    }
    assert_eq!(left, 0, "{backend:?}");
}
