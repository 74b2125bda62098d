use crate::model::system::Health;
use leptos::prelude::*;

/// Asks the server whether it and its database answer; the home page's status check.
#[server(prefix = "/api/fn", endpoint = "system_status")]
pub async fn system_status() -> Result<Health, ServerFnError> {
    let state = use_context::<crate::backend::AppState>()
        .ok_or_else(|| ServerFnError::new("no request context"))?;
    crate::backend::services::health::check(&state.db)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}
