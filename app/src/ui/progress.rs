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
            // A native <progress>: its role and value need no script and no inline
            // style (the page's CSP allows neither).
            <progress
                aria-label=label
                max="100"
                value=move || percent().to_string()
                class="mt-1 h-2 w-full overflow-hidden rounded-full accent-indigo-600"
            >
                {move || format!("{} %", percent())}
            </progress>
        </div>
    }
}
