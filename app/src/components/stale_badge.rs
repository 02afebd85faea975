//! The badge on an answer the server gave from its last good copy.

use leptos::prelude::*;

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
