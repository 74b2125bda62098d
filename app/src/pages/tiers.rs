//! `/dashboard/tiers`: the tier editor. Each tier opens into a form (name, description,
//! prices, benefits, member cap, visibility) beside its member count and revenue; a form
//! below adds a tier. A failed save keeps what was typed beside the errors.

use crate::api::tiers::{dashboard_tiers, SaveTier};
use crate::model::audience::Tier;
use crate::pages::admin::INPUT;
use crate::pages::dashboard::{ChosenCreator, DashboardNav};
use crate::ui::badge::Badge;
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::{successes, Checkbox, FormError, TextField};
use crate::ui::format::money;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn TiersPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    let save = ServerAction::<SaveTier>::new();
    let saved = successes(save.version(), save.value());
    let panel = Resource::new(
        move || (chosen.get(), saved.get()),
        |(creator, _)| dashboard_tiers(creator),
    );
    view! {
        <PageHeader title="Tiers" lead="What members can join, at what price, with which benefits."/>
        <DashboardNav/>
        <ChosenCreator panel chosen loading="Loading tiers…" content={move |creator, tiers: Vec<Tier>| view! {
            <div class="mb-4"><FormError result=save.value()/></div>
            <ul data-testid="tier-list" class="space-y-3">
                {tiers.into_iter().map(|tier| view! { <TierItem tier creator=creator.id save/> }).collect_view()}
            </ul>
            <div class="mt-6 max-w-2xl">
                <Card title="New tier">
                    <TierForm creator=creator.id tier=None save/>
                </Card>
            </div>
        }}/>
    }
}

#[component]
fn TierItem(tier: Tier, creator: Uuid, save: ServerAction<SaveTier>) -> impl IntoView {
    let summary = format!(
        "{} · {} a month · {} members{} · {} a month in revenue",
        tier.name,
        money(tier.price_monthly, &tier.currency),
        tier.member_count,
        tier.limit.map(|l| format!(" of {l}")).unwrap_or_default(),
        money(tier.revenue_monthly, &tier.currency),
    );
    let visible = tier.visible;
    let default = tier.is_default;
    view! {
        <li class="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <details>
                <summary class="flex cursor-pointer flex-wrap items-center gap-2 p-4 text-sm font-medium">
                    <span>{summary}</span>
                    {(!visible).then(|| view! { <Badge status="hidden"/> })}
                    {default.then(|| view! { <Badge status="default"/> })}
                </summary>
                <div class="border-t border-slate-200 p-4 dark:border-slate-800">
                    <TierForm creator tier=Some(tier) save/>
                </div>
            </details>
        </li>
    }
}

#[component]
fn TierForm(creator: Uuid, tier: Option<Tier>, save: ServerAction<SaveTier>) -> impl IntoView {
    // Ids unique per form: the same fields repeat for every tier.
    let prefix = tier
        .as_ref()
        .map_or_else(|| "new".to_string(), |t| t.id.to_string());
    let id = |field: &str| format!("{field}-{prefix}");
    let value = |f: fn(&Tier) -> String| tier.as_ref().map(f).unwrap_or_default();
    let (name_id, description_id, monthly_id, yearly_id, limit_id, benefits_id, visible_id) = (
        id("name"),
        id("description"),
        id("monthly"),
        id("yearly"),
        id("limit"),
        id("benefits"),
        id("visible"),
    );
    let name = value(|t| t.name.clone());
    let description = value(|t| t.description.clone());
    let monthly = value(|t| t.price_monthly.to_string());
    let yearly = value(|t| t.price_yearly.to_string());
    let limit = value(|t| t.limit.map(|l| l.to_string()).unwrap_or_default());
    let benefits = value(|t| t.benefits.join("\n"));
    let visible = tier.as_ref().is_none_or(|t| t.visible);
    let tier_id = tier.as_ref().map(|t| t.id.to_string());
    let label = if tier.is_some() {
        "Save tier"
    } else {
        "Add tier"
    };
    view! {
        <ActionForm action=save>
            <input type="hidden" name="creator_id" value=creator.to_string()/>
            {tier_id.map(|id| view! { <input type="hidden" name="tier_id" value=id/> })}
            <div class="grid gap-3 sm:grid-cols-2">
                <TextField label="Name" name="name" id=name_id required=true max_length=100usize value=name/>
                <TextField label="Description" name="description" id=description_id max_length=500usize value=description/>
                <TextField label="Price per month" name="price_monthly" id=monthly_id required=true value=monthly hint="0 for a free tier."/>
                <TextField label="Price per year" name="price_yearly" id=yearly_id value=yearly hint="Empty: twelve monthly payments."/>
                <TextField label="Member cap" name="limit" id=limit_id input_type="number" value=limit hint="Empty: no cap."/>
                <div class="sm:col-span-2">
                    <label for=benefits_id.clone() class="block text-sm font-medium">"Benefits"</label>
                    <textarea id=benefits_id name="benefits" rows="3" class=INPUT>{benefits}</textarea>
                    <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">"One per line."</p>
                </div>
                <Checkbox label="Visible on your public page" name="visible" id=visible_id checked=visible/>
            </div>
            <div class="mt-3">
                <Button button_type="submit" pending=save.pending() pending_label="Saving…">{label}</Button>
            </div>
        </ActionForm>
    }
}
