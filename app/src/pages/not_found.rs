use crate::ui::layout::PageHeader;
use leptos::prelude::*;

/// Rendered for any path no route matches; answers with HTTP 404 on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <div class="mx-auto max-w-md py-16 text-center">
            <p class="text-sm font-semibold text-indigo-600 dark:text-indigo-400">"404"</p>
            <PageHeader title="Page not found" lead="The page you asked for does not exist or has moved."/>
            <a href="/" class="font-medium text-indigo-600 hover:underline dark:text-indigo-400">"Back to the home page"</a>
        </div>
    }
}
