//! `/account/notifications`: what the platform told you, newest first, with an
//! unread filter, paging and mark as read.

use crate::api::account::{load_notifications, MarkNotification};
use crate::model::notification::Notification;
use crate::pages::account::{AccountNav, SignedOut};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::form::{error_text, FormError};
use crate::ui::format::date_time;
use crate::ui::layout::{InboxChanged, PageHeader};
use leptos::prelude::*;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark = ServerAction::<MarkNotification>::new();
    let unread_only = RwSignal::new(false);
    let cursor = RwSignal::new(None::<String>);
    let page = Resource::new(
        move || (unread_only.get(), cursor.get(), mark.version().get()),
        |(unread, cursor, _)| load_notifications(unread, cursor),
    );
    // Marking one read changes the header's unread count too.
    if let Some(InboxChanged(changed)) = use_context::<InboxChanged>() {
        Effect::new(move |previous: Option<usize>| {
            let version = mark.version().get();
            if previous.is_some_and(|p| p != version) {
                changed.update(|n| *n += 1);
            }
            version
        });
    }
    view! {
        <PageHeader title="Notifications" lead="Payments, security and news from the creators you follow."/>
        <AccountNav/>
        <div class="max-w-3xl">
            <label class="mb-4 flex items-center gap-2 text-sm">
                <input type="checkbox" class="h-4 w-4 rounded border-slate-300 text-indigo-600"
                    on:change=move |ev| { unread_only.set(event_target_checked(&ev)); cursor.set(None); }/>
                "Unread only"
            </label>
            <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading notifications…"</p> }>
                {move || page.get().map(|result| match result {
                    Ok(page) => view! {
                        <Card title=format!("{} unread", page.unread_count)>
                            {if page.data.is_empty() {
                                view! { <p data-testid="no-notifications">"Nothing here yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul data-testid="notifications" class="divide-y divide-slate-200 dark:divide-slate-800">
                                        {page.data.into_iter().map(|n| view! { <NotificationRow n mark/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <FormError result=mark.value()/>
                            <nav aria-label="Pages" class="mt-4 flex gap-2">
                                {page.meta.prev_cursor.clone().map(|c| view! {
                                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| cursor.set(Some(c.clone())))>"Newer"</Button>
                                })}
                                {page.meta.next_cursor.clone().map(|c| view! {
                                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| cursor.set(Some(c.clone())))>"Older"</Button>
                                })}
                            </nav>
                        </Card>
                    }.into_any(),
                    Err(e) => view! { <SignedOut error=error_text(&e)/> }.into_any(),
                })}
            </Transition>
        </div>
    }
}

#[component]
fn NotificationRow(n: Notification, mark: ServerAction<MarkNotification>) -> impl IntoView {
    let (label, next) = if n.is_read {
        ("Mark unread", "false")
    } else {
        ("Mark read", "true")
    };
    view! {
        <li class="flex flex-wrap items-start justify-between gap-3 py-3">
            <div class=if n.is_read { "opacity-70" } else { "" }>
                <p class="font-medium text-slate-900 dark:text-white">
                    {n.title.clone()}
                    {(!n.is_read).then(|| view! { <span class="ml-2"><Badge status="new"/></span> })}
                </p>
                <p>{n.body.clone()}</p>
                <p class="text-xs text-slate-500 dark:text-slate-400">{date_time(n.created_at)}</p>
            </div>
            <ActionForm action=mark>
                <input type="hidden" name="id" value=n.id.to_string()/>
                <input type="hidden" name="is_read" value=next/>
                <Button button_type="submit" kind=ButtonKind::Secondary pending=mark.pending()>{label}</Button>
            </ActionForm>
        </li>
    }
}
