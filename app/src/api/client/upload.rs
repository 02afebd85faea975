//! The browser's upload of an import with progress: `fetch` cannot report
//! how much of a request body has been sent, so the file goes through an
//! `XMLHttpRequest`, whose `upload.onprogress` does. The browser adds the
//! cookies and the same-origin headers the server's CSRF check reads, as
//! it does for every other call.

use std::future::Future;

use api_types::{ImportMode, ImportView};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{File, FormData, ProgressEvent, XmlHttpRequest};

use super::{
    data::{upload_answer, FILE_PART},
    send, ApiClient, ClientError,
};

/// How much of an upload has been sent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UploadProgress {
    /// Bytes sent so far.
    pub sent: f64,
    /// Bytes to send (the request body).
    pub total: f64,
}

impl UploadProgress {
    /// Sent, percent (0–100).
    pub fn percent(self) -> f64 {
        if self.total > 0.0 {
            (self.sent / self.total * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        }
    }
}

impl ApiClient {
    /// `POST /api/v1/data/imports?mode=…` with `file` (the browser's pick),
    /// calling `on_progress` as the body goes out. Answers as
    /// [`ApiClient::upload_import`] does natively.
    /// The future is `Send` (the browser is single-threaded), so a Leptos
    /// `Action` can run it.
    pub fn upload_import_with_progress(
        &self,
        file: File,
        mode: ImportMode,
        on_progress: impl Fn(UploadProgress) + 'static,
    ) -> impl Future<Output = Result<ImportView, ClientError>> + Send + 'static {
        let client = self.clone();
        send(async move { client.xhr_upload(&file, mode, on_progress).await })
    }

    async fn xhr_upload(
        &self,
        file: &File,
        mode: ImportMode,
        on_progress: impl Fn(UploadProgress) + 'static,
    ) -> Result<ImportView, ClientError> {
        let failed = |e: JsValue| ClientError::Network(format!("{e:?}"));
        let xhr = XmlHttpRequest::new().map_err(failed)?;
        xhr.open_with_async("POST", &self.imports_url(mode), true)
            .map_err(failed)?;
        xhr.set_request_header("Accept", "application/json")
            .map_err(failed)?;
        if let Some(token) = &self.bearer {
            xhr.set_request_header("Authorization", &format!("Bearer {token}"))
                .map_err(failed)?;
        }
        let form = FormData::new().map_err(failed)?;
        form.append_with_blob_and_filename(FILE_PART, file, &file.name())
            .map_err(failed)?;

        // Kept alive until the request has ended, then dropped.
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
            if ev.length_computable() {
                on_progress(UploadProgress {
                    sent: ev.loaded(),
                    total: ev.total(),
                });
            }
        });
        xhr.upload()
            .map_err(failed)?
            .set_onprogress(Some(progress.as_ref().unchecked_ref()));

        // `loadend` fires exactly once: after a load, an error or an abort.
        let ended = js_sys::Promise::new(&mut |resolve, _reject| {
            let done = Closure::once_into_js(move || {
                let _ = resolve.call0(&JsValue::NULL);
            });
            xhr.set_onloadend(Some(done.unchecked_ref()));
        });
        xhr.send_with_opt_form_data(Some(&form)).map_err(failed)?;
        wasm_bindgen_futures::JsFuture::from(ended)
            .await
            .map_err(failed)?;
        drop(progress);

        let status = xhr.status().map_err(failed)?;
        if status == 0 {
            return Err(ClientError::Network(
                "the upload was interrupted (connection lost or refused)".into(),
            ));
        }
        let text = xhr.response_text().map_err(failed)?.unwrap_or_default();
        upload_answer(status, text.as_bytes())
    }
}
