//! `/account/billing`: the platform subscription (choose a plan, preview and change
//! it, cancel, pause, resume), saved cards, gift cards, the account balance and the
//! newest invoices.

use crate::api::billing::{
    check_coupon, load_billing, preview_plan_change, AddCard, BillingOverview, ChangePlan,
    MakeCardDefault, RedeemGiftCard, RemoveCard, Subscribe, UpdateSubscription,
};
use crate::model::payment_method::PaymentMethod;
use crate::model::plan::Plan;
use crate::model::subscription::{Invoice, Subscription, SubscriptionStatus};
use crate::pages::account::AccountNav;
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::form::{error_text, FormError, TextField};
use crate::ui::format::{date, date_time, money, relative_days};
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use uuid::Uuid;

/// The sandbox gateway's test cards (Stripe's token names).
const TEST_CARDS: [(&str, &str); 6] = [
    ("tok_visa", "Visa ending 4242 (succeeds)"),
    ("tok_mastercard", "Mastercard ending 4444 (succeeds)"),
    ("tok_amex", "American Express ending 0005 (succeeds)"),
    ("tok_chargeDeclined", "Visa ending 0002 (declined)"),
    (
        "tok_chargeDeclinedInsufficientFunds",
        "Visa ending 9995 (insufficient funds)",
    ),
    (
        "tok_chargeDeclinedExpiredCard",
        "Visa ending 0069 (expired card)",
    ),
];

const LINK: &str = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
const SELECT: &str = "mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 dark:bg-slate-900 dark:text-white dark:ring-slate-700";

/// Every action of the page; any of them finishing reloads the overview.
#[derive(Clone, Copy)]
struct Actions {
    add_card: ServerAction<AddCard>,
    make_default: ServerAction<MakeCardDefault>,
    remove_card: ServerAction<RemoveCard>,
    subscribe: ServerAction<Subscribe>,
    change: ServerAction<ChangePlan>,
    update: ServerAction<UpdateSubscription>,
    redeem: ServerAction<RedeemGiftCard>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            add_card: ServerAction::new(),
            make_default: ServerAction::new(),
            remove_card: ServerAction::new(),
            subscribe: ServerAction::new(),
            change: ServerAction::new(),
            update: ServerAction::new(),
            redeem: ServerAction::new(),
        }
    }

    fn versions(&self) -> [usize; 7] {
        [
            self.add_card.version().get(),
            self.make_default.version().get(),
            self.remove_card.version().get(),
            self.subscribe.version().get(),
            self.change.version().get(),
            self.update.version().get(),
            self.redeem.version().get(),
        ]
    }
}

