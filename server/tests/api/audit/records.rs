//! Each action produces exactly one row with its principal and context.

use app::api::{AuditOutcome, NewServiceAccount, NewUser, Role, UserChange};
use rstest_reuse::apply;
use serde_json::json;

use super::{all_rows, audited_app, one_row, rows_of, signed_in, summary, PASSWORD};
use crate::helpers::{each_backend, spawn_app_with, Backend};

#[apply(each_backend)]
#[tokio::test]
async fn sign_ins_tokens_and_sign_outs_are_recorded_durably(backend: Backend) {
    let app = audited_app(backend).await;
    let db = app.db().connect().await;
    let wrong = app
        .api
        .login("admin@tessera.local", "not-the-password-123")
        .await;
    assert_eq!(wrong.map_err(|e| e.status()), Err(Some(401)));
    // Durable before the answer: no waiting needed.
    let failed = all_rows(&db).await;
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0].event.action, "auth.login");
    assert_eq!(
        summary(&failed[0]),
        (
            Some("admin@tessera.local"),
            None,
            AuditOutcome::Denied,
            Some(401)
        )
    );
    let text = format!("{failed:?}");
    assert!(
        !text.contains("not-the-password"),
        "the password is never recorded"
    );

    let admin = signed_in(&app, "admin").await;
    let login = all_rows(&db).await.pop().expect("row");
    assert_eq!(
        (login.event.action.as_str(), summary(&login)),
        (
            "auth.login",
            (
                Some("admin@tessera.local"),
                Some("admin"),
                AuditOutcome::Ok,
                Some(200)
            )
        )
    );
    let session = login.event.session_hash.clone().expect("session hash");
    assert_eq!(session.len(), 64, "sha256 hex");
    assert!(login.event.request_id.is_some() && login.event.client_ip.is_some());
    assert_eq!(login.event.client_ip.as_deref(), Some("127.0.0.1"));

    admin.refresh().await.expect("refresh");
    let refresh = one_row(&app, "auth.refresh").await;
    assert_eq!(summary(&refresh).0, Some("admin@tessera.local"));
    assert_eq!(
        refresh.event.session_hash.as_deref(),
        Some(session.as_str())
    );

    let created = admin
        .create_service_account(&NewServiceAccount {
            name: "billing".into(),
            role: Role::Viewer,
        })
        .await
        .expect("service account");
    let token = app
        .api
        .token(&created.account.client_id, &created.client_secret)
        .await
        .expect("token");
    let issued = one_row(&app, "auth.token").await;
    assert_eq!(
        summary(&issued),
        (Some("billing"), Some("viewer"), AuditOutcome::Ok, Some(200))
    );
    let row_text = format!("{:?}", all_rows(&db).await);
    assert!(!row_text.contains(&created.client_secret));
    assert!(!row_text.contains(&token.access_token));

    admin.logout().await.expect("logout");
    let logout = one_row(&app, "auth.logout").await;
    assert_eq!(summary(&logout).0, Some("admin@tessera.local"));
    assert_eq!(logout.event.session_hash.as_deref(), Some(session.as_str()));
    db.close().await;
}

