//! Administration.

use leptos::prelude::*;

use super::PageHeader;
use crate::components::{icons::Icon, placeholder::ComingSoon};

/// `/admin`: users, service accounts, the audit log and the cache.
#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <PageHeader title="Admin" subtitle="Users, service accounts and the audit trail."/>
        <ComingSoon
            icon=Icon::Admin
            summary="Manage who can see and change what, and review every action taken."
            features=&[
                "Users and roles: viewer, analyst, admin",
                "Service accounts with tokens for other services",
                "A tamper-evident audit log with CSV export",
            ]
        />
    }
}
