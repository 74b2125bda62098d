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
    Effect::new(move |_| {
        let waiting = resource.with(|loaded| matches!(loaded, Some(Ok(value)) if busy(value)));
        if waiting {
            set_timeout(move || resource.refetch(), every);
        }
    });
}
