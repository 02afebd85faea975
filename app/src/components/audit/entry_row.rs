//! One event in the audit table, and the outcome badge it shares with the
//! details panel.

use leptos::prelude::*;
use serde_json::Value;

use super::{
    state::use_audit,
    when::{absolute, relative, unix_millis},
};
use crate::api::{action_label, AuditEntry, AuditOutcome};

/// Context values longer than this are cut in the one-line summary.
const SUMMARY_VALUE_CHARS: usize = 28;
/// At most this many context fields in the summary.
const SUMMARY_FIELDS: usize = 4;

/// "OK", "Denied" or "Error", coloured, with the HTTP status.
#[component]
pub fn OutcomeBadge(
    /// How the action ended.
    outcome: AuditOutcome,
    /// The HTTP status, if any.
    status: Option<u16>,
) -> impl IntoView {
    let (class, label) = match outcome {
        AuditOutcome::Ok => ("badge outcome outcome--ok", "OK"),
        AuditOutcome::Denied => ("badge outcome outcome--denied", "Denied"),
        AuditOutcome::Error => ("badge outcome outcome--error", "Error"),
    };
    view! {
        <span class=class data-testid="audit-outcome">
            {label}
            {status.map(|s| view! { <span class="outcome__status">{s}</span> })}
        </span>
    }
}

/// A row of the table. Clicking it (or its Details button) opens the panel.
#[component]
pub fn EntryRow(
    /// The event.
    entry: AuditEntry,
    /// Just arrived: highlighted for a moment.
    #[prop(optional)]
    fresh: bool,
) -> impl IntoView {
    let audit = use_audit();
    let id = entry.id;
    let selected = move || {
        audit
            .selected
            .with(|s| s.as_ref().map(|e| e.id) == Some(id))
    };
    let chosen = StoredValue::new(entry.clone());
    let open = move || audit.selected.set(Some(chosen.get_value()));
    let at = unix_millis(&entry.occurred_at);
    let when = move || {
        at.map(|at| relative(at, audit.now.get()))
            .unwrap_or_default()
    };
    let principal = entry.principal.clone();
    let summary = summary(&entry.context);
    view! {
        <tr class="audit-row" class:audit-row--selected=selected class:audit-row--fresh=fresh
            data-testid="audit-row" data-id=id.to_string() data-action=entry.action.clone()
            on:click=move |_| open()>
            <td class="audit-time">
                <time datetime=entry.occurred_at.clone() title=absolute(&entry.occurred_at)>
                    <span class="audit-time__relative">{when}</span>
                    <span class="audit-time__absolute">{absolute(&entry.occurred_at)}</span>
                </time>
            </td>
            <td class="audit-who">
                {match principal {
                    Some(name) => {
                        let shown = name.clone();
                        view! {
                            <button type="button" class="link-button audit-who__name" title="Show this user's events"
                                on:click=move |ev| { ev.stop_propagation(); audit.show_principal(name.clone()); }>
                                {shown}
                            </button>
                        }.into_any()
                    }
                    None => view! { <span class="muted">"anonymous"</span> }.into_any(),
                }}
                {entry.role.map(|role| view! { <span class="audit-who__role">{role.as_str()}</span> })}
            </td>
            <td class="audit-action">
                <span class="audit-action__label">{action_label(&entry.action)}</span>
                <span class="audit-action__summary" title=summary.clone()>{summary.clone()}</span>
            </td>
            <td class="audit-outcome-cell"><OutcomeBadge outcome=entry.outcome status=entry.status/></td>
            <td class="audit-col--client mono">{entry.client_ip.unwrap_or_default()}</td>
            <td class="table__actions">
                <button type="button" class="button button--ghost audit-row__open" data-testid="audit-open"
                    aria-label=format!("Details of event {id}") aria-expanded=move || selected().to_string()
                    on:click=move |ev| { ev.stop_propagation(); open(); }>
                    "Details"
                </button>
            </td>
        </tr>
    }
}

/// The context in one line: `range 30d · regions eu, na · metric revenue`.
pub fn summary(context: &Value) -> String {
    let Value::Object(fields) = context else {
        return String::new();
    };
    fields
        .iter()
        .filter(|(_, value)| !is_blank(value))
        .take(SUMMARY_FIELDS)
        .map(|(key, value)| format!("{} {}", key.replace('_', " "), short(value)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Null, or an empty list, object or text: nothing to show.
pub fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::String(text) => text.is_empty(),
        _ => false,
    }
}

fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(short).collect::<Vec<_>>().join(", "),
        Value::Object(map) => format!("{{{} fields}}", map.len()),
        other => other.to_string(),
    };
    if text.chars().count() > SUMMARY_VALUE_CHARS {
        let cut: String = text.chars().take(SUMMARY_VALUE_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_summary_is_short_and_readable() {
        // Keys in alphabetical order, so the test holds whether or not
        // serde_json keeps insertion order.
        let context = json!({
            "categories": [],
            "limit": 10,
            "metric": null,
            "query_text": "a very long value that goes on and on and on",
            "range": "30d",
            "regions": ["eu", "na"],
            "zone": "not shown",
        });
        assert_eq!(
            summary(&context),
            "limit 10 · query text a very long value that goes… · range 30d · regions eu, na"
        );
        assert_eq!(summary(&json!(null)), "");
        assert_eq!(summary(&json!({"filters": {"a": 1}})), "filters {1 fields}");
    }
}
