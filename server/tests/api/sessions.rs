//! Browser sign-in: cookies, sessions, refresh, logout, CSRF, revocation.

use app::api::{ApiClient, ClientError, Role};
use rstest_reuse::apply;

use crate::helpers::{each_backend, spawn_app_with, Backend, TestApp};

const PASSWORD: &str = "demo-password-123";

async fn demo_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[("TESSERA_DEMO_PASSWORD", PASSWORD)]).await
}

fn browser(app: &TestApp) -> ApiClient {
    ApiClient::with_cookie_jar(app.base.clone())
}

fn status(error: ClientError) -> Option<u16> {
    error.status()
}

#[apply(each_backend)]
#[tokio::test]
async fn each_demo_role_signs_in_and_is_recognised(backend: Backend) {
    let app = demo_app(backend).await;
    for (email, role) in [
        ("viewer@tessera.local", Role::Viewer),
        ("analyst@tessera.local", Role::Analyst),
        ("ADMIN@tessera.local", Role::Admin),
    ] {
        let client = browser(&app);
        let session = client.login(email, PASSWORD).await.expect("login");
        assert_eq!((session.user.role, session.expires_in), (role, 900));
        let me = client.me().await.expect("me with cookies");
        assert_eq!(
            (me.kind.as_str(), me.name.as_str(), me.role),
            ("user", email.to_lowercase().as_str(), role)
        );
    }
}

#[tokio::test]
async fn login_cookies_are_http_only_and_strict_and_bodies_hold_no_hash() {
    let app = demo_app(Backend::Sqlite).await;
    let response = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "admin@tessera.local", "password": PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .collect();
    for name in ["tessera_access=", "tessera_session="] {
        let cookie = cookies
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {cookies:?}"));
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        assert!(
            !cookie.contains("Secure"),
            "plain HTTP on loopback in demo mode: {cookie}"
        );
    }
    let body = response.text().await.expect("body");
    assert!(
        !body.contains("argon2") && !body.contains(PASSWORD),
        "{body}"
    );
}

#[tokio::test]
async fn wrong_password_unknown_email_and_disabled_user_get_one_answer() {
    let app = demo_app(Backend::Sqlite).await;
    let sql = "UPDATE users SET disabled = 1 WHERE email = 'viewer@tessera.local'";
    app.execute_sql(sql).await;
    for (email, password) in [
        ("admin@tessera.local", "not-the-password"),
        ("nobody@tessera.local", PASSWORD),
        ("not an email", PASSWORD),
        ("viewer@tessera.local", PASSWORD),
    ] {
        match browser(&app).login(email, password).await {
            Err(ClientError::Api { status, body }) => {
                assert_eq!(
                    (status, body.message.as_str()),
                    (401, "invalid email or password"),
                    "{email}"
                );
            }
            other => panic!("{email}: {other:?}"),
        }
    }
    let missing = browser(&app).login("", "").await.expect_err("empty");
    match missing {
        ClientError::Api { status, body } => {
            assert_eq!(status, 400);
            let fields = body.fields.expect("fields");
            assert!(fields.contains_key("email") && fields.contains_key("password"));
        }
        other => panic!("{other:?}"),
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn refresh_renews_and_logout_revokes_the_live_token(backend: Backend) {
    let app = demo_app(backend).await;
    let client = browser(&app);
    client
        .login("analyst@tessera.local", PASSWORD)
        .await
        .expect("login");
    let refreshed = client.refresh().await.expect("refresh");
    assert_eq!(refreshed.user.role, Role::Analyst);

    // Keep the access cookie as a thief would, then log out.
    let cookie_header = app.login_cookies("analyst@tessera.local", PASSWORD).await;
    assert_eq!(app.me_status(&cookie_header).await, 200);
    assert_eq!(app.logout_status(&cookie_header).await, 204);
    assert_eq!(
        app.me_status(&cookie_header).await,
        401,
        "the access token died with its session"
    );

    client.logout().await.expect("logout");
    assert_eq!(client.me().await.map_err(status), Err(Some(401)));
    assert_eq!(client.refresh().await.map_err(status), Err(Some(401)));
}

#[apply(each_backend)]
#[tokio::test]
async fn a_disabled_users_live_session_is_refused(backend: Backend) {
    // Disabled in the database directly: applies at once when the
    // instance reads the row on every request (see revocation.rs for
    // the recheck interval).
    let settings = [
        ("TESSERA_DEMO_PASSWORD", PASSWORD),
        ("TESSERA_AUTH_RECHECK", "0"),
    ];
    let app = spawn_app_with(backend, &settings).await;
    let client = browser(&app);
    client
        .login("viewer@tessera.local", PASSWORD)
        .await
        .expect("login");
    client.me().await.expect("valid before");
    let sql = "UPDATE users SET disabled = TRUE, auth_version = auth_version + 1 WHERE email = 'viewer@tessera.local'";
    app.execute_sql(sql).await;
    assert_eq!(client.me().await.map_err(status), Err(Some(401)));
    assert_eq!(client.refresh().await.map_err(status), Err(Some(401)));
}

#[tokio::test]
async fn a_cross_site_post_with_cookies_is_403_but_bearer_is_not_affected() {
    let app = demo_app(Backend::Sqlite).await;
    let client = browser(&app);
    client
        .login("admin@tessera.local", PASSWORD)
        .await
        .expect("login");
    let cookies = app.login_cookies("admin@tessera.local", PASSWORD).await;
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let response = app
            .http
            .post(app.url("/api/v1/auth/refresh"))
            .header("cookie", cookies.clone())
            .header(name, value)
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), 403, "{name}");
        let body: app::api::ErrorEnvelope = response.json().await.expect("json");
        assert_eq!(body.error.code, "forbidden");
    }
    // Same request, same origin: fine.
    let ok = app
        .http
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", cookies.clone())
        .header("origin", app.base.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn only_a_bearer_token_that_verifies_skips_the_cross_site_check() {
    let app = demo_app(Backend::Sqlite).await;
    let admin = browser(&app);
    admin
        .login("admin@tessera.local", PASSWORD)
        .await
        .expect("login");
    let (_, token) = app
        .service_account_token(&admin, "ops", app::api::Role::Admin)
        .await;
    let cookies = app.login_cookies("admin@tessera.local", PASSWORD).await;
    let cross_site = |path: &str, bearer: &str| {
        app.http
            .request(
                if path.ends_with("cache") {
                    reqwest::Method::DELETE
                } else {
                    reqwest::Method::POST
                },
                app.url(path),
            )
            .header("cookie", cookies.clone())
            .header("sec-fetch-site", "cross-site")
            .bearer_auth(bearer)
    };
    let status = |r: reqwest::Response| r.status().as_u16();
    // Any "Bearer" header used to be enough to skip the check.
    let forged = cross_site("/api/v1/admin/cache", "not-a-token")
        .send()
        .await;
    assert_eq!(forged.map(status).expect("send"), 403);
    let real = cross_site("/api/v1/admin/cache", &token).send().await;
    assert_eq!(real.map(status).expect("send"), 204);
    // Sign-out and refresh act on the cookie: checked whatever the token.
    for path in ["/api/v1/auth/refresh", "/api/v1/auth/logout"] {
        let refused = cross_site(path, &token).send().await;
        assert_eq!(refused.map(status).expect("send"), 403, "{path}");
    }
    assert_eq!(app.me_status(&cookies).await, 200, "still signed in");
}

async fn attempt(app: &TestApp, email: &str, forwarded_for: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&serde_json::json!({"email": email, "password": "wrong-password"}))
        .send()
        .await
        .expect("send")
}

