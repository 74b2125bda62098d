//! `/admin/coupons`: coupons by status, newest first; create one; edit its description,
//! limit and last day; disable or enable it; delete it while nobody has redeemed it
//! (confirmed in a dialog).

use crate::api::admin_coupons::{
    admin_coupons, CreateCoupon, DeleteCoupon, EditCoupon, SetCouponStatus,
};
use crate::model::coupon::{Coupon, CouponStatus, DiscountType};
use crate::pages::admin::{AdminFrame, SELECT};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::dialog::Dialog;
use crate::ui::form::{FormError, TextField};
use crate::ui::format::{date, money};
use crate::ui::layout::PageHeader;
use crate::ui::table::{Column, PagedTable, Table, CELL, NUMBER};
use leptos::prelude::*;

/// The page's actions; any of them finishing reloads the list.
#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateCoupon>,
    edit: ServerAction<EditCoupon>,
    status: ServerAction<SetCouponStatus>,
    delete: ServerAction<DeleteCoupon>,
}

#[component]
pub fn AdminCouponsPage() -> impl IntoView {
    let actions = Actions {
        create: ServerAction::new(),
        edit: ServerAction::new(),
        status: ServerAction::new(),
        delete: ServerAction::new(),
    };
    let status = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    let coupons = Resource::new(
        move || {
            (
                status.get(),
                cursor.get(),
                actions.create.version().get(),
                actions.edit.version().get(),
                actions.status.version().get(),
                actions.delete.version().get(),
            )
        },
        |(status, cursor, ..)| admin_coupons(status, cursor),
    );
    view! {
        <PageHeader title="Coupons" lead="Discounts for subscribers. Code, type and value never change once created; disable a coupon to stop new redemptions."/>
        <AdminFrame>
            <div class="max-w-xs">
                <label for="coupon-status" class="block text-sm font-medium">"Status"</label>
                <select id="coupon-status" class=SELECT on:change=move |ev| {
                    cursor.set(None);
                    status.set(event_target_value(&ev));
                }>
                    <option value="">"Any status"</option>
                    <option value="active">"active"</option>
                    <option value="expired">"expired"</option>
                    <option value="disabled">"disabled"</option>
                </select>
            </div>
            <div class="mt-4 space-y-2">
                <FormError result=actions.edit.value()/>
                <FormError result=actions.status.value()/>
                <FormError result=actions.delete.value()/>
            </div>
            <div class="mt-4">
                <PagedTable rows=Signal::derive(move || coupons.get()) cursor loading="Loading coupons…" empty="No coupons match this filter." empty_testid="no-coupons"
                    render=move |coupons| view! { <CouponsTable coupons actions/> }/>
            </div>
            <div class="mt-6 max-w-3xl"><NewCoupon action=actions.create/></div>
        </AdminFrame>
    }
}

fn discount(coupon: &Coupon) -> String {
    match coupon.discount_type {
        DiscountType::Percent => format!("{} % off", coupon.discount_value.normalize()),
        DiscountType::FixedAmount => format!(
            "{} off",
            money(
                coupon.discount_value,
                coupon.currency.as_deref().unwrap_or("")
            )
        ),
        DiscountType::FreeTrialDays => {
            format!("{} more trial days", coupon.discount_value.normalize())
        }
    }
}

const COUPON_COLUMNS: [Column; 6] = [
    Column::new("Code"),
    Column::new("Discount"),
    Column::numeric("Redeemed"),
    Column::new("Valid until"),
    Column::new("Status"),
    Column::hidden("Actions"),
];

