//! Page state kept in the URL's query string, so any link reproduces the
//! view: read through the router (it follows Back and Forward), written by
//! navigating to the same path with the new query.

use leptos::prelude::*;
use leptos_router::{
    hooks::{use_location, use_navigate, use_query_map},
    NavigateOptions,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// A typed state that a query string carries.
pub trait QueryState: Clone + PartialEq + Send + Sync + 'static {
    /// Reads the state from query parameters (`get` returns one by name).
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self;

    /// Reads the state from query parameters, with every value of a
    /// repeated key (`get_all`, in URL order). By default, the last value of
    /// each key is read through [`QueryState::from_query`]; states with
    /// multi-valued keys (`region=a&region=b`) read them here.
    fn from_query_all(get_all: impl Fn(&str) -> Vec<String>) -> Self {
        Self::from_query(|key| get_all(key).pop())
    }

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
        let value = Memo::new(move |_| {
            query.with(|q| T::from_query_all(|key| q.get_all(key).unwrap_or_default()))
        });
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

/// Characters escaped in a query value: all but letters, digits and `-._~`
/// (so a space is `%20` and a `+`, `&`, `,` or `"` never reads as syntax).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value`, escaped for a query string (UTF-8, percent-encoded).
pub fn encode_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// The longest region or category a URL may carry (the data's own limit).
pub const MAX_VALUE_CHARS: usize = 64;

/// The most regions (or categories) a URL may select.
const MAX_VALUES: usize = 200;

/// Data values (regions, categories) read from a repeated query key: trimmed,
/// without empty or over-long ones, sorted and deduplicated, so that the same
/// selection is always the same value.
pub fn data_values(raw: Vec<String>) -> Vec<String> {
    let mut values: Vec<String> = raw
        .into_iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.chars().count() <= MAX_VALUE_CHARS)
        .collect();
    values.sort();
    values.dedup();
    values.truncate(MAX_VALUES);
    values
}

/// One `key=value` pair per value (escaped), as [`data_values`] reads them.
pub fn value_pairs<'a>(
    key: &'a str,
    values: &'a [String],
) -> impl Iterator<Item = (&'a str, String)> + 'a {
    values.iter().map(move |v| (key, encode_value(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_start_with_a_question_mark_unless_empty() {
        assert_eq!(query_string([]), "");
        assert_eq!(
            query_string([("range", "7d".to_owned()), ("compare", "1".to_owned())]),
            "?range=7d&compare=1"
        );
    }

    #[test]
    fn data_values_are_escaped_and_canonical() {
        assert_eq!(
            encode_value("Zürich \"Nord\", Süd"),
            "Z%C3%BCrich%20%22Nord%22%2C%20S%C3%BCd"
        );
        assert_eq!(encode_value("a+b&c=d"), "a%2Bb%26c%3Dd");
        let read = data_values(vec![
            " Île-de-France ".into(),
            "Zürich \"Nord\", Süd".into(),
            String::new(),
            "x".repeat(65),
            "Île-de-France".into(),
        ]);
        assert_eq!(read, vec!["Zürich \"Nord\", Süd", "Île-de-France"]);
        let pairs: Vec<_> = value_pairs("region", &read).collect();
        assert_eq!(pairs[1], ("region", "%C3%8Ele-de-France".to_owned()));
    }
}
