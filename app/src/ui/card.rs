use leptos::prelude::*;

/// A bordered surface that groups related content under a heading.
#[component]
pub fn Card(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 class="text-base font-semibold text-slate-900 dark:text-white">{title}</h2>
            <div class="mt-3 text-sm text-slate-600 dark:text-slate-300">{children()}</div>
        </section>
    }
}
