//! Leptos [`Action`]s around calls to the REST client: what the UI changes
//! (or asks for on demand) goes through one, so pending state comes from
//! [`Action::pending`] and the answer from [`Action::value`].

use std::future::Future;

use leptos::prelude::*;

use crate::api::{api_client, ApiClient};

/// An action that runs `call` with the API client of the current context
/// and the dispatched input.
pub fn api_action<I, O, Fut>(
    call: impl Fn(ApiClient, I) -> Fut + Send + Sync + 'static,
) -> Action<I, O>
where
    I: Clone + Send + Sync + 'static,
    O: Send + Sync + 'static,
    Fut: Future<Output = O> + Send + 'static,
{
    let client = api_client();
    Action::new(move |input: &I| call(client.clone(), input.clone()))
}
