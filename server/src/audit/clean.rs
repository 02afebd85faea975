//! What an audit row may hold. Every string of an event is cleaned before
//! the event is hashed and stored: control characters (NUL, newlines, …),
//! bidirectional-text controls (RTL marks and overrides) and line
//! separators are written as visible escapes (`\u{0}`), and every field has
//! a length cap. So no client-supplied text can make a database refuse a
//! row (PostgreSQL refuses NUL in `text` and `\u0000` in `jsonb`), forge a
//! second line in a log or export, or reorder what an admin reads.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::AuditEvent;

/// Longest principal kept (an email is at most 254 characters).
pub const MAX_PRINCIPAL: usize = 320;
/// Longest user agent kept.
pub const MAX_USER_AGENT: usize = 512;
/// Longest action, request id, client IP or session hash kept.
const MAX_SHORT: usize = 128;
/// Longest string inside the context, and longest key.
const MAX_CONTEXT_STRING: usize = 2_048;
/// Most items kept of one array or object in the context.
const MAX_CONTEXT_ITEMS: usize = 256;
/// Deepest nesting kept in the context.
const MAX_CONTEXT_DEPTH: usize = 8;
/// Largest context kept, as JSON text; a larger one is replaced by a note.
const MAX_CONTEXT_BYTES: usize = 16 * 1024;
/// Appended to a string that was cut.
const CUT: char = '…';

/// Whether `c` is written as an escape: control characters (C0, DEL, C1),
/// bidirectional-text controls and the Unicode line and paragraph
/// separators.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FEFF}'
        )
}

