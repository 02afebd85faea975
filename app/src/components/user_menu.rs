//! The signed-in user's name, role and the sign-out button.

use leptos::prelude::*;

use crate::{
    access::LOGIN_PATH,
    components::api_action::api_action,
    session::{go_to, use_current_user},
};

/// Name, role badge and "Sign out"; nothing when signed out.
#[component]
pub fn UserMenu() -> impl IntoView {
    let user = use_current_user();
    let sign_out = api_action(|client, ()| async move {
        // Whatever the answer, the session is over for this browser.
        let _ = client.logout().await;
        go_to(LOGIN_PATH);
    });
    // Stays disabled once signed out, while the sign-in page loads.
    let (pending, done) = (sign_out.pending(), sign_out.value());
    let signing_out = move || pending.get() || done.with(Option::is_some);
    user.get().map(|me| {
        view! {
                <div class="user-menu" data-testid="user-menu">
                    <span class="user-menu__name" title=me.name.clone()>{me.name.clone()}</span>
                    <span class="badge user-menu__role" data-testid="user-role">{me.role.as_str()}</span>
                    <button type="button" class="button button--ghost" on:click=move |_| { sign_out.dispatch(()); }
                        disabled=signing_out>
                        "Sign out"
                    </button>
                </div>
        }
    })
}