#[component]
pub fn BillingPage() -> impl IntoView {
    let actions = Actions::new();
    let overview = Resource::new(move || actions.versions(), |_| load_billing());
    view! {
        <PageHeader title="Billing" lead="Your plan, payment methods, gift cards and invoices."/>
        <AccountNav/>
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading billing…"</p> }>
            {move || overview.get().map(|result| match result {
                Ok(data) => view! { <Billing data actions/> }.into_any(),
                Err(e) => view! {
                    <div role="alert" class="rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
                        <p>{format!("Billing could not be loaded: {}", error_text(&e))}</p>
                        <p class="mt-2"><a href="/signin" class=LINK>"Sign in"</a>" · "<a href="/account/billing" class=LINK>"Try again"</a></p>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Billing(data: BillingOverview, actions: Actions) -> impl IntoView {
    let BillingOverview {
        subscription,
        plans,
        payment_methods,
        invoices,
        balances,
        now,
    } = data;
    view! {
        <div class="max-w-3xl space-y-6">
            {match subscription {
                Some(sub) => view! {
                    <SubscriptionCard sub=sub.clone() now actions/>
                    <ChangePlanCard sub plans actions/>
                }.into_any(),
                None => view! { <PlanPicker plans cards=payment_methods.clone() actions/> }.into_any(),
            }}
            <Card title="Account balance">
                <p data-testid="balance">
                    {if balances.is_empty() {
                        "No credit on your account.".to_string()
                    } else {
                        balances.iter().map(|(c, a)| money(*a, c)).collect::<Vec<_>>().join(", ")
                    }}
                </p>
                <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">"Credit from gift cards and downgrades pays your next invoices first."</p>
            </Card>
            <PaymentMethods cards=payment_methods actions/>
            <GiftCardForm actions/>
            <Invoices invoices/>
        </div>
    }
}

/// Status, trial countdown, next charge, and cancel / pause / resume.
#[component]
fn SubscriptionCard(
    sub: Subscription,
    now: chrono::DateTime<chrono::Utc>,
    actions: Actions,
) -> impl IntoView {
    let status = sub.status;
    let plan = sub.plan.clone();
    let price = money(plan.price, &plan.currency);
    let summary = match (status, sub.trial_end) {
        (SubscriptionStatus::Trialing, Some(end)) => format!(
            "Free trial ends {} ({}); then {price} per {} period.",
            relative_days(end, now),
            date(end),
            plan.billing_cycle.as_str()
        ),
        (SubscriptionStatus::Paused, _) => {
            "Paused: nothing is charged until you resume; the paid time you had left is kept."
                .to_string()
        }
        (SubscriptionStatus::PastDue, _) => {
            "Your last payment failed. We retry automatically; make a working card the default to settle it."
                .to_string()
        }
        _ if sub.cancel_at_period_end => format!(
            "Canceled: you keep access until {}, and nothing more is charged.",
            date(sub.current_period_end)
        ),
        _ => match sub.next_billing_date {
            Some(next) => format!("Next charge: {price} on {}.", date(next)),
            None => String::new(),
        },
    };
    let can_pause = status == SubscriptionStatus::Active && !sub.cancel_at_period_end;
    let can_resume = status == SubscriptionStatus::Paused || sub.cancel_at_period_end;
    let can_cancel = !sub.cancel_at_period_end;
    let step = move |name: &'static str| {
        view! { <input type="hidden" name="step" value=name/> }
    };
    view! {
        <Card title="Your subscription">
            <div class="flex flex-wrap items-center gap-3">
                <span data-testid="subscription-plan" class="text-lg font-semibold text-slate-900 dark:text-white">{plan.name.clone()}</span>
                <span data-testid="subscription-status"><Badge status=status.as_str()/></span>
                <span class="text-slate-500 dark:text-slate-400">{format!("{price} / {}", plan.billing_cycle.as_str())}</span>
            </div>
            <p data-testid="subscription-summary" class="mt-2" title=date_time(sub.current_period_end)>{summary}</p>
            {sub.payment_method_last4.map(|last4| view! { <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">{format!("Charged to the card ending {last4}.")}</p> })}
            <FormError result=Signal::derive(move || actions.update.value().get())/>
            <div class="mt-4 flex flex-wrap gap-2">
                <Show when=move || can_resume>
                    <ActionForm action=actions.update>
                        {step("resume")}
                        <Button button_type="submit" pending=actions.update.pending()>"Resume subscription"</Button>
                    </ActionForm>
                </Show>
                <Show when=move || can_pause>
                    <ActionForm action=actions.update>
                        {step("pause")}
                        <Button button_type="submit" kind=ButtonKind::Secondary pending=actions.update.pending()>"Pause subscription"</Button>
                    </ActionForm>
                </Show>
                <Show when=move || can_cancel>
                    <details class="group">
                        <summary class="inline-flex cursor-pointer list-none items-center rounded-md px-3 py-2 text-sm font-semibold text-rose-700 ring-1 ring-inset ring-rose-300 hover:bg-rose-50 dark:text-rose-300 dark:ring-rose-800 dark:hover:bg-rose-950">
                            "Cancel subscription…"
                        </summary>
                        <div class="mt-2 rounded-md border border-rose-200 p-3 dark:border-rose-900">
                            <p>"Cancel at the end of the paid period? You keep access until then; nothing is refunded."</p>
                            <ActionForm action=actions.update>
                                {step("cancel")}
                                <div class="mt-2">
                                    <Button button_type="submit" kind=ButtonKind::Danger pending=actions.update.pending()>"Yes, cancel at period end"</Button>
                                </div>
                            </ActionForm>
                        </div>
                    </details>
                </Show>
            </div>
        </Card>
    }
}

/// Other plans the subscription can move to now, each with a preview before confirming.
#[component]
fn ChangePlanCard(sub: Subscription, plans: Vec<Plan>, actions: Actions) -> impl IntoView {
    let changeable = matches!(
        sub.status,
        SubscriptionStatus::Active | SubscriptionStatus::Trialing
    );
    let options: Vec<Plan> = plans
        .into_iter()
        .filter(|p| {
            p.id != sub.plan_id
                && p.currency == sub.plan.currency
                && p.billing_cycle == sub.plan.billing_cycle
        })
        .collect();
    if !changeable || options.is_empty() {
        return ().into_any();
    }
    let preview = Action::new(|plan_id: &Uuid| preview_plan_change(*plan_id));
    let chosen = RwSignal::new(None::<Uuid>);
    view! {
        <Card title="Change plan">
            <p>"Switch now: you are credited for the unused time on your current plan and charged for the rest of the period on the new one."</p>
            <ul class="mt-3 divide-y divide-slate-200 dark:divide-slate-800">
                {options.into_iter().map(|plan| {
                    let id = plan.id;
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                            <span><span class="font-medium text-slate-900 dark:text-white">{plan.name.clone()}</span>" · "{money(plan.price, &plan.currency)}</span>
                            <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| { chosen.set(Some(id)); preview.dispatch(id); })>
                                {format!("Preview {}", plan.name)}
                            </Button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || preview.value().get().map(|result| match result {
                Ok(quote) => view! {
                    <div data-testid="change-preview" class="mt-4 rounded-md bg-slate-50 p-4 dark:bg-slate-800">
                        <dl class="grid grid-cols-2 gap-2">
                            <dt>"Credit for unused time"</dt><dd class="text-right">{money(quote.proration_credit, &quote.currency)}</dd>
                            <dt class="font-semibold">"Due now"</dt><dd data-testid="amount-due-now" class="text-right font-semibold">{money(quote.amount_due_now, &quote.currency)}</dd>
                            <dt>"Next billing date"</dt><dd class="text-right">{quote.next_billing_date.format("%b %-d, %Y").to_string()}</dd>
                        </dl>
                        <ActionForm action=actions.change>
                            <input type="hidden" name="plan_id" value=move || chosen.get().map(|id| id.to_string()).unwrap_or_default()/>
                            <div class="mt-3"><Button button_type="submit" pending=actions.change.pending() pending_label="Changing…">"Confirm change"</Button></div>
                        </ActionForm>
                    </div>
                }.into_any(),
                Err(e) => view! { <p role="alert" class="mt-3 text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
            })}
            <FormError result=Signal::derive(move || actions.change.value().get())/>
        </Card>
    }
    .into_any()
}

/// Plans side by side, a card to pay with, an optional coupon checked as it is typed.
#[component]
fn PlanPicker(plans: Vec<Plan>, cards: Vec<PaymentMethod>, actions: Actions) -> impl IntoView {
    if plans.is_empty() {
        return view! { <Card title="Choose a plan"><p>"No plans are on offer yet."</p></Card> }
            .into_any();
    }
    let selected = RwSignal::new(plans.first().map(|p| p.id));
    let coupon = RwSignal::new(String::new());
    let verdict = Resource::new(
        move || (coupon.get(), selected.get()),
        |(code, plan)| async move {
            match plan {
                Some(plan) if !code.trim().is_empty() => check_coupon(code, plan).await.map(Some),
                _ => Ok(None),
            }
        },
    );
    let no_cards = cards.is_empty();
    let feature = |on: bool, text: &str| {
        view! { <li>{if on { "✓ " } else { "✗ " }}{text.to_string()}</li> }
    };
    view! {
        <Card title="Choose a plan">
            <ActionForm action=actions.subscribe>
                <fieldset>
                    <legend class="sr-only">"Plan"</legend>
                    <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                        {plans.into_iter().enumerate().map(|(i, plan)| {
                            let id = plan.id;
                            view! {
                                <label class="block cursor-pointer rounded-lg border border-slate-200 p-4 has-[:checked]:border-indigo-600 has-[:checked]:ring-2 has-[:checked]:ring-indigo-600 dark:border-slate-700">
                                    <input type="radio" name="plan_id" value=id.to_string() checked=i == 0 class="sr-only" on:change=move |_| selected.set(Some(id))/>
                                    <span class="block font-semibold text-slate-900 dark:text-white">{plan.name.clone()}</span>
                                    <span class="block text-lg">{money(plan.price, &plan.currency)}<span class="text-sm text-slate-500 dark:text-slate-400">{format!(" / {}", plan.billing_cycle.as_str())}</span></span>
                                    {(plan.trial_days > 0).then(|| view! { <span class="block text-xs text-emerald-700 dark:text-emerald-300">{format!("{}-day free trial", plan.trial_days)}</span> })}
                                    <ul class="mt-2 space-y-1 text-xs">
                                        <li>{format!("{} quality", plan.max_quality.as_str())}</li>
                                        <li>{format!("{} screens at once, {} devices, {} profiles", plan.max_concurrent_streams, plan.max_devices, plan.max_profiles)}</li>
                                        {feature(plan.has_downloads, "Downloads")}
                                        {feature(!plan.has_ads, "No ads")}
                                        {feature(plan.has_hdr, "HDR")}
                                        {feature(plan.has_dolby_atmos, "Dolby Atmos")}
                                    </ul>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="mt-4 grid gap-4 sm:grid-cols-2">
                    <div>
                        <label for="field-payment_method_id" class="block text-sm font-medium text-slate-900 dark:text-slate-100">"Pay with"</label>
                        <select id="field-payment_method_id" name="payment_method_id" class=SELECT required=true>
                            {cards.iter().map(|card| view! {
                                <option value=card.id.to_string() selected=card.is_default>{format!("{} ending {}", card.brand, card.last4)}</option>
                            }).collect_view()}
                        </select>
                        {no_cards.then(|| view! { <p class="mt-1 text-xs text-amber-700 dark:text-amber-300">"Add a card below first."</p> })}
                    </div>
                    <div>
                        <label for="field-coupon_code" class="block text-sm font-medium text-slate-900 dark:text-slate-100">"Coupon code (optional)"</label>
                        <input id="field-coupon_code" name="coupon_code" type="text" autocomplete="off" aria-describedby="coupon-verdict"
                            class=SELECT on:input=move |ev| coupon.set(event_target_value(&ev))/>
                        <p id="coupon-verdict" data-testid="coupon-verdict" aria-live="polite" class="mt-1 text-xs">
                            <Transition>
                                {move || verdict.get().map(|v| match v {
                                    Ok(Some(v)) if v.valid => v.coupon.map(|c| format!("✓ {} applies{}", c.code, c.description.map(|d| format!(": {d}")).unwrap_or_default())).unwrap_or_default(),
                                    Ok(Some(v)) => format!("✗ {}", v.error_code.map(|e| e.message()).unwrap_or("This coupon cannot be used.")),
                                    Ok(None) => String::new(),
                                    Err(e) => error_text(&e),
                                })}
                            </Transition>
                        </p>
                    </div>
                </div>
                <div class="mt-4 space-y-3">
                    <FormError result=Signal::derive(move || actions.subscribe.value().get())/>
                    <Button button_type="submit" pending=actions.subscribe.pending() pending_label="Subscribing…">"Subscribe"</Button>
                </div>
            </ActionForm>
        </Card>
    }
    .into_any()
}

#[component]
fn PaymentMethods(cards: Vec<PaymentMethod>, actions: Actions) -> impl IntoView {
    let empty = cards.is_empty();
    view! {
        <Card title="Payment methods">
            {empty.then(|| view! { <p>"No saved cards yet."</p> })}
            <ul class="divide-y divide-slate-200 dark:divide-slate-800">
                {cards.into_iter().map(|card| {
                    let id = card.id.to_string();
                    let id2 = id.clone();
                    view! {
                        <li data-testid="payment-method" class="flex flex-wrap items-center justify-between gap-2 py-2">
                            <span>
                                <span class="font-medium text-slate-900 dark:text-white">{format!("{} ending {}", card.brand, card.last4)}</span>
                                {format!(" · expires {:02}/{}", card.exp_month, card.exp_year)}
                                " "
                                {card.is_default.then(|| view! { <Badge status="default"/> })}
                                {card.is_expired.then(|| view! { <Badge status="expired"/> })}
                            </span>
                            <span class="flex gap-2">
                                {(!card.is_default).then(|| view! {
                                    <ActionForm action=actions.make_default>
                                        <input type="hidden" name="id" value=id.clone()/>
                                        <Button button_type="submit" kind=ButtonKind::Secondary>"Make default"</Button>
                                    </ActionForm>
                                })}
                                <details>
                                    <summary class="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-medium text-rose-700 hover:bg-rose-50 dark:text-rose-300 dark:hover:bg-rose-950">"Remove…"</summary>
                                    <ActionForm action=actions.remove_card>
                                        <input type="hidden" name="id" value=id2/>
                                        <Button button_type="submit" kind=ButtonKind::Danger>"Yes, remove this card"</Button>
                                    </ActionForm>
                                </details>
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <FormError result=Signal::derive(move || actions.remove_card.value().get())/>
            <ActionForm action=actions.add_card>
                <div class="mt-4 grid gap-4 border-t border-slate-200 pt-4 sm:grid-cols-2 dark:border-slate-800">
                    <div>
                        <label for="field-token" class="block text-sm font-medium text-slate-900 dark:text-slate-100">"Test card"</label>
                        <select id="field-token" name="token" class=SELECT>
                            {TEST_CARDS.iter().map(|(token, label)| view! { <option value=*token>{*label}</option> }).collect_view()}
                        </select>
                        <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">"Payments run on the sandbox gateway: choose one of its test cards."</p>
                    </div>
                    <TextField label="Name on card" name="billing_name" autocomplete="cc-name"/>
                </div>
                <div class="mt-3 space-y-3">
                    <FormError result=Signal::derive(move || actions.add_card.value().get())/>
                    <Button button_type="submit" pending=actions.add_card.pending() pending_label="Adding…">"Add card"</Button>
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn GiftCardForm(actions: Actions) -> impl IntoView {
    view! {
        <Card title="Redeem a gift card">
            <ActionForm action=actions.redeem>
                <div class="space-y-3">
                    <TextField label="Gift card code" name="code" autocomplete="off" hint="Letters and digits; dashes and spaces are optional."/>
                    <FormError result=Signal::derive(move || actions.redeem.value().get())/>
                    {move || actions.redeem.value().get().and_then(Result::ok).map(|text| view! {
                        <p role="status" data-testid="gift-card-result" class="text-emerald-700 dark:text-emerald-300">{text}</p>
                    })}
                    <Button button_type="submit" pending=actions.redeem.pending() pending_label="Redeeming…">"Redeem"</Button>
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn Invoices(invoices: Vec<Invoice>) -> impl IntoView {
    if invoices.is_empty() {
        return view! { <Card title="Invoices"><p>"No invoices yet."</p></Card> }.into_any();
    }
    view! {
        <Card title="Invoices">
            <table class="w-full text-left">
                <thead class="text-xs uppercase text-slate-500 dark:text-slate-400">
                    <tr><th scope="col" class="py-2">"Number"</th><th scope="col">"Date"</th><th scope="col">"Status"</th><th scope="col" class="text-right">"Amount"</th></tr>
                </thead>
                <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                    {invoices.into_iter().map(|invoice| view! {
                        <tr data-testid="invoice-row">
                            <td class="py-2"><a href=format!("/account/invoices/{}", invoice.id) class=LINK>{invoice.invoice_number.clone()}</a></td>
                            <td title=date_time(invoice.created_at)>{date(invoice.created_at)}</td>
                            <td><Badge status=invoice.status.as_str()/></td>
                            <td class="text-right tabular-nums">{money(invoice.amount_due, &invoice.currency)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Card>
    }
    .into_any()
}
