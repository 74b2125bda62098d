use crate::api::system::SystemStatus;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <PageHeader
            title="Creator memberships and subscriber billing"
            lead="Encora runs your memberships, tiers, tips and subscriber accounts on your own server, with a documented REST API under /api/v1."
        />
        <div class="grid gap-6 md:grid-cols-3">
            <Card title="Subscribers">
                <p>"Profile, sub-profiles, the platform subscription, memberships, invoices and payment methods."</p>
                <a class="mt-3 inline-block font-medium text-indigo-600 hover:underline dark:text-indigo-400" href="/account">"Go to your account"</a>
            </Card>
            <Card title="Creators">
                <p>"Audience, tiers, engagement and revenue analytics, campaigns, tips and community."</p>
                <a class="mt-3 inline-block font-medium text-indigo-600 hover:underline dark:text-indigo-400" href="/dashboard">"Open the creator dashboard"</a>
            </Card>
            <Card title="Administrators">
                <p>"Users, roles, plans, coupons, gift cards, refunds and the audit log."</p>
                <a class="mt-3 inline-block font-medium text-indigo-600 hover:underline dark:text-indigo-400" href="/admin">"Open the admin console"</a>
            </Card>
        </div>
        <div class="mt-8">
            <StatusCheck/>
        </div>
    }
}

/// Asks the server (through a server function) whether it and its database answer.
#[component]
fn StatusCheck() -> impl IntoView {
    let check = ServerAction::<SystemStatus>::new();
    let pending = check.pending();
    let result = check.value();

    view! {
        <Card title="System status">
            <p>"Ask the server whether it and its database are answering."</p>
            <div class="mt-4 flex flex-wrap items-center gap-4">
                <Button
                    kind=ButtonKind::Secondary
                    pending=pending
                    pending_label="Checking…"
                    on_click=Callback::new(move |_| {
                        check.dispatch(SystemStatus {});
                    })
                >
                    "Check status"
                </Button>
                <p role="status" aria-live="polite" data-testid="status-result">
                    {move || match result.get() {
                        None => view! { <span class="text-slate-500 dark:text-slate-400">"Not checked yet."</span> }.into_any(),
                        Some(Ok(health)) => view! {
                            <span class="font-medium text-emerald-700 dark:text-emerald-400">
                                {format!(
                                    "Server {} · database {} · version {}",
                                    health.status,
                                    health.database.as_str(),
                                    health.version,
                                )}
                            </span>
                        }.into_any(),
                        Some(Err(e)) => view! {
                            <span class="font-medium text-rose-700 dark:text-rose-400">
                                {format!("The server did not answer: {e}")}
                            </span>
                        }.into_any(),
                    }}
                </p>
            </div>
        </Card>
    }
}
