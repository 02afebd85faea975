//! Server-rendered pages: the sign-in gate, the shell, 403 and 404 pages.

use crate::helpers::{spawn_app_with, Backend, TestApp, REQUEST_DEADLINE};

const PASSWORD: &str = "demo-password-123";

async fn app() -> TestApp {
    spawn_app_with(Backend::Sqlite, &[("TESSERA_DEMO_PASSWORD", PASSWORD)]).await
}

/// A browser-like client (cookie jar, no automatic redirects), signed in as
/// `email` unless `None`.
async fn browser(app: &TestApp, email: Option<&str>) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .timeout(REQUEST_DEADLINE)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    if let Some(email) = email {
        let response = client
            .post(app.url("/api/v1/auth/login"))
            .header("origin", app.base.clone())
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), 200);
    }
    client
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String, String) {
    let response = client.get(app.url(path)).send().await.expect("send");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    (status, location, whole_body(response, path).await)
}

/// The whole body of a streamed page, or a failure showing where the stream
/// stopped if it has not ended within [`PAGE_DEADLINE`].
async fn whole_body(mut response: reqwest::Response, path: &str) -> String {
    let mut body = Vec::new();
    let read = async {
        while let Some(chunk) = response.chunk().await.expect("body") {
            body.extend_from_slice(&chunk);
        }
    };
    if tokio::time::timeout(PAGE_DEADLINE, read).await.is_err() {
        let text = String::from_utf8_lossy(&body);
        let boundaries = text.matches("<!--s-").count() / 2;
        let resolved = text.matches("let id = \"").count();
        let tail = text.char_indices().rev().nth(2000).map_or(0, |(i, _)| i);
        panic!(
            "{path}: the page stream stalled after {} bytes with {resolved} of \
             {boundaries} suspense boundaries resolved; it ends with:\n{}",
            body.len(),
            &text[tail..]
        );
    }
    String::from_utf8(body).expect("UTF-8 page")
}

/// How long a page may take to stream completely.
const PAGE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

#[tokio::test]
async fn anonymous_page_loads_go_to_sign_in_and_come_back() {
    let app = app().await;
    let anonymous = browser(&app, None).await;
    for (path, next) in [
        ("/", "/"),
        ("/admin?tab=users", "/admin%3Ftab%3Dusers"),
        ("/no/such/page", "/no/such/page"),
    ] {
        let (status, location, _) = page(&anonymous, &app, path).await;
        assert_eq!(status, 303, "{path}");
        assert_eq!(location, format!("/login?next={next}"), "{path}");
    }
    let (status, _, html) = page(&anonymous, &app, "/login").await;
    assert_eq!(status, 200);
    assert!(html.contains("Sign in to Tessera"));
    // Static files and the API are not behind the page gate.
    assert_eq!(page(&anonymous, &app, "/api/v1/health").await.0, 200);
}

#[tokio::test]
async fn home_page_is_rendered_on_the_server_for_a_signed_in_user() {
    let app = app().await;
    let client = browser(&app, Some("admin@tessera.local")).await;
    let response = client.get(app.url("/")).send().await.expect("send");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    assert_eq!(
        response.headers()["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
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
    assert!(html.contains("admin@tessera.local"), "user menu");
    assert!(
        html.contains(&format!("v{}", env!("CARGO_PKG_VERSION"))),
        "footer version"
    );
    // The status card was filled on the server, through the REST API.
    assert!(html.contains("All systems operational"), "{html}");
}

#[tokio::test]
async fn navigation_shows_only_what_the_role_may_use_and_403_above_it() {
    let app = app().await;
    let viewer = browser(&app, Some("viewer@tessera.local")).await;
    let (status, _, html) = page(&viewer, &app, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<span>Forecast</span>"));
    assert!(
        !html.contains("<span>Jobs</span>") && !html.contains("<span>Admin</span>"),
        "{html}"
    );
    for path in ["/admin", "/jobs"] {
        let (status, _, html) = page(&viewer, &app, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(
            html.contains("You don&#x27;t have access") || html.contains("You don't have access"),
            "{html}"
        );
    }
    let analyst = browser(&app, Some("analyst@tessera.local")).await;
    assert_eq!(page(&analyst, &app, "/jobs").await.0, 200);
    assert_eq!(page(&analyst, &app, "/admin").await.0, 403);
}

#[tokio::test]
async fn every_navigation_target_renders_for_an_admin() {
    let app = app().await;
    let admin = browser(&app, Some("admin@tessera.local")).await;
    for (path, title) in [
        ("/forecast", "Forecast"),
        ("/jobs", "Jobs"),
        ("/admin", "Admin"),
    ] {
        let (status, _, html) = page(&admin, &app, path).await;
        assert_eq!(status, 200, "{path}");
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

#[tokio::test]
async fn unknown_page_is_the_html_404() {
    let app = app().await;
    let admin = browser(&app, Some("admin@tessera.local")).await;
    let (status, _, html) = page(&admin, &app, "/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    assert!(html.contains("/no/such/page"));
}
