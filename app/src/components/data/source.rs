//! The PostgreSQL warehouse source (`TESSERA_SOURCE_URL`): how its last
//! pull went, what it reads, where the watermark stands.

use leptos::prelude::*;

use super::use_data_page;
use crate::{
    api::{api_client, DataStatus, SourceState, SourceStatus},
    components::{
        card::{answer_or_retry, LoadingCard},
        format::{count, timestamp},
        skeleton::Skeleton,
    },
};

/// The source card.
#[component]
pub fn SourceCard() -> impl IntoView {
    let page = use_data_page();
    let client = api_client();
    let status = Resource::new(
        move || page.version.get(),
        move |_| {
            let client = client.clone();
            async move { client.data_status().await }
        },
    );
    let content = move || {
        status.get().map(|answer| {
            answer_or_retry(
                answer,
                move || status.refetch(),
                |status: DataStatus| match status.source {
                    Some(source) => view! { <Source source/> }.into_any(),
                    None => view! { <NoSource/> }.into_any(),
                },
            )
        })
    };
    view! {
        <LoadingCard class="card dash-card data-source" testid="source-card" labelled_by="source-title" busy_bar=true
            fallback=|| view! { <Skeleton class="skeleton--chart"/> } content>
            <header class="card__header">
                <h2 id="source-title" class="card__title">"Warehouse source"</h2>
            </header>
        </LoadingCard>
    }
}

#[component]
fn Source(source: SourceStatus) -> impl IntoView {
    let tone = match source.state {
        SourceState::Ok => "ok",
        SourceState::Failing => "error",
        SourceState::Pending => "pending",
    };
    let watermark = source
        .watermark
        .clone()
        .unwrap_or_else(|| "none yet".to_owned());
    let last_pull = source.last_pull_at.as_deref().map_or_else(
        || "never".to_owned(),
        |at| {
            format!(
                "{} · {} rows",
                timestamp(at),
                count(source.last_pull_rows as f64)
            )
        },
    );
    let error = source.last_error.clone().map(|why| {
        view! { <p class="data-source__error" role="alert" data-testid="source-error">{why}</p> }
    });
    view! {
        <div class="status__summary" data-state=tone>
            <span class="status__dot" aria-hidden="true"></span>
            <span class="source-state" data-state=source.state.code() data-testid="source-state">
                {source.state.label()}
            </span>
        </div>
        <dl class="status__facts data-source__facts">
            <div><dt>"Reads"</dt><dd data-testid="source-description">{source.description}</dd></div>
            <div><dt>"Watermark"</dt><dd><span class="mono">{source.watermark_column}</span>" = "{watermark}</dd></div>
            <div><dt>"Last pull"</dt><dd data-testid="source-last-pull">{last_pull}</dd></div>
            <div><dt>"Rows pulled since start"</dt><dd>{count(source.rows_pulled as f64)}</dd></div>
        </dl>
        {error}
    }
}

#[component]
fn NoSource() -> impl IntoView {
    view! {
        <div class="data-source__none" data-testid="source-none">
            <p class="data-source__none-title">"No warehouse source configured"</p>
            <p class="muted">
                "Set " <code>"TESSERA_SOURCE_URL"</code>
                " to a PostgreSQL database and Tessera pulls new orders from it on every refresh. \
                 Until then, upload CSV files here."
            </p>
        </div>
    }
}
