//! `/admin/audit`: the audit log for admins.

use leptos::prelude::*;

use super::{admin::AdminTabs, PageHeader};
use crate::components::audit::{
    details::DetailsPanel, filters::AuditFilters, log::AuditLog, state::provide_audit,
};

/// Who did what, when, with which filters; filters in the URL.
#[component]
pub fn AuditPage() -> impl IntoView {
    provide_audit();
    view! {
        <PageHeader title="Audit log"
            subtitle="Every sign-in, data view and change, with its context. The log is hash-chained, so an edit after the fact is detectable."/>
        <AdminTabs/>
        <div class="stack">
            <AuditFilters/>
            <AuditLog/>
        </div>
        <DetailsPanel/>
    }
}
