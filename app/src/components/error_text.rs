//! The text a person sees when an API call fails: every place that shows a
//! [`ClientError`] (or the error envelope's [`ErrorBody`]) words it here.
//!
//! [`ErrorBody`]: crate::api::ErrorBody

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::ClientError;

/// The API's own words, first letter capitalised: field problems as
/// `field why; field why`, otherwise the message (forms, buttons).
pub fn problem(error: &ClientError) -> String {
    capitalised(&describe(error))
}

/// What went wrong with data a card was loading, as sentences: field
/// problems without the field names (the filters are the only input),
/// otherwise the server's message.
pub fn card_message(error: &ClientError) -> String {
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

/// What the server said about each field of a rejected form, as sentences
/// keyed by the API's field name (empty for any other failure).
pub fn field_problems(error: &ClientError) -> BTreeMap<String, String> {
    match error {
        ClientError::Api { body, .. } => body
            .fields
            .iter()
            .flatten()
            .map(|(field, why)| (field.clone(), sentence(why)))
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// Why signing in failed, never saying whether the email exists.
pub fn sign_in_message(error: &ClientError) -> String {
    match error {
        ClientError::Api { status: 401, .. } => {
            "That email and password don't match an account.".into()
        }
        ClientError::Api { status: 400, .. } => "Enter your email and password.".into(),
        ClientError::Api { status: 429, body } => body.message.clone(),
        ClientError::Api { .. } | ClientError::Decode(_) => {
            "Signing in failed on the server. Please try again.".into()
        }
        ClientError::Network(_) => {
            "Tessera can't be reached. Check your connection and try again.".into()
        }
    }
}

/// Why an upload was refused, as a person can act on it. The rejected
/// rows of a 422 are shown as a table instead; this is the line above it.
pub fn import_message(error: &ClientError) -> String {
    match error {
        ClientError::Api { status: 413, body } => format!(
            "The file is too large to upload ({}). Split it, or gzip it as .csv.gz.",
            body.message.trim_end_matches('.')
        ),
        ClientError::Api { status: 415, .. } => {
            "That file is not a CSV text file. Upload a .csv, or a gzipped .csv.gz.".into()
        }
        ClientError::Api { status: 403, .. } => "Importing data needs the analyst role.".into(),
        ClientError::Api { status: 401, .. } => {
            "Your session has ended. Sign in again, then upload the file.".into()
        }
        ClientError::Api { status, .. } if *status >= 500 => format!(
            "The server could not load the file ({}). Please try again.",
            problem(error)
        ),
        ClientError::Api { body, .. } => sentence(&body.message),
        ClientError::Network(_) => {
            "The upload did not reach Tessera. Check your connection and try again.".into()
        }
        ClientError::Decode(_) => sentence(&error.to_string()),
    }
}

/// The failure in one line with its HTTP status, e.g. `not ready (HTTP 503)`
/// (the instance status card).
pub fn status_line(error: &ClientError) -> String {
    error.to_string()
}

/// The text of an action's last failure, worded by `text`: `None` before
/// the first answer, after a success, and while the action runs again.
pub fn failure_text<I, T>(
    action: Action<I, Result<T, ClientError>>,
    text: fn(&ClientError) -> String,
) -> Signal<Option<String>>
where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    let (pending, value) = (action.pending(), action.value());
    Signal::derive(move || {
        if pending.get() {
            return None;
        }
        value.with(|answer| match answer {
            Some(Err(error)) => Some(text(error)),
            _ => None,
        })
    })
}

/// [`failure_text`] in the API's own words ([`problem`]): forms and buttons.
pub fn problem_text<I, T>(action: Action<I, Result<T, ClientError>>) -> Signal<Option<String>>
where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    failure_text(action, problem)
}

fn describe(error: &ClientError) -> String {
    match error {
        ClientError::Api { body, .. } => match &body.fields {
            Some(fields) if !fields.is_empty() => fields
                .iter()
                .map(|(field, why)| format!("{} {why}", field.replace('_', " ")))
                .collect::<Vec<_>>()
                .join("; "),
            _ => body.message.clone(),
        },
        other => other.to_string(),
    }
}

/// `text` with its first letter capitalised (the API's messages start
/// lower-case).
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// First letter capitalised, full stop at the end.
fn sentence(text: &str) -> String {
    let mut out = capitalised(text.trim());
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
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
            problems: None,
            more_problems: None,
        };
        ClientError::Api { status, body }
    }

    #[test]
    fn card_messages_read_as_sentences() {
        let invalid = api(
            422,
            "some fields are invalid",
            &[("from", "the period may span at most 3660 days")],
        );
        assert_eq!(
            card_message(&invalid),
            "The period may span at most 3660 days."
        );
        assert_eq!(
            card_message(&api(404, "no such thing", &[])),
            "No such thing."
        );
        assert_eq!(
            card_message(&api(403, "forbidden", &[])),
            "You do not have access to this data."
        );
        assert_eq!(
            card_message(&api(503, "database unavailable", &[])),
            "The server could not answer (Database unavailable). Please try again."
        );
        assert!(
            card_message(&ClientError::Network("refused".into())).starts_with("Could not reach")
        );
    }

    #[test]
    fn problems_name_the_fields_in_the_apis_words() {
        let invalid = api(
            422,
            "some fields are invalid",
            &[("display_name", "is empty"), ("email", "is not an email")],
        );
        assert_eq!(
            problem(&invalid),
            "Display name is empty; email is not an email"
        );
        assert_eq!(
            problem(&api(409, "the last active admin cannot be demoted", &[])),
            "The last active admin cannot be demoted"
        );
    }

    #[test]
    fn field_problems_are_keyed_by_field() {
        let invalid = api(
            400,
            "some fields are invalid",
            &[("horizon_days", "horizon must be from 7 to 90 days")],
        );
        let fields = field_problems(&invalid);
        assert_eq!(fields["horizon_days"], "Horizon must be from 7 to 90 days.");
        assert!(field_problems(&ClientError::Network("down".into())).is_empty());
    }

    #[test]
    fn sign_in_failures_never_say_which_part_was_wrong() {
        let refused = sign_in_message(&api(401, "invalid credentials", &[]));
        assert_eq!(refused, "That email and password don't match an account.");
        assert_eq!(
            sign_in_message(&api(429, "too many attempts, wait a minute", &[])),
            "too many attempts, wait a minute"
        );
        assert!(sign_in_message(&ClientError::Network("down".into())).contains("can't be reached"));
    }

    #[test]
    fn status_lines_carry_the_http_status() {
        assert_eq!(
            status_line(&api(503, "not ready", &[])),
            "not ready (HTTP 503)"
        );
    }

    #[test]
    fn import_refusals_say_what_to_do() {
        let missing = api(400, "the file has no column `unit_price`", &[]);
        assert_eq!(
            import_message(&missing),
            "The file has no column `unit_price`."
        );
        let conflict = api(409, "12 order ids are already loaded: use upsert", &[]);
        assert!(import_message(&conflict).starts_with("12 order ids"));
        assert!(
            import_message(&api(413, "the limit is 50 MB.", &[])).contains("(the limit is 50 MB)")
        );
        assert!(import_message(&api(415, "not text", &[])).contains(".csv.gz"));
        assert!(import_message(&ClientError::Network("reset".into())).contains("connection"));
    }
}
