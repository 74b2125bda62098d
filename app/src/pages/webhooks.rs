//! `/dashboard/webhooks`: the creator's webhook endpoints. Registering one shows its
//! signing secret once; each endpoint lists its events and status, sends a test event,
//! is removed after a confirmation, and opens its delivery log (status, attempts, the
//! last response) where a delivery can be replayed.

use crate::api::webhooks::{
    dashboard_webhooks, webhook_deliveries, CreateWebhook, DeleteWebhook, ReplayWebhookDelivery,
    SendTestWebhook,
};
use crate::model::webhook::{Webhook, WebhookDelivery, EVENT_TYPES};
use crate::pages::dashboard::{ChosenCreator, DashboardNav};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::dialog::Dialog;
use crate::ui::form::{successes, CheckboxGroup, FormError, TextField};
use crate::ui::format::date_time;
use crate::ui::layout::PageHeader;
use crate::ui::poll::refetch_while;
use crate::ui::table::{Column, PagedTable, Table, CELL, NUMBER};
use leptos::prelude::*;
use std::time::Duration;
use uuid::Uuid;

/// How often a delivery log looks again while a delivery waits for its first attempt.
const DELIVERY_POLL: Duration = Duration::from_secs(2);

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    let create = ServerAction::<CreateWebhook>::new();
    let remove = ServerAction::<DeleteWebhook>::new();
    let created = successes(create.version(), create.value());
    let panel = Resource::new(
        move || (chosen.get(), created.get(), remove.version().get()),
        |(creator, _, _)| dashboard_webhooks(creator),
    );
    view! {
        <PageHeader title="Webhooks" lead="Tell your own systems when members join, upgrade, churn or tip: Encora posts each event, signed, to your endpoints."/>
        <DashboardNav/>
        <ChosenCreator panel chosen loading="Loading webhooks…" content={move |creator, endpoints: Vec<Webhook>| view! {
            <div class="grid gap-6 lg:grid-cols-5">
                <div class="lg:col-span-2"><NewEndpoint creator=creator.id create/></div>
                <section aria-labelledby="endpoints-heading" class="lg:col-span-3">
                    <h2 id="endpoints-heading" class="mb-3 text-lg font-semibold text-slate-900 dark:text-white">"Endpoints"</h2>
                    <Endpoints endpoints remove/>
                </section>
            </div>
        }}/>
    }
}

#[component]
fn NewEndpoint(creator: Uuid, create: ServerAction<CreateWebhook>) -> impl IntoView {
    let events = EVENT_TYPES
        .iter()
        .map(|e| (e.to_string(), event_label(e)))
        .collect::<Vec<_>>();
    let secret = move || match create.value().get() {
        Some(Ok(created)) => Some(view! {
            <div data-testid="webhook-secret" role="status" class="mt-4 rounded-md bg-emerald-50 p-4 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
                <p class="font-medium">{format!("Registered {}. Its signing secret:", created.webhook.url)}</p>
                <code class="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-slate-900 dark:bg-slate-900 dark:text-white">{created.secret}</code>
                <p class="mt-2">"Copy it now: it is not shown again. Verify each delivery's webhook-signature header with it (Standard Webhooks)."</p>
            </div>
        }),
        _ => None,
    };
    view! {
        <Card title="New endpoint">
            <ActionForm action=create>
                <input type="hidden" name="creator_id" value=creator.to_string()/>
                <div class="space-y-4">
                    <TextField label="URL" name="url" input_type="url" required=true max_length=2000usize
                        hint="https:// address of your receiver; private and loopback addresses are refused."/>
                    <CheckboxGroup legend="Events" name="events" options=events/>
                    <FormError result=create.value()/>
                    <Button button_type="submit" pending=create.pending() pending_label="Registering…">"Register endpoint"</Button>
                </div>
            </ActionForm>
            {secret}
        </Card>
    }
}

/// `audience.member_joined` → "member joined".
fn event_label(event: &str) -> String {
    event.trim_start_matches("audience.").replace('_', " ")
}

