//! Admin: service accounts, with the new secret shown once.

use leptos::{ev::SubmitEvent, prelude::*};

use super::admin_users::{problem, RoleOptions};
use crate::api::{api_client, CreatedServiceAccount, NewServiceAccount, Role, ServiceAccountView};

/// The service accounts section of the admin page.
#[component]
pub fn ServicesPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let accounts = Resource::new(
        move || version.get(),
        |_| {
            let client = api_client();
            async move { client.list_service_accounts().await }
        },
    );
    let created = RwSignal::new(None::<CreatedServiceAccount>);
    let error = RwSignal::new(None::<String>);
    let reload = move || version.update(|v| *v += 1);
    let revoke = move |id: i64| {
        leptos::task::spawn_local(async move {
            match api_client().revoke_service_account(id).await {
                Ok(_) => reload(),
                Err(e) => error.set(Some(problem(&e))),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="services-title">
            <header class="card__header">
                <h2 id="services-title" class="card__title">"Service accounts"</h2>
            </header>
            {move || created.get().map(|new| view! { <SecretOnce created=new on_close=move || created.set(None)/> })}
            <Show when=move || error.get().is_some()>
                <p class="form__error" role="alert">{move || error.get()}</p>
            </Show>
            <Transition fallback=|| view! { <p class="muted">"Loading service accounts…"</p> }>
                {move || accounts.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No service accounts yet."</p> }.into_any(),
                    Ok(list) => view! { <ServicesTable accounts=list on_revoke=revoke/> }.into_any(),
                    Err(e) => view! { <p class="form__error">{problem(&e)}</p> }.into_any(),
                })}
            </Transition>
            <NewServiceForm on_created=move |new| { created.set(Some(new)); reload(); }/>
        </section>
    }
}

#[component]
fn ServicesTable(
    accounts: Vec<ServiceAccountView>,
    on_revoke: impl Fn(i64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="services-table">
                <thead><tr><th>"Service"</th><th>"Role"</th><th>"Last used"</th><th class="table__actions">"Actions"</th></tr></thead>
                <tbody>
                    {accounts.into_iter().map(|account| {
                        let id = account.id;
                        view! {
                            <tr>
                                <td>
                                    <div class="table__primary">{account.name.clone()}</div>
                                    <div class="table__secondary"><code>{account.client_id.clone()}</code></div>
                                </td>
                                <td>{account.role.as_str()}</td>
                                <td class="table__secondary">{account.last_used_at.clone().map_or("never".to_owned(), |t| t.replace('T', " ").chars().take(16).collect())}</td>
                                <td class="table__actions">
                                    {if account.revoked {
                                        view! { <span class="badge badge--muted">"Revoked"</span> }.into_any()
                                    } else {
                                        view! { <button type="button" class="button button--danger" on:click=move |_| on_revoke(id)>"Revoke"</button> }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The new secret, with a copy button; it is not shown again.
#[component]
fn SecretOnce(
    created: CreatedServiceAccount,
    on_close: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let secret = created.client_secret.clone();
    let copy = move |_| {
        copy_to_clipboard(&secret);
        copied.set(true);
    };
    view! {
        <div class="secret" role="status" data-testid="new-secret">
            <p class="secret__title">{format!("Service account “{}” created", created.account.name)}</p>
            <p class="secret__hint">"Copy the secret now. It is shown only once and cannot be recovered."</p>
            <dl class="secret__values">
                <dt>"Client id"</dt><dd><code>{created.account.client_id.clone()}</code></dd>
                <dt>"Client secret"</dt><dd><code data-testid="secret-value">{created.client_secret.clone()}</code></dd>
            </dl>
            <div class="secret__actions">
                <button type="button" class="button button--primary" on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy secret" }}
                </button>
                <button type="button" class="button button--ghost" on:click=move |_| on_close()>"Done"</button>
            </div>
        </div>
    }
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

#[component]
fn NewServiceForm(
    on_created: impl Fn(CreatedServiceAccount) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_owned());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let account = NewServiceAccount {
            name: name.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Viewer),
        };
        leptos::task::spawn_local(async move {
            match api_client().create_service_account(&account).await {
                Ok(created) => {
                    name.set(String::new());
                    on_created(created);
                }
                Err(e) => error.set(Some(problem(&e))),
            }
        });
    };
    view! {
        <form class="form form--inline" on:submit=submit novalidate>
            <h3 class="form__title">"New service account"</h3>
            <label class="field"><span class="field__label">"Name"</span>
                <input class="field__input" bind:value=name required/></label>
            <label class="field"><span class="field__label">"Role"</span>
                <select class="field__input" bind:value=role>
                    <RoleOptions/>
                </select></label>
            <button type="submit" class="button button--primary">"Create"</button>
            <Show when=move || error.get().is_some()>
                <p class="form__error form__error--wide" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}
