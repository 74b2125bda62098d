//! `/admin/audit-log`: every audited action, newest first, filtered by action, target
//! and actor, page by page.

use crate::api::admin::admin_audit_log;
use crate::pages::admin::{AdminFrame, INPUT};
use crate::pages::admin_user::AuditList;
use crate::ui::form::error_text;
use crate::ui::layout::PageHeader;
use crate::ui::table::Pager;
use leptos::prelude::*;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let action = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    let entries = Resource::new(
        move || (action.get(), target.get(), actor.get(), cursor.get()),
        |(action, target, actor, cursor)| admin_audit_log(action, target, actor, cursor),
    );
    let filter = move |signal: RwSignal<String>, value: String| {
        cursor.set(None);
        signal.set(value.trim().to_string());
    };
    let text_filter = move |id: &'static str,
                            label: &'static str,
                            hint: &'static str,
                            signal: RwSignal<String>| {
        view! {
            <div>
                <label for=id class="block text-sm font-medium">{label}</label>
                <input id=id type="search" class=INPUT placeholder=hint autocomplete="off" maxlength="100"
                    on:input=move |ev| filter(signal, event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <PageHeader title="Audit log" lead="Every admin action and every audited change, as recorded. Entries are never changed or removed."/>
        <AdminFrame>
            <form role="search" class="grid gap-3 sm:grid-cols-3" on:submit=|ev| ev.prevent_default()>
                {text_filter("audit-action", "Action", "user.suspended", action)}
                {text_filter("audit-target", "Target id", "A user, plan, coupon … id", target)}
                {text_filter("audit-actor", "Actor id", "The user who acted", actor)}
            </form>
            <div class="mt-6 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900">
                <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading entries…"</p> }>
                    {move || entries.get().map(|result| match result {
                        Ok(page) => view! {
                            <AuditList entries=page.data/>
                            <Pager prev=page.meta.prev_cursor next=page.meta.next_cursor total=page.meta.total count=page.meta.count cursor/>
                        }.into_any(),
                        Err(e) => view! { <p role="alert" class="text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
                    })}
                </Transition>
            </div>
        </AdminFrame>
    }
}
