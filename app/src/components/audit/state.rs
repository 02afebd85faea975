//! The audit page's filters as they are kept in the URL query, e.g.
//! `?principal=ana%40example.com&outcome=denied&from=2026-11-01`, and the
//! context every part of the page shares.
//!
//! Parsing is lenient (a value the page cannot use is dropped; the server
//! validates strictly), so any link opens a working page.

use leptos::prelude::*;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::{
    api::{AuditEntry, AuditOutcome, AuditQuery},
    components::{
        format::is_date,
        url_state::{query_string, History, QueryState, UrlState},
    },
};

use super::when::ticking_clock;

/// Characters escaped in a query value: all but letters, digits and
/// `-._~@` (so emails and dates stay readable in the address bar).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// The longest principal or session accepted from a URL.
const MAX_TEXT: usize = 254;

/// What the audit log is filtered by: the API's own query, holding only
/// its filters (paging is added per request by [`page`]).
pub type AuditView = AuditQuery;

impl QueryState for AuditQuery {
    /// Reads the view from query parameters (`get` returns one by name).
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| {
            get(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty() && v.len() <= MAX_TEXT)
        };
        let day = |key: &str| get(key).filter(|v| is_date(v));
        Self {
            principal: text("principal"),
            session: text("session"),
            action: text("action"),
            outcome: get("outcome").and_then(|v| AuditOutcome::parse(&v)),
            from: day("from"),
            to: day("to"),
            ..Self::default()
        }
    }

    /// The query string (with `?`, or empty) that reproduces this view.
    fn to_query(&self) -> String {
        query_string(
            self.filter_pairs()
                .into_iter()
                .map(|(k, v)| (k, utf8_percent_encode(&v, QUERY_VALUE).to_string())),
        )
    }
}

/// The filters of `view` asking for pages of `limit` rows.
pub fn page(view: &AuditView, limit: Option<u32>) -> AuditQuery {
    AuditQuery {
        limit,
        ..view.clone()
    }
}

/// Whether any filter is set.
pub fn is_filtered(view: &AuditView) -> bool {
    *view != AuditView::default()
}

/// The page's shared state, provided as context by [`provide_audit`].
#[derive(Debug, Clone, Copy)]
pub struct AuditState {
    /// The filters, parsed from the URL.
    pub view: Memo<AuditView>,
    /// The event whose details are open.
    pub selected: RwSignal<Option<AuditEntry>>,
    /// The current time, for relative times (ticks every 30 s).
    pub now: ReadSignal<i64>,
    url: UrlState<AuditView>,
}

impl AuditState {
    /// Applies `change` to the filters and writes them to the URL (a new
    /// history entry, so Back returns to the previous filters).
    pub fn update(self, change: impl FnOnce(&mut AuditView)) {
        self.url.update(change);
    }

    /// "Show this session": only the given session, every other filter off.
    pub fn show_session(self, session: String) {
        self.selected.set(None);
        self.update(|v| {
            *v = AuditView {
                session: Some(session),
                ..AuditView::default()
            }
        });
    }

    /// "Show this user": only the given principal, every other filter off.
    pub fn show_principal(self, principal: String) {
        self.selected.set(None);
        self.update(|v| {
            *v = AuditView {
                principal: Some(principal),
                ..AuditView::default()
            }
        });
    }
}

/// Creates the page state from the URL and provides it as context.
pub fn provide_audit() -> AuditState {
    let url = UrlState::new(History::Push);
    let state = AuditState {
        view: url.value(),
        selected: RwSignal::new(None),
        now: ticking_clock(),
        url,
    };
    provide_context(state);
    state
}

/// The context set by [`provide_audit`].
pub fn use_audit() -> AuditState {
    expect_context::<AuditState>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &[(&str, &str)]) -> AuditView {
        AuditView::from_query(|key| {
            query
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn a_link_round_trips() {
        let view = parse(&[
            ("principal", "ana+ops@example.com"),
            ("outcome", "denied"),
            ("from", "2026-11-01"),
            ("to", "2026-11-24"),
            ("action", "auth.login"),
        ]);
        assert_eq!(view.outcome, Some(AuditOutcome::Denied));
        let query = view.to_query();
        assert_eq!(
            query,
            "?principal=ana%2Bops@example.com&action=auth.login&outcome=denied\
             &from=2026-11-01&to=2026-11-24"
        );
        assert!(is_filtered(&view));
        assert!(!is_filtered(&AuditView::default()));
        assert_eq!(AuditView::default().to_query(), "");
    }

    #[test]
    fn unusable_values_are_dropped() {
        let view = parse(&[
            ("outcome", "maybe"),
            ("from", "yesterday"),
            ("principal", "   "),
            ("session", &"x".repeat(300)),
        ]);
        assert_eq!(view, AuditView::default());
    }

    #[test]
    fn the_api_query_carries_every_filter() {
        let view = parse(&[("session", "abc"), ("to", "2026-11-24")]);
        let api = page(&view, Some(50));
        assert_eq!(api.session.as_deref(), Some("abc"));
        assert_eq!(api.to.as_deref(), Some("2026-11-24"));
        assert_eq!(api.limit, Some(50));
        assert_eq!(api.cursor, None);
    }
}
