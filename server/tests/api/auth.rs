//! Service authentication, revocation, the route table's access levels, and
//! how sign-ins are shed under load (hashing slots, the per-instance cap).

use app::api::{ClientError, Role};
use rstest_reuse::apply;
use server::{
    auth::secret::{hash_service_secret, random_token},
    http::routes::{Access, RouteInfo},
};

use crate::helpers::{each_backend, spawn_app, spawn_app_with, Backend, TestApp};

/// A service account with `role`; returns its client id and secret.
async fn service(app: &TestApp, name: &str, role: Role) -> (String, String) {
    let (client_id, secret) = (format!("svc_{name}"), random_token(32));
    let db = app.db().connect().await;
    db.create_service_account(
        name,
        &client_id,
        &hash_service_secret(secret.as_bytes()),
        role,
    )
    .await
    .expect("create service account");
    (client_id, secret)
}

async fn token_for(app: &TestApp, role: Role) -> String {
    let (id, secret) = service(app, &format!("svc-{role}"), role).await;
    app.api
        .token(&id, &secret)
        .await
        .expect("token")
        .access_token
}

#[apply(each_backend)]
#[tokio::test]
async fn a_service_exchanges_credentials_for_a_bearer_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, secret) = service(&app, "billing", Role::Analyst).await;

    let token = app.api.token(&id, &secret).await.expect("token");
    assert_eq!(
        (token.token_type.as_str(), token.expires_in),
        ("Bearer", 900)
    );
    let me = app
        .api
        .clone()
        .with_bearer(&token.access_token)
        .me()
        .await
        .expect("me");
    assert_eq!(
        (me.kind.as_str(), me.name.as_str(), me.role),
        ("service", "billing", Role::Analyst)
    );

    // HTTP Basic works too.
    let response = app
        .http
        .post(app.url("/api/v1/auth/token"))
        .basic_auth(&id, Some(&secret))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn wrong_or_unknown_credentials_get_the_same_401() {
    let app = spawn_app(Backend::Sqlite).await;
    let (id, _) = service(&app, "billing", Role::Viewer).await;
    for (client_id, secret) in [(id.as_str(), "wrong"), ("svc_nobody", "wrong")] {
        let error = app.api.token(client_id, secret).await.expect_err("refused");
        match error {
            ClientError::Api { status, body } => {
                assert_eq!(status, 401);
                assert_eq!(body.message, "invalid client credentials");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn missing_or_bad_tokens_are_401_with_the_json_shape() {
    let app = spawn_app(Backend::Sqlite).await;
    for auth in [
        None,
        Some("Bearer not-a-jwt"),
        Some("Basic abc"),
        Some("Bearer "),
    ] {
        let mut request = app.http.get(app.url("/api/v1/me"));
        if let Some(value) = auth {
            request = request.header("authorization", value);
        }
        let response = request.send().await.expect("send");
        assert_eq!(response.status(), 401, "{auth:?}");
        assert!(response.headers().contains_key("www-authenticate"));
        let body: app::api::ErrorEnvelope = response.json().await.expect("json");
        assert_eq!(body.error.code, "unauthorized");
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn a_revocation_in_the_database_refuses_the_live_token_at_once_without_recheck_time(
    backend: Backend,
) {
    // A change made outside this instance (SQL here) applies within
    // the recheck interval; zero reads the row on every request.
    let app = spawn_app_with(backend, &[("TESSERA_AUTH_RECHECK", "0")]).await;
    let token = token_for(&app, Role::Viewer).await;
    let client = app.api.clone().with_bearer(&token);
    client.me().await.expect("valid before");

    let sql = "UPDATE service_accounts SET disabled = TRUE, auth_version = auth_version + 1";
    app.execute_sql(sql).await;
    assert_eq!(client.me().await.expect_err("revoked").status(), Some(401));
}

/// Calls `route` (path parameters name a missing id); returns the status and
/// whether the guard refused it ("authentication required").
async fn call(app: &TestApp, route: &RouteInfo, token: Option<&str>) -> (u16, bool) {
    let url = app.url(&format!("/api/v1{}", route.path.replace("{id}", "999999")));
    let mut request = app.http.request(route.method.clone(), url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    (status, body.contains("authentication required"))
}

#[tokio::test]
async fn every_route_enforces_its_access_level() {
    let app = spawn_app(Backend::Sqlite).await;
    let table = server::http::routes().table();
    assert!(
        table.iter().any(|r| matches!(r.access, Access::AtLeast(_))),
        "the walk covers guarded routes"
    );
    let mut tokens = Vec::new();
    for role in Role::ALL {
        tokens.push((role, token_for(&app, role).await));
    }
    for route in &table {
        let (anonymous, guarded) = call(&app, route, None).await;
        match route.access {
            // Public routes may still refuse bad input or a missing session,
            // but never through the guard.
            Access::Public => assert!(!guarded && anonymous != 403, "{route:?}: {anonymous}"),
            Access::AtLeast(minimum) => {
                assert_eq!((anonymous, guarded), (401, true), "{route:?} anonymous");
                for (role, token) in &tokens {
                    let (status, _) = call(&app, route, Some(token)).await;
                    if role.includes(minimum) {
                        assert!(
                            ![401, 403].contains(&status),
                            "{route:?} as {role}: {status}"
                        );
                    } else {
                        assert_eq!(status, 403, "{route:?} as {role}");
                    }
                }
            }
        }
    }
}

const DEMO_PASSWORD: &str = "correct horse battery staple";

/// One wrong sign-in as `email`: its status, `Retry-After` and error code.
async fn bad_sign_in(app: &TestApp, email: &str) -> (u16, Option<u64>, String) {
    let response = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": "wrong password"}))
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let body: app::api::ErrorEnvelope = response.json().await.expect("json error");
    (status, retry_after, body.error.code)
}

#[apply(each_backend)]
#[tokio::test]
async fn sign_ins_past_the_hashing_slots_get_503_with_retry_after_and_the_server_recovers(
    backend: Backend,
) {
    // One slot, and no rate limit in the way.
    let app = spawn_app_with(
        backend,
        &[
            ("TESSERA_DEMO_PASSWORD", DEMO_PASSWORD),
            ("TESSERA_PASSWORD_HASH_CONCURRENCY", "1"),
            ("TESSERA_LOGIN_ATTEMPTS_PER_MINUTE", "10000"),
            ("TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE", "600000"),
        ],
    )
    .await;
    // 96 at once, unknown accounts (the dummy hash takes a slot too):
    // one hashes at a time, the rest wait half a second at most.
    let mut flood = tokio::task::JoinSet::new();
    for n in 0..96 {
        let (http, url) = (app.http.clone(), app.url("/api/v1/auth/login"));
        flood.spawn(async move {
            let response = http
                .post(url)
                .json(&serde_json::json!({"email": format!("nobody{n}@example.com"), "password": "wrong password"}))
                .send()
                .await
                .expect("send");
            let status = response.status().as_u16();
            let retry_after = response.headers().get("retry-after").cloned();
            let body: app::api::ErrorEnvelope = response.json().await.expect("json");
            (status, retry_after, body.error.code)
        });
    }
    let (mut refused, mut busy) = (0, 0);
    while let Some(outcome) = flood.join_next().await {
        match outcome.expect("join") {
            (401, _, code) if code == "unauthorized" => refused += 1,
            (503, Some(retry_after), code) if code == "busy" => {
                assert_eq!(retry_after, "1");
                busy += 1;
            }
            other => panic!("{backend:?}: unexpected {other:?}"),
        }
    }
    assert!(refused >= 1, "{backend:?}: some were checked");
    assert!(
        busy >= 1,
        "{backend:?}: {refused} checked, none turned away"
    );
    // The flood is over: sign-ins work again.
    let cookies = app
        .login_cookies("admin@tessera.local", DEMO_PASSWORD)
        .await;
    assert_eq!(app.me_status(&cookies).await, 200);
}

#[apply(each_backend)]
#[tokio::test]
async fn the_instance_sign_in_cap_gives_429_while_services_still_get_tokens(backend: Backend) {
    // Six a minute: one at once, then one every ten seconds.
    let app = spawn_app_with(
        backend,
        &[("TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE", "6")],
    )
    .await;
    let (status, _, _) = bad_sign_in(&app, "ada@example.com").await;
    assert_eq!(status, 401);
    // Another account, within the per-account and per-IP limits.
    let (status, retry_after, code) = bad_sign_in(&app, "grace@example.com").await;
    assert_eq!((status, code.as_str()), (429, "rate_limited"));
    let retry_after = retry_after.expect("Retry-After");
    assert!((1..=10).contains(&retry_after), "{retry_after}");
    // Client secrets are cheap to check: not under the sign-in cap.
    let (id, secret) = service(&app, "billing", Role::Viewer).await;
    app.api.token(&id, &secret).await.expect("token");
}
