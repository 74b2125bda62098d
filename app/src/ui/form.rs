use leptos::prelude::*;

/// A labelled input with an optional hint; the label is always visible and tied to
/// the input by id, so screen readers announce it.
#[component]
pub fn TextField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(optional, into)] input_type: Option<&'static str>,
    #[prop(optional, into)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    /// The value the field starts with (an edit form's current value).
    #[prop(optional, into)]
    value: Option<String>,
    #[prop(optional, into)] max_length: Option<usize>,
    /// The input's id when `field-{name}` is not unique on the page (one form per row).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let hint_id = format!("{id}-hint");
    let described_by = hint.as_ref().map(|_| hint_id.clone());
    view! {
        <div>
            <label for=id.clone() class="block text-sm font-medium text-slate-900 dark:text-slate-100">{label}</label>
            <input
                id=id
                name=name
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                required=required
                value=value
                maxlength=max_length
                aria-describedby=described_by
                class="mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 dark:bg-slate-900 dark:text-white dark:ring-slate-700"
            />
            {hint.map(|hint| view! { <p id=hint_id class="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p> })}
        </div>
    }
}

/// A checkbox with its label beside it.
#[component]
pub fn Checkbox(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(optional)] checked: bool,
    /// As for [`TextField`]: needed when the name repeats on the page.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    view! {
        <div class="flex items-center gap-2">
            <input id=id.clone() name=name type="checkbox" checked=checked class="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"/>
            <label for=id class="text-sm text-slate-700 dark:text-slate-300">{label}</label>
        </div>
    }
}

/// Several choices sent as one field: `name` carries the ticked `(value, label)`
/// options' values, comma-separated.
#[component]
pub fn CheckboxGroup(
    legend: &'static str,
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    #[prop(optional)] checked: Vec<String>,
) -> impl IntoView {
    let chosen = RwSignal::new(checked);
    let boxes = options
        .into_iter()
        .map(|(value, label)| {
            let id = format!("{name}-{value}");
            let ticked = chosen.with_untracked(|c| c.contains(&value));
            let toggled = value.clone();
            let toggle = move |on: bool| {
                chosen.update(|c| {
                    c.retain(|v| *v != toggled);
                    if on {
                        c.push(toggled.clone());
                    }
                })
            };
            view! {
                <div class="flex items-center gap-2">
                    <input id=id.clone() type="checkbox" value=value checked=ticked
                        class="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
                        on:change=move |ev| toggle(event_target_checked(&ev))/>
                    <label for=id class="text-sm text-slate-700 dark:text-slate-300">{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="space-y-2">
            <legend class="text-sm font-medium">{legend}</legend>
            {boxes}
            <input type="hidden" name=name prop:value=move || chosen.get().join(",")/>
        </fieldset>
    }
}

/// How many times an action has succeeded, from its `version()` and `value()`. A
/// resource keyed on it reloads after a successful submit but not after a failed one,
/// so a form that failed stays as typed beside its errors.
pub fn successes<O: Send + Sync + 'static>(
    version: RwSignal<usize>,
    value: impl Into<Signal<Option<Result<O, ServerFnError>>>>,
) -> Memo<usize> {
    let value = value.into();
    let counted = Memo::new(move |previous: Option<&(usize, usize)>| {
        let (seen, count) = previous.copied().unwrap_or((0, 0));
        let now = version.get();
        let ok = value.with(|r| matches!(r, Some(Ok(_))));
        match (now != seen, ok) {
            (true, true) => (now, count + 1),
            (true, false) => (now, count),
            (false, _) => (seen, count),
        }
    });
    Memo::new(move |_| counted.get().1)
}

/// What a failed server function says to the user: the server's own message, without
/// the framework's prefix.
pub fn error_text(e: &ServerFnError) -> String {
    match e {
        ServerFnError::ServerError(message) => message.clone(),
        other => other.to_string(),
    }
}

/// The error summary at the top of a form: the server's message, one line per field.
#[component]
pub fn FormError<T: Send + Sync + 'static>(
    #[prop(into)] result: Signal<Option<Result<T, ServerFnError>>>,
) -> impl IntoView {
    move || {
        result.with(|r| match r {
            Some(Err(e)) => {
                let text = error_text(e);
                Some(view! {
                    <div role="alert" class="rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200">
                        <p class="font-semibold">"Please check the form"</p>
                        <ul class="mt-1 list-inside list-disc">
                            {text.lines().map(|line| view! { <li>{line.to_string()}</li> }).collect_view()}
                        </ul>
                    </div>
                })
            }
            _ => None,
        })
    }
}
