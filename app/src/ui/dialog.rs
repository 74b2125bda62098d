use crate::ui::button::{Button, ButtonKind};
use leptos::prelude::*;

/// A confirmation dialog for destructive or weighty actions: a button opens a native
/// `<dialog>` modally (the browser keeps focus inside and Esc closes it). `children` is
/// the form that does the work; the dialog closes itself once `done` changes (an
/// action's `version()`), and "Cancel" closes it without doing anything.
#[component]
pub fn Dialog(
    /// The label of the button that opens the dialog.
    #[prop(into)]
    open_label: String,
    #[prop(into)] title: String,
    #[prop(optional)] kind: ButtonKind,
    #[prop(optional, into)] done: Option<Signal<usize>>,
    /// The heading's id when the title repeats on the page (a dialog per table row).
    #[prop(optional, into)]
    id: Option<String>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let heading_id = id.unwrap_or_else(|| {
        format!(
            "dialog-{}",
            title
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("-")
        )
    });
    let labelled_by = heading_id.clone();
    if let Some(done) = done {
        Effect::new(move |previous: Option<usize>| {
            let version = done.get();
            if previous.is_some_and(|p| p != version) {
                if let Some(dialog) = dialog.get() {
                    dialog.close();
                }
            }
            version
        });
    }
    let open = Callback::new(move |()| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    });
    let close = Callback::new(move |()| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    });
    view! {
        <Button kind on_click=open>{open_label.clone()}</Button>
        <dialog
            node_ref=dialog
            aria-labelledby=labelled_by
            class="w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
        >
            <h2 id=heading_id class="text-base font-semibold">{title}</h2>
            <div class="mt-3 text-sm">{children()}</div>
            <div class="mt-3 flex justify-end">
                <Button kind=ButtonKind::Secondary on_click=close>"Cancel"</Button>
            </div>
        </dialog>
    }
}
