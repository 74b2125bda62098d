//! `/dashboard/campaigns`: the campaign composer (segment and filters with the audience
//! counted as they change, message, optional discount offer, channels, schedule) and the
//! creator's campaigns with their sent, delivered and redeemed figures.

use crate::api::campaigns::{
    campaign_audience, campaign_list, dashboard_campaigns, AudienceFields, CampaignsPanel,
    CreateCampaign,
};
use crate::model::campaign::Campaign;
use crate::pages::admin::{INPUT, SELECT};
use crate::pages::dashboard::{ChosenCreator, DashboardNav};
use crate::ui::badge::Badge;
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::{Checkbox, FormError, TextField};
use crate::ui::format::date_time;
use crate::ui::layout::PageHeader;
use crate::ui::preloaded::preloaded;
use crate::ui::table::{Column, PagedTable, Table, CELL, NUMBER};
use leptos::prelude::*;
use uuid::Uuid;

const SEGMENTS: [(&str, &str); 6] = [
    ("all", "Everyone, current and former"),
    ("inactive", "Inactive"),
    ("casual", "Casual"),
    ("engaged", "Engaged"),
    ("superfan", "Superfans"),
    ("churned", "Former members"),
];

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    let panel = Resource::new(move || chosen.get(), dashboard_campaigns);
    view! {
        <PageHeader title="Campaigns" lead="Win members back or reward your fans: pick who, say what, add an offer, send now or later."/>
        <DashboardNav/>
        <ChosenCreator panel chosen loading="Loading campaigns…" content={|creator, panel: CampaignsPanel| view! {
            <Campaigns creator=creator.id panel/>
        }}/>
    }
}

#[component]
fn Campaigns(creator: Uuid, panel: CampaignsPanel) -> impl IntoView {
    let create = ServerAction::<CreateCampaign>::new();
    let cursor = RwSignal::new(None::<String>);
    let list = preloaded(
        Ok(panel.campaigns),
        move || (cursor.get(), create.version().get()),
        move |(cursor, _)| campaign_list(creator, cursor),
    );
    view! {
        <div class="grid gap-6 lg:grid-cols-5">
            <div class="lg:col-span-2"><Composer creator tiers=panel.tiers audience=panel.audience create/></div>
            <section aria-labelledby="campaigns-heading" class="lg:col-span-3">
                <h2 id="campaigns-heading" class="mb-3 text-lg font-semibold text-slate-900 dark:text-white">"Your campaigns"</h2>
                <PagedTable rows=list cursor loading="Loading campaigns…" empty="No campaign yet: compose one to reach your members." empty_testid="no-campaigns"
                    render=|campaigns| view! { <CampaignTable campaigns/> }/>
            </section>
        </div>
    }
}

