//! The signed-in user's name, role and the sign-out button.

use leptos::prelude::*;

use crate::{
    access::LOGIN_PATH,
    api::api_client,
    session::{go_to, use_current_user},
};

/// Name, role badge and "Sign out"; nothing when signed out.
#[component]
pub fn UserMenu() -> impl IntoView {
    let user = use_current_user();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        signing_out.set(true);
        leptos::task::spawn_local(async move {
            // Whatever the answer, the session is over for this browser.
            let _ = api_client().logout().await;
            go_to(LOGIN_PATH);
        });
    };
    user.get().map(|me| {
        view! {
                <div class="user-menu" data-testid="user-menu">
                    <span class="user-menu__name" title=me.name.clone()>{me.name.clone()}</span>
                    <span class="badge user-menu__role" data-testid="user-role">{me.role.as_str()}</span>
                    <button type="button" class="button button--ghost" on:click=sign_out
                        disabled=move || signing_out.get()>
                        "Sign out"
                    </button>
                </div>
        }
    })
}
