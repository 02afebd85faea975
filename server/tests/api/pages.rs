//! Server-rendered pages: the shell, the 404 page, SSR through the typed client.

use crate::helpers::{spawn_app, Backend};

#[tokio::test]
async fn home_page_is_rendered_on_the_server_with_hydration_scripts() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app.http.get(app.url("/")).send().await.expect("send");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    let html = response.text().await.expect("body");
    assert!(
        html.contains("<title>Dashboard · Tessera</title>"),
        "{html}"
    );
    assert!(html.contains("/pkg/tessera.js"), "hydration script");
    assert!(html.contains("/pkg/tessera.css"), "stylesheet");
    for label in ["Dashboard", "Forecast", "Jobs", "Admin"] {
        assert!(
            html.contains(&format!("<span>{label}</span>")),
            "nav has {label}"
        );
    }
    assert!(
        html.contains(&format!("v{}", env!("CARGO_PKG_VERSION"))),
        "footer version"
    );
    // The status card was filled on the server, through the REST API.
    assert!(html.contains("All systems operational"), "{html}");
}

#[tokio::test]
async fn unknown_page_is_the_html_404() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .http
        .get(app.url("/no/such/page"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 404);
    let html = response.text().await.expect("body");
    assert!(html.contains("Page not found"));
    assert!(html.contains("/no/such/page"));
}

#[tokio::test]
async fn every_navigation_target_renders() {
    let app = spawn_app(Backend::Sqlite).await;
    for (path, title) in [
        ("/forecast", "Forecast"),
        ("/jobs", "Jobs"),
        ("/admin", "Admin"),
    ] {
        let response = app.http.get(app.url(path)).send().await.expect("send");
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.expect("body");
        assert!(
            html.contains(&format!("<title>{title} · Tessera</title>")),
            "{path}"
        );
        assert!(
            html.contains("aria-current=\"page\""),
            "{path} marks the current nav entry"
        );
    }
}
