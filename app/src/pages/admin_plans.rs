//! `/admin/plans` (every plan, a form for a new one) and `/admin/plans/:id` (the
//! editor). Saving sends the version that was read; if someone else saved meanwhile,
//! the page says so and offers to reload, and nothing is overwritten.

use crate::api::admin_billing::{admin_plan, admin_plans, CreatePlan, EditablePlan, SavePlan};
use crate::model::plan::Plan;
use crate::pages::admin::{AdminFrame, LINK, SELECT};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::form::{error_text, Checkbox, FormError, TextField};
use crate::ui::format::money;
use crate::ui::layout::PageHeader;
use crate::ui::table::{Column, PagedTable, Table, CELL, NUMBER};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

const CYCLES: [(&str, &str); 4] = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("semi_annual", "Every six months"),
    ("annual", "Yearly"),
];
const QUALITIES: [&str; 5] = ["SD", "HD", "FHD", "UHD_4K", "UHD_8K"];

#[component]
pub fn AdminPlansPage() -> impl IntoView {
    let create = ServerAction::<CreatePlan>::new();
    let plans = Resource::new(|| (), |_| admin_plans());
    view! {
        <PageHeader title="Plans" lead="The platform's plans. Changes apply to new subscriptions; existing ones keep their terms until their next renewal."/>
        <AdminFrame>
            <PagedTable rows=Signal::derive(move || plans.get()) loading="Loading plans…" empty="No plan yet: create the first one below." empty_testid="no-plans"
                render=|plans| view! { <PlansTable plans/> }/>
            <div class="mt-6 max-w-3xl">
                <Card title="New plan">
                    <ActionForm action=create>
                        <PlanFields plan=None/>
                        <div class="mt-4 space-y-3">
                            <FormError result=create.value()/>
                            <Button button_type="submit" pending=create.pending() pending_label="Creating…">"Create plan"</Button>
                        </div>
                    </ActionForm>
                </Card>
            </div>
        </AdminFrame>
    }
}

const PLAN_COLUMNS: [Column; 5] = [
    Column::new("Name"),
    Column::numeric("Price"),
    Column::new("Billing"),
    Column::new("Limits"),
    Column::new("Status"),
];

#[component]
fn PlansTable(plans: Vec<Plan>) -> impl IntoView {
    view! {
        <Table testid="plans" columns=&PLAN_COLUMNS>
                {plans.into_iter().map(|plan| view! {
                    <tr>
                        <td class=CELL><a class=LINK href=format!("/admin/plans/{}", plan.id)>{plan.name.clone()}</a></td>
                        <td class=NUMBER>{money(plan.price, &plan.currency)}</td>
                        <td class=CELL>{plan.billing_cycle.as_str().replace('_', " ")}</td>
                        <td class=CELL>{format!("{} profiles · {} streams · {} devices · {}", plan.max_profiles, plan.max_concurrent_streams, plan.max_devices, plan.max_quality.as_str())}</td>
                        <td class=CELL><Badge status=if plan.is_active { "active" } else { "inactive" }/></td>
                    </tr>
                }).collect_view()}
        </Table>
    }
}

#[component]
pub fn AdminPlanPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let save = ServerAction::<SavePlan>::new();
    // Reloading is explicit after a conflict, so the admin sees what they typed first.
    let reloads = RwSignal::new(0usize);
    let plan = Resource::new(
        move || (id(), reloads.get()),
        |(id, _)| async move {
            match id {
                Some(id) => admin_plan(id).await,
                None => Err(ServerFnError::new("Plan not found.")),
            }
        },
    );
    // A successful save shows the new version (and its new tag) at once.
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            reloads.update(|n| *n += 1);
        }
    });
    view! {
        <nav aria-label="Breadcrumb" class="mb-2 text-sm"><a class=LINK href="/admin/plans">"Plans"</a>" / edit"</nav>
        <PageHeader title="Edit plan" lead="Existing subscribers keep their price and limits until their next renewal."/>
        <AdminFrame>
            <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading the plan…"</p> }>
                {move || plan.get().map(|result| match result {
                    Ok(editable) => view! { <PlanEditor editable save reloads/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
                })}
            </Transition>
        </AdminFrame>
    }
}

