//! The dimension catalog: every region and category the data holds, with
//! its completed orders, most first.

use leptos::prelude::*;

use super::use_data_page;
use crate::{
    api::{api_client, DimensionValue, Dimensions},
    components::{
        card::{answer_or_retry, LoadingCard},
        format::count,
        skeleton::Skeleton,
    },
};

/// Values listed per dimension before "and N more".
const SHOWN: usize = 30;

/// The catalog card.
#[component]
pub fn CatalogCard() -> impl IntoView {
    let page = use_data_page();
    let client = api_client();
    let catalog = Resource::new(
        move || page.version.get(),
        move |_| {
            let client = client.clone();
            async move { client.dimensions().await }
        },
    );
    let content = move || {
        catalog.get().map(|answer| {
            answer_or_retry(answer, move || catalog.refetch(), |d: Dimensions| {
                view! {
                    <p class="dash-card__subtitle data-catalog__version">
                        {format!("Dataset version {}", d.dataset_version)}
                    </p>
                    <div class="data-catalog__lists">
                        <ValueList title="Regions" testid="catalog-regions" values=d.regions/>
                        <ValueList title="Categories" testid="catalog-categories" values=d.categories/>
                    </div>
                }
            })
        })
    };
    view! {
        <LoadingCard class="card dash-card data-catalog" testid="catalog" labelled_by="catalog-title" busy_bar=true
            fallback=|| view! { <Skeleton class="skeleton--chart"/> } content>
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="catalog-title" class="card__title">"Regions and categories"</h2>
                    <p class="dash-card__subtitle">"As the data holds them: these are the dashboard's filter choices."</p>
                </div>
            </header>
        </LoadingCard>
    }
}

#[component]
fn ValueList(
    title: &'static str,
    testid: &'static str,
    values: Vec<DimensionValue>,
) -> impl IntoView {
    let most = values.iter().map(|v| v.orders).max().unwrap_or(0).max(1) as f64;
    let total = values.len();
    let more = total.saturating_sub(SHOWN);
    let items = values
        .into_iter()
        .take(SHOWN)
        .map(|v| {
            let share = format!("{:.1}", v.orders as f64 / most * 100.0);
            let value = v.value.clone();
            view! {
                <li class="data-catalog__item" data-testid="catalog-value" data-value=value>
                    <span class="data-catalog__value">{v.value}</span>
                    <span class="data-catalog__orders">{count(v.orders as f64)}</span>
                    <svg class="data-catalog__bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect class="bars__bg" x="0" y="0" width="100" height="4" rx="2"/>
                        <rect class="bars__bar" x="0" y="0" width=share height="4" rx="2"/>
                    </svg>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="data-catalog__list" aria-label=title data-testid=testid>
            <h3 class="data-catalog__title">{title}<span class="badge badge--muted">{total.to_string()}</span></h3>
            {if total == 0 {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! { <ul class="data-catalog__items">{items}</ul> }.into_any()
            }}
            {(more > 0).then(|| view! { <p class="muted">{format!("…and {more} more.")}</p> })}
        </section>
    }
}
