//! Pages whose data a background job is still changing (a delivery, an export) look
//! again on their own until it is done.

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use std::time::Duration;

/// Reloads `resource` every `every` for as long as its loaded value is `busy`.
pub fn refetch_while<V>(
    resource: Resource<Result<V, ServerFnError>>,
    every: Duration,
    busy: impl Fn(&V) -> bool + Send + Sync + 'static,
) where
    V: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    again_while(
        Signal::derive(move || resource.get()),
        every,
        busy,
        move || resource.refetch(),
    );
}

/// Calls `again` every `every` for as long as `shown` holds a value that is `busy`:
/// for data that is not a resource of its own (`ui::preloaded`), `again` moves its key.
pub fn again_while<V>(
    shown: Signal<Option<Result<V, ServerFnError>>>,
    every: Duration,
    busy: impl Fn(&V) -> bool + Send + Sync + 'static,
    again: impl Fn() + Copy + 'static,
) where
    V: Send + Sync + 'static,
{
    Effect::new(move |_| {
        let waiting = shown.with(|loaded| matches!(loaded, Some(Ok(value)) if busy(value)));
        if waiting {
            set_timeout(again, every);
        }
    });
}
