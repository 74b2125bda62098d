//! `/admin/gift-cards`: generate up to 500 gift cards at once. The run goes in batches
//! with a progress bar; the new codes are listed once and offered as a CSV download.

use crate::api::admin_gift_cards::{csv_data_url, generate_gift_card_batch, to_csv, BATCH};
use crate::model::gift_card::GiftCard;
use crate::pages::admin::{AdminFrame, INPUT};
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::error_text;
use crate::ui::format::money;
use crate::ui::layout::PageHeader;
use crate::ui::progress::ProgressBar;
use leptos::prelude::*;

const MAX_QUANTITY: u32 = 500;

#[component]
pub fn AdminGiftCardsPage() -> impl IntoView {
    let quantity = RwSignal::new(String::from("10"));
    let value = RwSignal::new(String::from("25"));
    let currency = RwSignal::new(String::from("USD"));
    let expires_on = RwSignal::new(String::new());
    let total = RwSignal::new(0u32);
    let cards = RwSignal::new(Vec::<GiftCard>::new());
    let running = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = Signal::derive(move || cards.with(|c| c.len() as u32));

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if running.get_untracked() {
            return;
        }
        let wanted = match quantity.get_untracked().trim().parse::<u32>() {
            Ok(n) if (1..=MAX_QUANTITY).contains(&n) => n,
            _ => {
                error.set(Some(format!(
                    "quantity: must be between 1 and {MAX_QUANTITY}"
                )));
                return;
            }
        };
        error.set(None);
        cards.set(Vec::new());
        total.set(wanted);
        running.set(true);
        let (value, currency, expires_on) = (
            value.get_untracked(),
            currency.get_untracked(),
            expires_on.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let mut left = wanted;
            while left > 0 {
                let batch = left.min(BATCH);
                match generate_gift_card_batch(
                    batch,
                    value.clone(),
                    currency.clone(),
                    expires_on.clone(),
                )
                .await
                {
                    Ok(new) => {
                        cards.update(|all| all.extend(new));
                        left -= batch;
                    }
                    Err(e) => {
                        error.set(Some(error_text(&e)));
                        break;
                    }
                }
            }
            running.set(false);
        });
    };

    let field = |id: &'static str,
                 label: &'static str,
                 kind: &'static str,
                 signal: RwSignal<String>,
                 hint: &'static str| {
        let hint_id = format!("{id}-hint");
        view! {
            <div>
                <label for=id class="block text-sm font-medium">{label}</label>
                <input id=id type=kind class=INPUT required=kind != "date" prop:value=move || signal.get()
                    aria-describedby=hint_id.clone()
                    on:input=move |ev| signal.set(event_target_value(&ev))/>
                <p id=hint_id class="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p>
            </div>
        }
    };

    view! {
        <PageHeader title="Gift cards" lead="Generate gift cards in bulk. Their codes are shown once: download them before leaving the page."/>
        <AdminFrame>
            <div class="max-w-3xl space-y-6">
                <Card title="Generate">
                    <form on:submit=start class="grid gap-4 sm:grid-cols-2">
                        {field("gift-quantity", "How many", "number", quantity, "1 to 500.")}
                        {field("gift-value", "Value of each", "text", value, "Such as 25 or 9.99.")}
                        {field("gift-currency", "Currency", "text", currency, "ISO 4217, such as USD.")}
                        {field("gift-expires", "Valid until", "date", expires_on, "Optional; the end of that day, UTC.")}
                        <div class="sm:col-span-2">
                            <Button button_type="submit" pending=Signal::derive(move || running.get()) pending_label="Generating…">"Generate gift cards"</Button>
                        </div>
                    </form>
                    {move || error.get().map(|message| view! {
                        <div role="alert" class="mt-3 rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200">{message}</div>
                    })}
                    {move || (total.get() > 0).then(|| view! {
                        <div class="mt-4"><ProgressBar label="Gift cards generated" done total/></div>
                    })}
                </Card>
                {move || {
                    let list = cards.get();
                    (!list.is_empty() && !running.get()).then(|| {
                        let href = csv_data_url(&to_csv(&list));
                        view! {
                            <Card title=format!("{} new gift cards", list.len())>
                                <a data-testid="gift-cards-csv" href=href download="gift-cards.csv"
                                    class="inline-flex rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
                                    "Download CSV"
                                </a>
                                <ul data-testid="gift-card-codes" class="mt-4 divide-y divide-slate-200 font-mono text-sm dark:divide-slate-800">
                                    {list.into_iter().map(|card| view! {
                                        <li class="flex justify-between gap-3 py-1">
                                            <span>{card.code.clone()}</span>
                                            <span class="tabular-nums">{money(card.initial_value, &card.currency)}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </Card>
                        }
                    })
                }}
            </div>
        </AdminFrame>
    }
}
