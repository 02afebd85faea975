//! Page state kept in the URL's query string, so any link reproduces the
//! view: read through the router (it follows Back and Forward), written by
//! navigating to the same path with the new query.

use leptos::prelude::*;
use leptos_router::{
    hooks::{use_location, use_navigate, use_query_map},
    NavigateOptions,
};

/// A typed state that a query string carries.
pub trait QueryState: Clone + PartialEq + Send + Sync + 'static {
    /// Reads the state from query parameters (`get` returns one by name).
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self;

    /// The query string (with `?`, or empty) that reproduces the state.
    fn to_query(&self) -> String;
}

/// How a change of state is written to the browser's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// A new entry: Back returns to the previous state.
    Push,
    /// The current entry is replaced.
    Replace,
}

/// A [`QueryState`] read from the current URL and written back to it.
#[derive(Debug)]
pub struct UrlState<T: Send + Sync + 'static> {
    value: Memo<T>,
    write: Callback<String>,
}

impl<T: Send + Sync + 'static> Clone for UrlState<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for UrlState<T> {}

impl<T: QueryState> UrlState<T> {
    /// The state in the current URL; changes are written as `history` says,
    /// without scrolling.
    pub fn new(history: History) -> Self {
        let query = use_query_map();
        let value = Memo::new(move |_| query.with(|q| T::from_query(|key| q.get(key))));
        let location = use_location();
        let navigate = use_navigate();
        let write = Callback::new(move |query: String| {
            let path = location.pathname.get_untracked();
            let options = NavigateOptions {
                replace: history == History::Replace,
                scroll: false,
                ..NavigateOptions::default()
            };
            navigate(&format!("{path}{query}"), options);
        });
        Self { value, write }
    }

    /// The state (reactive: notifies only when it really changes).
    pub fn value(self) -> Memo<T> {
        self.value
    }

    /// Applies `change` to the current state and writes the result to the
    /// URL. An unchanged state writes nothing.
    pub fn update(self, change: impl FnOnce(&mut T)) {
        let current = self.value.get_untracked();
        let mut next = current.clone();
        change(&mut next);
        if next != current {
            self.write.run(next.to_query());
        }
    }
}

/// `?key=value&…` from pairs whose values are ready for a URL; empty when
/// there are none.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let body: Vec<String> = pairs
        .into_iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    if body.is_empty() {
        String::new()
    } else {
        format!("?{}", body.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::query_string;

    #[test]
    fn query_strings_start_with_a_question_mark_unless_empty() {
        assert_eq!(query_string([]), "");
        assert_eq!(
            query_string([("range", "7d".to_owned()), ("compare", "1".to_owned())]),
            "?range=7d&compare=1"
        );
    }
}
