//! In the browser, calls go out through the browser's own `fetch`: it keeps
//! the cookies, adds `Origin`, and the bundle needs no HTTP client. (The
//! upload with progress uses `XMLHttpRequest` instead: see `upload.rs`.)

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, Response};

use super::{call::Call, ClientError, Reply};

/// Aborts the request if the caller stops waiting for it (a resource that
/// refetches, a page left), as a dropped reqwest future did.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// Why the browser refused or failed a request, in its own words.
fn failed(error: JsValue) -> ClientError {
    let message = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the request failed".to_owned());
    ClientError::Network(message)
}

/// Sends `call` to `url` with `headers` and reads the whole answer.
pub(super) async fn send(
    url: String,
    call: Call,
    headers: Vec<(&'static str, String)>,
) -> Result<Reply, ClientError> {
    call.check()?;
    let init = RequestInit::new();
    init.set_method(call.method.as_str());
    let js_headers = Headers::new().map_err(failed)?;
    for (name, value) in &headers {
        js_headers.append(name, value).map_err(failed)?;
    }
    init.set_headers(&js_headers);
    if let Some(body) = &call.body {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    let mut abort = AbortOnDrop(AbortController::new().ok());
    if let Some(controller) = &abort.0 {
        init.set_signal(Some(&controller.signal()));
    }
    let request = Request::new_with_str_and_init(&url, &init).map_err(failed)?;
    let window = web_sys::window().ok_or_else(|| failed(JsValue::from_str("no window")))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(failed)?
        .unchecked_into();
    let status = response.status();
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?)
        .await
        .map_err(failed)?;
    // Answered in full: nothing left to abort.
    abort.0 = None;
    Ok(Reply {
        status,
        body: Uint8Array::new(&buffer).to_vec(),
    })
}
