//! Pieces every dashboard widget shares: the loading bar shown while a
//! resource refetches, skeleton placeholders, the stale-data badge and the
//! error message with its Retry button.

use leptos::prelude::*;

use crate::{api::ClientError, components::admin_users::problem};

/// A thin animated bar along the top of a card while it refetches.
#[component]
pub fn LoadingBar(
    /// Whether a request is under way.
    pending: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="dash-loading" class:dash-loading--active=move || pending.get() aria-hidden="true"></div>
    }
}

/// A grey placeholder block (shimmering unless reduced motion is asked for).
#[component]
pub fn Skeleton(
    /// Extra class setting the block's size.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    view! { <span class=format!("skeleton {class}") aria-hidden="true"></span> }
}

/// The "Stale data" badge, shown when the server answered from its last good
/// copy because the database could not be reached.
#[component]
pub fn StaleBadge(
    /// `meta.stale` of the answer.
    stale: bool,
) -> impl IntoView {
    stale.then(|| {
        view! {
            <span class="badge badge--warn" data-testid="stale-badge"
                title="The database could not be reached: this is the last good answer, which may be out of date.">
                "Stale data"
            </span>
        }
    })
}

/// What went wrong, readably, and a button to try again.
#[component]
pub fn WidgetError(
    /// The failure.
    error: ClientError,
    /// Called by the Retry button.
    on_retry: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let message = match error.status() {
        Some(403) => "You do not have access to this data.".to_owned(),
        Some(status) if status >= 500 => {
            format!(
                "The server could not answer ({}). Please try again.",
                problem(&error)
            )
        }
        _ => problem(&error),
    };
    view! {
        <div class="dash-error" role="alert" data-testid="widget-error">
            <span class="dash-error__icon" aria-hidden="true">"!"</span>
            <p class="dash-error__message">{message}</p>
            <button type="button" class="button button--ghost" data-testid="retry" on:click=move |_| on_retry()>
                "Retry"
            </button>
        </div>
    }
}

/// An empty-data message inside a widget.
#[component]
pub fn EmptyData(
    /// What is missing.
    message: &'static str,
) -> impl IntoView {
    view! { <p class="dash-empty">{message}</p> }
}
