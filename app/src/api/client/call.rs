//! One API request described without a transport: method, path, query
//! pairs and JSON body. The client fills it in; `native.rs` (reqwest) or
//! `browser.rs` (the browser's `fetch`) sends it, so the browser bundle
//! carries no HTTP client of its own.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::ClientError;

/// The bytes `application/x-www-form-urlencoded` leaves as they are, as
/// reqwest's `.query()` writes them (the WHATWG URL standard's set): ASCII
/// letters and digits and `*-._`; a space is written as `+`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    /// The method's name on the wire.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        expect(dead_code, reason = "natively reqwest names the method")
    )]
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One request to the API, before any transport sees it.
#[derive(Debug)]
pub(super) struct Call {
    pub(super) method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    /// The JSON body, already serialised.
    pub(super) body: Option<Vec<u8>>,
    /// A body that could not be serialised: reported when the call is sent,
    /// as reqwest reports a request it could not build.
    pub(super) problem: Option<String>,
}

impl Call {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            problem: None,
        }
    }

    /// `GET path`.
    pub(super) fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path)
    }

    /// `POST path`.
    pub(super) fn post(path: impl Into<String>) -> Self {
        Self::new(Method::Post, path)
    }

    /// `PATCH path`.
    pub(super) fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::Patch, path)
    }

    /// `DELETE path`.
    pub(super) fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::Delete, path)
    }

    /// The call with these query pairs added, in order (a key may repeat).
    pub(super) fn query(mut self, pairs: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        self.query.extend(pairs);
        self
    }

    /// The call with `body` as its JSON body.
    pub(super) fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.problem = Some(e.to_string()),
        }
        self
    }

    /// The absolute URL on the server at `base_url`, with the query string
    /// (none when there are no pairs).
    pub(super) fn url(&self, base_url: &str) -> String {
        let mut url = String::with_capacity(base_url.len() + self.path.len() + 16);
        url.push_str(base_url);
        url.push_str(&self.path);
        for (i, (key, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            push_encoded(&mut url, key);
            url.push('=');
            push_encoded(&mut url, value);
        }
        url
    }

    /// Fails with the reason the body could not be serialised, if any.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        expect(
            clippy::result_large_err,
            reason = "every call of the client returns ClientError; its body is the API's error"
        )
    )]
    pub(super) fn check(&self) -> Result<(), ClientError> {
        match &self.problem {
            Some(problem) => Err(ClientError::Network(problem.clone())),
            None => Ok(()),
        }
    }
}

/// Appends `text` form-urlencoded: spaces as `+`, other bytes outside
/// [`QUERY_VALUE`] as `%XX`.
fn push_encoded(out: &mut String, text: &str) {
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.extend(utf8_percent_encode(word, QUERY_VALUE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What reqwest's `.query()` makes of the same pairs (the client used
    /// it on every target before; natively it still sends the requests).
    fn reqwest_query(pairs: &[(&'static str, String)]) -> String {
        let request = reqwest::Client::new()
            .get("http://127.0.0.1:3000/api/v1/x")
            .query(pairs)
            .build()
            .expect("a GET with a query builds");
        request.url().as_str().to_owned()
    }

    #[test]
    fn query_strings_are_encoded_as_reqwest_encodes_them() {
        let awkward = [
            "Europe",
            "North America",
            "a&b=c",
            "100% + more",
            "Zürich/Genève",
            "~!*'();:@$,/?#[]",
            "tab\there",
            "line\nbreak",
            "emoji 📈",
            "",
            "-._*",
        ];
        for value in awkward {
            let pairs = vec![("region", value.to_owned()), ("region", "Asia".to_owned())];
            let call = Call::get("/api/v1/x").query(pairs.clone());
            assert_eq!(
                call.url("http://127.0.0.1:3000"),
                reqwest_query(&pairs),
                "{value:?}"
            );
        }
    }

    #[test]
    fn no_pairs_means_no_question_mark() {
        let call = Call::get("/api/v1/x").query(Vec::new());
        assert_eq!(call.url("http://127.0.0.1:3000"), reqwest_query(&[]));
        assert_eq!(call.url("http://h"), "http://h/api/v1/x");
    }

    #[test]
    fn a_json_body_is_serialised_once() {
        let call = Call::post("/api/v1/auth/login").json(&serde_json::json!({"email": "a@b"}));
        assert_eq!(call.method, Method::Post);
        assert_eq!(call.body.as_deref(), Some(&br#"{"email":"a@b"}"#[..]));
        assert!(call.check().is_ok());
    }
}
