//! The admin API: users and service accounts.

use app::api::{ApiClient, ClientError, NewServiceAccount, NewUser, Role, UserChange};
use rstest_reuse::apply;

use crate::helpers::{each_backend, spawn_app_with, Backend, TestApp};

const PASSWORD: &str = "demo-password-123";

async fn signed_in(app: &TestApp, email: &str, password: &str) -> ApiClient {
    let client = ApiClient::with_cookie_jar(app.base.clone());
    client.login(email, password).await.expect("login");
    client
}

async fn admin(backend: Backend) -> (TestApp, ApiClient) {
    let app = spawn_app_with(backend, &[("TESSERA_DEMO_PASSWORD", PASSWORD)]).await;
    let client = signed_in(&app, "admin@tessera.local", PASSWORD).await;
    (app, client)
}

fn api_error(result: Result<impl std::fmt::Debug, ClientError>) -> (u16, String) {
    match result {
        Err(ClientError::Api { status, body }) => (status, body.code),
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: email.into(),
        display_name: "Grace Hopper".into(),
        role,
        password: "a fine long password".into(),
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn admins_create_users_who_can_then_sign_in(backend: Backend) {
    let (app, admin) = admin(backend).await;
    let created = admin
        .create_user(&new_user("Grace@Example.com", Role::Analyst))
        .await
        .expect("create");
    assert_eq!(
        (created.email.as_str(), created.role, created.disabled),
        ("grace@example.com", Role::Analyst, false)
    );
    let grace = signed_in(&app, "grace@example.com", "a fine long password").await;
    assert_eq!(grace.me().await.expect("me").role, Role::Analyst);

    let duplicate = admin
        .create_user(&new_user("GRACE@example.com", Role::Viewer))
        .await;
    assert_eq!(api_error(duplicate), (409, "already_exists".into()));

    let mut bad = new_user("nope", Role::Viewer);
    bad.password = "short".into();
    match admin.create_user(&bad).await {
        Err(ClientError::Api { status: 400, body }) => {
            let fields = body.fields.expect("fields");
            assert!(
                fields.contains_key("email") && fields.contains_key("password"),
                "{fields:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let listed = admin.list_users().await.expect("list");
    assert_eq!(listed.len(), 4);
}

#[apply(each_backend)]
#[tokio::test]
async fn a_role_change_or_disable_takes_effect_on_the_next_request(backend: Backend) {
    let (app, admin) = admin(backend).await;
    let viewer = signed_in(&app, "viewer@tessera.local", PASSWORD).await;
    let id = admin
        .list_users()
        .await
        .expect("list")
        .into_iter()
        .find(|u| u.role == Role::Viewer)
        .expect("viewer")
        .id;

    let changed = admin
        .change_user(
            id,
            &UserChange {
                role: Some(Role::Analyst),
                disabled: None,
            },
        )
        .await
        .expect("promote");
    assert_eq!(changed.role, Role::Analyst);
    assert_eq!(
        viewer.me().await.map_err(|e| e.status()),
        Err(Some(401)),
        "old token refused"
    );
    let again = signed_in(&app, "viewer@tessera.local", PASSWORD).await;
    assert_eq!(again.me().await.expect("me").role, Role::Analyst);

    admin
        .change_user(
            id,
            &UserChange {
                role: None,
                disabled: Some(true),
            },
        )
        .await
        .expect("disable");
    assert_eq!(again.me().await.map_err(|e| e.status()), Err(Some(401)));
    let refused = ApiClient::with_cookie_jar(app.base.clone())
        .login("viewer@tessera.local", PASSWORD)
        .await;
    assert_eq!(refused.map_err(|e| e.status()).err(), Some(Some(401)));

    admin
        .change_user(
            id,
            &UserChange {
                role: None,
                disabled: Some(false),
            },
        )
        .await
        .expect("re-enable");
    signed_in(&app, "viewer@tessera.local", PASSWORD).await;
}

#[apply(each_backend)]
#[tokio::test]
async fn the_last_active_admin_cannot_be_removed(backend: Backend) {
    let (_app, admin) = admin(backend).await;
    let me = admin
        .list_users()
        .await
        .expect("list")
        .into_iter()
        .find(|u| u.role == Role::Admin)
        .expect("admin");
    for change in [
        UserChange {
            role: Some(Role::Viewer),
            disabled: None,
        },
        UserChange {
            role: None,
            disabled: Some(true),
        },
    ] {
        assert_eq!(
            api_error(admin.change_user(me.id, &change).await),
            (409, "last_admin".into())
        );
    }
    assert_eq!(
        api_error(
            admin
                .change_user(
                    999_999,
                    &UserChange {
                        role: Some(Role::Viewer),
                        disabled: None
                    }
                )
                .await
        )
        .0,
        404
    );

    // With a second admin, the first may step down.
    admin
        .create_user(&new_user("second@example.com", Role::Admin))
        .await
        .expect("second admin");
    let demoted = admin
        .change_user(
            me.id,
            &UserChange {
                role: Some(Role::Viewer),
                disabled: None,
            },
        )
        .await;
    assert_eq!(demoted.expect("demote").role, Role::Viewer);
}

#[apply(each_backend)]
#[tokio::test]
async fn service_accounts_are_created_with_a_one_time_secret_and_revoked(backend: Backend) {
    let (app, admin) = admin(backend).await;
    let created = admin
        .create_service_account(&NewServiceAccount {
            name: "billing".into(),
            role: Role::Viewer,
        })
        .await
        .expect("create");
    let token = app
        .api
        .token(&created.account.client_id, &created.client_secret)
        .await
        .expect("token");
    let service = app.api.clone().with_bearer(&token.access_token);
    assert_eq!(service.me().await.expect("me").name, "billing");

    let listed = admin.list_service_accounts().await.expect("list");
    let raw = serde_json::to_string(&listed).expect("json");
    assert!(
        !raw.contains(&created.client_secret),
        "the secret is never listed"
    );
    assert!(listed[0].last_used_at.is_some());

    let revoked = admin
        .revoke_service_account(created.account.id)
        .await
        .expect("revoke");
    assert!(revoked.revoked);
    assert_eq!(service.me().await.map_err(|e| e.status()), Err(Some(401)));
    let again = app
        .api
        .token(&created.account.client_id, &created.client_secret)
        .await;
    assert_eq!(again.map_err(|e| e.status()).err(), Some(Some(401)));
}

#[tokio::test]
async fn no_response_carries_a_password_hash() {
    let (app, admin) = admin(Backend::Sqlite).await;
    admin
        .create_user(&new_user("grace@example.com", Role::Viewer))
        .await
        .expect("create");
    let cookies = app.http.clone();
    for path in ["/api/v1/admin/users", "/api/v1/me"] {
        let body = admin_get(&app, &cookies, path).await;
        assert!(
            !body.contains("argon2") && !body.contains("password"),
            "{path}: {body}"
        );
    }
}

async fn admin_get(app: &TestApp, http: &reqwest::Client, path: &str) -> String {
    let cookies = app.login_cookies("admin@tessera.local", PASSWORD).await;
    let response = http
        .get(app.url(path))
        .header("cookie", cookies)
        .send()
        .await;
    response.expect("get").text().await.expect("body")
}
