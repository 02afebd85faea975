//! Revocation with several instances on one database: a change applies at
//! once on the instance that made it and within `TESSERA_AUTH_RECHECK` on
//! the others; a token issued after a change is never refused because an
//! instance had not seen the change yet.

use std::time::{Duration, Instant};

use app::api::{ApiClient, Role, UserChange};
use rstest_reuse::apply;

use crate::helpers::{each_backend, Backend, TestApp};

const PASSWORD: &str = "demo-password-123";
/// The revocation promise: every instance within 30 s.
const PROMISE: Duration = Duration::from_secs(30);

/// Two instances on one database, and the demo admin signed in on the first.
async fn two_instances(backend: crate::helpers::Backend) -> (TestApp, TestApp, ApiClient) {
    let settings = [
        ("TESSERA_DEMO_PASSWORD", PASSWORD),
        ("TESSERA_AUTH_RECHECK", "1s"),
    ];
    let a = crate::helpers::spawn_app_with(backend, &settings).await;
    let b = a.spawn_another(&settings).await;
    let admin = ApiClient::with_cookie_jar(a.base.clone());
    admin
        .login("admin@tessera.local", PASSWORD)
        .await
        .expect("admin");
    (a, b, admin)
}

/// Polls `refused` until it holds; panics past the revocation promise.
async fn refused_within_promise<F: std::future::Future<Output = bool>>(
    mut refused: impl FnMut() -> F,
) {
    let start = Instant::now();
    while !refused().await {
        assert!(start.elapsed() < PROMISE, "still accepted after 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn a_revoked_service_is_refused_here_at_once_and_everywhere_within_the_recheck(
    backend: Backend,
) {
    let (a, b, admin) = two_instances(backend).await;
    let (id, token) = a.service_account_token(&admin, "etl", Role::Viewer).await;
    let on_a = ApiClient::new(a.base.clone()).with_bearer(token.clone());
    let on_b = ApiClient::new(b.base.clone()).with_bearer(token);
    on_a.me().await.expect("valid on a");
    on_b.me()
        .await
        .expect("valid on b, which now keeps its state");

    admin.revoke_service_account(id).await.expect("revoke");
    assert_eq!(
        on_a.me().await.map_err(|e| e.status()).err(),
        Some(Some(401)),
        "the instance that revoked refuses the next request"
    );
    refused_within_promise(|| async { on_b.me().await.is_err() }).await;
}

#[apply(each_backend)]
#[tokio::test]
async fn a_token_issued_after_a_role_change_is_accepted_by_an_instance_that_kept_the_old_state(
    backend: Backend,
) {
    let (a, b, admin) = two_instances(backend).await;
    let viewer = admin
        .list_users()
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.role == Role::Viewer)
        .expect("viewer");
    let old = a.login_cookies("viewer@tessera.local", PASSWORD).await;
    assert_eq!(b.me_status(&old).await, 200, "b keeps the viewer's state");

    let promote = UserChange {
        role: Some(Role::Analyst),
        disabled: None,
    };
    admin
        .change_user(viewer.id, &promote)
        .await
        .expect("promote");
    assert_eq!(a.me_status(&old).await, 401, "a refuses the old token");
    let new = a.login_cookies("viewer@tessera.local", PASSWORD).await;
    let response = b
        .http
        .get(b.url("/api/v1/me"))
        .header("cookie", &new)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200, "b checks before refusing");
    let me: app::api::Me = response.json().await.expect("me");
    assert_eq!(me.role, Role::Analyst);
    assert_eq!(
        b.me_status(&old).await,
        401,
        "having read the change, b refuses the old token too"
    );
}

#[apply(each_backend)]
#[tokio::test]
async fn a_session_signed_out_on_one_instance_ends_on_the_others_within_the_recheck(
    backend: Backend,
) {
    let (a, b, _) = two_instances(backend).await;
    let cookies = a.login_cookies("analyst@tessera.local", PASSWORD).await;
    assert_eq!(a.me_status(&cookies).await, 200);
    assert_eq!(b.me_status(&cookies).await, 200, "b keeps the session");

    assert_eq!(a.logout_status(&cookies).await, 204);
    assert_eq!(a.me_status(&cookies).await, 401, "ended here at once");
    refused_within_promise(|| async { b.me_status(&cookies).await == 401 }).await;
}
