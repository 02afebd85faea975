//! Tessera's browser entry point: hydrates the HTML the server rendered.
// The async hydration future nests the whole app's view type.
#![recursion_limit = "256"]

/// Called by the generated JS once the WASM module is loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Some routes are lazy-loaded WASM chunks (`cargo leptos build --split`):
    // hydration waits for the chunk of the page being hydrated.
    leptos::mount::hydrate_lazy(app::App);
}
