//! The API client for the current rendering context.

use leptos::prelude::*;

use super::ApiClient;

/// The API client for the current context: the one the server provided for
/// rendering, or one for the page's own origin in the browser.
pub fn api_client() -> ApiClient {
    let client = use_context::<ApiClient>().unwrap_or_else(default_client);
    forward_cookies(client)
}

/// On the server, API calls carry the page request's cookies, so they are
/// made as the signed-in user, and say which browser they are made for.
#[cfg(feature = "ssr")]
fn forward_cookies(client: ApiClient) -> ApiClient {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return client;
    };
    let cookie = parts
        .headers
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok());
    let client = match cookie {
        Some(cookie) => client.with_cookie_header(cookie),
        None => client,
    };
    match parts.extensions.get::<super::RenderedFor>() {
        Some(browser) => client.rendered_for(browser.clone()),
        None => client,
    }
}

#[cfg(not(feature = "ssr"))]
fn forward_cookies(client: ApiClient) -> ApiClient {
    client
}

#[cfg(feature = "hydrate")]
fn default_client() -> ApiClient {
    ApiClient::for_current_origin()
}

#[cfg(not(feature = "hydrate"))]
fn default_client() -> ApiClient {
    ApiClient::new("http://127.0.0.1:3000")
}
