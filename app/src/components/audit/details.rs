//! The details panel of one event: every recorded field, the context as
//! formatted JSON, and the "show this session / user" shortcuts.

use leptos::{ev::KeyboardEvent, prelude::*};

use super::{
    entry_row::{is_blank, OutcomeBadge},
    state::use_audit,
    when::{absolute, relative, unix_millis},
};
use crate::api::{action_label, AuditEntry};

/// The panel, shown while an event is selected.
#[component]
pub fn DetailsPanel() -> impl IntoView {
    let audit = use_audit();
    let close = move || audit.selected.set(None);
    let close_button = NodeRef::<leptos::html::Button>::new();
    // Move focus into the panel when it opens, so keyboard users land there.
    Effect::new(move |_| {
        if audit.selected.with(Option::is_some) {
            if let Some(button) = close_button.get() {
                let _ = button.focus();
            }
        }
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };
    view! {
        <Show when=move || audit.selected.with(Option::is_some)>
            <div class="drawer__backdrop" on:click=move |_| close()></div>
            <aside class="drawer" role="dialog" aria-labelledby="audit-details-title" data-testid="audit-details"
                on:keydown=on_key>
                {move || audit.selected.get().map(|entry| view! { <Details entry/> })}
                <button type="button" class="icon-button drawer__close" aria-label="Close details"
                    data-testid="audit-details-close" node_ref=close_button on:click=move |_| close()>
                    "×"
                </button>
            </aside>
        </Show>
    }
}

#[component]
fn Details(entry: AuditEntry) -> impl IntoView {
    let audit = use_audit();
    let at = unix_millis(&entry.occurred_at);
    let blank = is_blank(&entry.context);
    let context = serde_json::to_string_pretty(&entry.context).unwrap_or_default();
    let session = entry.session.clone();
    let principal = entry.principal.clone();
    let fact = |label: &'static str, value: Option<String>, mono: bool| {
        view! {
            <div class="facts__row">
                <dt>{label}</dt>
                {match value {
                    Some(v) => view! { <dd class:mono=mono>{v}</dd> }.into_any(),
                    None => view! { <dd class="muted">"—"</dd> }.into_any(),
                }}
            </div>
        }
    };
    view! {
        <header class="drawer__header">
            <p class="drawer__eyebrow mono">{entry.action.clone()}</p>
            <h2 id="audit-details-title" class="drawer__title">{action_label(&entry.action)}</h2>
            <div class="drawer__meta">
                <OutcomeBadge outcome=entry.outcome status=entry.status/>
                <span class="muted">
                    {absolute(&entry.occurred_at)}
                    " · "
                    {move || at.map(|at| relative(at, audit.now.get())).unwrap_or_default()}
                </span>
            </div>
        </header>
        <div class="drawer__actions">
            <button type="button" class="button button--ghost" data-testid="audit-show-session"
                disabled=session.is_none()
                on:click=move |_| if let Some(s) = session.clone() { audit.show_session(s) }>
                "Show this session"
            </button>
            <button type="button" class="button button--ghost" data-testid="audit-show-user"
                disabled=principal.is_none()
                on:click=move |_| if let Some(p) = principal.clone() { audit.show_principal(p) }>
                "Show this user"
            </button>
        </div>
        <dl class="facts">
            {fact("Who", entry.principal.clone(), false)}
            {fact("Role", entry.role.map(|r| r.as_str().to_owned()), false)}
            {fact("Session", entry.session.clone(), true)}
            {fact("Client IP", entry.client_ip.clone(), true)}
            {fact("User agent", entry.user_agent.clone(), false)}
            {fact("Request id", entry.request_id.clone(), true)}
            {fact("Event", Some(format!("#{}", entry.id)), true)}
            {fact("Chain hash", Some(entry.hash.clone()), true)}
        </dl>
        <h3 class="drawer__section">"Context"</h3>
        {if blank {
            view! { <p class="muted" data-testid="audit-context">"Nothing beyond the fields above was recorded for this action."</p> }.into_any()
        } else {
            view! { <pre class="json" data-testid="audit-context"><code>{context}</code></pre> }.into_any()
        }}
    }
}
