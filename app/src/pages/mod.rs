//! One module per page.

pub mod admin;
pub mod audit;
pub mod dashboard;
pub mod data;
pub mod forbidden;
pub mod forecast;
pub mod jobs;
pub mod login;
pub mod not_found;

use leptos::prelude::*;
use leptos_meta::Title;

/// The heading block every page starts with; also sets the document title.
#[component]
pub fn PageHeader(
    /// Page title.
    title: &'static str,
    /// One line under the title.
    subtitle: &'static str,
) -> impl IntoView {
    view! {
        <Title text=title/>
        <div class="page-header">
            <h1 class="page-header__title">{title}</h1>
            <p class="page-header__subtitle">{subtitle}</p>
        </div>
    }
}
