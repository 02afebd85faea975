//! `GET /api/v1/admin/audit` and its CSV export: admin only (denials
//! recorded), filters, keyset pages, strict parameters.

use app::api::{AuditOutcome, AuditQuery, Role};
use rstest_reuse::apply;

use super::{actions, audited_app, rows_of, signed_in};
use crate::helpers::{each_backend, Backend};

#[apply(each_backend)]
#[tokio::test]
async fn only_admins_read_the_audit_log_and_refusals_are_recorded(backend: Backend) {
    let app = audited_app(backend).await;
    let admin = signed_in(&app, "admin").await;
    let mut callers = vec![
        ("viewer@tessera.local", signed_in(&app, "viewer").await),
        ("analyst@tessera.local", signed_in(&app, "analyst").await),
    ];
    for (name, role) in [("svc-viewer", Role::Viewer), ("svc-analyst", Role::Analyst)] {
        let client = app.service_account_client(&admin, name, role).await;
        callers.push((name, client));
    }
    for (_, client) in &callers {
        let list = client.audit_log(&AuditQuery::default()).await;
        assert_eq!(list.map_err(|e| e.status()), Err(Some(403)));
        let export = client.audit_export_csv(&AuditQuery::default()).await;
        assert_eq!(export.map_err(|e| e.status()), Err(Some(403)));
    }
    let denied = rows_of(&app, "request.denied", 8).await;
    assert_eq!(denied.len(), 8);
    for (name, _) in &callers {
        let paths: Vec<_> = denied
            .iter()
            .filter(|r| r.event.principal.as_deref() == Some(*name))
            .map(|r| {
                (
                    r.event.context["path"].as_str().unwrap_or("").to_owned(),
                    r.event.status,
                )
            })
            .collect();
        assert_eq!(paths.len(), 2, "{name}: {paths:?}");
        assert!(paths
            .iter()
            .all(|(p, s)| p.starts_with("/api/v1/admin/audit") && *s == Some(403)));
    }
    let page = admin
        .audit_log(&AuditQuery::default())
        .await
        .expect("admin reads");
    assert!(page.entries.iter().any(|e| e.action == "request.denied"));
}

#[apply(each_backend)]
#[tokio::test]
async fn the_list_filters_pages_and_rejects_unknown_parameters(backend: Backend) {
    let app = audited_app(backend).await;
    for _ in 0..3 {
        let _ = app
            .api
            .login("viewer@tessera.local", "wrong-password-123")
            .await;
    }
    let admin = signed_in(&app, "admin").await;
    // Each list is an `audit.list` row of its own: look at sign-ins.
    let query = |mut q: AuditQuery| {
        let admin = admin.clone();
        q.action.get_or_insert_with(|| "auth.login".into());
        async move { admin.audit_log(&q).await.expect("list") }
    };
    let all = query(AuditQuery::default()).await;
    assert_eq!(actions(&all.entries), vec!["auth.login"; 4]);
    assert!(
        all.entries.windows(2).all(|w| w[0].id > w[1].id),
        "newest first"
    );
    assert_eq!(all.next_cursor, None);

    let denied = query(AuditQuery {
        outcome: Some(AuditOutcome::Denied),
        principal: Some("viewer@tessera.local".into()),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(denied.entries.len(), 3);

    let first = query(AuditQuery {
        limit: Some(3),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(first.entries.len(), 3);
    let cursor = first.next_cursor.clone().expect("more");
    let second = query(AuditQuery {
        limit: Some(3),
        cursor: Some(cursor),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(second.entries.len(), 1);
    assert_eq!(second.next_cursor, None);
    assert!(second.entries[0].id < first.entries[2].id);
    let newer = query(AuditQuery {
        after: Some(all.entries[2].id),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(newer.entries, all.entries[..2].to_vec(), "rows after an id");

    // The admin's lists are recorded, but a check for news does not
    // find the admin's own earlier checks.
    let lists = super::rows_of(&app, "audit.list", 4).await;
    assert_eq!(
        lists[0].event.principal.as_deref(),
        Some("admin@tessera.local")
    );
    let news = admin
        .audit_log(&AuditQuery {
            after: Some(all.entries[0].id),
            ..AuditQuery::default()
        })
        .await
        .expect("news");
    assert_eq!(news.entries, vec![], "own reads are not news");

    let session = all.entries[0].session.clone().expect("admin session");
    let by_session = query(AuditQuery {
        session: Some(session),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(by_session.entries.len(), 1);
    let future = query(AuditQuery {
        from: Some("2999-01-01".into()),
        ..AuditQuery::default()
    })
    .await;
    assert!(future.entries.is_empty());
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let until_today = query(AuditQuery {
        to: Some(today),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(until_today.entries.len(), 4);

    let cookies = app
        .login_cookies("admin@tessera.local", super::PASSWORD)
        .await;
    for bad in [
        "bogus=1",
        "limit=501",
        "outcome=maybe",
        "from=yesterday",
        "cursor=x",
        "after=-1",
    ] {
        let response = app
            .http
            .get(app.url(&format!("/api/v1/admin/audit?{bad}")))
            .header("cookie", &cookies)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 400, "{bad}");
        let body: serde_json::Value = response.json().await.expect("json");
        let field = bad.split('=').next().unwrap_or_default();
        assert!(body["error"]["fields"][field].is_string(), "{bad}: {body}");
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn the_export_streams_the_filtered_rows_as_csv_and_is_audited(backend: Backend) {
    let app = audited_app(backend).await;
    let _ = app
        .api
        .login("viewer@tessera.local", "wrong, \"quoted\" = password")
        .await;
    let admin = signed_in(&app, "admin").await;
    let viewer = signed_in(&app, "viewer").await;
    viewer.data_status().await.expect("status");
    rows_of(&app, "data.status", 1).await;

    let query = AuditQuery {
        action: Some("auth.login".into()),
        ..AuditQuery::default()
    };
    let csv = admin.audit_export_csv(&query).await.expect("export");
    let lines: Vec<_> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,occurred_at,session,principal,role,action,outcome,status,client_ip,user_agent,request_id,context,hash"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[1..].iter().all(|l| l.contains(",auth.login,")));
    assert!(
        lines[3].contains("viewer@tessera.local,,auth.login,denied,401"),
        "{csv}"
    );
    assert!(!csv.contains("quoted"), "no password in the log");

    let exported = rows_of(&app, "audit.exported", 1).await;
    assert_eq!(exported.len(), 1);
    assert_eq!(
        exported[0].event.principal.as_deref(),
        Some("admin@tessera.local")
    );
    assert_eq!(exported[0].event.context["action"], "auth.login");

    let everything = admin
        .audit_export_csv(&AuditQuery::default())
        .await
        .expect("export");
    // Header, 3 sign-ins (one failed), the status read and the first export.
    assert_eq!(everything.lines().count(), 1 + 3 + 1 + 1, "{everything}");

    let response = app
        .http
        .get(app.url("/api/v1/admin/audit/export?limit=5"))
        .header(
            "cookie",
            app.login_cookies("admin@tessera.local", super::PASSWORD)
                .await,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 400);
}
