//! Data tables: the bordered box that loads a page of rows (with its loading, empty
//! and error states), the column headings, and the pager under the rows. Every list
//! in the app renders through these, so they look and behave alike.

use crate::model::page::Page;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::form::error_text;
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Cell padding shared by headings and rows.
pub const CELL: &str = "px-4 py-3";
/// A right-aligned cell for amounts and counts.
pub const NUMBER: &str = "px-4 py-3 text-right tabular-nums";

/// One column heading.
#[derive(Clone, Copy)]
pub struct Column {
    label: &'static str,
    numeric: bool,
    hidden: bool,
}

impl Column {
    pub const fn new(label: &'static str) -> Self {
        Self {
            label,
            numeric: false,
            hidden: false,
        }
    }
    /// Right-aligned, like the amounts below it.
    pub const fn numeric(label: &'static str) -> Self {
        Self {
            label,
            numeric: true,
            hidden: false,
        }
    }
    /// Named for screen readers only (a column of buttons).
    pub const fn hidden(label: &'static str) -> Self {
        Self {
            label,
            numeric: false,
            hidden: true,
        }
    }
}

/// A table with its headings; `children` are the `<tr>` rows.
#[component]
pub fn Table(
    testid: &'static str,
    columns: &'static [Column],
    children: Children,
) -> impl IntoView {
    view! {
        <table data-testid=testid class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
            <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                <tr>
                    {columns.iter().map(|c| {
                        let class = if c.numeric { NUMBER } else { CELL };
                        let label = if c.hidden {
                            view! { <span class="sr-only">{c.label}</span> }.into_any()
                        } else {
                            c.label.into_any()
                        };
                        view! { <th scope="col" class=class>{label}</th> }
                    }).collect_view()}
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{children()}</tbody>
        </table>
    }
}

/// The box around a list that loads: "Loading…", then the rows, an empty state or the
/// error. With a `cursor` the pager follows the rows and moves it. `rows` is a resource
/// read (`Signal::derive(move || resource.get())`) or `ui::preloaded`.
#[component]
pub fn PagedTable<T, R, V>(
    rows: Signal<Option<Result<Page<T>, ServerFnError>>>,
    loading: &'static str,
    empty: &'static str,
    empty_testid: &'static str,
    #[prop(optional)] cursor: Option<RwSignal<Option<String>>>,
    render: R,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(Vec<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <Transition fallback=move || view! { <p class="p-6 text-slate-500 dark:text-slate-400">{loading}</p> }>
                {
                    let render = render.clone();
                    move || rows.get().map(|result| match result {
                        Ok(page) if page.data.is_empty() => view! {
                            <p data-testid=empty_testid class="p-6 text-slate-600 dark:text-slate-300">{empty}</p>
                        }.into_any(),
                        Ok(page) => view! {
                            {render(page.data)}
                            {cursor.map(|cursor| view! {
                                <div class="px-4 pb-4">
                                    <Pager prev=page.meta.prev_cursor next=page.meta.next_cursor total=page.meta.total count=page.meta.count cursor/>
                                </div>
                            })}
                        }.into_any(),
                        Err(e) => view! { <p role="alert" class="p-6 text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
                    })
                }
            </Transition>
        </div>
    }
}

/// Pagination under a list: "Previous" and "Next" follow the page's cursors.
#[component]
pub fn Pager(
    prev: Option<String>,
    next: Option<String>,
    total: u64,
    count: u64,
    cursor: RwSignal<Option<String>>,
) -> impl IntoView {
    let has_prev = prev.is_some();
    let has_next = next.is_some();
    view! {
        <div class="mt-4 flex items-center justify-between gap-3 text-sm">
            <p class="text-slate-600 dark:text-slate-400">{format!("{count} shown of {total}")}</p>
            <div class="flex gap-2">
                {has_prev.then(|| view! {
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| cursor.set(prev.clone()))>"Previous"</Button>
                })}
                {has_next.then(|| view! {
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| cursor.set(next.clone()))>"Next"</Button>
                })}
            </div>
        </div>
    }
}
