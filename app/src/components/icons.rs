//! The few inline SVG icons the UI uses (stroke icons, 24 px grid).

use leptos::prelude::*;

/// An icon by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// Tessera's mark: four tiles.
    Logo,
    /// Dashboard.
    Dashboard,
    /// Forecast.
    Forecast,
    /// Jobs.
    Jobs,
    /// Data (a database).
    Data,
    /// Upload (an arrow out of a tray).
    Upload,
    /// Admin.
    Admin,
    /// Menu (hamburger).
    Menu,
    /// Close (cross).
    Close,
    /// Follow the system theme.
    System,
    /// Light theme.
    Sun,
    /// Dark theme.
    Moon,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            Icon::Logo => "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
            Icon::Dashboard => "M3 13h8V3H3zM13 21h8V11h-8zM3 21h8v-6H3zM13 3v6h8V3z",
            Icon::Forecast => "M3 17l6-6 4 4 8-8M14 7h7v7",
            Icon::Jobs => "M4 6h16M4 12h10M4 18h7M17 15l2 2 3-4",
            Icon::Data => "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
            Icon::Upload => "M12 15V4M7 9l5-5 5 5M4 15v4a1 1 0 001 1h14a1 1 0 001-1v-4",
            Icon::Admin => "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z M9 12l2 2 4-4",
            Icon::Menu => "M4 7h16M4 12h16M4 17h16",
            Icon::Close => "M6 6l12 12M18 6L6 18",
            Icon::System => "M3 5h18v11H3zM8 20h8M12 16v4",
            Icon::Sun => "M12 8a4 4 0 100 8 4 4 0 000-8zM12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4",
            Icon::Moon => "M21 12.8A9 9 0 1111.2 3a7 7 0 009.8 9.8z",
        }
    }

    /// The icon as an inline SVG, hidden from assistive technology.
    pub fn view(self) -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"
                fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
                <path d=self.path()/>
            </svg>
        }
    }
}
