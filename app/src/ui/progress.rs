use leptos::prelude::*;

/// A determinate progress bar with its figure in words ("120 of 500 · 24 %"), so the
/// progress is read by screen readers and not shown by colour alone.
#[component]
pub fn ProgressBar(
    #[prop(into)] label: String,
    #[prop(into)] done: Signal<u32>,
    #[prop(into)] total: Signal<u32>,
) -> impl IntoView {
    let percent = move || {
        let total = total.get();
        if total == 0 {
            0
        } else {
            (u64::from(done.get().min(total)) * 100 / u64::from(total)) as u32
        }
    };
    view! {
        <div>
            <div class="flex justify-between text-sm">
                <span>{label.clone()}</span>
                <span data-testid="progress-text" class="tabular-nums">{move || format!("{} of {} · {} %", done.get(), total.get(), percent())}</span>
            </div>
            <div
                role="progressbar"
                aria-label=label
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent().to_string()
                class="mt-1 h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
            >
                <div class="h-2 rounded-full bg-indigo-600 transition-all" style=move || format!("width: {}%", percent())></div>
            </div>
        </div>
    }
}
