//! The one typed client for Tessera's REST API. The browser UI (WASM), the
//! server-side renderer and the integration tests all go through it.

use serde::de::DeserializeOwned;

use api_types::{
    CreatedServiceAccount, ErrorBody, ErrorEnvelope, Health, LoginRequest, Me, NewServiceAccount,
    NewUser, Readiness, ServiceAccountView, SessionInfo, TokenRequest, TokenResponse, UserChange,
    UserView,
};

use super::{RenderedFor, RENDERED_FOR_IP_HEADER, RENDER_KEY_HEADER};
use call::Call;

mod analytics;
mod audit;
#[cfg(target_arch = "wasm32")]
mod browser;
mod call;
mod data;
mod jobs;
#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(feature = "hydrate")]
mod upload;

#[cfg(feature = "hydrate")]
pub use upload::UploadProgress;
mod upstream;

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ClientError {
    /// The server answered with an error response.
    #[error("{} (HTTP {status})", body.message)]
    Api {
        /// HTTP status code.
        status: u16,
        /// The error the server reported.
        body: ErrorBody,
    },
    /// The request never got an answer (server down, network error).
    #[error("could not reach the Tessera server: {0}")]
    Network(String),
    /// The answer was not what the API documents.
    #[error("unexpected response from the Tessera server: {0}")]
    Decode(String),
}

impl ClientError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A client bound to one Tessera server.
#[derive(Debug, Clone)]
pub struct ApiClient {
    base_url: String,
    /// Natively, reqwest sends the calls; in the browser, `fetch` does.
    #[cfg(not(target_arch = "wasm32"))]
    http: reqwest::Client,
    bearer: Option<String>,
    cookie: Option<String>,
    rendered_for: Option<RenderedFor>,
}

