//! Admin: the users table and the "add user" form.

use leptos::prelude::*;

use super::{
    form::{chosen_role, InlineForm, RoleField, RoleOptions, TextField},
    panel::{AdminList, AdminPanel, AdminTable},
};
use crate::{
    api::{NewUser, Role, UserChange, UserView},
    components::{api_action::api_action, error_text::problem_text},
};

/// The users section of the admin page.
#[component]
pub fn UsersPanel() -> impl IntoView {
    let users = AdminList::new(|client| async move { client.list_users().await });
    let change = api_action(move |client, (id, change): (i64, UserChange)| async move {
        let changed = client.change_user(id, &change).await;
        // Either way, show what the server now holds.
        users.reload();
        changed
    });
    let on_change = move |id: i64, user_change: UserChange| {
        change.dispatch((id, user_change));
    };
    let content = users.content(move |list| view! { <UsersTable users=list on_change/> });
    let form = move || view! { <NewUserForm on_created=move || users.reload()/> };

    view! {
        <AdminPanel name="users" title="Users" loading="Loading users…" content form
            error=problem_text(change)/>
    }
}

#[component]
fn UsersTable(
    users: Vec<UserView>,
    on_change: impl Fn(i64, UserChange) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <AdminTable testid="users-table" columns=["User", "Role", "Status"]>
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
        </AdminTable>
    }
}

#[component]
fn NewUserForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_owned());
    let password = RwSignal::new(String::new());
    let create = api_action(move |client, user: NewUser| async move {
        let created = client.create_user(&user).await;
        if created.is_ok() {
            for field in [email, name, password] {
                field.set(String::new());
            }
            on_created();
        }
        created
    });
    let submit = move |_| {
        create.dispatch(NewUser {
            email: email.get_untracked(),
            display_name: name.get_untracked(),
            role: chosen_role(role),
            password: password.get_untracked(),
        });
    };
    view! {
        <InlineForm title="Add a user" submit="Add user" on_submit=submit error=problem_text(create)>
            <TextField label="Email" kind="email" value=email/>
            <TextField label="Name" value=name/>
            <RoleField role/>
            <TextField label="Initial password" kind="password" autocomplete="new-password" value=password/>
        </InlineForm>
    }
}
