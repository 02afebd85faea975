//! The card around anything the UI loads from the API: the `<section>` with
//! its accessible name, the loading bar and `aria-busy` while a request is
//! under way, the placeholder until the first answer, the answer itself, and
//! what went wrong with a Retry button.

use leptos::{children::ViewFnOnce, prelude::*};

use super::error_text::card_message;
use crate::api::ClientError;

/// A card whose content loads. The content is read inside a `<Transition>`,
/// so a refetch keeps the previous content on screen.
#[component]
pub fn LoadingCard<C, V>(
    /// Classes of the `<section>`, e.g. `card dash-card`.
    class: &'static str,
    /// Id of the card's title (`aria-labelledby`).
    #[prop(into)]
    labelled_by: String,
    /// `data-testid` of the card, if it has one.
    #[prop(optional, into)]
    testid: Option<String>,
    /// Shows a loading bar and sets `aria-busy` while the content loads.
    #[prop(optional)]
    busy_bar: bool,
    /// Shown until the first answer has arrived.
    #[prop(into)]
    fallback: ViewFnOnce,
    /// The content.
    content: C,
    /// Shown below the content, e.g. a form.
    #[prop(optional, into)]
    footer: Option<ViewFnOnce>,
    /// Shown above the content: the header, and any notice.
    children: Children,
) -> impl IntoView
where
    C: Fn() -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let pending = RwSignal::new(false);
    // Optional parts are chosen whole (not as `Option`s, which would leave
    // an empty placeholder in the markup where they are absent).
    let top = if busy_bar {
        view! { <LoadingBar pending/>{children()} }.into_any()
    } else {
        children()
    };
    let body =
        view! { <Transition fallback set_pending=pending.write_only()>{content}</Transition> };
    let body = match footer {
        Some(footer) => view! { {body}{footer.run()} }.into_any(),
        None => body.into_any(),
    };
    view! {
        <section class=class data-testid=testid aria-labelledby=labelled_by
            aria-busy=move || busy_bar.then(|| pending.get().to_string())>
            {top}
            {body}
        </section>
    }
}

/// A loaded answer as a card shows it: `ok` draws the answer; a failure
/// says what went wrong, with a Retry button calling `retry`.
pub fn answer_or_retry<T, V>(
    answer: Result<T, ClientError>,
    retry: impl Fn() + Send + Sync + 'static,
    ok: impl FnOnce(T) -> V,
) -> AnyView
where
    V: IntoView + 'static,
{
    match answer {
        Ok(answer) => ok(answer).into_any(),
        Err(error) => view! { <CardError error on_retry=retry/> }.into_any(),
    }
}

/// A thin animated bar along the top of a card while it loads.
#[component]
pub fn LoadingBar(
    /// Whether a request is under way.
    pending: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="dash-loading" class:dash-loading--active=move || pending.get() aria-hidden="true"></div>
    }
}

/// What went wrong, readably, and a button to try again.
#[component]
pub fn CardError(
    /// The failure.
    error: ClientError,
    /// Called by the Retry button.
    on_retry: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let message = card_message(&error);
    view! {
        <div class="dash-error" role="alert" data-testid="widget-error">
            <span class="dash-error__icon" aria-hidden="true">"!"</span>
            <p class="dash-error__message">{message}</p>
            <button type="button" class="button button--ghost" data-testid="retry" on:click=move |_| on_retry()>
                "Retry"
            </button>
        </div>
    }
}
