use leptos::prelude::*;

/// A status label. The colour follows the meaning; the text always says it too.
#[component]
pub fn Badge(#[prop(into)] status: String) -> impl IntoView {
    let tone = match status.as_str() {
        "active" | "paid" | "default" | "valid" | "enabled" | "succeeded" | "sent" => {
            "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100"
        }
        "trialing" | "open" | "paused" | "pending" | "queued" => {
            "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100"
        }
        "past_due" | "canceled" | "uncollectible" | "suspended" | "expired" | "failed"
        | "disabled" => "bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-100",
        _ => "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
    };
    let label = status.replace('_', " ");
    view! {
        <span class=format!("inline-block rounded px-2 py-0.5 text-xs font-medium {tone}")>{label}</span>
    }
}