#[component]
fn CouponsTable(coupons: Vec<Coupon>, actions: Actions) -> impl IntoView {
    view! {
        <Table testid="coupons" columns=&COUPON_COLUMNS>
                {coupons.into_iter().map(|coupon| {
                    let id = coupon.id;
                    let code = coupon.code.clone();
                    let redeemed = match coupon.max_redemptions {
                        Some(max) => format!("{} of {max}", coupon.redemption_count),
                        None => coupon.redemption_count.to_string(),
                    };
                    let (next_status, toggle_label) = match coupon.status {
                        CouponStatus::Disabled => ("active", format!("Enable {code}")),
                        _ => ("disabled", format!("Disable {code}")),
                    };
                    view! {
                        <tr>
                            <td class="px-4 py-3 font-mono">{code.clone()}</td>
                            <td class=CELL>{discount(&coupon)}{coupon.duration_periods.map(|n| format!(" for {n} periods"))}</td>
                            <td class=NUMBER>{redeemed}</td>
                            <td class=CELL>{coupon.valid_until.map(date).unwrap_or_else(|| "no end".into())}</td>
                            <td class=CELL><Badge status=coupon.status.as_str()/></td>
                            <td class=CELL>
                                <div class="flex flex-wrap justify-end gap-2">
                                    <EditDialog coupon=coupon.clone() action=actions.edit/>
                                    <ActionForm action=actions.status>
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <input type="hidden" name="status" value=next_status/>
                                        <Button button_type="submit" kind=ButtonKind::Secondary>{toggle_label.clone()}</Button>
                                    </ActionForm>
                                    {(coupon.redemption_count == 0).then(|| {
                                        let done = Signal::derive(move || actions.delete.version().get());
                                        view! {
                                            <Dialog open_label=format!("Delete {code}…") title=format!("Delete coupon {code}") kind=ButtonKind::Danger done>
                                                <p class="mb-3">"Nobody has redeemed this coupon yet, so it can be deleted for good."</p>
                                                <ActionForm action=actions.delete>
                                                    <input type="hidden" name="id" value=id.to_string()/>
                                                    <Button button_type="submit" kind=ButtonKind::Danger pending=actions.delete.pending()>"Delete coupon"</Button>
                                                </ActionForm>
                                            </Dialog>
                                        }
                                    })}
                                </div>
                            </td>
                        </tr>
                    }
                }).collect_view()}
        </Table>
    }
}

/// What may change on a coupon, filled with what it is now.
#[component]
fn EditDialog(coupon: Coupon, action: ServerAction<EditCoupon>) -> impl IntoView {
    let done = Signal::derive(move || action.version().get());
    let code = coupon.code.clone();
    let field = move |what: &str| format!("edit-{what}-{}", coupon.id);
    view! {
        <Dialog open_label=format!("Edit {code}…") title=format!("Edit coupon {code}") kind=ButtonKind::Secondary done>
            <ActionForm action>
                <input type="hidden" name="id" value=coupon.id.to_string()/>
                <div class="space-y-3">
                    <TextField label="Description" name="description" id=field("description") value=coupon.description.clone().unwrap_or_default() max_length=500usize/>
                    <TextField label="Redemption limit" name="max_redemptions" id=field("limit") input_type="number"
                        value=coupon.max_redemptions.map(|n| n.to_string()).unwrap_or_default() hint="Empty: as it is."/>
                    <TextField label="Valid until" name="valid_until" id=field("until") input_type="date"
                        value=coupon.valid_until.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default() hint="The end of that day, UTC; empty: as it is."/>
                    <FormError result=action.value()/>
                    <Button button_type="submit" pending=action.pending() pending_label="Saving…">"Save coupon"</Button>
                </div>
            </ActionForm>
        </Dialog>
    }
}

#[component]
fn NewCoupon(action: ServerAction<CreateCoupon>) -> impl IntoView {
    view! {
        <Card title="New coupon">
            <ActionForm action>
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField label="Code" name="coupon[code]" id="coupon-code" required=true max_length=50usize hint="Upper-case letters, digits, - and _."/>
                    <TextField label="Description" name="coupon[description]" id="coupon-description" max_length=500usize/>
                    <div>
                        <label for="coupon-type" class="block text-sm font-medium">"Discount type"</label>
                        <select id="coupon-type" name="coupon[discount_type]" class=SELECT>
                            <option value="percent">"Percent off"</option>
                            <option value="fixed_amount">"Amount off"</option>
                            <option value="free_trial_days">"More free trial days"</option>
                        </select>
                    </div>
                    <TextField label="Value" name="coupon[discount_value]" id="coupon-value" required=true hint="Percent, amount or days."/>
                    <TextField label="Currency" name="coupon[currency]" id="coupon-currency" max_length=3usize hint="Only for an amount off, such as USD."/>
                    <TextField label="Billing periods" name="coupon[duration_periods]" id="coupon-periods" input_type="number" hint="Empty: every period."/>
                    <TextField label="Redemption limit" name="coupon[max_redemptions]" id="coupon-limit" input_type="number" hint="Empty: no limit."/>
                    <TextField label="Valid until" name="coupon[valid_until]" id="coupon-until" input_type="date" hint="Optional; the end of that day, UTC."/>
                </div>
                <div class="mt-4 space-y-3">
                    <FormError result=action.value()/>
                    {move || matches!(action.value().get(), Some(Ok(_))).then(|| view! { <p role="status" class="text-emerald-700 dark:text-emerald-300">"Coupon created."</p> })}
                    <Button button_type="submit" pending=action.pending() pending_label="Creating…">"Create coupon"</Button>
                </div>
            </ActionForm>
        </Card>
    }
}