#[component]
fn PlanEditor(
    editable: EditablePlan,
    save: ServerAction<SavePlan>,
    reloads: RwSignal<usize>,
) -> impl IntoView {
    let conflict = move || {
        save.value()
            .get()
            .is_some_and(|r| r.is_err_and(|e| error_text(&e).contains("changed by someone else")))
    };
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <div class="max-w-3xl">
            <Card title=editable.plan.name.clone()>
                <ActionForm action=save>
                    <input type="hidden" name="id" value=editable.plan.id.to_string()/>
                    <input type="hidden" name="etag" value=editable.etag.clone()/>
                    <PlanFields plan=Some(editable.plan.clone())/>
                    <div class="mt-4 space-y-3">
                        {move || if conflict() {
                            view! {
                                <div role="alert" data-testid="plan-conflict" class="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
                                    <p class="font-semibold">"This plan was changed by someone else since you opened it."</p>
                                    <p class="mt-1">"Your changes were not saved. Reload to see the current version, then apply your changes again."</p>
                                    <div class="mt-2">
                                        <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| {
                                            save.value().set(None);
                                            reloads.update(|n| *n += 1);
                                        })>"Reload the plan"</Button>
                                    </div>
                                </div>
                            }.into_any()
                        } else {
                            view! { <FormError result=save.value()/> }.into_any()
                        }}
                        {move || saved().then(|| view! { <p role="status" class="text-emerald-700 dark:text-emerald-300">"Saved."</p> })}
                        <Button button_type="submit" pending=save.pending() pending_label="Saving…">"Save plan"</Button>
                    </div>
                </ActionForm>
            </Card>
        </div>
    }
}

/// The plan's fields, named `plan[…]` for the server functions; filled from `plan`
/// when editing, with sensible defaults for a new one.
#[component]
fn PlanFields(plan: Option<Plan>) -> impl IntoView {
    let text = |f: fn(&Plan) -> String, default: &str| {
        plan.as_ref().map(f).unwrap_or_else(|| default.to_string())
    };
    let flag = |f: fn(&Plan) -> bool, default: bool| plan.as_ref().map(f).unwrap_or(default);
    let cycle = text(|p| p.billing_cycle.as_str().into(), "monthly");
    let quality = text(|p| p.max_quality.as_str().into(), "HD");
    view! {
        <div class="grid gap-4 sm:grid-cols-2">
            <TextField label="Name" name="plan[name]" id="plan-name" required=true max_length=100usize value=text(|p| p.name.clone(), "")/>
            <TextField label="Description" name="plan[description]" id="plan-description" max_length=500usize value=text(|p| p.description.clone(), "")/>
            <TextField label="Price" name="plan[price]" id="plan-price" required=true value=text(|p| p.price.to_string(), "") hint="Per billing period, such as 9.99."/>
            <TextField label="Currency" name="plan[currency]" id="plan-currency" required=true max_length=3usize value=text(|p| p.currency.clone(), "USD")/>
            <div>
                <label for="plan-cycle" class="block text-sm font-medium">"Billing cycle"</label>
                <select id="plan-cycle" name="plan[billing_cycle]" class=SELECT>
                    {CYCLES.into_iter().map(|(value, label)| view! { <option value=value selected=value == cycle>{label}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="plan-quality" class="block text-sm font-medium">"Highest quality"</label>
                <select id="plan-quality" name="plan[max_quality]" class=SELECT>
                    {QUALITIES.into_iter().map(|value| view! { <option value=value selected=value == quality>{value.replace('_', " ")}</option> }).collect_view()}
                </select>
            </div>
            <TextField label="Profiles" name="plan[max_profiles]" id="plan-profiles" input_type="number" required=true value=text(|p| p.max_profiles.to_string(), "1") hint="1 to 6."/>
            <TextField label="Concurrent streams" name="plan[max_concurrent_streams]" id="plan-streams" input_type="number" required=true value=text(|p| p.max_concurrent_streams.to_string(), "1") hint="1 to 8."/>
            <TextField label="Devices" name="plan[max_devices]" id="plan-devices" input_type="number" required=true value=text(|p| p.max_devices.to_string(), "1") hint="1 to 20."/>
            <TextField label="Trial days" name="plan[trial_days]" id="plan-trial" input_type="number" value=text(|p| p.trial_days.to_string(), "0") hint="0 for no trial."/>
            <TextField label="Downloads allowed" name="plan[allow_download_count]" id="plan-download-count" input_type="number" value=text(|p| p.allow_download_count.map(|n| n.to_string()).unwrap_or_default(), "") hint="Empty for unlimited."/>
        </div>
        <div class="mt-4 grid gap-2 sm:grid-cols-3">
            <Checkbox label="Downloads" name="plan[has_downloads]" id="plan-has-downloads" checked=flag(|p| p.has_downloads, false)/>
            <Checkbox label="Ads" name="plan[has_ads]" id="plan-has-ads" checked=flag(|p| p.has_ads, false)/>
            <Checkbox label="HDR" name="plan[has_hdr]" id="plan-has-hdr" checked=flag(|p| p.has_hdr, false)/>
            <Checkbox label="Dolby Atmos" name="plan[has_dolby_atmos]" id="plan-has-atmos" checked=flag(|p| p.has_dolby_atmos, false)/>
            <Checkbox label="Active (open to new subscribers)" name="plan[is_active]" id="plan-is-active" checked=flag(|p| p.is_active, true)/>
        </div>
    }
}
