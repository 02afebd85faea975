//! The frame around every page: header, content, footer.

use leptos::prelude::*;

use super::{footer::Footer, header::Header};

/// Header, the page in a `<main>` landmark, and the footer.
#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    view! {
        <div class="app">
            <a class="skip-link" href="#content">"Skip to content"</a>
            <Header/>
            <main id="content" class="content">{children()}</main>
            <Footer/>
        </div>
    }
}
