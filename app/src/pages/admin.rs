//! Administration.

use leptos::prelude::*;

use super::PageHeader;
use crate::components::{admin_services::ServicesPanel, admin_users::UsersPanel};

/// `/admin`: users and service accounts (the audit log and the cache arrive
/// with their own work).
#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <PageHeader title="Admin" subtitle="Users, roles and service accounts."/>
        <div class="stack">
            <UsersPanel/>
            <ServicesPanel/>
        </div>
    }
}
