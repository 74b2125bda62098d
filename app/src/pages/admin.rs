//! `/admin`: the console's users table (search as you type, status and role filters,
//! cursor pagination) and the navigation shared by every admin page.

use crate::api::admin::{admin_users, PLATFORM_ROLES};
use crate::model::user::User;
use crate::ui::badge::Badge;
use crate::ui::format::{date, query_component};
use crate::ui::layout::PageHeader;
use crate::ui::nav::NavLink;
use crate::ui::table::{Column, PagedTable, Table, CELL};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

pub const SELECT: &str = "mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 dark:bg-slate-900 dark:text-white dark:ring-slate-700";
pub const INPUT: &str = SELECT;
pub const LINK: &str = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

/// The console's sections, beside every admin page on wide screens.
#[component]
pub fn AdminNav() -> impl IntoView {
    view! {
        <nav aria-label="Admin console" class="flex gap-1 overflow-x-auto lg:w-48 lg:shrink-0 lg:flex-col">
            <NavLink href="/admin" label="Users" prefix="/admin/users"/>
            <NavLink href="/admin/plans" label="Plans" prefix="/admin/plans/"/>
            <NavLink href="/admin/coupons" label="Coupons"/>
            <NavLink href="/admin/invoices" label="Invoices"/>
            <NavLink href="/admin/gift-cards" label="Gift cards"/>
            <NavLink href="/admin/audit-log" label="Audit log"/>
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

#[component]
pub fn AdminHome() -> impl IntoView {
    // The search and filters live in the address too, so a reload, a shared link or
    // "back" from a user's page shows the same list.
    let query = use_query_map();
    let from_url = |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let q = RwSignal::new(from_url("q"));
    let status = RwSignal::new(from_url("status"));
    let role = RwSignal::new(from_url("role"));
    let cursor = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    Effect::watch(
        move || (q.get(), status.get(), role.get()),
        move |(q, status, role), _, _| {
            let search: Vec<String> = [("q", q), ("status", status), ("role", role)]
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(key, value)| format!("{key}={}", query_component(value)))
                .collect();
            let url = match search.is_empty() {
                true => "/admin".to_string(),
                false => format!("/admin?{}", search.join("&")),
            };
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        },
        false,
    );
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
                        autocomplete="off" maxlength="200" prop:value=move || q.get()
                        on:input=move |ev| filter(q, event_target_value(&ev))/>
                </div>
                <div>
                    <label for="user-status" class="block text-sm font-medium">"Status"</label>
                    <select id="user-status" class=SELECT on:change=move |ev| filter(status, event_target_value(&ev))>
                        <option value="">"Any but deleted"</option>
                        {["active", "pending_verification", "suspended", "deleted"].into_iter().map(|s| view! {
                            <option value=s selected=move || status.get() == s>{s.replace('_', " ")}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="user-role" class="block text-sm font-medium">"Role"</label>
                    <select id="user-role" class=SELECT on:change=move |ev| filter(role, event_target_value(&ev))>
                        <option value="">"Any role"</option>
                        {PLATFORM_ROLES.into_iter().chain(["content_creator"]).map(|r| view! {
                            <option value=r selected=move || role.get() == r>{r.replace('_', " ")}</option>
                        }).collect_view()}
                    </select>
                </div>
            </form>
            <div class="mt-6">
                <PagedTable rows=Signal::derive(move || users.get()) cursor loading="Loading users…" empty="No users match these filters." empty_testid="no-users"
                    render=|users| view! { <UsersTable users/> }/>
            </div>
        </AdminFrame>
    }
}

const USER_COLUMNS: [Column; 6] = [
    Column::new("Email"),
    Column::new("Name"),
    Column::new("Status"),
    Column::new("Roles"),
    Column::new("Country"),
    Column::new("Joined"),
];

#[component]
fn UsersTable(users: Vec<User>) -> impl IntoView {
    view! {
        <Table testid="users" columns=&USER_COLUMNS>
            {users.into_iter().map(|user| view! {
                <tr>
                    <td class=CELL><a class=LINK href=format!("/admin/users/{}", user.id)>{user.email.clone()}</a></td>
                    <td class=CELL>{user.display_name.clone()}</td>
                    <td class=CELL><Badge status=user.status.clone()/></td>
                    <td class=CELL>{user.roles.join(", ").replace('_', " ")}</td>
                    <td class=CELL>{user.country_code.clone().unwrap_or_else(|| "—".into())}</td>
                    <td class="px-4 py-3 whitespace-nowrap">{date(user.created_at)}</td>
                </tr>
            }).collect_view()}
        </Table>
    }
}
