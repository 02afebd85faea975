//! The top bar: product name, navigation, theme switch. On a phone the
//! navigation folds behind a menu button.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{icons::Icon, theme::ThemeToggle, user_menu::UserMenu};
use crate::{access::page_minimum, session::use_current_user};

/// One entry of the main navigation.
struct NavItem {
    href: &'static str,
    label: &'static str,
    icon: Icon,
}

const NAV: [NavItem; 5] = [
    NavItem {
        href: "/",
        label: "Dashboard",
        icon: Icon::Dashboard,
    },
    NavItem {
        href: "/forecast",
        label: "Forecast",
        icon: Icon::Forecast,
    },
    NavItem {
        href: "/jobs",
        label: "Jobs",
        icon: Icon::Jobs,
    },
    NavItem {
        href: "/data",
        label: "Data",
        icon: Icon::Data,
    },
    NavItem {
        href: "/admin",
        label: "Admin",
        icon: Icon::Admin,
    },
];

/// The application header.
#[component]
pub fn Header() -> impl IntoView {
    let menu_open = RwSignal::new(false);
    let user = use_current_user();

    view! {
        <header class="header" class:header--open=move || menu_open.get()>
            <div class="header__inner">
                <A href="/" attr:class="brand" attr:aria-label="Tessera home">
                    <span class="brand__mark" aria-hidden="true">{Icon::Logo.view()}</span>
                    <span class="brand__name">"Tessera"</span>
                </A>
                <button
                    type="button"
                    class="icon-button header__menu"
                    aria-controls="main-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-label=move || if menu_open.get() { "Close menu" } else { "Open menu" }
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    {move || if menu_open.get() { Icon::Close.view() } else { Icon::Menu.view() }}
                </button>
                // Following a link closes the phone menu.
                <nav id="main-nav" class="nav" aria-label="Main" on:click=move |_| menu_open.set(false)>
                    {NAV
                        .iter()
                        .filter(|item| user.get().is_some() && user.may(page_minimum(item.href)))
                        .map(|item| {
                            view! {
                                <A href=item.href attr:class="nav__link" exact=item.href == "/">
                                    {item.icon.view()}
                                    <span>{item.label}</span>
                                </A>
                            }
                        })
                        .collect_view()}
                </nav>
                <div class="header__actions">
                    <UserMenu/>
                    <ThemeToggle/>
                </div>
            </div>
        </header>
    }
}
