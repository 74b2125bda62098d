use leptos::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ButtonKind {
    #[default]
    Primary,
    Secondary,
    Danger,
}

impl ButtonKind {
    fn classes(self) -> &'static str {
        match self {
            ButtonKind::Primary => "bg-indigo-600 text-white hover:bg-indigo-500 focus-visible:outline-indigo-600",
            ButtonKind::Secondary => "bg-white text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-indigo-600 dark:bg-slate-800 dark:text-white dark:ring-slate-600 dark:hover:bg-slate-700",
            ButtonKind::Danger => "bg-rose-600 text-white hover:bg-rose-500 focus-visible:outline-rose-600",
        }
    }
}

/// A button with a pending state: while `pending` is true it is disabled and says so,
/// so a request cannot be sent twice by an impatient click.
#[component]
pub fn Button(
    #[prop(optional)] kind: ButtonKind,
    #[prop(into, optional)] pending: Signal<bool>,
    #[prop(optional, into)] pending_label: Option<&'static str>,
    #[prop(optional, into)] button_type: Option<&'static str>,
    #[prop(optional, into)] on_click: Option<Callback<()>>,
    children: ChildrenFn,
) -> impl IntoView {
    let class = format!(
        "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-semibold shadow-sm \
         focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60 {}",
        kind.classes()
    );
    view! {
        <button
            type=button_type.unwrap_or("button")
            class=class
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            on:click=move |_| {
                if let Some(cb) = on_click {
                    cb.run(());
                }
            }
        >
            {move || match (pending.get(), pending_label) {
                (true, Some(label)) => label.into_any(),
                _ => children().into_any(),
            }}
        </button>
    }
}
