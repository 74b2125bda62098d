//! A part of a page that starts from data its page's own resource already brought.
//!
//! On the server, `Suspense` builds its children more than once: a walk that finds
//! the resources to wait for, then the render. A resource created inside a dashboard
//! page's content is therefore fetched, and serialized into the HTML, once per build.
//! So a page's resource brings what its parts show first, and a part asks for more
//! only from the browser, once the visitor filters, pages or acts.

use leptos::prelude::*;
use std::future::Future;

/// What a part shows: `first` (a value, or why it could not be loaded) until `key`
/// differs from what it was when the part was built, and from then on (even if `key`
/// comes back to its first value, since the data may have changed) what `fetch` returns
/// for the current key. The server never runs `fetch`.
pub fn preloaded<T, K, Fut>(
    first: Result<T, ServerFnError>,
    key: impl Fn() -> K + Send + Sync + 'static,
    fetch: impl Fn(K) -> Fut + 'static,
) -> Signal<Option<Result<T, ServerFnError>>>
where
    T: Clone + Send + Sync + 'static,
    K: PartialEq + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ServerFnError>> + 'static,
{
    let key = std::sync::Arc::new(key);
    let initial = untrack(|| key());
    let live = Memo::new({
        let key = key.clone();
        move |was: Option<&bool>| was.copied().unwrap_or(false) || key() != initial
    });
    let fetched = LocalResource::new({
        let first = first.clone();
        move || {
            let asked = live.get().then(|| fetch(key()));
            let first = first.clone();
            async move {
                match asked {
                    Some(fetching) => fetching.await,
                    None => first,
                }
            }
        }
    });
    Signal::derive(move || {
        if live.get() {
            fetched.get()
        } else {
            Some(first.clone())
        }
    })
}
