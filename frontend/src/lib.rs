#![cfg(target_arch = "wasm32")]
//! Entry point of the wasm bundle: hydrates the server-rendered HTML.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panics show up in the browser console with a stack instead of "unreachable".
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Marks the page as interactive, for browser tests and for CSS that should only
    // apply once event handlers are attached.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
