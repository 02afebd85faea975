//! The renderer's key: pages rendered on the server call the API over
//! loopback on behalf of a browser (see [`app::api::RenderedFor`]). This
//! per-process random key lets the API tell those calls apart from anyone
//! else who sets the same headers, so the audit log records the browser's
//! address and user agent, not the server's.

use std::{net::IpAddr, sync::Arc};

use app::api::{RenderedFor, RENDERED_FOR_IP_HEADER, RENDER_KEY_HEADER};
use axum::http::{header, HeaderMap};
use subtle::ConstantTimeEq;

use crate::auth::secret::random_token;

/// A random key, new at every start.
#[derive(Clone)]
pub struct RenderKey(Arc<str>);

impl std::fmt::Debug for RenderKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderKey([redacted])")
    }
}

impl Default for RenderKey {
    fn default() -> Self {
        Self(Arc::from(random_token(32)))
    }
}

impl RenderKey {
    /// What a page request passes to the renderer.
    pub fn rendered_for(&self, client_ip: IpAddr, headers: &HeaderMap) -> RenderedFor {
        RenderedFor {
            key: Arc::clone(&self.0),
            client_ip: client_ip.to_string(),
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        }
    }

    /// The browser address an API call was made for, when it carries this
    /// key (compared in constant time); `None` for every other call.
    pub fn browser_ip(&self, headers: &HeaderMap) -> Option<IpAddr> {
        let key = headers.get(RENDER_KEY_HEADER)?.as_bytes();
        if !bool::from(key.ct_eq(self.0.as_bytes())) {
            return None;
        }
        headers
            .get(RENDERED_FOR_IP_HEADER)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn only_the_right_key_is_believed() {
        let key = RenderKey::default();
        let mut headers = HeaderMap::new();
        headers.insert(
            RENDERED_FOR_IP_HEADER,
            HeaderValue::from_static("203.0.113.9"),
        );
        assert_eq!(key.browser_ip(&headers), None, "no key");
        headers.insert(RENDER_KEY_HEADER, HeaderValue::from_static("guess"));
        assert_eq!(key.browser_ip(&headers), None, "wrong key");
        let other = RenderKey::default();
        headers.insert(
            RENDER_KEY_HEADER,
            HeaderValue::from_str(&other.0).expect("ascii"),
        );
        assert_eq!(key.browser_ip(&headers), None, "another process's key");
        headers.insert(
            RENDER_KEY_HEADER,
            HeaderValue::from_str(&key.0).expect("ascii"),
        );
        assert_eq!(
            key.browser_ip(&headers),
            Some("203.0.113.9".parse().expect("ip"))
        );
        assert!(!format!("{key:?}").contains(&*key.0));
    }
}