impl ApiClient {
    /// A stateless client for the server at `base_url`, e.g.
    /// `http://127.0.0.1:3000`: it keeps no cookies, so one instance can
    /// safely serve many callers (the server-side renderer, services).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::build(base_url.into(), false)
    }

    /// A client that keeps its own cookie jar, like one browser: for native
    /// programs that sign in with email and password. (In the browser, the
    /// browser keeps the cookies whichever constructor is used.)
    pub fn with_cookie_jar(base_url: impl Into<String>) -> Self {
        Self::build(base_url.into(), true)
    }

    fn build(base_url: String, cookie_jar: bool) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        #[cfg(target_arch = "wasm32")]
        let _ = cookie_jar;
        Self {
            #[cfg(not(target_arch = "wasm32"))]
            http: native::http_client(&base_url, cookie_jar),
            base_url,
            bearer: None,
            cookie: None,
            rendered_for: None,
        }
    }

    /// The same client, sending the given `Cookie` header: the server-side
    /// renderer calls the API as the browser that asked for the page.
    pub fn with_cookie_header(mut self, cookie: impl Into<String>) -> Self {
        self.cookie = Some(cookie.into());
        self
    }

    /// The same client, calling on behalf of the browser a page is rendered
    /// for (the server-side renderer; see [`RenderedFor`]).
    pub fn rendered_for(mut self, browser: RenderedFor) -> Self {
        self.rendered_for = Some(browser);
        self
    }

    /// The same client, sending `Authorization: Bearer <token>` (services).
    pub fn with_bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// In the browser: a client for the origin that served the page.
    #[cfg(feature = "hydrate")]
    pub fn for_current_origin() -> Self {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        Self::new(origin)
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `GET /api/v1/health`.
    pub async fn health(&self) -> Result<Health, ClientError> {
        self.get("/api/v1/health").await
    }

    /// `GET /api/v1/ready`.
    pub async fn ready(&self) -> Result<Readiness, ClientError> {
        self.get("/api/v1/ready").await
    }

    /// `POST /api/v1/auth/token`: client credentials for an access token.
    pub async fn token(
        &self,
        client_id: &str,
        client_secret: &str,
    ) -> Result<TokenResponse, ClientError> {
        let body = TokenRequest {
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
        };
        self.execute(Call::post("/api/v1/auth/token").json(&body))
            .await
    }

    /// `POST /api/v1/auth/login`: signs in; the session and access cookies
    /// are kept by the browser (or by this client, natively).
    pub async fn login(&self, email: &str, password: &str) -> Result<SessionInfo, ClientError> {
        let body = LoginRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        self.execute(Call::post("/api/v1/auth/login").json(&body))
            .await
    }

    /// `POST /api/v1/auth/refresh`: a new access token for the session.
    pub async fn refresh(&self) -> Result<SessionInfo, ClientError> {
        self.execute(Call::post("/api/v1/auth/refresh")).await
    }

    /// `POST /api/v1/auth/logout`: ends the session.
    pub async fn logout(&self) -> Result<(), ClientError> {
        self.execute_empty(Call::post("/api/v1/auth/logout")).await
    }

    /// `GET /api/v1/me`.
    pub async fn me(&self) -> Result<Me, ClientError> {
        self.get("/api/v1/me").await
    }

    /// `GET /api/v1/admin/users`.
    pub async fn list_users(&self) -> Result<Vec<UserView>, ClientError> {
        self.get("/api/v1/admin/users").await
    }

    /// `POST /api/v1/admin/users`.
    pub async fn create_user(&self, user: &NewUser) -> Result<UserView, ClientError> {
        self.execute(Call::post("/api/v1/admin/users").json(user))
            .await
    }

    /// `PATCH /api/v1/admin/users/{id}`.
    pub async fn change_user(&self, id: i64, change: &UserChange) -> Result<UserView, ClientError> {
        let path = format!("/api/v1/admin/users/{id}");
        self.execute(Call::patch(path).json(change)).await
    }

    /// `GET /api/v1/admin/service-accounts`.
    pub async fn list_service_accounts(&self) -> Result<Vec<ServiceAccountView>, ClientError> {
        self.get("/api/v1/admin/service-accounts").await
    }

    /// `POST /api/v1/admin/service-accounts`: the secret is in the answer, once.
    pub async fn create_service_account(
        &self,
        account: &NewServiceAccount,
    ) -> Result<CreatedServiceAccount, ClientError> {
        self.execute(Call::post("/api/v1/admin/service-accounts").json(account))
            .await
    }

    /// `POST /api/v1/admin/service-accounts/{id}/revoke`.
    pub async fn revoke_service_account(&self, id: i64) -> Result<ServiceAccountView, ClientError> {
        let path = format!("/api/v1/admin/service-accounts/{id}/revoke");
        self.execute(Call::post(path)).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.execute(Call::get(path)).await
    }

    async fn execute_empty(&self, call: Call) -> Result<(), ClientError> {
        self.execute::<serde::de::IgnoredAny>(call).await.map(drop)
    }

    async fn execute<T: DeserializeOwned>(&self, call: Call) -> Result<T, ClientError> {
        let reply = self.dispatch(call).await?;
        decode_body(reply.status, &reply.body)
    }

    /// Like `execute`, for answers that are text rather than JSON (CSV).
    async fn execute_text(&self, call: Call) -> Result<String, ClientError> {
        let reply = self.dispatch(call).await?;
        if !(200..300).contains(&reply.status) {
            return decode_body::<serde::de::IgnoredAny>(reply.status, &reply.body)
                .map(|_| String::new());
        }
        Ok(String::from_utf8_lossy(&reply.body).into_owned())
    }

    /// Sends `call` with this client's credentials through the target's
    /// transport.
    async fn dispatch(&self, call: Call) -> Result<Reply, ClientError> {
        let url = call.url(&self.base_url);
        let mut headers = self.credentials();
        if call.body.is_some() {
            headers.push(("content-type", "application/json".to_owned()));
        }
        self.transport(url, call, headers).await
    }

    #[cfg(not(target_arch = "wasm32"))]
    async fn transport(
        &self,
        url: String,
        call: Call,
        headers: Vec<(&'static str, String)>,
    ) -> Result<Reply, ClientError> {
        native::send(&self.http, url, call, headers).await
    }

    #[cfg(target_arch = "wasm32")]
    async fn transport(
        &self,
        url: String,
        call: Call,
        headers: Vec<(&'static str, String)>,
    ) -> Result<Reply, ClientError> {
        send(browser::send(url, call, headers)).await
    }

    /// The headers that say who calls: this client's bearer token or cookie
    /// header, and the browser a page is rendered for.
    fn credentials(&self) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        if let Some(token) = &self.bearer {
            headers.push(("authorization", format!("Bearer {token}")));
        }
        if let Some(cookie) = &self.cookie {
            headers.push(("cookie", cookie.clone()));
        }
        if let Some(browser) = &self.rendered_for {
            headers.push((RENDER_KEY_HEADER, browser.key.to_string()));
            headers.push((RENDERED_FOR_IP_HEADER, browser.client_ip.clone()));
            if let Some(agent) = &browser.user_agent {
                headers.push(("user-agent", agent.clone()));
            }
        }
        headers
    }
}

/// An answer: its status and its whole body.
struct Reply {
    status: u16,
    body: Vec<u8>,
}

/// Browser futures are not `Send`, but Leptos resources need `Send` futures;
/// wasm32 is single-threaded, so the wrapper is sound there.
#[cfg(target_arch = "wasm32")]
fn send<F: std::future::Future>(future: F) -> send_wrapper::SendWrapper<F> {
    send_wrapper::SendWrapper::new(future)
}

/// An answer's body read as the API documents it: the value on success, the
/// error envelope otherwise (any transport uses this, e.g. the browser's
/// upload with progress).
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(
        clippy::result_large_err,
        reason = "every call of the client returns ClientError; its body is the API's error"
    )
)]
fn decode_body<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T, ClientError> {
    // Read as text, as Leptos reads the resources the server hands to the
    // browser: the WASM bundle then holds one JSON reader per type, not two.
    let text = std::str::from_utf8(bytes);
    if (200..300).contains(&status) {
        let json = match text {
            // 204 No Content reads as JSON null.
            Ok("") => "null",
            Ok(json) => json,
            Err(e) => return Err(ClientError::Decode(e.to_string())),
        };
        return serde_json::from_str(json).map_err(|e| ClientError::Decode(e.to_string()));
    }
    match text.map(serde_json::from_str::<ErrorEnvelope>) {
        Ok(Ok(envelope)) => Err(ClientError::Api {
            status,
            body: envelope.error,
        }),
        _ => Err(ClientError::Decode(format!(
            "HTTP {status} without an error body"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_as_json_text() {
        assert_eq!(decode_body::<Option<u8>>(204, b""), Ok(None));
        assert_eq!(decode_body::<Vec<u8>>(200, b"[1,2]"), Ok(vec![1, 2]));
        assert!(matches!(
            decode_body::<Option<u8>>(200, &[b'"', 0xff, b'"']),
            Err(ClientError::Decode(_))
        ));
        let refused = br#"{"error":{"code":"forbidden","message":"no"}}"#;
        assert!(matches!(
            decode_body::<Option<u8>>(403, refused),
            Err(ClientError::Api { status: 403, .. })
        ));
        assert!(matches!(
            decode_body::<Option<u8>>(500, &[0xff]),
            Err(ClientError::Decode(_))
        ));
    }
}