#[apply(each_backend)]
#[tokio::test]
async fn admin_changes_are_recorded_with_the_admin_and_the_target(backend: Backend) {
    let app = audited_app(backend).await;
    let admin = signed_in(&app, "admin").await;
    let user = admin
        .create_user(&NewUser {
            email: "grace@example.com".into(),
            display_name: "Grace".into(),
            role: Role::Viewer,
            password: PASSWORD.into(),
        })
        .await
        .expect("create");
    let change = |role, disabled| UserChange { role, disabled };
    admin
        .change_user(user.id, &change(Some(Role::Analyst), None))
        .await
        .expect("role");
    admin
        .change_user(user.id, &change(None, Some(true)))
        .await
        .expect("disable");
    let account = admin
        .create_service_account(&NewServiceAccount {
            name: "etl".into(),
            role: Role::Analyst,
        })
        .await
        .expect("service account");
    admin
        .revoke_service_account(account.account.id)
        .await
        .expect("revoke");
    admin.clear_cache().await.expect("clear cache");
    admin.refresh_data().await.expect("refresh data");

    for (action, key, value) in [
        ("user.created", "email", json!("grace@example.com")),
        ("user.role_changed", "role", json!("analyst")),
        ("user.disabled", "disabled", json!(true)),
        ("service_account.created", "name", json!("etl")),
        ("service_account.revoked", "name", json!("etl")),
        ("cache.cleared", "", json!(null)),
        ("data.refresh", "changed", json!(false)),
    ] {
        let row = one_row(&app, action).await;
        assert_eq!(
            summary(&row),
            (
                Some("admin@tessera.local"),
                Some("admin"),
                AuditOutcome::Ok,
                row.event.status
            ),
            "{action}"
        );
        assert!(row.event.status.is_some_and(|s| s < 300), "{action}");
        if !key.is_empty() {
            assert_eq!(
                row.event.context[key], value,
                "{action}: {:?}",
                row.event.context
            );
        }
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn reads_are_recorded_with_their_normalised_filters(backend: Backend) {
    // Orders, so that the regions and categories asked for are the data's.
    let (app, _) = crate::analytics::seeded_app(backend, 500, &[]).await;
    let http = reqwest::Client::new();
    let cookies = app
        .login_cookies("viewer@tessera.local", crate::analytics::PASSWORD)
        .await;
    for path in [
        "/api/v1/analytics/kpis?regions=North%20America,Europe&from=2026-01-01&to=2026-01-31",
        "/api/v1/analytics/timeseries?range=7d&metric=profit&granularity=week",
        "/api/v1/analytics/breakdown?dimension=category&category=Toys%20%26%20Games",
        "/api/v1/analytics/customers?range=90d",
        "/api/v1/orders?limit=5&sort=total",
        "/api/v1/data/status",
        "/api/v1/analytics/kpis?bogus=1",
    ] {
        let response = http
            .get(app.url(path))
            .header("cookie", &cookies)
            .send()
            .await
            .expect("request");
        assert!(
            response.status().as_u16() < 500,
            "{path}: {}",
            response.status()
        );
    }
    let kpis = rows_of(&app, "analytics.kpis", 2).await;
    assert_eq!(kpis.len(), 2);
    let ok = kpis
        .iter()
        .find(|r| r.event.outcome == AuditOutcome::Ok)
        .expect("ok read");
    assert_eq!(
        ok.event.context,
        json!({"from": "2026-01-01", "to": "2026-01-31", "regions": ["Europe", "North America"], "categories": []})
    );
    assert_eq!(summary(ok).0, Some("viewer@tessera.local"));
    assert_eq!(summary(ok).1, Some("viewer"));
    let bad = kpis
        .iter()
        .find(|r| r.event.outcome == AuditOutcome::Error)
        .expect("400 read");
    assert_eq!(bad.event.status, Some(400));
    assert_eq!(bad.event.context, json!({"query": "bogus=1"}));

    let ts = one_row(&app, "analytics.timeseries").await;
    assert_eq!(ts.event.context["metric"], "profit");
    assert_eq!(ts.event.context["granularity"], "week");
    let bd = one_row(&app, "analytics.breakdown").await;
    assert_eq!(bd.event.context["categories"], json!(["Toys & Games"]));
    assert_eq!(bd.event.context["dimension"], "category");
    one_row(&app, "analytics.customers").await;
    let orders = one_row(&app, "orders.list").await;
    assert_eq!(orders.event.context["limit"], 5);
    one_row(&app, "data.status").await;
}

#[apply(each_backend)]
#[tokio::test]
async fn denials_are_one_denied_row_each(backend: Backend) {
    let app = audited_app(backend).await;
    let viewer = signed_in(&app, "viewer").await;
    assert_eq!(
        viewer.list_users().await.map_err(|e| e.status()),
        Err(Some(403))
    );
    assert_eq!(
        viewer.refresh_data().await.map_err(|e| e.status()),
        Err(Some(403))
    );
    let anonymous = app.http.get(app.url("/api/v1/analytics/kpis")).send().await;
    assert_eq!(anonymous.expect("request").status(), 401);

    let denied = rows_of(&app, "request.denied", 3).await;
    assert_eq!(denied.len(), 3, "{denied:#?}");
    let mut seen: Vec<_> = denied
        .iter()
        .map(|r| {
            (
                r.event.context["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                r.event.principal.clone(),
                r.event.status,
            )
        })
        .collect();
    seen.sort();
    let viewer_name = Some("viewer@tessera.local".to_owned());
    assert_eq!(
        seen,
        vec![
            ("/api/v1/admin/users".into(), viewer_name.clone(), Some(403)),
            ("/api/v1/analytics/kpis".into(), None, Some(401)),
            ("/api/v1/data/refresh".into(), viewer_name, Some(403)),
        ]
    );
    // Nothing else: the denied read and refresh are not also recorded as such.
    let db = app.db().connect().await;
    let actions: Vec<_> = all_rows(&db)
        .await
        .into_iter()
        .map(|r| r.event.action)
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.as_str() != "request.denied")
            .collect::<Vec<_>>(),
        vec!["auth.login"]
    );
}

#[tokio::test]
async fn with_auditing_off_nothing_is_recorded() {
    let backend = Backend::Sqlite;
    let app = spawn_app_with(
        backend,
        &[
            ("TESSERA_DEMO_PASSWORD", PASSWORD),
            ("TESSERA_AUDIT", "off"),
        ],
    )
    .await;
    let viewer = signed_in(&app, "viewer").await;
    viewer.data_status().await.expect("status");
    let (result, db) = app.stop().await;
    result.expect("clean stop");
    assert!(all_rows(&db.connect().await).await.is_empty());
}

#[tokio::test]
async fn pages_rendered_on_the_server_record_the_browser_not_the_server() {
    // Loopback is a trusted proxy here, so the page request's
    // X-Forwarded-For names the browser.
    let app = spawn_app_with(
        crate::helpers::Backend::Sqlite,
        &[
            ("TESSERA_DEMO_PASSWORD", PASSWORD),
            ("TESSERA_TRUSTED_PROXIES", "127.0.0.1,::1"),
        ],
    )
    .await;
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    let page = app
        .http
        .get(app.url("/"))
        .header("cookie", &cookies)
        .header("user-agent", "BrowserUnderTest/1.0")
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let _ = page.text().await.expect("the whole page");
    let rendered = rows_of(&app, "analytics.kpis", 1).await.remove(0);
    assert_eq!(
        rendered.event.principal.as_deref(),
        Some("viewer@tessera.local")
    );
    assert_eq!(rendered.event.client_ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(
        rendered.event.user_agent.as_deref(),
        Some("BrowserUnderTest/1.0")
    );

    // The same headers on a direct API call, without the renderer's key,
    // change nothing.
    let forged = app
        .http
        .get(app.url("/api/v1/analytics/kpis?from=2026-01-01&to=2026-01-07"))
        .header("cookie", &cookies)
        .header("x-tessera-render-key", "guess")
        .header("x-tessera-rendered-for", "198.51.100.1")
        .send()
        .await
        .expect("api");
    assert_eq!(forged.status(), 200);
    let direct = rows_of(&app, "analytics.kpis", 2).await.remove(0);
    assert_eq!(direct.event.context["to"], json!("2026-01-07"));
    assert_eq!(direct.event.client_ip.as_deref(), Some("127.0.0.1"));
}
