//! "Data as of …" and, for analysts and admins, the "Refresh data" button.
//!
//! The status resource depends on the data version only (filters never
//! refetch it). The stamp prefers `meta.data_as_of` of the KPI answer on
//! screen, and shows the status's value until one has arrived.

use leptos::prelude::*;

use super::state::use_dashboard;
use crate::{
    api::{api_client, DataStatus, RefreshOutcome, Role},
    components::{api_action::api_action, error_text::problem, format::timestamp},
    session::use_current_user,
};

/// The stamp and the refresh button, side by side.
#[component]
pub fn DataControls() -> impl IntoView {
    let dash = use_dashboard();
    let client = api_client();
    let status = Resource::new(
        move || dash.data_version.get(),
        move |_| {
            let client = client.clone();
            async move { client.data_status().await }
        },
    );
    let may_refresh = use_current_user().may(Some(Role::Analyst));
    // New orders make every widget fetch again; none, only the stamp.
    let refresh = api_action(move |client, ()| async move {
        let answer = client.refresh_data().await;
        match &answer {
            Ok(result) if result.changed => dash.data_changed(),
            Ok(_) => status.refetch(),
            Err(_) => {}
        }
        answer
    });
    let (busy, answer) = (refresh.pending(), refresh.value());
    let outcome = move || {
        if busy.get() {
            return None;
        }
        answer.with(|answer| match answer.as_ref()? {
            Ok(result) => Some((true, outcome_text(result))),
            Err(error) => Some((false, problem(error))),
        })
    };

    view! {
        <div class="data-controls">
            <p class="data-stamp" data-testid="data-as-of">
                <span class="data-stamp__dot" aria-hidden="true"></span>
                <Transition fallback=|| view! { <span>"Data as of …"</span> }>
                    {move || status.get().map(|answer| stamp(answer.ok(), dash.meta.get().and_then(|m| m.data_as_of)))}
                </Transition>
            </p>
            {may_refresh.then(|| view! {
                <button type="button" class="button button--ghost refresh-button" data-testid="refresh-data"
                    disabled=move || busy.get() aria-busy=move || busy.get().to_string()
                    on:click=move |_| { refresh.dispatch(()); }>
                    <svg class="refresh-button__icon" class:refresh-button__icon--spin=move || busy.get()
                        viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" fill="none"
                        stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                        <path d="M20 11a8 8 0 10-2.3 5.7M20 4v7h-7"/>
                    </svg>
                    {move || if busy.get() { "Refreshing…" } else { "Refresh data" }}
                </button>
            })}
            {move || outcome().map(|(ok, text)| view! {
                <span class="data-controls__outcome" class:data-controls__outcome--error=!ok role="status"
                    data-testid="refresh-outcome">{text}</span>
            })}
        </div>
    }
}

/// "3 new orders loaded", or "Already up to date".
fn outcome_text(result: &RefreshOutcome) -> String {
    if !result.changed {
        return "Already up to date".to_owned();
    }
    let orders = if result.ingested == 1 {
        "order"
    } else {
        "orders"
    };
    format!("{} new {orders} loaded", result.ingested)
}

fn stamp(status: Option<DataStatus>, shown: Option<String>) -> impl IntoView {
    let as_of = shown.or_else(|| status.as_ref().and_then(|s| s.data_as_of.clone()));
    let title = status.map(|s| {
        let refreshed = s
            .last_refresh_at
            .as_deref()
            .map(timestamp)
            .unwrap_or_else(|| "never".to_owned());
        format!(
            "Dataset version {} · {} orders, {} rolled up · last refresh {refreshed}",
            s.dataset_version, s.orders, s.orders_rolled_up
        )
    });
    match as_of {
        Some(as_of) => view! {
            <span title=title>"Data as of "<time datetime=as_of.clone()>{timestamp(&as_of)}</time></span>
        }
        .into_any(),
        None => view! { <span title=title>"No data loaded yet"</span> }.into_any(),
    }
}
