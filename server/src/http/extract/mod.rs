//! Extractors that turn bad input into [`ApiError`]s with the JSON shape.

use axum::{
    extract::FromRequest,
    response::{IntoResponse, Response},
};

use super::ApiError;

/// `axum::Json`, but a body that is not JSON, is malformed or has the wrong
/// shape is answered with a JSON error saying exactly what was wrong.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

pub mod auth;