#[tokio::test]
async fn a_burst_past_the_login_limit_gets_429_with_retry_after() {
    let app = demo_app(Backend::Sqlite).await;
    let per_account = server::auth::limits::PER_ACCOUNT_PER_MINUTE;
    for _ in 0..per_account {
        assert_eq!(
            attempt(&app, "admin@tessera.local", "192.0.2.1")
                .await
                .status(),
            401
        );
    }
    let limited = attempt(&app, "admin@tessera.local", "192.0.2.1").await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: app::api::ErrorEnvelope = limited.json().await.expect("json");
    assert_eq!(body.error.code, "rate_limited");
    // Even the right password is refused while limited.
    let right = browser(&app)
        .login("admin@tessera.local", PASSWORD)
        .await
        .map_err(status);
    assert_eq!(right.err(), Some(Some(429)));
}

#[tokio::test]
async fn a_forged_forwarded_for_does_not_escape_the_per_ip_limit() {
    let app = demo_app(Backend::Sqlite).await;
    let per_ip = server::auth::limits::PER_ACCOUNT_PER_MINUTE * server::auth::limits::IP_FACTOR;
    // Every attempt names a new account and forges a new client address;
    // the quota refills one attempt every 2 s, so allow some slack.
    let mut limited_at = None;
    for n in 0..per_ip + 15 {
        let response = attempt(
            &app,
            &format!("user{n}@example.com"),
            &format!("198.51.100.{n}"),
        )
        .await;
        if response.status() == 429 {
            limited_at = Some(n);
            break;
        }
        assert_eq!(response.status(), 401, "attempt {n}");
    }
    let limited_at = limited_at.expect("the socket address is limited, whatever the header says");
    assert!(
        limited_at >= per_ip,
        "limited after {limited_at} attempts, quota {per_ip}"
    );
}

fn session_id(cookie_header: &str) -> String {
    cookie_header
        .split("; ")
        .find_map(|pair| pair.strip_prefix("tessera_session="))
        .expect("session cookie")
        .to_owned()
}

#[apply(each_backend)]
#[tokio::test]
async fn signing_in_again_renews_the_session_id(backend: Backend) {
    let app = demo_app(backend).await;
    let first = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    // Sign in again from the same browser, presenting the old session.
    let response = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("cookie", first.clone())
        .header("origin", app.base.clone())
        .json(&serde_json::json!({"email": "viewer@tessera.local", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), 200);
    let second: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect();
    let second = second.join("; ");
    assert_ne!(
        session_id(&first),
        session_id(&second),
        "a fresh id at sign-in"
    );

    // The old id no longer opens a session.
    let old = format!("tessera_session={}", session_id(&first));
    let refresh = app
        .http
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", old)
        .header("origin", app.base.clone())
        .send()
        .await
        .expect("refresh");
    assert_eq!(refresh.status(), 401);
}
