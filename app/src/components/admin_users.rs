//! Admin: the users table and the "add user" form.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::api::{api_client, ClientError, NewUser, Role, UserChange, UserView};

/// What went wrong, for a person: the API's message, first letter capitalised.
pub fn problem(error: &ClientError) -> String {
    let text = describe(error);
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn describe(error: &ClientError) -> String {
    match error {
        ClientError::Api { body, .. } => match &body.fields {
            Some(fields) if !fields.is_empty() => fields
                .iter()
                .map(|(field, why)| format!("{} {why}", field.replace('_', " ")))
                .collect::<Vec<_>>()
                .join("; "),
            _ => body.message.clone(),
        },
        other => other.to_string(),
    }
}

/// One `<option>` per role, `selected` marking the current one.
#[component]
pub fn RoleOptions(
    /// The role to pre-select, if any.
    #[prop(optional)]
    selected: Option<Role>,
) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str() selected=Some(role) == selected>{role.as_str()}</option> })
        .collect_view()
}

/// The users section of the admin page.
#[component]
pub fn UsersPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let users = Resource::new(
        move || version.get(),
        |_| {
            let client = api_client();
            async move { client.list_users().await }
        },
    );
    let error = RwSignal::new(None::<String>);
    let reload = move || version.update(|v| *v += 1);

    let change = move |id: i64, change: UserChange| {
        error.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = api_client().change_user(id, &change).await {
                error.set(Some(problem(&e)));
            }
            // Either way, show what the server now holds.
            reload();
        });
    };

    view! {
        <section class="card" aria-labelledby="users-title">
            <header class="card__header">
                <h2 id="users-title" class="card__title">"Users"</h2>
            </header>
            <Show when=move || error.get().is_some()>
                <p class="form__error" role="alert">{move || error.get()}</p>
            </Show>
            <Transition fallback=|| view! { <p class="muted">"Loading users…"</p> }>
                {move || users.get().map(|result| match result {
                    Ok(list) => view! { <UsersTable users=list on_change=change/> }.into_any(),
                    Err(e) => view! { <p class="form__error">{problem(&e)}</p> }.into_any(),
                })}
            </Transition>
            <NewUserForm on_created=reload/>
        </section>
    }
}

#[component]
fn UsersTable(
    users: Vec<UserView>,
    on_change: impl Fn(i64, UserChange) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="users-table">
                <thead><tr><th>"User"</th><th>"Role"</th><th>"Status"</th><th class="table__actions">"Actions"</th></tr></thead>
                <tbody>
                    {users.into_iter().map(|user| {
                        let id = user.id;
                        let disabled = user.disabled;
                        view! {
                            <tr>
                                <td>
                                    <div class="table__primary">{user.display_name.clone()}</div>
                                    <div class="table__secondary">{user.email.clone()}</div>
                                </td>
                                <td>
                                    <select class="field__input field__input--compact" aria-label=format!("Role of {}", user.email)
                                        on:change=move |ev| {
                                            if let Ok(role) = Role::parse(&event_target_value(&ev)) {
                                                on_change(id, UserChange { role: Some(role), disabled: None });
                                            }
                                        }>
                                        <RoleOptions selected=user.role/>
                                    </select>
                                </td>
                                <td>
                                    <span class="badge" class:badge--muted=disabled>{if disabled { "Disabled" } else { "Active" }}</span>
                                </td>
                                <td class="table__actions">
                                    <button type="button" class="button button--ghost"
                                        on:click=move |_| on_change(id, UserChange { role: None, disabled: Some(!disabled) })>
                                        {if disabled { "Enable" } else { "Disable" }}
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn NewUserForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_owned());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let user = NewUser {
            email: email.get_untracked(),
            display_name: name.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Viewer),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api_client().create_user(&user).await {
                Ok(_) => {
                    for field in [email, name, password] {
                        field.set(String::new());
                    }
                    on_created();
                }
                Err(e) => error.set(Some(problem(&e))),
            }
        });
    };
    view! {
        <form class="form form--inline" on:submit=submit novalidate>
            <h3 class="form__title">"Add a user"</h3>
            <label class="field"><span class="field__label">"Email"</span>
                <input class="field__input" type="email" bind:value=email required/></label>
            <label class="field"><span class="field__label">"Name"</span>
                <input class="field__input" bind:value=name required/></label>
            <label class="field"><span class="field__label">"Role"</span>
                <select class="field__input" bind:value=role>
                    <RoleOptions/>
                </select></label>
            <label class="field"><span class="field__label">"Initial password"</span>
                <input class="field__input" type="password" autocomplete="new-password" bind:value=password required/></label>
            <button type="submit" class="button button--primary">"Add user"</button>
            <Show when=move || error.get().is_some()>
                <p class="form__error form__error--wide" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}
