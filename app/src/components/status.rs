//! A card showing whether this Tessera instance and its database are up,
//! fetched through the typed API client.

use leptos::prelude::*;

use super::{card::LoadingCard, error_text::status_line};
use crate::api::{api_client, ClientError, Readiness};

/// Instance status: API reachability, database engine, version.
#[component]
pub fn SystemStatus() -> impl IntoView {
    let check = RwSignal::new(0u32);
    let readiness = Resource::new(
        move || check.get(),
        |_| async move { api_client().ready().await },
    );

    let content = move || {
        readiness
            .get()
            .map(|result| view! { <StatusRows state=Some(result)/> })
    };

    view! {
        <LoadingCard class="card status" labelled_by="status-title"
            fallback=|| view! { <StatusRows state=None/> } content>
            <header class="card__header">
                <h2 id="status-title" class="card__title">"System status"</h2>
                <button type="button" class="button button--ghost" data-testid="status-recheck"
                    on:click=move |_| check.update(|n| *n += 1)>
                    "Check again"
                </button>
            </header>
        </LoadingCard>
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
            status_line(error),
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