/// `text` with unsafe characters escaped, cut after `max` of its characters
/// (an escaped one counts as one) with a final `…`. Borrowed when nothing needed changing, as for
/// nearly every value.
pub fn text(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max && !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(max * 4) + 8);
    for (count, c) in text.chars().enumerate() {
        if count >= max {
            out.push(CUT);
            break;
        }
        if is_unsafe(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn owned(value: String, max: usize) -> String {
    match text(&value, max) {
        Cow::Borrowed(_) => value,
        Cow::Owned(cleaned) => cleaned,
    }
}

fn field(value: Option<String>, max: usize) -> Option<String> {
    value.map(|v| owned(v, max))
}

/// `value` with every string and key cleaned, and arrays, objects and
/// nesting bounded.
fn context(value: Value, depth: usize) -> Value {
    match value {
        Value::String(s) => Value::String(owned(s, MAX_CONTEXT_STRING)),
        Value::Array(items) if depth >= MAX_CONTEXT_DEPTH => {
            Value::String(format!("[{} items]", items.len()))
        }
        Value::Object(map) if depth >= MAX_CONTEXT_DEPTH => {
            Value::String(format!("{{{} entries}}", map.len()))
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .take(MAX_CONTEXT_ITEMS)
                .map(|item| context(item, depth + 1))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .take(MAX_CONTEXT_ITEMS)
                .map(|(key, item)| (owned(key, MAX_CONTEXT_STRING), context(item, depth + 1)))
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

/// Whether `value` needs [`context`] (an unsafe or long string or key, too
/// many items, too deep), and about how many bytes of JSON it takes (a
/// lower bound: strings and keys with their quotes, and a separator each).
/// Walks without allocating: nearly every context passes unchanged.
fn survey(value: &Value, depth: usize) -> (bool, usize) {
    let string = |s: &str| {
        (
            s.len() > MAX_CONTEXT_STRING || s.chars().any(is_unsafe),
            s.len() + 3,
        )
    };
    match value {
        Value::String(s) => string(s),
        Value::Array(items) => {
            let mut out = (
                depth >= MAX_CONTEXT_DEPTH || items.len() > MAX_CONTEXT_ITEMS,
                2,
            );
            for item in items {
                let (change, bytes) = survey(item, depth + 1);
                out = (out.0 || change, out.1 + bytes);
            }
            out
        }
        Value::Object(map) => {
            let mut out = (
                depth >= MAX_CONTEXT_DEPTH || map.len() > MAX_CONTEXT_ITEMS,
                2,
            );
            for (key, item) in map {
                let (key_change, key_bytes) = string(key);
                let (change, bytes) = survey(item, depth + 1);
                out = (out.0 || key_change || change, out.1 + key_bytes + bytes);
            }
            out
        }
        // A number's text is at most 24 bytes; true, false and null less.
        _ => (false, 24),
    }
}

/// `value`, or a note of its size when its JSON is over 16 KiB.
fn bounded(value: Value) -> Value {
    let size = super::chain::canonical_json(&value).len();
    if size > MAX_CONTEXT_BYTES {
        serde_json::json!({"truncated": true, "bytes": size})
    } else {
        value
    }
}

impl AuditEvent {
    /// This event as it may be stored: every string cleaned (see the module
    /// docs) and the context bounded; a context still over 16 KiB of JSON
    /// is replaced by `{"truncated": true, "bytes": N}`.
    pub fn cleaned(self) -> Self {
        let context = match self.context {
            Value::Null => Value::Object(Map::new()),
            value => match survey(&value, 0) {
                // The usual case: nothing to change, and clearly small (JSON
                // escaping at most doubles a string).
                (false, bytes) if bytes <= MAX_CONTEXT_BYTES / 2 => value,
                _ => bounded(context(value, 0)),
            },
        };
        Self {
            occurred_at: self.occurred_at,
            session_hash: field(self.session_hash, MAX_SHORT),
            principal: field(self.principal, MAX_PRINCIPAL),
            role: self.role,
            action: owned(self.action, MAX_SHORT),
            context,
            outcome: self.outcome,
            status: self.status,
            client_ip: field(self.client_ip, MAX_SHORT),
            user_agent: field(self.user_agent, MAX_USER_AGENT),
            request_id: field(self.request_id, MAX_SHORT),
        }
    }

    /// What is stored instead of this event when the database refuses it
    /// even on its own: when it happened, its status and request id, and
    /// which action it was, with nothing a client wrote.
    pub fn unwritable(&self) -> Self {
        let plain = |s: &str| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                .take(MAX_SHORT)
                .collect::<String>()
        };
        let mut event = Self::now(
            "audit.unwritable",
            api_types::AuditOutcome::Error,
            serde_json::json!({
                "action": plain(&self.action),
                "reason": "the database refused this row; its content is lost",
            }),
        );
        event.occurred_at = self.occurred_at;
        event.status = self.status;
        event.request_id = self.request_id.as_deref().map(plain);
        event
    }
}

#[cfg(test)]
mod tests {
    use api_types::AuditOutcome;
    use serde_json::json;

    use super::*;

    #[test]
    fn plain_text_is_borrowed_and_unsafe_characters_are_escaped() {
        assert!(matches!(
            text("viewer@tessera.local", 320),
            Cow::Borrowed(_)
        ));
        assert_eq!(text("x\u{0}y", 320), "x\\u{0}y");
        assert_eq!(text("a\nb\r\tc", 320), "a\\u{a}b\\u{d}\\u{9}c");
        assert_eq!(text("\u{202E}gnp.exe", 320), "\\u{202e}gnp.exe");
        assert_eq!(text("é ü 日本", 320), "é ü 日本", "other text is kept");
        assert_eq!(text("\u{7f}\u{85}", 320), "\\u{7f}\\u{85}");
    }

    #[test]
    fn long_text_is_cut_with_a_mark() {
        let long = "a".repeat(1_000_000);
        let cut = text(&long, 320);
        assert_eq!(cut.chars().count(), 321);
        assert!(cut.ends_with(CUT));
        assert_eq!(text(&"é".repeat(10), 10), "é".repeat(10));
    }

    #[test]
    fn every_field_and_the_context_are_cleaned() {
        let mut event = AuditEvent::now(
            "auth.login",
            AuditOutcome::Denied,
            json!({"client_id": "x\u{0}", "k\u{0}": ["\u{2028}", {"deep": "\r"}]}),
        );
        event.principal = Some("x\u{0}".into());
        event.user_agent = Some(format!("ua\n{}", "u".repeat(2_000)));
        event.request_id = Some("id\u{0}".into());
        let clean = event.cleaned();
        assert_eq!(clean.principal.as_deref(), Some("x\\u{0}"));
        assert_eq!(clean.request_id.as_deref(), Some("id\\u{0}"));
        let ua = clean.user_agent.expect("user agent");
        // The cap counts characters as sent; an escape stands for one.
        assert!(ua.starts_with("ua\\u{a}u") && ua.ends_with(CUT), "{ua}");
        assert_eq!(ua.chars().count(), MAX_USER_AGENT + "\\u{a}".len());
        assert_eq!(
            clean.context,
            json!({"client_id": "x\\u{0}", "k\\u{0}": ["\\u{2028}", {"deep": "\\u{d}"}]})
        );
        let text = crate::storage::audit::chain::canonical_json(&clean.context);
        assert!(!text.contains("\\u0000"), "{text}");
    }

    #[test]
    fn a_clean_small_context_is_kept_as_it_is() {
        let context = json!({"regions": ["eu", "na"], "limit": 50, "to": "2026-11-29"});
        assert!(!survey(&context, 0).0);
        let event = AuditEvent::now("analytics.kpis", AuditOutcome::Ok, context.clone());
        assert_eq!(event.cleaned().context, context);
        assert!(survey(&json!({"a\u{0}": 1}), 0).0, "an unsafe key");
        assert!(survey(&json!(["x".repeat(MAX_CONTEXT_STRING + 1)]), 0).0);
    }

    #[test]
    fn huge_contexts_are_bounded() {
        let many: Vec<String> = (0..1_000)
            .map(|i| format!("{i} {}", "x".repeat(100)))
            .collect();
        let event = AuditEvent::now("x", AuditOutcome::Ok, json!({ "many": many }));
        let clean = event.cleaned();
        assert_eq!(clean.context["truncated"], json!(true));
        let mut nested = json!("leaf");
        for _ in 0..50 {
            nested = json!([nested]);
        }
        let clean = AuditEvent::now("x", AuditOutcome::Ok, json!({ "n": nested })).cleaned();
        assert!(crate::storage::audit::chain::canonical_json(&clean.context).len() < 100);
        let null = AuditEvent::now("x", AuditOutcome::Ok, Value::Null).cleaned();
        assert_eq!(null.context, json!({}));
    }

    #[test]
    fn the_unwritable_row_keeps_nothing_a_client_wrote() {
        let mut event = AuditEvent::now("auth.login", AuditOutcome::Denied, json!({"a": "b"}));
        event.principal = Some("evil".into());
        event.request_id = Some("req-1\u{0}'".into());
        event.status = Some(401);
        let row = event.unwritable();
        assert_eq!(row.action, "audit.unwritable");
        assert_eq!(row.principal, None);
        assert_eq!(row.request_id.as_deref(), Some("req-1"));
        assert_eq!(row.status, Some(401));
        assert_eq!(row.occurred_at, event.occurred_at);
        assert_eq!(row.context["action"], json!("auth.login"));
    }
}
