//! `/admin/invoices`: look an invoice up by number or id, see what was paid and
//! refunded, and refund part or all of the rest (confirmed in a dialog).

use crate::api::admin_billing::{admin_invoice, InvoiceWithRefunds, RefundInvoice};
use crate::pages::admin::{AdminFrame, INPUT, SELECT};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::dialog::Dialog;
use crate::ui::form::{error_text, FormError, TextField};
use crate::ui::format::{date, date_time, money, query_component};
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use rust_decimal::Decimal;

const REASONS: [(&str, &str); 5] = [
    ("requested_by_customer", "Requested by the customer"),
    ("duplicate", "Duplicate charge"),
    ("fraudulent", "Fraudulent"),
    ("service_issue", "Service issue"),
    ("goodwill", "Goodwill"),
];

#[component]
pub fn AdminInvoicesPage() -> impl IntoView {
    // What is typed, and what was last looked up: `?invoice=` in the address, so a
    // user's page can link to an invoice and a reload keeps it.
    let query = use_query_map();
    let key = move || query.with(|q| q.get("invoice").unwrap_or_default());
    let draft = RwSignal::new(query.with_untracked(|q| q.get("invoice").unwrap_or_default()));
    let navigate = use_navigate();
    let refund = ServerAction::<RefundInvoice>::new();
    let found = Resource::new(
        move || (key(), refund.version().get()),
        |(key, _)| admin_invoice(key),
    );
    view! {
        <PageHeader title="Invoices" lead="Find an invoice by its number to see what was paid and refund part or all of it."/>
        <AdminFrame>
            <form role="search" class="flex max-w-xl items-end gap-3" on:submit=move |ev| {
                ev.prevent_default();
                let wanted = draft.get_untracked().trim().to_string();
                navigate(&format!("/admin/invoices?invoice={}", query_component(&wanted)), Default::default());
            }>
                <div class="flex-1">
                    <label for="invoice-key" class="block text-sm font-medium">"Invoice number or id"</label>
                    <input id="invoice-key" name="invoice" type="search" class=INPUT placeholder="INV-2026-00001" autocomplete="off" maxlength="64" required=true prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))/>
                </div>
                <Button button_type="submit">"Find invoice"</Button>
            </form>
            <div class="mt-6 max-w-3xl">
                <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Looking the invoice up…"</p> }>
                    {move || found.get().map(|result| match result {
                        Ok(Some(found)) => view! { <InvoiceView found refund/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <p role="alert" class="text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
                    })}
                </Transition>
            </div>
        </AdminFrame>
    }
}

#[component]
fn InvoiceView(found: InvoiceWithRefunds, refund: ServerAction<RefundInvoice>) -> impl IntoView {
    let invoice = found.invoice;
    let currency = invoice.currency.clone();
    // Pending refunds hold their amount too, as the server counts them.
    let refunded: Decimal = found
        .refunds
        .iter()
        .filter(|r| r.status != "failed")
        .map(|r| r.amount)
        .sum();
    let refundable = invoice.amount_paid - refunded;
    let done = Signal::derive(move || refund.version().get());
    let fmt = {
        let currency = currency.clone();
        move |amount: Decimal| money(amount, &currency)
    };
    view! {
        <Card title=format!("Invoice {}", invoice.invoice_number)>
            <p class="mb-3"><Badge status=invoice.status.as_str()/></p>
            <dl data-testid="invoice-summary" class="grid gap-3 sm:grid-cols-3">
                <div><dt class="text-xs uppercase text-slate-500 dark:text-slate-400">"Total"</dt><dd class="tabular-nums">{fmt(invoice.amount)}</dd></div>
                <div><dt class="text-xs uppercase text-slate-500 dark:text-slate-400">"Paid"</dt><dd class="tabular-nums">{fmt(invoice.amount_paid)}</dd></div>
                <div><dt class="text-xs uppercase text-slate-500 dark:text-slate-400">"Refundable"</dt><dd data-testid="refundable" class="tabular-nums">{fmt(refundable)}</dd></div>
                <div><dt class="text-xs uppercase text-slate-500 dark:text-slate-400">"Period"</dt><dd>{format!("{} – {}", date(invoice.period_start), date(invoice.period_end))}</dd></div>
                <div><dt class="text-xs uppercase text-slate-500 dark:text-slate-400">"Paid on"</dt><dd>{invoice.paid_at.map(date).unwrap_or_else(|| "—".into())}</dd></div>
                <div class="sm:col-span-3"><dt class="text-xs uppercase text-slate-500 dark:text-slate-400">"Description"</dt><dd>{invoice.description.clone()}</dd></div>
            </dl>
            <h3 class="mt-6 font-semibold text-slate-900 dark:text-white">"Refunds"</h3>
            {if found.refunds.is_empty() {
                view! { <p data-testid="no-refunds" class="mt-1">"Nothing refunded yet."</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="refunds" class="mt-1 divide-y divide-slate-200 dark:divide-slate-800">
                        {found.refunds.iter().map(|r| view! {
                            <li class="flex flex-wrap justify-between gap-2 py-2">
                                <span class="tabular-nums">{money(r.amount, &r.currency)}" · "{r.reason.replace('_', " ")}</span>
                                <span><Badge status=r.status.clone()/>" "<span class="text-xs text-slate-500 dark:text-slate-400">{date_time(r.created_at)}</span></span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(refundable > Decimal::ZERO).then(|| view! {
                <div class="mt-6">
                    <Dialog open_label="Refund…" title="Refund this invoice" kind=ButtonKind::Danger done>
                        <p class="mb-3">{format!("Up to {} can still be refunded to the card that paid.", money(refundable, &currency))}</p>
                        <ActionForm action=refund>
                            <input type="hidden" name="invoice_id" value=invoice.id.to_string()/>
                            <div class="space-y-3">
                                <TextField label="Amount" name="amount" required=true hint="A part or all of what is refundable."/>
                                <div>
                                    <label for="refund-reason" class="block text-sm font-medium">"Reason"</label>
                                    <select id="refund-reason" name="reason" class=SELECT>
                                        {REASONS.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <TextField label="Notes" name="notes" max_length=500usize hint="Optional, kept with the refund."/>
                                <Button button_type="submit" kind=ButtonKind::Danger pending=refund.pending() pending_label="Refunding…">"Refund"</Button>
                            </div>
                        </ActionForm>
                    </Dialog>
                </div>
            })}
            <div class="mt-3"><FormError result=refund.value()/></div>
        </Card>
    }
}
