//! Browser security headers: the pages' Content-Security-Policy and its
//! nonce, HSTS on secure installations, `no-store` on private answers, and
//! `__Host-` cookie names.

use reqwest::{header::HeaderMap, Response};

use crate::helpers::{spawn_app_with, Backend, TestApp};

const PASSWORD: &str = "demo-password-123";

/// The policy of every HTML page, with its nonce.
fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"
    )
}

const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
const HSTS: &str = "max-age=63072000; includeSubDomains";

async fn app(settings: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("TESSERA_DEMO_PASSWORD", PASSWORD)];
    all.extend_from_slice(settings);
    spawn_app_with(Backend::Sqlite, &all).await
}

/// A secure installation: cookies `Secure` (so `__Host-` names) and HSTS,
/// while the test still talks plain HTTP on loopback.
async fn secure_app() -> TestApp {
    app(&[("TESSERA_ALLOW_INSECURE_COOKIES", "false")]).await
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().expect("ascii"))
}

/// `GET path` with a browser's `Cookie` header (if any).
async fn get(app: &TestApp, path: &str, cookies: Option<&str>) -> Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut request = client.get(app.url(path));
    if let Some(cookies) = cookies {
        request = request.header("cookie", cookies);
    }
    request.send().await.expect("send")
}

/// The page's nonce, checked against the policy, and the HTML.
async fn page_and_nonce(response: Response) -> (String, String) {
    let policy = header(response.headers(), "content-security-policy")
        .expect("a CSP on the page")
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP")
        .to_owned();
    assert!(nonce.len() >= 22, "128 bits or more: {nonce}");
    assert_eq!(policy, page_policy(&nonce));
    (nonce, response.text().await.expect("body"))
}

/// Every `<script …>` tag of `html` carries `nonce`; there is at least one.
fn assert_scripts_carry(html: &str, nonce: &str) {
    let tags: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|rest| &rest[..rest.find('>').expect("tag end")])
        .collect();
    assert!(
        tags.len() >= 3,
        "theme, user and hydration scripts: {tags:?}"
    );
    for tag in tags {
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
    }
}

#[tokio::test]
async fn pages_have_a_csp_whose_fresh_nonce_every_inline_script_carries() {
    let app = app(&[]).await;
    let cookies = app.login_cookies("admin@tessera.local", PASSWORD).await;
    let mut nonces = Vec::new();
    for (path, cookies, status) in [
        ("/login", None, 200),
        ("/", Some(cookies.as_str()), 200),
        ("/", Some(cookies.as_str()), 200),
        ("/forecast", Some(cookies.as_str()), 200),
        ("/jobs", Some(cookies.as_str()), 200),
        ("/admin", Some(cookies.as_str()), 200),
        ("/admin/audit", Some(cookies.as_str()), 200),
        ("/no/such/page", Some(cookies.as_str()), 404),
    ] {
        let response = get(&app, path, cookies).await;
        assert_eq!(response.status(), status, "{path}");
        let (nonce, html) = page_and_nonce(response).await;
        assert_scripts_carry(&html, &nonce);
        if let Some(at) = html.find(" style=") {
            let context = &html[at.saturating_sub(200)..(at + 80).min(html.len())];
            panic!("{path}: an inline style attribute: {context}");
        }
        assert!(!html.contains("<style"), "{path}: no inline style sheets");
        nonces.push(nonce);
    }
    let mut distinct = nonces.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), nonces.len(), "a new nonce per response");
}

#[tokio::test]
async fn other_answers_have_the_minimal_policy() {
    let app = app(&[]).await;
    for (path, status) in [
        ("/api/v1/health", 200),
        ("/api/v1/me", 401),
        ("/api/v1/no/such/route", 404),
        // The sign-in gate's redirect.
        ("/", 303),
    ] {
        let response = get(&app, path, None).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(
            header(response.headers(), "content-security-policy"),
            Some(API_POLICY),
            "{path}"
        );
    }
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_cookies_are_secure() {
    let plain = app(&[]).await;
    let secure = secure_app().await;
    for path in ["/api/v1/health", "/login"] {
        let response = get(&plain, path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            header(response.headers(), "strict-transport-security"),
            None
        );
        let response = get(&secure, path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            header(response.headers(), "strict-transport-security"),
            Some(HSTS),
            "{path}"
        );
    }
}

#[tokio::test]
async fn private_answers_and_signed_in_pages_are_not_stored() {
    let app = app(&[]).await;
    let login = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "admin@tessera.local", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    assert_eq!(header(login.headers(), "cache-control"), Some("no-store"));
    let cookies = app.login_cookies("admin@tessera.local", PASSWORD).await;
    for path in [
        "/api/v1/me",
        "/api/v1/admin/users",
        "/api/v1/admin/service-accounts",
        "/",
        "/admin",
    ] {
        let response = get(&app, path, Some(&cookies)).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            header(response.headers(), "cache-control"),
            Some("no-store"),
            "{path}"
        );
    }
    let refresh = app
        .http
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &cookies)
        .header("origin", app.base.clone())
        .send()
        .await
        .expect("refresh");
    assert_eq!(refresh.status(), 200);
    assert_eq!(header(refresh.headers(), "cache-control"), Some("no-store"));
    // Analytics answers keep their own revalidation policy.
    let kpis = get(&app, "/api/v1/analytics/kpis?range=90d", Some(&cookies)).await;
    assert_eq!(kpis.status(), 200);
    assert_eq!(
        header(kpis.headers(), "cache-control"),
        Some("private, no-cache")
    );
    assert!(header(kpis.headers(), "etag").is_some());
}

/// The `name=value` pairs of a response's `Set-Cookie` headers, and the
/// full headers.
fn set_cookies(response: &Response) -> (String, Vec<String>) {
    let full: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .collect();
    let pairs = full
        .iter()
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    (pairs, full)
}

#[tokio::test]
async fn secure_cookies_are_named_with_the_host_prefix_and_work() {
    let app = secure_app().await;
    let login = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "viewer@tessera.local", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    let (cookies, full) = set_cookies(&login);
    for name in ["__Host-tessera_access=", "__Host-tessera_session="] {
        let cookie = full
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {full:?}"));
        assert!(
            cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
            "{cookie}"
        );
    }
    assert_eq!(app.me_status(&cookies).await, 200);
    // The same values under the plain names are not Tessera's cookies here.
    let plain = cookies.replace("__Host-", "");
    assert_eq!(app.me_status(&plain).await, 401);
    // Cookie-authenticated writes still pass the CSRF check.
    assert_eq!(app.logout_status(&cookies).await, 204);
    assert_eq!(app.me_status(&cookies).await, 401);
}
