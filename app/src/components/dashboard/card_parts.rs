//! Pieces inside the dashboard's cards: the content over one analytics
//! answer, the row with the stale-data badge above a chart or table, and the
//! message shown when there is no data.

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use crate::{
    api::{ClientError, Envelope},
    components::{card::answer_or_retry, stale_badge::StaleBadge},
};

/// The content of a card over one analytics resource: the stale-data row
/// and `body` drawing the data; or what went wrong, with a Retry button.
pub fn analytics_content<T, V>(
    resource: Resource<Result<Envelope<T>, ClientError>>,
    body: fn(T) -> V,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    move || {
        resource.get().map(|answer| {
            answer_or_retry(
                answer,
                move || resource.refetch(),
                |answer| {
                    view! {
                        <CardMeta stale=answer.meta.stale/>
                        {body(answer.data)}
                    }
                },
            )
        })
    }
}

/// The row above a card's chart or table, with the stale-data badge.
#[component]
pub fn CardMeta(
    /// `meta.stale` of the answer.
    stale: bool,
) -> impl IntoView {
    view! { <div class="dash-card__meta"><StaleBadge stale/></div> }
}

/// An empty-data message inside a card.
#[component]
pub fn EmptyData(
    /// What is missing.
    message: &'static str,
) -> impl IntoView {
    view! { <p class="dash-empty">{message}</p> }
}