/// The composer; `audience` is how many members its first audience (everyone) reaches.
#[component]
fn Composer(
    creator: Uuid,
    tiers: Vec<(Uuid, String)>,
    audience: Result<u64, ServerFnError>,
    create: ServerAction<CreateCampaign>,
) -> impl IntoView {
    let fields = RwSignal::new(AudienceFields::everyone());
    let audience = preloaded(
        audience,
        move || fields.get(),
        move |fields| campaign_audience(creator, fields),
    );
    let set = move |apply: fn(&mut AudienceFields, String), value: String| {
        fields.update(|f| apply(f, value));
    };
    view! {
        <Card title="New campaign">
            <ActionForm action=create>
                <input type="hidden" name="creator_id" value=creator.to_string()/>
                <div class="space-y-4">
                    <TextField label="Name" name="name" required=true max_length=100usize hint="For your team; members do not see it."/>
                    <fieldset class="space-y-3 rounded-md border border-slate-200 p-3 dark:border-slate-700">
                        <legend class="px-1 text-sm font-medium">"Who"</legend>
                        <div>
                            <label for="campaign-segment" class="block text-sm font-medium">"Segment"</label>
                            <select id="campaign-segment" name="fields[segment]" class=SELECT
                                on:change=move |ev| set(|f, v| f.segment = v, event_target_value(&ev))>
                                {SEGMENTS.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="campaign-inactive" class="block text-sm font-medium">"Quiet for at least (days)"</label>
                            <input id="campaign-inactive" name="fields[inactive_days_min]" type="number" min="1" max="3650" class=INPUT
                                on:change=move |ev| set(|f, v| f.inactive_days_min = v, event_target_value(&ev))/>
                        </div>
                        <div>
                            <label for="campaign-paid" class="block text-sm font-medium">"Ever paid for a tier"</label>
                            <select id="campaign-paid" name="fields[was_paid]" class=SELECT
                                on:change=move |ev| set(|f, v| f.was_paid = v, event_target_value(&ev))>
                                <option value="">"Either"</option>
                                <option value="yes">"Yes"</option>
                                <option value="no">"No"</option>
                            </select>
                        </div>
                        <div>
                            <label for="campaign-tier" class="block text-sm font-medium">"Tier"</label>
                            <select id="campaign-tier" name="fields[tier_id]" class=SELECT
                                on:change=move |ev| set(|f, v| f.tier_id = v, event_target_value(&ev))>
                                <option value="">"Any tier"</option>
                                {tiers.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                            </select>
                        </div>
                        <p data-testid="audience-preview" aria-live="polite" class="text-sm font-medium">
                            <Transition fallback=|| "Counting the audience…">
                                {move || audience.get().map(|r| match r {
                                    Ok(1) => "This campaign reaches 1 member.".to_string(),
                                    Ok(n) => format!("This campaign reaches {n} members."),
                                    Err(e) => crate::ui::form::error_text(&e),
                                })}
                            </Transition>
                        </p>
                    </fieldset>
                    <TextField label="Subject" name="subject" required=true max_length=200usize/>
                    <div>
                        <label for="campaign-body" class="block text-sm font-medium">"Message"</label>
                        <textarea id="campaign-body" name="body" required=true maxlength="5000" rows="4" class=INPUT></textarea>
                    </div>
                    <TextField label="Call to action (optional)" name="cta" max_length=200usize/>
                    <fieldset class="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-700">
                        <legend class="px-1 text-sm font-medium">"Offer (optional)"</legend>
                        <TextField label="Discount (%)" name="discount_percent" input_type="number" hint="A code members use when they join."/>
                        <TextField label="For how many months" name="offer_months" input_type="number"/>
                    </fieldset>
                    <fieldset class="space-y-2">
                        <legend class="text-sm font-medium">"Send by"</legend>
                        <Checkbox label="In-app notification" name="push" checked=true/>
                        <Checkbox label="Email" name="email"/>
                    </fieldset>
                    <TextField label="Send at (UTC, optional)" name="scheduled_at" input_type="datetime-local" hint="Leave empty to send now."/>
                    <FormError result=create.value()/>
                    <Button button_type="submit" pending=create.pending() pending_label="Scheduling…">"Schedule campaign"</Button>
                </div>
            </ActionForm>
        </Card>
    }
}

const CAMPAIGN_COLUMNS: [Column; 6] = [
    Column::new("Campaign"),
    Column::new("Sends"),
    Column::new("Status"),
    Column::numeric("Audience"),
    Column::numeric("Sent / delivered"),
    Column::numeric("Redeemed"),
];

#[component]
fn CampaignTable(campaigns: Vec<Campaign>) -> impl IntoView {
    view! {
        <Table testid="campaigns" columns=&CAMPAIGN_COLUMNS>
            {campaigns.into_iter().map(|c| view! {
                <tr>
                    <td class=CELL>
                        <span class="block font-medium">{c.name.clone()}</span>
                        <span class="block text-xs text-slate-500 dark:text-slate-400">
                            {c.target_segment.as_str()}{c.offer.as_ref().and_then(|o| o.code.clone()).map(|code| format!(" · code {code}"))}
                        </span>
                    </td>
                    <td class="px-4 py-3 whitespace-nowrap">{date_time(c.sent_at.unwrap_or(c.scheduled_at))}</td>
                    <td class=CELL><Badge status=c.status.clone()/></td>
                    <td class=NUMBER>{c.audience_size}</td>
                    <td class=NUMBER>{format!("{} / {}", c.stats.sent, c.stats.delivered)}</td>
                    <td class=NUMBER>{c.stats.redeemed}</td>
                </tr>
            }).collect_view()}
        </Table>
    }
}
