//! `/admin`: the console's users table (search as you type, status and role filters,
//! cursor pagination) and the navigation shared by every admin page.

use crate::api::admin::{admin_users, PLATFORM_ROLES};
use crate::model::user::User;
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::form::error_text;
use crate::ui::format::date;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

pub const SELECT: &str = "mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 dark:bg-slate-900 dark:text-white dark:ring-slate-700";
pub const INPUT: &str = SELECT;
pub const LINK: &str = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

/// The console's sections, beside every admin page on wide screens.
#[component]
pub fn AdminNav() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let link = move |href: &'static str, label: &'static str| {
        let current = move || {
            let path = location.pathname.get();
            let here = path == href
                || (href == "/admin" && path.starts_with("/admin/users"))
                || (href == "/admin/plans" && path.starts_with("/admin/plans/"));
            here.then_some("page")
        };
        view! {
            <a href=href aria-current=current
                class="block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-200 aria-[current=page]:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white">
                {label}
            </a>
        }
    };
    view! {
        <nav aria-label="Admin console" class="flex gap-1 overflow-x-auto lg:w-48 lg:shrink-0 lg:flex-col">
            {link("/admin", "Users")}
            {link("/admin/plans", "Plans")}
            {link("/admin/coupons", "Coupons")}
            {link("/admin/invoices", "Invoices")}
            {link("/admin/gift-cards", "Gift cards")}
            {link("/admin/audit-log", "Audit log")}
        </nav>
    }
}

/// The frame of an admin page: the section menu and the content beside it.
#[component]
pub fn AdminFrame(children: Children) -> impl IntoView {
    view! {
        <div class="flex flex-col gap-6 lg:flex-row">
            <AdminNav/>
            <div class="min-w-0 flex-1">{children()}</div>
        </div>
    }
}

/// Pagination under a table: "Previous" and "Next" follow the page's cursors.
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

#[component]
pub fn AdminHome() -> impl IntoView {
    let q = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    let users = Resource::new(
        move || (q.get(), status.get(), role.get(), cursor.get()),
        |(q, status, role, cursor)| admin_users(q, status, role, cursor),
    );
    // A new search or filter starts again from the first page.
    let filter = move |signal: RwSignal<String>, value: String| {
        cursor.set(None);
        signal.set(value);
    };
    view! {
        <PageHeader title="Admin console" lead="Find an account to see its details, change its roles, suspend or reinstate it."/>
        <AdminFrame>
            <form role="search" class="grid gap-3 sm:grid-cols-4" on:submit=|ev| ev.prevent_default()>
                <div class="sm:col-span-2">
                    <label for="user-search" class="block text-sm font-medium">"Search users"</label>
                    <input id="user-search" type="search" class=INPUT placeholder="Email or name"
                        autocomplete="off" maxlength="200"
                        on:input=move |ev| filter(q, event_target_value(&ev))/>
                </div>
                <div>
                    <label for="user-status" class="block text-sm font-medium">"Status"</label>
                    <select id="user-status" class=SELECT on:change=move |ev| filter(status, event_target_value(&ev))>
                        <option value="">"Any but deleted"</option>
                        {["active", "pending_verification", "suspended", "deleted"].into_iter().map(|s| view! {
                            <option value=s>{s.replace('_', " ")}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="user-role" class="block text-sm font-medium">"Role"</label>
                    <select id="user-role" class=SELECT on:change=move |ev| filter(role, event_target_value(&ev))>
                        <option value="">"Any role"</option>
                        {PLATFORM_ROLES.into_iter().chain(["content_creator"]).map(|r| view! {
                            <option value=r>{r.replace('_', " ")}</option>
                        }).collect_view()}
                    </select>
                </div>
            </form>
            <div class="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
                <Transition fallback=|| view! { <p class="p-6 text-slate-500 dark:text-slate-400">"Loading users…"</p> }>
                    {move || users.get().map(|result| match result {
                        Ok(page) if page.data.is_empty() => view! {
                            <p data-testid="no-users" class="p-6 text-slate-600 dark:text-slate-300">"No users match these filters."</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <UsersTable users=page.data/>
                            <div class="px-4 pb-4">
                                <Pager prev=page.meta.prev_cursor next=page.meta.next_cursor total=page.meta.total count=page.meta.count cursor/>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <p role="alert" class="p-6 text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
                    })}
                </Transition>
            </div>
        </AdminFrame>
    }
}

#[component]
fn UsersTable(users: Vec<User>) -> impl IntoView {
    view! {
        <table data-testid="users" class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
            <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                <tr>
                    <th scope="col" class="px-4 py-3">"Email"</th>
                    <th scope="col" class="px-4 py-3">"Name"</th>
                    <th scope="col" class="px-4 py-3">"Status"</th>
                    <th scope="col" class="px-4 py-3">"Roles"</th>
                    <th scope="col" class="px-4 py-3">"Country"</th>
                    <th scope="col" class="px-4 py-3">"Joined"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                {users.into_iter().map(|user| view! {
                    <tr>
                        <td class="px-4 py-3"><a class=LINK href=format!("/admin/users/{}", user.id)>{user.email.clone()}</a></td>
                        <td class="px-4 py-3">{user.display_name.clone()}</td>
                        <td class="px-4 py-3"><Badge status=user.status.clone()/></td>
                        <td class="px-4 py-3">{user.roles.join(", ").replace('_', " ")}</td>
                        <td class="px-4 py-3">{user.country_code.clone().unwrap_or_else(|| "—".into())}</td>
                        <td class="px-4 py-3 whitespace-nowrap">{date(user.created_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
