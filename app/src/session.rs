//! The signed-in user as the UI knows it. On the server it comes from the
//! page request (the server's sign-in gate authenticated it); in the browser
//! it arrives with the page, and a background refresh keeps the session's
//! access token fresh.

use leptos::prelude::*;

use crate::api::{Me, Role};

/// The current user, provided as context by [`provide_current_user`].
#[derive(Debug, Clone, Copy)]
pub struct CurrentUser(pub Resource<Option<Me>>);

impl CurrentUser {
    /// The user, once known (`None` while loading or when signed out).
    pub fn get(self) -> Option<Me> {
        self.0.get().flatten()
    }

    /// Whether the user may use a page needing `minimum`.
    pub fn may(self, minimum: Option<Role>) -> bool {
        match minimum {
            None => true,
            Some(role) => self.get().is_some_and(|me| me.role.includes(role)),
        }
    }
}

/// Loads the current user (blocking, so the page renders with it) and
/// provides it to every component.
pub fn provide_current_user() -> CurrentUser {
    let user = CurrentUser(Resource::new_blocking(|| (), |_| load()));
    provide_context(user);
    user
}

/// The context set by [`provide_current_user`].
pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

#[cfg(feature = "ssr")]
async fn load() -> Option<Me> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Me>().cloned())
}

#[cfg(not(feature = "ssr"))]
async fn load() -> Option<Me> {
    crate::components::status::api_client().me().await.ok()
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
        let interval = gloo_timers::callback::Interval::new(10 * 60 * 1000, || {
            leptos::task::spawn_local(async {
                if let Err(error) = crate::components::status::api_client().refresh().await {
                    if error.status() == Some(401) {
                        go_to(&format!("{}?expired=1", crate::access::LOGIN_PATH));
                    }
                }
            });
        });
        // Lives as long as the page.
        interval.forget();
    }
}
