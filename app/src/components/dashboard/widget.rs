//! Pieces every dashboard widget shares: the loading bar shown while a
//! resource refetches, skeleton placeholders, the stale-data badge and the
//! error message with its Retry button.

use leptos::prelude::*;

use crate::{api::ClientError, components::admin_users::problem};

/// A thin animated bar along the top of a card while it refetches.
#[component]
pub fn LoadingBar(
    /// Whether a request is under way.
    pending: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="dash-loading" class:dash-loading--active=move || pending.get() aria-hidden="true"></div>
    }
}

/// A grey placeholder block (shimmering unless reduced motion is asked for).
#[component]
pub fn Skeleton(
    /// Extra class setting the block's size.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    view! { <span class=format!("skeleton {class}") aria-hidden="true"></span> }
}

/// The "Stale data" badge, shown when the server answered from its last good
/// copy because the database could not be reached.
#[component]
pub fn StaleBadge(
    /// `meta.stale` of the answer.
    stale: bool,
) -> impl IntoView {
    stale.then(|| {
        view! {
            <span class="badge badge--warn" data-testid="stale-badge"
                title="The database could not be reached: this is the last good answer, which may be out of date.">
                "Stale data"
            </span>
        }
    })
}

/// What went wrong, readably, and a button to try again.
#[component]
pub fn WidgetError(
    /// The failure.
    error: ClientError,
    /// Called by the Retry button.
    on_retry: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let message = message(&error);
    view! {
        <div class="dash-error" role="alert" data-testid="widget-error">
            <span class="dash-error__icon" aria-hidden="true">"!"</span>
            <p class="dash-error__message">{message}</p>
            <button type="button" class="button button--ghost" data-testid="retry" on:click=move |_| on_retry()>
                "Retry"
            </button>
        </div>
    }
}

/// What went wrong, for a person: field problems as sentences (the filters
/// are the only input, so the field names add nothing), otherwise the
/// server's message.
fn message(error: &ClientError) -> String {
    match error {
        ClientError::Api { status: 403, .. } => "You do not have access to this data.".to_owned(),
        ClientError::Api { status, .. } if *status >= 500 => {
            format!(
                "The server could not answer ({}). Please try again.",
                problem(error)
            )
        }
        ClientError::Api { body, .. } => match &body.fields {
            Some(fields) if !fields.is_empty() => {
                let reasons: Vec<String> = fields.values().map(|why| sentence(why)).collect();
                reasons.join(" ")
            }
            _ => sentence(&body.message),
        },
        other => sentence(&other.to_string()),
    }
}

/// First letter capitalised, full stop at the end.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// An empty-data message inside a widget.
#[component]
pub fn EmptyData(
    /// What is missing.
    message: &'static str,
) -> impl IntoView {
    view! { <p class="dash-empty">{message}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ErrorBody;

    fn api(status: u16, message: &str, fields: &[(&str, &str)]) -> ClientError {
        let fields = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let body = ErrorBody {
            code: "x".into(),
            message: message.into(),
            request_id: None,
            fields: Some(fields),
        };
        ClientError::Api { status, body }
    }

    #[test]
    fn messages_read_as_sentences() {
        let invalid = api(
            422,
            "some fields are invalid",
            &[("from", "the period may span at most 3660 days")],
        );
        assert_eq!(message(&invalid), "The period may span at most 3660 days.");
        assert_eq!(message(&api(404, "no such thing", &[])), "No such thing.");
        assert_eq!(
            message(&api(403, "forbidden", &[])),
            "You do not have access to this data."
        );
        assert!(message(&ClientError::Network("refused".into())).starts_with("Could not reach"));
    }
}
