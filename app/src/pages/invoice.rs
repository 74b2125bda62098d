//! `/account/invoices/:id`: one invoice, laid out to print (the site's header, footer
//! and buttons are hidden on paper).

use crate::api::auth::current_user;
use crate::api::billing::get_invoice;
use crate::ui::badge::Badge;
use crate::ui::form::error_text;
use crate::ui::format::{date, money};
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let data = Resource::new(id, |id| async move {
        let id = id.ok_or_else(|| ServerFnError::new("This is not an invoice address."))?;
        Ok::<_, ServerFnError>((get_invoice(id).await?, current_user().await?))
    });
    view! {
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading the invoice…"</p> }>
            {move || data.get().map(|result| match result {
                Ok((invoice, user)) => {
                    let currency = invoice.currency.clone();
                    let row = move |label: &'static str, amount, strong: bool| view! {
                        <tr class=if strong { "font-semibold text-slate-900 dark:text-white" } else { "" }>
                            <td colspan="2" class="py-1 text-right">{label}</td>
                            <td class="py-1 text-right tabular-nums">{money(amount, &currency)}</td>
                        </tr>
                    };
                    view! {
                        <article class="mx-auto max-w-3xl rounded-lg border border-slate-200 bg-white p-8 shadow-sm print:border-0 print:shadow-none dark:border-slate-800 dark:bg-slate-900">
                            <PageHeader title=format!("Invoice {}", invoice.invoice_number)/>
                            <nav aria-label="Breadcrumb" class="-mt-6 mb-6 text-sm print:hidden">
                                <a href="/account" class="text-indigo-600 hover:underline dark:text-indigo-400">"Account"</a>" / "
                                <a href="/account/billing" class="text-indigo-600 hover:underline dark:text-indigo-400">"Billing"</a>" / "
                                <span aria-current="page">{invoice.invoice_number.clone()}</span>
                            </nav>
                            <div class="grid gap-4 text-sm sm:grid-cols-2">
                                <div>
                                    <p class="font-semibold text-slate-900 dark:text-white">"Encora"</p>
                                    <p>"Billed to "{user.map(|u| format!("{} <{}>", u.display_name, u.email)).unwrap_or_default()}</p>
                                </div>
                                <dl class="grid grid-cols-2 gap-1 sm:text-right">
                                    <dt>"Status"</dt><dd data-testid="invoice-status"><Badge status=invoice.status.as_str()/></dd>
                                    <dt>"Issued"</dt><dd>{date(invoice.created_at)}</dd>
                                    <dt>"Period"</dt><dd>{format!("{} – {}", date(invoice.period_start), date(invoice.period_end))}</dd>
                                    {invoice.paid_at.map(|at| view! { <dt>"Paid"</dt><dd>{date(at)}</dd> })}
                                </dl>
                            </div>
                            <table class="mt-6 w-full text-left text-sm">
                                <thead class="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-700 dark:text-slate-400">
                                    <tr><th scope="col" class="py-2">"Description"</th><th scope="col" class="text-right">"Qty"</th><th scope="col" class="text-right">"Amount"</th></tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                                    {invoice.line_items.iter().map(|line| view! {
                                        <tr data-testid="invoice-line">
                                            <td class="py-2">{line.description.clone()}</td>
                                            <td class="text-right">{line.quantity}</td>
                                            <td class="text-right tabular-nums">{money(line.amount, &invoice.currency)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                                <tfoot class="border-t border-slate-200 dark:border-slate-700">
                                    {row("Subtotal", invoice.amount, false)}
                                    {row("Discount", -invoice.discount_amount, false)}
                                    {row("Tax", invoice.tax_amount, false)}
                                    {row("Total", invoice.amount_due, true)}
                                    {row("Paid", invoice.amount_paid, false)}
                                </tfoot>
                            </table>
                            <button type="button" class="mt-6 rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-inset ring-slate-300 hover:bg-slate-50 print:hidden dark:ring-slate-600 dark:hover:bg-slate-800"
                                on:click=|_| { let _ = window().print(); }>
                                "Print"
                            </button>
                        </article>
                    }.into_any()
                }
                Err(e) => view! {
                    <PageHeader title="Invoice"/>
                    <div role="alert" class="rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
                        {format!("The invoice could not be shown: {}", error_text(&e))}
                        " "<a href="/account/billing" class="font-medium underline">"Back to billing"</a>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}
