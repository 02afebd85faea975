//! The audit filter bar. Every control writes the URL (through
//! [`AuditState::update`]); the table follows the URL.

use leptos::prelude::*;

use super::state::{is_filtered, use_audit, AuditState, AuditView};
use crate::{
    api::{action_label, AuditOutcome, AUDIT_ACTIONS},
    components::{
        controls::{
            date_field::DateField,
            segmented::{Choice, Segmented},
        },
        format::is_date,
        timing::{debounced, TYPING_PAUSE_MS},
        url_state::QueryState,
    },
};

/// Characters of a session hash shown in its chip.
const SESSION_CHARS: usize = 12;

/// The filter bar card.
#[component]
pub fn AuditFilters() -> impl IntoView {
    let audit = use_audit();
    let export_href = move || {
        format!(
            "/api/v1/admin/audit/export{}",
            audit.view.with(AuditView::to_query)
        )
    };
    view! {
        <section class="card filter-bar audit-filters" aria-label="Filters" data-testid="audit-filters">
            <div class="filter-bar__row">
                <div class="filter-bar__group audit-filters__fields">
                    <PrincipalInput/>
                    <ActionSelect/>
                    <OutcomeChoice/>
                </div>
            </div>
            <div class="filter-bar__row">
                <div class="filter-bar__group">
                    <DateRange/>
                    <SessionChip/>
                </div>
                <div class="filter-bar__group filter-bar__group--end">
                    <Show when=move || audit.view.with(is_filtered)>
                        <button type="button" class="button button--ghost" data-testid="audit-clear"
                            on:click=move |_| audit.update(|v| *v = AuditView::default())>
                            "Clear filters"
                        </button>
                    </Show>
                    <a class="button button--ghost" href=export_href download="tessera-audit.csv"
                        rel="external" data-testid="audit-export"
                        title="Download the filtered events as CSV (the export is itself recorded)">
                        "Export CSV"
                    </a>
                </div>
            </div>
        </section>
    }
}

/// Who: an email or service account name, applied after typing pauses.
#[component]
fn PrincipalInput() -> impl IntoView {
    let audit = use_audit();
    let text = RwSignal::new(audit.view.get_untracked().principal.unwrap_or_default());
    // Follow the URL when it changes under us (a shortcut, Back).
    Effect::new(move |_| text.set(audit.view.with(|v| v.principal.clone().unwrap_or_default())));
    let commit = debounced(TYPING_PAUSE_MS, move || {
        let value = text.get_untracked().trim().to_owned();
        audit.update(|v| v.principal = (!value.is_empty()).then_some(value));
    });
    view! {
        <label class="audit-field">
            <span class="filter-bar__label">"Who"</span>
            <input type="search" class="field__input field__input--compact audit-field__principal"
                placeholder="email or service name" autocomplete="off" spellcheck="false"
                data-testid="audit-principal" maxlength="254"
                prop:value=move || text.get()
                on:input=move |ev| { text.set(event_target_value(&ev)); commit(); }/>
        </label>
    }
}

/// Action: one of the known actions, or all.
#[component]
fn ActionSelect() -> impl IntoView {
    let audit = use_audit();
    let current = move || audit.view.with(|v| v.action.clone().unwrap_or_default());
    // An action from a link that this page does not know still shows.
    let unknown = move || {
        audit.view.with(|v| {
            v.action
                .clone()
                .filter(|a| !AUDIT_ACTIONS.iter().any(|(code, _)| code == a))
        })
    };
    view! {
        <label class="audit-field">
            <span class="filter-bar__label">"Action"</span>
            <select class="field__input field__input--compact" data-testid="audit-action"
                prop:value=current
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    audit.update(|v| v.action = (!value.is_empty()).then_some(value));
                }>
                <option value="">"All actions"</option>
                {AUDIT_ACTIONS.iter().map(|(code, label)| view! {
                    <option value=*code selected=move || current() == *code>{*label}</option>
                }).collect_view()}
                {move || unknown().map(|code| view! {
                    <option value=code.clone() selected=true>{action_label(&code)}</option>
                })}
            </select>
        </label>
    }
}

/// Outcome: all, ok, denied or error.
#[component]
fn OutcomeChoice() -> impl IntoView {
    let audit = use_audit();
    let choice = |value, label, code| Choice {
        value,
        label,
        title: label,
        code,
    };
    let choices = vec![
        choice(None, "All", "all"),
        choice(Some(AuditOutcome::Ok), "OK", "ok"),
        choice(Some(AuditOutcome::Denied), "Denied", "denied"),
        choice(Some(AuditOutcome::Error), "Error", "error"),
    ];
    view! {
        <div class="audit-field">
            <span class="filter-bar__label">"Outcome"</span>
            <Segmented label="Outcome" testid="audit-outcome" choices
                current=Signal::derive(move || audit.view.with(|v| v.outcome))
                on_select=Callback::new(move |outcome| audit.update(|v| v.outcome = outcome))/>
        </div>
    }
}

/// From / to days (UTC), each applied once it is a whole date.
#[component]
fn DateRange() -> impl IntoView {
    let audit = use_audit();
    let problem = RwSignal::new(None::<&'static str>);
    let date_input = move |label: &'static str, testid: &'static str, is_from: bool| {
        let day = Signal::derive(move || {
            audit.view.with(|v| {
                if is_from {
                    v.from.clone()
                } else {
                    v.to.clone()
                }
                .unwrap_or_default()
            })
        });
        view! {
            <DateField label testid value=day on_change=move |value| set_day(audit, problem, is_from, value)/>
        }
    };
    view! {
        <div class="custom-dates" role="group" aria-label="Time range (UTC)">
            {date_input("From", "audit-from", true)}
            {date_input("To", "audit-to", false)}
            <Show when=move || problem.get().is_some()>
                <span class="custom-dates__problem" role="alert">{move || problem.get()}</span>
            </Show>
        </div>
    }
}

fn set_day(
    audit: AuditState,
    problem: RwSignal<Option<&'static str>>,
    is_from: bool,
    value: String,
) {
    let day = is_date(&value).then_some(value);
    let mut next = audit.view.get_untracked();
    if is_from {
        next.from = day;
    } else {
        next.to = day;
    }
    if let (Some(from), Some(to)) = (&next.from, &next.to) {
        if from > to {
            problem.set(Some("The start date is after the end date."));
            return;
        }
    }
    problem.set(None);
    audit.update(|v| *v = next);
}

/// The session filter, when one is set: its short hash and a remove button.
#[component]
fn SessionChip() -> impl IntoView {
    let audit = use_audit();
    let session = move || audit.view.with(|v| v.session.clone());
    view! {
        {move || session().map(|hash| {
            let short: String = hash.chars().take(SESSION_CHARS).collect();
            view! {
                <span class="chip" data-testid="audit-session-chip" title=format!("Session {hash}")>
                    <span class="chip__label">"Session"</span>
                    <span class="mono">{short}"…"</span>
                    <button type="button" class="chip__remove" aria-label="Remove the session filter"
                        on:click=move |_| audit.update(|v| v.session = None)>
                        "×"
                    </button>
                </span>
            }
        })}
    }
}
