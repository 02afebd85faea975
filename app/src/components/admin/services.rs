//! Admin: service accounts, with the new secret shown once.

use leptos::prelude::*;

use super::{
    form::{chosen_role, InlineForm, RoleField, TextField},
    panel::{AdminList, AdminPanel, AdminTable},
    secret::SecretOnce,
};
use crate::{
    api::{CreatedServiceAccount, NewServiceAccount, ServiceAccountView},
    components::{api_action::api_action, error_text::problem_text},
};

/// The service accounts section of the admin page.
#[component]
pub fn ServicesPanel() -> impl IntoView {
    let accounts = AdminList::new(|client| async move { client.list_service_accounts().await });
    let created = RwSignal::new(None::<CreatedServiceAccount>);
    let revoke = api_action(move |client, id: i64| async move {
        let revoked = client.revoke_service_account(id).await;
        if revoked.is_ok() {
            accounts.reload();
        }
        revoked
    });
    let on_revoke = move |id: i64| {
        revoke.dispatch(id);
    };
    let content = accounts.content(move |list| {
        if list.is_empty() {
            view! { <p class="muted">"No service accounts yet."</p> }.into_any()
        } else {
            view! { <ServicesTable accounts=list on_revoke/> }.into_any()
        }
    });
    let on_created = move |new| {
        created.set(Some(new));
        accounts.reload();
    };
    let form = move || view! { <NewServiceForm on_created/> };

    view! {
        <AdminPanel name="services" title="Service accounts" loading="Loading service accounts…" content form
            error=problem_text(revoke)>
            {move || created.get().map(|new| view! { <SecretOnce created=new on_close=move || created.set(None)/> })}
        </AdminPanel>
    }
}

#[component]
fn ServicesTable(
    accounts: Vec<ServiceAccountView>,
    on_revoke: impl Fn(i64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <AdminTable testid="services-table" columns=["Service", "Role", "Last used"]>
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
        </AdminTable>
    }
}

#[component]
fn NewServiceForm(
    on_created: impl Fn(CreatedServiceAccount) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_owned());
    let create = api_action(move |client, account: NewServiceAccount| async move {
        let created = client.create_service_account(&account).await;
        if let Ok(new) = &created {
            name.set(String::new());
            on_created(new.clone());
        }
        created
    });
    let submit = move |_| {
        create.dispatch(NewServiceAccount {
            name: name.get_untracked(),
            role: chosen_role(role),
        });
    };
    view! {
        <InlineForm title="New service account" submit="Create" on_submit=submit error=problem_text(create)>
            <TextField label="Name" value=name/>
            <RoleField role/>
        </InlineForm>
    }
}
