//! `/admin/users/:id`: one account (profile, status, roles), the dialogs that suspend
//! or reinstate it (a reason is required) and change its platform roles, and its audit
//! trail.

use crate::api::admin::{
    admin_user, ReinstateAccount, SetAccountRoles, SuspendAccount, UserDetail, PLATFORM_ROLES,
};
use crate::model::admin::{AccountBilling, AuditEntry};
use crate::pages::admin::{AdminFrame, LINK};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::dialog::Dialog;
use crate::ui::form::{error_text, Checkbox, FormError, TextField};
use crate::ui::format::{date, date_time, money};
use crate::ui::layout::PageHeader;
use crate::ui::table::{Column, Table, CELL, NUMBER};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

/// The page's actions; any of them finishing reloads the account.
#[derive(Clone, Copy)]
struct Actions {
    suspend: ServerAction<SuspendAccount>,
    reinstate: ServerAction<ReinstateAccount>,
    roles: ServerAction<SetAccountRoles>,
}

#[component]
pub fn AdminUserPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let actions = Actions {
        suspend: ServerAction::new(),
        reinstate: ServerAction::new(),
        roles: ServerAction::new(),
    };
    let detail = Resource::new(
        move || {
            (
                id(),
                actions.suspend.version().get(),
                actions.reinstate.version().get(),
                actions.roles.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => admin_user(id).await,
                None => Err(ServerFnError::new("User not found.")),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <PageHeader title="User"/><p class="text-slate-500 dark:text-slate-400">"Loading the account…"</p> }>
            {move || detail.get().map(|result| match result {
                Ok(detail) => view! { <UserView detail actions/> }.into_any(),
                Err(e) => view! {
                    <PageHeader title="User"/>
                    <AdminFrame><p role="alert" class="text-rose-700 dark:text-rose-300">{error_text(&e)}</p></AdminFrame>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn UserView(detail: UserDetail, actions: Actions) -> impl IntoView {
    let user = detail.user;
    let id = user.id;
    let suspended = user.status == "suspended";
    let field = |label: &'static str, value: String| {
        view! {
            <div>
                <dt class="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
                <dd class="mt-1 text-slate-900 dark:text-white">{value}</dd>
            </div>
        }
    };
    view! {
        <nav aria-label="Breadcrumb" class="mb-2 text-sm"><a class=LINK href="/admin">"Users"</a>" / "{user.email.clone()}</nav>
        <PageHeader title=user.display_name.clone() lead=user.email.clone()/>
        <AdminFrame>
            <div class="grid gap-6 xl:grid-cols-2">
                <Card title="Account">
                    <p class="mb-3" data-testid="account-status"><Badge status=user.status.clone()/></p>
                    <dl class="grid gap-4 sm:grid-cols-2">
                        {field("Email", format!("{}{}", user.email, if user.email_verified { " (confirmed)" } else { " (not confirmed)" }))}
                        {field("Roles", user.roles.join(", ").replace('_', " "))}
                        {field("Country", user.country_code.clone().unwrap_or_else(|| "—".into()))}
                        {field("Phone", user.phone.clone().unwrap_or_else(|| "—".into()))}
                        {field("Joined", date(user.created_at))}
                        {field("Last sign-in", user.last_login_at.map(date_time).unwrap_or_else(|| "never".into()))}
                    </dl>
                    <div class="mt-6 flex flex-wrap gap-3">
                        {if suspended {
                            view! { <ReinstateDialog id action=actions.reinstate/> }.into_any()
                        } else if user.status != "deleted" {
                            view! { <SuspendDialog id action=actions.suspend/> }.into_any()
                        } else {
                            ().into_any()
                        }}
                        {(user.status != "deleted").then(|| view! { <RolesDialog id current=user.roles.clone() action=actions.roles/> })}
                    </div>
                    <div class="mt-3 space-y-2">
                        <FormError result=actions.suspend.value()/>
                        <FormError result=actions.reinstate.value()/>
                        <FormError result=actions.roles.value()/>
                    </div>
                </Card>
                <BillingCard billing=detail.billing/>
                <Card title="Audit trail">
                    <AuditList entries=detail.trail.data/>
                </Card>
            </div>
        </AdminFrame>
    }
}

/// The plan subscription, creator memberships and latest invoices; an invoice links
/// to the invoice page, where it can be refunded.
#[component]
fn BillingCard(billing: AccountBilling) -> impl IntoView {
    const INVOICE_COLUMNS: &[Column] = &[
        Column::new("Invoice"),
        Column::new("Date"),
        Column::new("Status"),
        Column::numeric("Amount"),
    ];
    let subscription = match billing.subscription {
        Some(sub) => view! {
            <p data-testid="user-subscription">
                <span class="font-medium text-slate-900 dark:text-white">{sub.plan.name.clone()}</span>" "
                <Badge status=sub.status.as_str()/>
                <span class="ml-2 text-sm text-slate-600 dark:text-slate-300">{
                    match (sub.cancel_at_period_end, sub.next_billing_date) {
                        (true, _) => format!("ends {}", date(sub.current_period_end)),
                        (false, Some(next)) => format!("renews {}", date(next)),
                        (false, None) => format!("period ends {}", date(sub.current_period_end)),
                    }
                }</span>
            </p>
        }.into_any(),
        None => view! { <p data-testid="user-subscription">"No platform subscription."</p> }.into_any(),
    };
    let memberships = if billing.memberships.is_empty() {
        view! { <p data-testid="user-memberships">"Not a member of any creator."</p> }.into_any()
    } else {
        view! {
            <ul data-testid="user-memberships" class="divide-y divide-slate-200 dark:divide-slate-800">
                {billing.memberships.into_iter().map(|m| view! {
                    <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                        <span>{format!("{} · {}", m.creator_name, m.tier_name)}</span>
                        <span class="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
                            {format!("since {}", date(m.joined_at))}
                            <Badge status=m.status.as_str()/>
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any()
    };
    let total = billing.invoices.meta.total;
    let invoices = if billing.invoices.data.is_empty() {
        view! { <p data-testid="user-invoices">"No invoices yet."</p> }.into_any()
    } else {
        view! {
            <div class="overflow-x-auto">
                <Table testid="user-invoices" columns=INVOICE_COLUMNS>
                    {billing.invoices.data.into_iter().map(|invoice| view! {
                        <tr>
                            <td class=CELL>
                                <a class=LINK href=format!("/admin/invoices?invoice={}", invoice.invoice_number)>{invoice.invoice_number.clone()}</a>
                            </td>
                            <td class=CELL>{date(invoice.created_at)}</td>
                            <td class=CELL><Badge status=invoice.status.as_str()/></td>
                            <td class=NUMBER>{money(invoice.amount, &invoice.currency)}</td>
                        </tr>
                    }).collect_view()}
                </Table>
            </div>
            {(total > 10).then(|| view! { <p class="mt-2 text-xs text-slate-500 dark:text-slate-400">{format!("The latest 10 of {total} invoices.")}</p> })}
        }.into_any()
    };
    view! {
        <Card title="Billing">
            <h3 class="text-sm font-semibold text-slate-900 dark:text-white">"Platform subscription"</h3>
            <div class="mt-1 mb-4">{subscription}</div>
            <h3 class="text-sm font-semibold text-slate-900 dark:text-white">"Creator memberships"</h3>
            <div class="mt-1 mb-4">{memberships}</div>
            <h3 class="mb-1 text-sm font-semibold text-slate-900 dark:text-white">"Invoices"</h3>
            {invoices}
        </Card>
    }
}

#[component]
fn SuspendDialog(id: Uuid, action: ServerAction<SuspendAccount>) -> impl IntoView {
    let done = Signal::derive(move || action.version().get());
    view! {
        <Dialog open_label="Suspend…" title="Suspend this account" kind=ButtonKind::Danger done>
            <p class="mb-3">"Every session, device and stream of this account ends at once, and signing in is refused until the account is reinstated."</p>
            <ActionForm action>
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="space-y-3">
                    <TextField label="Reason" name="reason" required=true max_length=500usize hint="Kept in the audit log and sent to the user when notified."/>
                    <Checkbox label="Email the user" name="notify_user" checked=true/>
                    <Button button_type="submit" kind=ButtonKind::Danger pending=action.pending() pending_label="Suspending…">"Suspend account"</Button>
                </div>
            </ActionForm>
        </Dialog>
    }
}

#[component]
fn ReinstateDialog(id: Uuid, action: ServerAction<ReinstateAccount>) -> impl IntoView {
    let done = Signal::derive(move || action.version().get());
    view! {
        <Dialog open_label="Reinstate…" title="Reinstate this account" done>
            <p class="mb-3">"The user may sign in again and is told so by email."</p>
            <ActionForm action>
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="space-y-3">
                    <TextField label="Note" name="note" max_length=500usize hint="Optional, for the audit log."/>
                    <Button button_type="submit" pending=action.pending() pending_label="Reinstating…">"Reinstate account"</Button>
                </div>
            </ActionForm>
        </Dialog>
    }
}

/// Platform roles as checkboxes; creator-side roles are given on a creator's team.
#[component]
fn RolesDialog(
    id: Uuid,
    current: Vec<String>,
    action: ServerAction<SetAccountRoles>,
) -> impl IntoView {
    let done = Signal::derive(move || action.version().get());
    let chosen = RwSignal::new(
        current
            .iter()
            .filter(|r| PLATFORM_ROLES.contains(&r.as_str()))
            .cloned()
            .collect::<Vec<String>>(),
    );
    let toggle = move |role: &'static str, on: bool| {
        chosen.update(|roles| {
            roles.retain(|r| r != role);
            if on {
                roles.push(role.to_string());
            }
        });
    };
    view! {
        <Dialog open_label="Change roles…" title="Change platform roles" kind=ButtonKind::Secondary done>
            <form on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SetAccountRoles { id, roles: chosen.get_untracked() });
            }>
                <fieldset class="space-y-2">
                    <legend class="mb-2 text-sm">"Only a superadmin may grant or remove superadmin."</legend>
                    {PLATFORM_ROLES.into_iter().map(|role| {
                        let input_id = format!("role-{role}");
                        let checked = current.iter().any(|r| r == role);
                        view! {
                            <div class="flex items-center gap-2">
                                <input id=input_id.clone() type="checkbox" name="role" value=role checked=checked
                                    class="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
                                    on:change=move |ev| toggle(role, event_target_checked(&ev))/>
                                <label for=input_id>{role.replace('_', " ")}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="mt-4"><Button button_type="submit" pending=action.pending() pending_label="Saving…">"Save roles"</Button></div>
            </form>
        </Dialog>
    }
}

/// Audit entries, newest first: what, by whom, why, before and after.
#[component]
pub fn AuditList(entries: Vec<AuditEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p data-testid="no-audit">"Nothing has been recorded yet."</p> }.into_any();
    }
    let change = |value: &Option<serde_json::Value>| {
        value
            .as_ref()
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <ol data-testid="audit-entries" class="divide-y divide-slate-200 dark:divide-slate-800">
            {entries.into_iter().map(|entry| view! {
                <li class="py-3">
                    <p class="font-medium text-slate-900 dark:text-white">
                        <span class="font-mono">{entry.action.clone()}</span>
                        <span class="ml-2 text-xs text-slate-500 dark:text-slate-400">{date_time(entry.created_at)}</span>
                    </p>
                    <p class="text-xs text-slate-600 dark:text-slate-300">
                        {format!("{} {} · by {}", entry.target_type, entry.target_id,
                            entry.actor_id.map(|a| a.to_string()).unwrap_or_else(|| "the platform".into()))}
                    </p>
                    {entry.reason.clone().map(|reason| view! { <p class="mt-1">{format!("Reason: {reason}")}</p> })}
                    {(entry.before.is_some() || entry.after.is_some()).then(|| view! {
                        <p class="mt-1 font-mono text-xs break-all">{format!("{} → {}", change(&entry.before), change(&entry.after))}</p>
                    })}
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}
