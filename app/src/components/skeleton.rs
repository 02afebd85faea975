//! Grey placeholder blocks shown where content is still loading.

use leptos::prelude::*;

/// A grey placeholder block (shimmering unless reduced motion is asked for).
#[component]
pub fn Skeleton(
    /// Extra class setting the block's size.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    view! { <span class=format!("skeleton {class}") aria-hidden="true"></span> }
}
