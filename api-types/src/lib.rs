//! The types of Tessera's REST API (`/api/v1`): request and response bodies,
//! the codes they use, roles, and the shape of every error response.
//!
//! Serde only, so that the server (which produces them), the Leptos app and
//! any other Rust client (which consume them) share one definition without
//! pulling in a web stack. Every type is re-exported at the crate root; the
//! page → role table lives in [`access`].

/// An enum of API codes: serde names, `ALL`, `code()`, `label()` and
/// `from_code()`. Defined before the modules so that each can use it.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The API code, e.g. in query strings.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// A human-readable label.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses an API code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

pub mod access;
mod accounts;
mod analytics;
mod audit;
mod auth;
mod data;
mod error;
mod health;
mod jobs;
mod redacted;
mod upstream;

pub use accounts::*;
pub use analytics::*;
pub use audit::*;
pub use auth::*;
pub use data::*;
pub use error::*;
pub use health::*;
pub use jobs::*;
pub use upstream::*;
