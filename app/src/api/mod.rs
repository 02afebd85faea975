//! The REST API as the app sees it: the API's types (from the `api-types`
//! crate, re-exported here so `crate::api::X` names them) and the typed
//! client.

mod client;
mod context;
mod rendered_for;

pub use api_types::*;
#[cfg(feature = "hydrate")]
pub use client::UploadProgress;
pub use client::{ApiClient, ClientError};
pub use context::api_client;
pub use rendered_for::{RenderedFor, RENDERED_FOR_IP_HEADER, RENDER_KEY_HEADER};
