//! `/account/privacy`: a copy of your data (export) and deleting the account with its
//! 30-day grace period.

use crate::api::account::{
    load_privacy, CancelDeletion, PrivacyOverview, RequestDeletion, RequestExport,
};
use crate::model::privacy::{DataExport, DeletionRequest};
use crate::pages::account::{AccountNav, SignedOut};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::form::{error_text, FormError, TextField};
use crate::ui::format::{date, date_time, relative_days};
use crate::ui::layout::PageHeader;
use crate::ui::poll::refetch_while;
use leptos::prelude::*;

/// How often the page looks again while the export is being prepared.
const EXPORT_POLL: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Clone, Copy)]
struct Actions {
    export: ServerAction<RequestExport>,
    delete: ServerAction<RequestDeletion>,
    keep: ServerAction<CancelDeletion>,
    refresh: RwSignal<u32>,
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let actions = Actions {
        export: ServerAction::new(),
        delete: ServerAction::new(),
        keep: ServerAction::new(),
        refresh: RwSignal::new(0),
    };
    let overview = Resource::new(
        move || {
            (
                actions.export.version().get(),
                actions.delete.version().get(),
                actions.keep.version().get(),
                actions.refresh.get(),
            )
        },
        |_| load_privacy(),
    );
    // The export is written by a background job: look again until it is ready.
    refetch_while(overview, EXPORT_POLL, |o| {
        o.export.as_ref().is_some_and(|e| e.status == "pending")
    });
    view! {
        <PageHeader title="Privacy" lead="Get a copy of everything we store about you, or delete your account."/>
        <AccountNav/>
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading…"</p> }>
            {move || overview.get().map(|result| match result {
                Ok(PrivacyOverview { export, deletion, now }) => view! {
                    <div class="max-w-3xl space-y-6">
                        <ExportCard export actions/>
                        <DeletionCard deletion now actions/>
                    </div>
                }.into_any(),
                Err(e) => view! { <SignedOut error=error_text(&e)/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ExportCard(export: Option<DataExport>, actions: Actions) -> impl IntoView {
    let pending = export.as_ref().is_some_and(|e| e.status == "pending");
    view! {
        <Card title="Your data">
            <p>"One JSON file with your account, profiles, subscriptions, invoices, payment methods (never card numbers), notifications and sign-ins. We email you a link when it is ready; the link works for 24 hours."</p>
            {export.map(|e| view! {
                <div data-testid="export-status" class="mt-3 flex flex-wrap items-center gap-2">
                    <Badge status=e.status.clone()/>
                    <span>{format!("Requested {}", date_time(e.requested_at))}</span>
                    {e.download_url.clone().map(|url| view! {
                        <a href=url download="" data-testid="export-download" class="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                            {format!("Download ({} KB)", (e.size_bytes.unwrap_or(0) + 1023) / 1024)}
                        </a>
                    })}
                    {e.expires_at.filter(|_| e.status == "ready").map(|at| view! { <span class="text-xs text-slate-500 dark:text-slate-400">{format!("Link valid until {}", date_time(at))}</span> })}
                </div>
            })}
            <div class="mt-4 flex gap-2">
                {if pending {
                    view! {
                        <p role="status" class="self-center">"Preparing your file… this page updates by itself."</p>
                        <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| actions.refresh.update(|n| *n += 1))>"Check again"</Button>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action=actions.export>
                            <Button button_type="submit" pending=actions.export.pending() pending_label="Requesting…">"Request a copy of my data"</Button>
                        </ActionForm>
                    }.into_any()
                }}
            </div>
            <div class="mt-3"><FormError result=actions.export.value()/></div>
        </Card>
    }
}

#[component]
fn DeletionCard(
    deletion: Option<DeletionRequest>,
    now: chrono::DateTime<chrono::Utc>,
    actions: Actions,
) -> impl IntoView {
    match deletion {
        Some(request) => view! {
            <Card title="Account deletion scheduled">
                <p data-testid="deletion-scheduled">{format!(
                    "Your account and personal data will be erased on {} ({}). Your subscriptions have ended. Until then you can change your mind.",
                    date(request.scheduled_deletion_at),
                    relative_days(request.scheduled_deletion_at, now)
                )}</p>
                <ActionForm action=actions.keep>
                    <div class="mt-3"><Button button_type="submit" pending=actions.keep.pending()>"Keep my account"</Button></div>
                </ActionForm>
                <div class="mt-3"><FormError result=actions.keep.value()/></div>
            </Card>
        }.into_any(),
        None => view! {
            <Card title="Delete your account">
                <p>"Your subscriptions end at once, without refund. Your personal data is erased after 30 days; until then you can sign in and cancel. Invoices are kept, without your name, as the law requires."</p>
                <details class="mt-3">
                    <summary class="inline-flex cursor-pointer list-none items-center rounded-md px-3 py-2 text-sm font-semibold text-rose-700 ring-1 ring-inset ring-rose-300 hover:bg-rose-50 dark:text-rose-300 dark:ring-rose-800 dark:hover:bg-rose-950">
                        "Delete my account…"
                    </summary>
                    <ActionForm action=actions.delete>
                        <div class="mt-3 grid gap-4 rounded-md border border-rose-200 p-3 sm:grid-cols-2 dark:border-rose-900">
                            <TextField label="Your password" name="password" input_type="password" autocomplete="current-password" required=true/>
                            <TextField label="Why are you leaving? (optional)" name="reason" max_length=500usize/>
                            <div class="sm:col-span-2">
                                <Button button_type="submit" kind=ButtonKind::Danger pending=actions.delete.pending() pending_label="Scheduling…">"Yes, delete my account in 30 days"</Button>
                            </div>
                        </div>
                    </ActionForm>
                </details>
                <div class="mt-3"><FormError result=actions.delete.value()/></div>
            </Card>
        }.into_any(),
    }
}
