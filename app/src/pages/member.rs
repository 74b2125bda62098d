//! `/dashboard/members/{id}`: one member as the creator's team sees them: engagement
//! with rank, tier and benefits, the paid subscription (never more of the card than its
//! last digits), the activity timeline, preferences, and the team's notes and tags.

use crate::api::audience::{dashboard_member, SaveMemberNotes};
use crate::model::audience::{Activity, MemberDetail};
use crate::pages::admin::{INPUT, LINK};
use crate::pages::dashboard::{DashboardNav, Stat};
use crate::ui::avatar::Avatar;
use crate::ui::badge::Badge;
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::{error_text, successes, FormError, TextField};
use crate::ui::format::{date, date_time};
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn MemberPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok())
    };
    let save = ServerAction::<SaveMemberNotes>::new();
    let saved = successes(save.version(), save.value());
    let member = Resource::new(
        move || (id(), saved.get()),
        |(id, _)| async move {
            match id {
                Some(id) => dashboard_member(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <PageHeader title="Member" lead="Everything recorded about this member's relationship with you."/>
        <DashboardNav/>
        <p class="mb-4 text-sm"><a href="/dashboard" class=LINK>"← All members"</a></p>
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading the member…"</p> }>
            {move || member.get().map(|result| match result {
                Ok(Some(member)) => view! { <Detail member save/> }.into_any(),
                Ok(None) => view! { <p role="alert">"This is not a member's address."</p> }.into_any(),
                Err(e) => view! { <p role="alert" class="text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Detail(member: MemberDetail, save: ServerAction<SaveMemberNotes>) -> impl IntoView {
    let e = member.engagement.clone();
    let tags_text = member.tags.join(", ");
    let member_id = member.id.to_string();
    let notes = member.notes.clone();
    let status = match member.status {
        crate::model::audience::MemberStatus::Active => "active",
        crate::model::audience::MemberStatus::Paused => "paused",
        crate::model::audience::MemberStatus::Churned => "churned",
    };
    view! {
        <div class="mb-6 flex flex-wrap items-center gap-3">
            <Avatar url=member.avatar_url.clone() name=member.name.clone() large=true/>
            <h2 data-testid="member-name" class="text-xl font-semibold text-slate-900 dark:text-white">{member.name.clone()}</h2>
            <span class="text-sm text-slate-600 dark:text-slate-400">{member.email.clone()}</span>
            <Badge status/>
        </div>
        <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Stat label="Engagement" value=format!("{} · {}", e.level.as_str(), e.score) testid="member-engagement"/>
            <Stat label="Rank" value=format!("#{}", e.rank) testid="member-rank"/>
            <Stat label="Interactions, 30 days" value=e.interactions_30d.to_string() testid="member-interactions"/>
            <Stat label="Member since" value=date(member.joined_at) testid="member-since"/>
        </div>
        <div class="mt-6 grid gap-6 lg:grid-cols-2">
            <Card title="Tier">
                <p data-testid="member-tier" class="font-medium">{if member.tier.price_monthly.is_zero() { format!("{} · free", member.tier.name) } else { format!("{} · {} a month", member.tier.name, member.tier.price_monthly) }}</p>
                <ul class="mt-2 list-inside list-disc text-sm">
                    {member.tier.benefits.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}
                </ul>
            </Card>
            <Card title="Subscription">
                {match member.subscription.clone() {
                    None => view! { <p data-testid="member-subscription">"A free membership: nothing is billed."</p> }.into_any(),
                    Some(s) => view! {
                        <dl data-testid="member-subscription" class="grid grid-cols-2 gap-2 text-sm">
                            <dt class="text-slate-500 dark:text-slate-400">"Status"</dt><dd><Badge status=s.status.clone()/></dd>
                            <dt class="text-slate-500 dark:text-slate-400">"Billing"</dt><dd>{s.billing_cycle.as_str()}</dd>
                            <dt class="text-slate-500 dark:text-slate-400">"Started"</dt><dd>{s.started_at.to_string()}</dd>
                            <dt class="text-slate-500 dark:text-slate-400">"Months subscribed"</dt><dd>{s.months_subscribed}</dd>
                            <dt class="text-slate-500 dark:text-slate-400">"Lifetime value"</dt><dd class="tabular-nums">{s.lifetime_value.to_string()}</dd>
                            <dt class="text-slate-500 dark:text-slate-400">"Next billing"</dt><dd>{s.next_billing.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
                            <dt class="text-slate-500 dark:text-slate-400">"Paid with"</dt><dd>{s.payment_method.clone().map(|p| p.replace('_', " ")).unwrap_or_else(|| "—".into())}</dd>
                        </dl>
                    }.into_any(),
                }}
            </Card>
            <Card title="Activity">
                <Timeline activity=member.activity_timeline.clone()/>
            </Card>
            <Card title="Notes and tags">
                <p class="mb-3 text-sm">{format!(
                    "Receives: {}. Prefers {}.",
                    if member.preferences.notifications.is_empty() { "no notifications".to_string() } else { member.preferences.notifications.join(", ").replace('_', " ") },
                    member.preferences.communication_channel,
                )}</p>
                <ActionForm action=save>
                    <input type="hidden" name="member_id" value=member_id/>
                    <div class="space-y-3">
                        <div>
                            <label for="member-notes" class="block text-sm font-medium">"Notes for the team"</label>
                            <textarea id="member-notes" name="notes" maxlength="2000" rows="4" class=INPUT>{notes}</textarea>
                        </div>
                        <TextField label="Tags" name="tags" value=tags_text hint="Separated by commas, at most 20."/>
                        <FormError result=save.value()/>
                        <Button button_type="submit" pending=save.pending() pending_label="Saving…">"Save notes"</Button>
                    </div>
                </ActionForm>
                {(!member.tags.is_empty()).then(|| view! {
                    <ul data-testid="member-tags" class="mt-3 flex flex-wrap gap-2">
                        {member.tags.iter().map(|t| view! { <li class="rounded-full bg-slate-100 px-3 py-1 text-xs dark:bg-slate-800">{t.clone()}</li> }).collect_view()}
                    </ul>
                })}
            </Card>
        </div>
    }
}

#[component]
fn Timeline(activity: Vec<Activity>) -> impl IntoView {
    if activity.is_empty() {
        return view! { <p data-testid="no-activity">"No interactions recorded yet."</p> }
            .into_any();
    }
    view! {
        <ol data-testid="timeline" class="divide-y divide-slate-200 text-sm dark:divide-slate-800">
            {activity.into_iter().map(|a| {
                let details = a.details.as_object().map(|o| {
                    o.iter()
                        .map(|(k, v)| format!("{}: {}", k.replace('_', " "), v.as_str().map(String::from).unwrap_or_else(|| v.to_string())))
                        .collect::<Vec<_>>()
                        .join(" · ")
                }).unwrap_or_default();
                view! {
                    <li class="flex flex-wrap justify-between gap-2 py-2">
                        <span><span class="font-medium">{a.kind.as_str().replace('_', " ")}</span>" "<span class="text-slate-600 dark:text-slate-400">{details}</span></span>
                        <span class="whitespace-nowrap text-slate-500 dark:text-slate-400">{date_time(a.timestamp)}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
