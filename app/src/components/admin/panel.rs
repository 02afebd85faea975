//! The card around an admin list: title, notices, the list (or why it could
//! not be loaded) and the form that adds to it; and the list's table.

use std::future::Future;

use leptos::{children::ViewFnOnce, prelude::*};
use serde::{de::DeserializeOwned, Serialize};

use crate::{
    api::{api_client, ApiClient, ClientError},
    components::{card::LoadingCard, error_text::problem, form_error::FormError},
};

/// The list a panel shows, loaded again after every change to it.
#[derive(Debug)]
pub struct AdminList<T: Send + Sync + 'static> {
    items: Resource<Result<Vec<T>, ClientError>>,
    version: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for AdminList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for AdminList<T> {}

impl<T> AdminList<T>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    /// The list `fetch` returns.
    pub fn new<Fut>(fetch: fn(ApiClient) -> Fut) -> Self
    where
        Fut: Future<Output = Result<Vec<T>, ClientError>> + Send + 'static,
    {
        let client = api_client();
        let version = RwSignal::new(0u32);
        let items = Resource::new(move || version.get(), move |_| fetch(client.clone()));
        Self { items, version }
    }

    /// Fetches the list again, to show what the server now holds.
    pub fn reload(self) {
        self.version.update(|v| *v += 1);
    }

    /// The panel's content: `ok` draws the list; a failure is said in the
    /// API's words.
    pub fn content<V>(
        self,
        ok: impl Fn(Vec<T>) -> V + Send + Sync + 'static,
    ) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static
    where
        V: IntoView + 'static,
    {
        move || {
            self.items.get().map(|result| match result {
                Ok(list) => ok(list).into_any(),
                Err(e) => view! { <p class="form__error">{problem(&e)}</p> }.into_any(),
            })
        }
    }
}

/// An admin panel: a [`LoadingCard`] with a plain title and a "Loading…"
/// line until the list arrives.
#[component]
pub fn AdminPanel<C, V>(
    /// Names the title's id, `{name}-title`.
    name: &'static str,
    /// The panel's title.
    title: &'static str,
    /// Shown until the list arrives, e.g. "Loading users…".
    loading: &'static str,
    /// The list.
    content: C,
    /// The form below the list.
    #[prop(into)]
    form: ViewFnOnce,
    /// Why the last change to the list failed, if it did.
    error: Signal<Option<String>>,
    /// Notices between the title and the error.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView
where
    C: Fn() -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let title_id = format!("{name}-title");
    // Chosen whole, so a panel without notices has no placeholder for them.
    let notices = match children {
        Some(notices) => view! { {notices()}<FormError message=error/> }.into_any(),
        None => view! { <FormError message=error/> }.into_any(),
    };
    view! {
        <LoadingCard class="card" labelled_by=title_id.clone()
            fallback=move || view! { <p class="muted">{loading}</p> } content footer=form>
            <header class="card__header">
                <h2 id=title_id class="card__title">{title}</h2>
            </header>
            {notices}
        </LoadingCard>
    }
}

/// The table of an admin list: three columns and the row's actions.
#[component]
pub fn AdminTable(
    /// `data-testid` of the table.
    testid: &'static str,
    /// The headers of the three columns before the actions.
    columns: [&'static str; 3],
    /// The rows.
    children: Children,
) -> impl IntoView {
    let [first, second, third] = columns;
    view! {
        <div class="table-wrap">
            <table class="table" data-testid=testid>
                <thead><tr><th>{first}</th><th>{second}</th><th>{third}</th><th class="table__actions">"Actions"</th></tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