#[component]
fn Endpoints(endpoints: Vec<Webhook>, remove: ServerAction<DeleteWebhook>) -> impl IntoView {
    if endpoints.is_empty() {
        return view! {
            <p data-testid="no-webhooks" class="rounded-lg border border-dashed border-slate-300 p-6 dark:border-slate-700">
                "No endpoint yet. Register one and Encora posts the events you choose to it, retrying for about three days when it is down."
            </p>
        }
        .into_any();
    }
    view! {
        <FormError result=remove.value()/>
        <ul data-testid="webhooks" class="space-y-4">
            {endpoints.into_iter().map(|webhook| view! { <Endpoint webhook remove/> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Endpoint(webhook: Webhook, remove: ServerAction<DeleteWebhook>) -> impl IntoView {
    let id = webhook.id;
    let test = ServerAction::<SendTestWebhook>::new();
    let replay = ServerAction::<ReplayWebhookDelivery>::new();
    let done = Signal::derive(move || remove.version().get());
    let opened = RwSignal::new(false);
    let enabled = webhook.status == "enabled";
    let events = webhook
        .events
        .iter()
        .map(|e| event_label(e))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h3 class="break-all font-mono text-sm font-semibold text-slate-900 dark:text-white">{webhook.url.clone()}</h3>
                <Badge status=webhook.status.clone()/>
            </div>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{events}</p>
            {webhook.disabled_reason.clone().map(|why| view! { <p class="mt-1 text-sm text-rose-700 dark:text-rose-300">{why}</p> })}
            <div class="mt-3 flex flex-wrap gap-2">
                {enabled.then(|| view! {
                    <ActionForm action=test>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <Button button_type="submit" kind=ButtonKind::Secondary pending=test.pending() pending_label="Sending…">"Send test event"</Button>
                    </ActionForm>
                })}
                <Dialog open_label="Remove…" title="Remove this endpoint" kind=ButtonKind::Danger done id=format!("remove-{id}")>
                    <p class="mb-3">{format!("Encora stops posting to {} and forgets its delivery log.", webhook.url)}</p>
                    <ActionForm action=remove>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <Button button_type="submit" kind=ButtonKind::Danger pending=remove.pending() pending_label="Removing…">"Remove endpoint"</Button>
                    </ActionForm>
                </Dialog>
            </div>
            <FormError result=test.value()/>
            <FormError result=replay.value()/>
            // The log loads the first time it is opened, and stays: the server would
            // otherwise read every endpoint's log for a page that shows none of them.
            <details class="mt-4" on:toggle=move |_| opened.set(true)>
                <summary class="cursor-pointer text-sm font-medium">"Delivery log"</summary>
                <div class="mt-3">
                    {move || opened.get().then(|| view! { <Deliveries endpoint=id test replay enabled/> })}
                </div>
            </details>
        </li>
    }
}

#[component]
fn Deliveries(
    endpoint: Uuid,
    test: ServerAction<SendTestWebhook>,
    replay: ServerAction<ReplayWebhookDelivery>,
    enabled: bool,
) -> impl IntoView {
    let cursor = RwSignal::new(None::<String>);
    let log = Resource::new(
        move || (cursor.get(), test.version().get(), replay.version().get()),
        move |(cursor, _, _)| webhook_deliveries(endpoint, cursor),
    );
    // A new delivery is attempted within seconds: look again until it has been.
    refetch_while(log, DELIVERY_POLL, |page| {
        page.data
            .iter()
            .any(|d| d.status == "pending" && d.attempts == 0)
    });
    view! {
        <PagedTable rows=Signal::derive(move || log.get()) cursor loading="Loading deliveries…" empty="Nothing delivered yet: events appear here as they happen, or send a test event." empty_testid="no-deliveries"
            render=move |deliveries| view! { <DeliveryTable deliveries endpoint replay enabled/> }/>
    }
}

const COLUMNS: [Column; 6] = [
    Column::new("Event"),
    Column::new("Status"),
    Column::numeric("Attempts"),
    Column::new("Last response"),
    Column::new("When"),
    Column::new("Replay"),
];

#[component]
fn DeliveryTable(
    deliveries: Vec<WebhookDelivery>,
    endpoint: Uuid,
    replay: ServerAction<ReplayWebhookDelivery>,
    enabled: bool,
) -> impl IntoView {
    view! {
        <Table testid="deliveries" columns=&COLUMNS>
            {deliveries.into_iter().map(|d| {
                let response = match (d.last_status_code, d.last_error.clone()) {
                    (Some(code), _) => format!("HTTP {code}"),
                    (None, Some(error)) => error,
                    (None, None) => "—".to_string(),
                };
                let when = match (d.delivered_at, d.next_attempt_at) {
                    (Some(at), _) => format!("Delivered {}", date_time(at)),
                    (None, Some(at)) if d.status == "pending" => format!("Next try {}", date_time(at)),
                    _ => format!("Created {}", date_time(d.created_at)),
                };
                view! {
                    <tr>
                        <td class=CELL>
                            <span class="block font-medium">{d.event_type.clone()}</span>
                            <span class="block font-mono text-xs text-slate-500 dark:text-slate-400">{d.message_id.clone()}</span>
                        </td>
                        <td class=CELL><Badge status=d.status.clone()/></td>
                        <td class=NUMBER>{d.attempts}</td>
                        <td class=CELL>{response}</td>
                        <td class="px-4 py-3 whitespace-nowrap">{when}</td>
                        <td class=CELL>
                            {(enabled && d.status != "pending").then(|| view! {
                                <ActionForm action=replay>
                                    <input type="hidden" name="id" value=endpoint.to_string()/>
                                    <input type="hidden" name="delivery_id" value=d.id.to_string()/>
                                    <Button button_type="submit" kind=ButtonKind::Secondary pending=replay.pending()>"Replay"</Button>
                                </ActionForm>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </Table>
    }
}
