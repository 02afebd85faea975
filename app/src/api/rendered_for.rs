//! Pages rendered on the server fetch their data over loopback, so without
//! help the API would record the server itself (127.0.0.1, reqwest) as the
//! client. The server hands the renderer a [`RenderedFor`] with the browser's
//! address and user agent and a per-process key; the renderer's API calls
//! carry them, and the API believes them only with the right key.

use std::sync::Arc;

/// The header carrying the per-process render key.
pub const RENDER_KEY_HEADER: &str = "x-tessera-render-key";
/// The header carrying the browser's address (believed only with the key).
pub const RENDERED_FOR_IP_HEADER: &str = "x-tessera-rendered-for";

/// The browser a page is rendered for. Put in the page request's extensions
/// by the server; read by [`crate::api::api_client`] during rendering.
#[derive(Clone)]
pub struct RenderedFor {
    /// The per-process secret proving the call comes from the renderer.
    pub key: Arc<str>,
    /// The browser's address, as the server determined it.
    pub client_ip: String,
    /// The browser's `User-Agent`, if it sent one.
    pub user_agent: Option<String>,
}

impl std::fmt::Debug for RenderedFor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderedFor")
            .field("key", &"[redacted]")
            .field("client_ip", &self.client_ip)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let rendered = RenderedFor {
            key: Arc::from("very-secret-key"),
            client_ip: "203.0.113.9".into(),
            user_agent: Some("Firefox".into()),
        };
        let text = format!("{rendered:?}");
        assert!(!text.contains("very-secret-key"));
        assert!(text.contains("203.0.113.9"));
    }
}
