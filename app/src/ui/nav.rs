//! Section menus (account pages, admin console): links that mark the page you are on
//! with `aria-current="page"`, which screen readers announce and the style highlights.

use leptos::prelude::*;

/// A menu link, current when the path is `href` or, with `prefix`, starts with it.
#[component]
pub fn NavLink(
    href: &'static str,
    label: &'static str,
    #[prop(optional)] prefix: Option<&'static str>,
) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let current = move || {
        let path = location.pathname.get();
        let here = path == href || prefix.is_some_and(|p| path.starts_with(p));
        here.then_some("page")
    };
    view! {
        <a href=href aria-current=current
            class="block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-200 aria-[current=page]:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white">
            {label}
        </a>
    }
}
