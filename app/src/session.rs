//! The signed-in user as the UI knows it. On the server it comes from the
//! page request (the server's sign-in gate authenticated it); in the browser
//! it arrives with the page, and a background refresh keeps the session's
//! access token fresh.

use leptos::prelude::*;

use crate::api::{Me, Role};

/// The current user, provided as context by [`provide_current_user`].
/// Known synchronously on both sides: the server takes it from the page
/// request, the browser from a JSON script the server put in the page, so
/// the first render already shows the right navigation and no part of the
/// page waits for it.
#[derive(Debug, Clone, Copy)]
pub struct CurrentUser(StoredValue<Option<Me>>);

impl CurrentUser {
    /// The signed-in user, if any.
    pub fn get(self) -> Option<Me> {
        self.0.get_value()
    }

    /// Whether the user may use a page needing `minimum`.
    pub fn may(self, minimum: Option<Role>) -> bool {
        match minimum {
            None => true,
            Some(role) => self.get().is_some_and(|me| me.role.includes(role)),
        }
    }
}

/// Id of the script element carrying the user to the browser.
const USER_SCRIPT_ID: &str = "tessera-user";

/// Provides the current user to every component.
pub fn provide_current_user() -> CurrentUser {
    let user = CurrentUser(StoredValue::new(load()));
    provide_context(user);
    user
}

/// The context set by [`provide_current_user`].
pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// The `<script type="application/json">` for the page head (server only):
/// the signed-in user, with `<` escaped so the JSON cannot end the script,
/// and the response's CSP nonce.
pub fn user_script() -> impl IntoView {
    let json = serde_json::to_string(&load()).unwrap_or_else(|_| "null".into());
    let json = json.replace('<', "\\u003c");
    view! { <script type="application/json" id=USER_SCRIPT_ID nonce=use_nonce()>{json}</script> }
}

#[cfg(feature = "ssr")]
fn load() -> Option<Me> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Me>().cloned())
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn load() -> Option<Me> {
    let text = document()
        .get_element_by_id(USER_SCRIPT_ID)?
        .text_content()?;
    serde_json::from_str(&text).ok().flatten()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn load() -> Option<Me> {
    None
}

/// Sends the browser to `path` with a full page load (the server then
/// renders the page for the new session state).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Renews the access token every ten minutes (it lives fifteen); when the
/// session has ended, goes to the sign-in page with a message.
pub fn keep_session_fresh() {
    #[cfg(feature = "hydrate")]
    {
        let renew = crate::components::api_action::api_action(|client, ()| async move {
            if let Err(error) = client.refresh().await {
                if error.status() == Some(401) {
                    go_to(&format!("{}?expired=1", crate::access::LOGIN_PATH));
                }
            }
        });
        let interval = gloo_timers::callback::Interval::new(10 * 60 * 1000, move || {
            renew.dispatch(());
        });
        // Lives as long as the page.
        interval.forget();
    }
}
