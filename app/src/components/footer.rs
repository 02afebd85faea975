//! The page footer with the product version.

use leptos::prelude::*;

/// Product name, version and a link to the API's health endpoint.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="footer">
            <div class="footer__inner">
            <span>"Tessera " <span class="footer__version">{format!("v{}", crate::VERSION)}</span></span>
            <span class="footer__sep" aria-hidden="true">"·"</span>
            <span>"Self-hosted analytics"</span>
            <span class="footer__spacer"></span>
            <a href="/api/v1/health" rel="external">"API status"</a>
            </div>
        </footer>
    }
}
