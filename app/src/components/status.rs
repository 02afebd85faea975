//! A card showing whether this Tessera instance and its database are up,
//! fetched through the typed API client.

use leptos::prelude::*;

use crate::api::{ApiClient, ClientError, Readiness};

/// The API client for the current context: the one the server provided for
/// rendering, or one for the page's own origin in the browser.
pub fn api_client() -> ApiClient {
    let client = use_context::<ApiClient>().unwrap_or_else(default_client);
    forward_cookies(client)
}

/// On the server, API calls carry the page request's cookies, so they are
/// made as the signed-in user.
#[cfg(feature = "ssr")]
fn forward_cookies(client: ApiClient) -> ApiClient {
    let cookie = use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(http::header::COOKIE)?
            .to_str()
            .ok()
            .map(str::to_owned)
    });
    match cookie {
        Some(cookie) => client.with_cookie_header(cookie),
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

/// Instance status: API reachability, database engine, version.
#[component]
pub fn SystemStatus() -> impl IntoView {
    let check = RwSignal::new(0u32);
    let readiness = Resource::new(
        move || check.get(),
        |_| async move { api_client().ready().await },
    );

    view! {
        <section class="card status" aria-labelledby="status-title">
            <header class="card__header">
                <h2 id="status-title" class="card__title">"System status"</h2>
                <button type="button" class="button button--ghost" data-testid="status-recheck"
                    on:click=move |_| check.update(|n| *n += 1)>
                    "Check again"
                </button>
            </header>
            <Transition fallback=|| view! { <StatusRows state=None/> }>
                {move || readiness.get().map(|result| view! { <StatusRows state=Some(result)/> })}
            </Transition>
        </section>
    }
}

#[component]
fn StatusRows(state: Option<Result<Readiness, ClientError>>) -> impl IntoView {
    let (tone, summary, database, version) = match &state {
        None => (
            "pending",
            "Checking…".to_owned(),
            "…".to_owned(),
            "…".to_owned(),
        ),
        Some(Ok(ready)) => (
            "ok",
            "All systems operational".to_owned(),
            ready.database.clone(),
            format!("v{}", ready.version),
        ),
        Some(Err(error)) => (
            "error",
            error.to_string(),
            "unavailable".to_owned(),
            "—".to_owned(),
        ),
    };
    view! {
        <div class="status__summary" data-state=tone>
            <span class="status__dot" aria-hidden="true"></span>
            <span data-testid="status-summary">{summary}</span>
        </div>
        <dl class="status__facts">
            <div><dt>"Database"</dt><dd data-testid="status-database">{database}</dd></div>
            <div><dt>"Server version"</dt><dd>{version}</dd></div>
        </dl>
    }
}
