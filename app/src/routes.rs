//! The pages a user opens less often, loaded on demand. Each is a
//! [`LazyRoute`]: built with `cargo leptos build --split`, its code is a
//! WASM chunk of its own that the browser fetches when the page is opened
//! (the server-rendered page names the chunks it needs, so a page opened
//! directly starts loading them with the main bundle). The sign-in page
//! and the dashboard, where users land, stay in the main bundle.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::{
    components::guard::Guarded,
    pages::{
        admin::AdminPage, audit::AuditPage, data::DataPage, forecast::ForecastPage, jobs::JobsPage,
    },
};

/// `/forecast`.
pub struct ForecastRoute;

#[lazy_route]
impl LazyRoute for ForecastRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <Guarded path="/forecast"><ForecastPage/></Guarded> }.into_any()
    }
}

/// `/jobs`.
pub struct JobsRoute;

#[lazy_route]
impl LazyRoute for JobsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <Guarded path="/jobs"><JobsPage/></Guarded> }.into_any()
    }
}

/// `/data`.
pub struct DataRoute;

#[lazy_route]
impl LazyRoute for DataRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <Guarded path="/data"><DataPage/></Guarded> }.into_any()
    }
}

/// `/admin`.
pub struct AdminRoute;

#[lazy_route]
impl LazyRoute for AdminRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <Guarded path="/admin"><AdminPage/></Guarded> }.into_any()
    }
}

/// `/admin/audit`.
pub struct AuditRoute;

#[lazy_route]
impl LazyRoute for AuditRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <Guarded path="/admin/audit"><AuditPage/></Guarded> }.into_any()
    }
}
