//! Tessera's user interface: a Leptos app rendered on the server and hydrated
//! in the browser, plus the typed API client both sides use (the API's types
//! come from the `api-types` crate and are re-exported under [`api`]).
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod pages;
pub mod routes;
pub mod session;

/// Which pages need which role (from `api-types`, kept at `app::access`).
pub use api_types::access;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    Lazy, StaticSegment,
};

use crate::{
    components::{guard::Guarded, layout::AppShell},
    pages::{dashboard::DashboardPage, login::LoginPage, not_found::NotFoundPage},
    routes::{AdminRoute, AuditRoute, DataRoute, ForecastRoute, JobsRoute},
    session::{keep_session_fresh, provide_current_user},
};

/// The product version shown in the footer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Sets the theme chosen earlier (kept in `localStorage`) before the first
/// paint, so a dark-theme user never sees a light flash.
const THEME_BOOT_SCRIPT: &str = "try{var t=localStorage.getItem('tessera-theme');\
if(t==='light'||t==='dark'){document.documentElement.dataset.theme=t}}catch(e){}";

/// The HTML document around the app, rendered on the server only. Its
/// inline scripts carry the response's CSP nonce (as do Leptos's own).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <script nonce=use_nonce()>{THEME_BOOT_SCRIPT}</script>
                {session::user_script()}
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The app: meta tags, the shell around every page, and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_current_user();
    // Effects only run in the browser, after hydration: mark the page as
    // interactive (end-to-end tests and CSS can rely on it) and keep the
    // session's access token fresh.
    Effect::new(|_| {
        mark_hydrated();
        keep_session_fresh();
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/tessera.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="Tessera: self-hosted sales analytics for teams."/>
        <Title formatter=|title: String| if title.is_empty() { "Tessera".to_owned() } else { format!("{title} · Tessera") }/>
        <Router>
            <AppShell>
                <Routes fallback=NotFoundPage>
                    <Route path=StaticSegment("login") view=LoginPage/>
                    <Route path=StaticSegment("") view=|| view! { <Guarded path="/"><DashboardPage/></Guarded> }/>
                    // Loaded when opened (see `routes`).
                    <Route path=StaticSegment("forecast") view={Lazy::<ForecastRoute>::new()}/>
                    <Route path=StaticSegment("jobs") view={Lazy::<JobsRoute>::new()}/>
                    <Route path=StaticSegment("data") view={Lazy::<DataRoute>::new()}/>
                    <Route path=StaticSegment("admin") view={Lazy::<AdminRoute>::new()}/>
                    <Route path=(StaticSegment("admin"), StaticSegment("audit")) view={Lazy::<AuditRoute>::new()}/>
                </Routes>
            </AppShell>
        </Router>
    }
}

/// The `performance.mark` set with `data-hydrated` (the browser benchmark
/// and DevTools read it).
#[cfg(feature = "hydrate")]
const HYDRATED_MARK: &str = "tessera:hydrated";

#[cfg(feature = "hydrate")]
fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
    if let Some(performance) = window().performance() {
        let _ = performance.mark(HYDRATED_MARK);
    }
}

#[cfg(not(feature = "hydrate"))]
fn mark_hydrated() {}
