#![cfg(target_arch = "wasm32")]
//! Entry point of the wasm bundle: hydrates the server-rendered HTML.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panics show up in the browser console with a stack instead of "unreachable".
    console_error_panic_hook::set_once();
    // Asynchronous hydration: a page on a lazy route (app::routes) waits for its own
    // wasm before it is hydrated (the synchronous `hydrate_body` refuses lazy routes).
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // Marks the page as interactive, for browser tests and for CSS that should only
        // apply once event handlers are attached.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
