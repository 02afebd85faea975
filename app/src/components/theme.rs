//! Light / dark theme. The system setting rules by default; a choice made
//! with the toggle is kept in `localStorage` and applied as `data-theme` on
//! `<html>` (the boot script in the shell applies it before the first paint).

use leptos::prelude::*;

use super::icons::Icon;

/// The user's theme choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Follow the operating system.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The next choice when the toggle is pressed.
    pub fn next(self) -> Self {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    /// Reads a stored choice; anything unknown means the system setting.
    pub fn parse(stored: Option<&str>) -> Self {
        match stored {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }

    fn stored(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Theme::System => "Theme: system",
            Theme::Light => "Theme: light",
            Theme::Dark => "Theme: dark",
        }
    }

    fn icon(self) -> Icon {
        match self {
            Theme::System => Icon::System,
            Theme::Light => Icon::Sun,
            Theme::Dark => Icon::Moon,
        }
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Theme;

    const STORAGE_KEY: &str = "tessera-theme";

    pub fn load() -> Theme {
        let stored = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        Theme::parse(stored.as_deref())
    }

    pub fn apply(theme: Theme) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(root) = window.document().and_then(|d| d.document_element()) {
            let _ = match theme.stored() {
                Some(value) => root.set_attribute("data-theme", value),
                None => root.remove_attribute("data-theme"),
            };
        }
        if let Ok(Some(storage)) = window.local_storage() {
            let _ = match theme.stored() {
                Some(value) => storage.set_item(STORAGE_KEY, value),
                None => storage.remove_item(STORAGE_KEY),
            };
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    use super::Theme;

    pub fn load() -> Theme {
        Theme::System
    }

    pub fn apply(_theme: Theme) {}
}

/// A button cycling system → light → dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    // Server and first client render agree on `System`; the stored choice
    // is read once hydrated.
    let theme = RwSignal::new(Theme::System);
    Effect::new(move |_| theme.set(browser::load()));

    view! {
        <button
            type="button"
            class="icon-button theme-toggle"
            data-theme-choice=move || theme.get().stored().unwrap_or("system")
            title=move || theme.get().label()
            aria-label=move || theme.get().label()
            on:click=move |_| {
                let next = theme.get_untracked().next();
                theme.set(next);
                browser::apply(next);
            }
        >
            {move || theme.get().icon().view()}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::Theme;

    #[test]
    fn cycles_through_all_three_choices() {
        assert_eq!(Theme::System.next(), Theme::Light);
        assert_eq!(Theme::Light.next(), Theme::Dark);
        assert_eq!(Theme::Dark.next(), Theme::System);
    }

    #[test]
    fn unknown_stored_values_mean_system() {
        assert_eq!(Theme::parse(Some("dark")), Theme::Dark);
        assert_eq!(Theme::parse(Some("purple")), Theme::System);
        assert_eq!(Theme::parse(None), Theme::System);
    }
}
