//! A request id on every request: taken from a well-formed `X-Request-Id`
//! header or generated (UUID v7), stored in the request's extensions, echoed
//! back in the response header and recorded on the request's tracing span.

use axum::{extract::Request, http::HeaderValue, middleware::Next, response::Response};

/// The header carrying the id in and out.
pub const HEADER: &str = "x-request-id";

/// The id of the request being served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

impl RequestId {
    /// Accepts a caller's id only if it is short and made of safe characters,
    /// so that it cannot forge log lines or bloat them.
    pub fn from_header(value: &HeaderValue) -> Option<Self> {
        let text = value.to_str().ok()?;
        let ok = (1..=128).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        ok.then(|| RequestId(text.to_owned()))
    }

    /// A fresh, time-ordered id.
    pub fn generate() -> Self {
        RequestId(uuid::Uuid::now_v7().to_string())
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Middleware: assigns the id before anything else sees the request.
pub async fn assign(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(HEADER)
        .and_then(RequestId::from_header)
        .unwrap_or_else(RequestId::generate);
    request.extensions_mut().insert(id.clone());
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id.0) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_well_formed_ids_and_refuses_others() {
        let ok = HeaderValue::from_static("req-42_a.b:c");
        assert_eq!(
            RequestId::from_header(&ok),
            Some(RequestId("req-42_a.b:c".into()))
        );
        for bad in ["", "has space", "new\\nline", "<script>"] {
            if let Ok(value) = HeaderValue::from_str(bad) {
                assert_eq!(RequestId::from_header(&value), None, "{bad:?}");
            }
        }
        let long = HeaderValue::from_str(&"a".repeat(129)).expect("header");
        assert_eq!(RequestId::from_header(&long), None);
    }

    #[test]
    fn generated_ids_are_unique() {
        assert_ne!(RequestId::generate(), RequestId::generate());
    }
}
