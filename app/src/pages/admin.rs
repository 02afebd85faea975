//! Administration: users and service accounts, and the audit log.

use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHeader;
use crate::components::admin::{services::ServicesPanel, users::UsersPanel};

/// `/admin`: users and service accounts.
#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <PageHeader title="Admin" subtitle="Users, roles and service accounts."/>
        <AdminTabs/>
        <div class="stack">
            <UsersPanel/>
            <ServicesPanel/>
        </div>
    }
}

/// The tabs between the admin pages.
#[component]
pub fn AdminTabs() -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Admin sections">
            <A href="/admin" exact=true attr:class="tabs__item" attr:data-testid="tab-people">"People & access"</A>
            <A href="/admin/audit" exact=true attr:class="tabs__item" attr:data-testid="tab-audit">"Audit log"</A>
        </nav>
    }
}
