//! `/dashboard/announcements`: news for the creator's members. The composer chooses
//! who sees it (everyone, paying members, chosen tiers), pins it, and notifies over
//! in-app notifications and email; the list shows each announcement with how far
//! notifying got, refreshing itself while a delivery is under way.

use crate::api::announcements::{
    announcement_list, dashboard_announcements, AnnouncementsPanel, CreateAnnouncement,
};
use crate::model::announcement::{Announcement, AnnouncementDelivery, Visibility};
use crate::model::page::Page;
use crate::pages::admin::{INPUT, SELECT};
use crate::pages::dashboard::{ChosenCreator, DashboardNav};
use crate::ui::badge::Badge;
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::{successes, Checkbox, CheckboxGroup, FormError, TextField};
use crate::ui::format::date_time;
use crate::ui::layout::PageHeader;
use crate::ui::poll::again_while;
use crate::ui::preloaded::preloaded;
use crate::ui::table::{Column, PagedTable, Table, CELL};
use leptos::prelude::*;
use std::time::Duration;
use uuid::Uuid;

/// How often the list looks again while an announcement is being sent.
const DELIVERY_POLL: Duration = Duration::from_secs(2);

#[component]
pub fn AnnouncementsPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    let panel = Resource::new(move || chosen.get(), dashboard_announcements);
    view! {
        <PageHeader title="Announcements" lead="News for your members: who sees it, whether it stays on top, and whether to notify them."/>
        <DashboardNav/>
        <ChosenCreator panel chosen loading="Loading announcements…" content={|creator, AnnouncementsPanel { tiers, announcements }| view! {
            <Announcements creator=creator.id tiers announcements/>
        }}/>
    }
}

#[component]
fn Announcements(
    creator: Uuid,
    tiers: Vec<(Uuid, String)>,
    announcements: Page<Announcement>,
) -> impl IntoView {
    let create = ServerAction::<CreateAnnouncement>::new();
    let published = successes(create.version(), create.value());
    let cursor = RwSignal::new(None::<String>);
    let looks = RwSignal::new(0u32);
    let list = preloaded(
        Ok(announcements),
        move || (cursor.get(), published.get(), looks.get()),
        move |(cursor, _, _)| announcement_list(creator, cursor),
    );
    // Members are notified by a background job: look again until it is done.
    again_while(
        list,
        DELIVERY_POLL,
        |page| page.data.iter().any(is_sending),
        move || looks.update(|n| *n += 1),
    );
    let names = tiers.clone();
    view! {
        <div class="grid gap-6 lg:grid-cols-5">
            <div class="lg:col-span-2"><Composer creator tiers create/></div>
            <section aria-labelledby="announcements-heading" class="lg:col-span-3">
                <h2 id="announcements-heading" class="mb-3 text-lg font-semibold text-slate-900 dark:text-white">"Published"</h2>
                <PagedTable rows=list cursor loading="Loading announcements…" empty="Nothing announced yet: your members see what you publish here on your page." empty_testid="no-announcements"
                    render=move |items| view! { <AnnouncementTable items tiers=names.clone()/> }/>
            </section>
        </div>
    }
}

fn is_sending(announcement: &Announcement) -> bool {
    announcement
        .delivery
        .as_ref()
        .is_some_and(|d| d.status == "queued")
}

#[component]
fn Composer(
    creator: Uuid,
    tiers: Vec<(Uuid, String)>,
    create: ServerAction<CreateAnnouncement>,
) -> impl IntoView {
    let visibility = RwSignal::new(Visibility::AllMembers.as_str().to_string());
    let tier_options = tiers
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect::<Vec<_>>();
    view! {
        <Card title="New announcement">
            <ActionForm action=create>
                <input type="hidden" name="creator_id" value=creator.to_string()/>
                <div class="space-y-4">
                    <TextField label="Title" name="title" required=true max_length=200usize/>
                    <div>
                        <label for="announcement-content" class="block text-sm font-medium">"Message"</label>
                        <textarea id="announcement-content" name="content" required=true maxlength="10000" rows="6" class=INPUT></textarea>
                    </div>
                    <div>
                        <label for="announcement-visibility" class="block text-sm font-medium">"Who sees it"</label>
                        <select id="announcement-visibility" name="visibility" class=SELECT
                            on:change=move |ev| visibility.set(event_target_value(&ev))>
                            <option value="all_members">"All members"</option>
                            <option value="paid_members">"Paying members"</option>
                            <option value="specific_tiers">"Members of chosen tiers"</option>
                        </select>
                    </div>
                    <div class:hidden=move || visibility.get() != "specific_tiers">
                        <CheckboxGroup legend="Tiers" name="tier_ids" options=tier_options/>
                    </div>
                    <Checkbox label="Pin it above the others" name="pin"/>
                    <fieldset class="space-y-2">
                        <legend class="text-sm font-medium">"Notify members by"</legend>
                        <Checkbox label="In-app notification" name="push" checked=true/>
                        <Checkbox label="Email" name="email"/>
                        <p class="text-xs text-slate-500 dark:text-slate-400">"Members who turned off \"New content\" are not notified. Untick both to publish quietly."</p>
                    </fieldset>
                    <FormError result=create.value()/>
                    <Button button_type="submit" pending=create.pending() pending_label="Publishing…">"Publish"</Button>
                </div>
            </ActionForm>
        </Card>
    }
}

const COLUMNS: [Column; 4] = [
    Column::new("Announcement"),
    Column::new("Who sees it"),
    Column::new("Posted"),
    Column::new("Notified"),
];

#[component]
fn AnnouncementTable(items: Vec<Announcement>, tiers: Vec<(Uuid, String)>) -> impl IntoView {
    let audience = move |a: &Announcement| match a.visibility {
        Visibility::AllMembers => "All members".to_string(),
        Visibility::PaidMembers => "Paying members".to_string(),
        Visibility::SpecificTiers => {
            let names: Vec<&str> = tiers
                .iter()
                .filter(|(id, _)| a.tier_ids.contains(id))
                .map(|(_, name)| name.as_str())
                .collect();
            format!("Tiers: {}", names.join(", "))
        }
    };
    view! {
        <Table testid="announcements" columns=&COLUMNS>
            {items.into_iter().map(|a| view! {
                <tr>
                    <td class=CELL>
                        <span class="flex items-center gap-2 font-medium">
                            {a.title.clone()}
                            {a.pinned.then(|| view! { <Badge status="pinned"/> })}
                        </span>
                        <span class="mt-1 block max-w-md whitespace-pre-line text-xs text-slate-600 dark:text-slate-400">{a.content.clone()}</span>
                    </td>
                    <td class=CELL>{audience(&a)}</td>
                    <td class="px-4 py-3 whitespace-nowrap">{date_time(a.created_at)}</td>
                    <td class=CELL>{a.delivery.map(|d| view! { <Delivery delivery=d/> })}</td>
                </tr>
            }).collect_view()}
        </Table>
    }
}

#[component]
fn Delivery(delivery: AnnouncementDelivery) -> impl IntoView {
    let members = |n: u64| {
        if n == 1 {
            "1 member".to_string()
        } else {
            format!("{n} members")
        }
    };
    let text = match delivery.status.as_str() {
        "none" => "Not notified".to_string(),
        "queued" => format!("Sending… {} so far", members(delivery.recipients)),
        _ => format!(
            "{} · {} in-app · {} emails",
            members(delivery.recipients),
            delivery.push_sent,
            delivery.email_sent
        ),
    };
    view! { <span data-testid="delivery" aria-live="polite">{text}</span> }
}
