//! Natively, calls go out through reqwest: the server-side renderer, the
//! integration tests and other Rust services use the client this way.

use super::{call::Call, ClientError, Reply};

/// Natively the client says where it comes from, like a browser on the same
/// origin (the server's CSRF check needs it for cookie-authenticated calls).
pub(super) fn http_client(base_url: &str, cookie_jar: bool) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Ok(origin) = reqwest::header::HeaderValue::from_str(base_url) {
        headers.insert(reqwest::header::ORIGIN, origin);
    }
    // Never follow a redirect: the API answers with none, and following one
    // would carry the caller's credentials somewhere else.
    reqwest::Client::builder()
        .cookie_store(cookie_jar)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client with no TLS backend always builds")
}

/// `request` with `headers` added.
pub(super) fn with_headers(
    mut request: reqwest::RequestBuilder,
    headers: Vec<(&'static str, String)>,
) -> reqwest::RequestBuilder {
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request
}

/// Sends `call` to `url` with `headers` and reads the whole answer.
pub(super) async fn send(
    http: &reqwest::Client,
    url: String,
    call: Call,
    headers: Vec<(&'static str, String)>,
) -> Result<Reply, ClientError> {
    call.check()?;
    let method = match call.method {
        super::call::Method::Get => reqwest::Method::GET,
        super::call::Method::Post => reqwest::Method::POST,
        super::call::Method::Patch => reqwest::Method::PATCH,
        super::call::Method::Delete => reqwest::Method::DELETE,
    };
    let mut request = with_headers(http.request(method, url), headers);
    if let Some(body) = call.body {
        request = request.body(body);
    }
    let response = request
        .send()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    read(response).await
}

/// The status and body of `response`.
pub(super) async fn read(response: reqwest::Response) -> Result<Reply, ClientError> {
    let status = response.status().as_u16();
    let body = response
        .bytes()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    Ok(Reply {
        status,
        body: body.to_vec(),
    })
}
