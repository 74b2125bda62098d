//! `/c/{handle}`: a creator's public page. Anyone sees the visible tiers (with places
//! left) and tip jars (with progress towards their goal and the rewards on offer); a
//! signed-in subscriber joins a tier (a paid one charged to their default card) and,
//! once a member, tips, seeing the receipt and any reward the tip unlocked.

use crate::api::creator_page::{
    public_creator, CreatorWithVisitor, JoinCreator, TipCreator, Visitor,
};
use crate::model::audience::{MemberStatus, PublicTier};
use crate::model::tip::{TipJar, TipReceipt};
use crate::pages::admin::LINK;
use crate::ui::badge::Badge;
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::{error_text, successes, Checkbox, FormError, TextField};
use crate::ui::format::money;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;
use uuid::Uuid;

#[component]
pub fn CreatorPublicPage() -> impl IntoView {
    let params = use_params_map();
    let handle = move || params.read().get("handle").unwrap_or_default();
    let join = ServerAction::<JoinCreator>::new();
    let tip = ServerAction::<TipCreator>::new();
    let joined = successes(join.version(), join.value());
    let tipped = successes(tip.version(), tip.value());
    let found = Resource::new(
        move || (handle(), joined.get(), tipped.get()),
        |(handle, _, _)| public_creator(handle),
    );
    view! {
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading the creator…"</p> }>
            {move || found.get().map(|result| match result {
                Ok(Some(found)) => view! { <Creator found join tip/> }.into_any(),
                Ok(None) => view! {
                    <PageHeader title="Creator not found" lead="No creator has this address. Check the link you followed."/>
                }.into_any(),
                Err(e) => view! { <p role="alert" class="text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Creator(
    found: CreatorWithVisitor,
    join: ServerAction<JoinCreator>,
    tip: ServerAction<TipCreator>,
) -> impl IntoView {
    let CreatorWithVisitor { page, visitor } = found;
    let creator_id = page.creator.id;
    // The tier the visitor is in now (a churned membership no longer counts).
    let current = visitor
        .as_ref()
        .and_then(|v| v.membership.as_ref())
        .filter(|m| m.status != MemberStatus::Churned)
        .cloned();
    view! {
        <PageHeader title=page.creator.name.clone() lead=page.creator.bio.clone()/>
        <p class="-mt-4 mb-6 text-sm text-slate-600 dark:text-slate-400">{format!("@{}", page.creator.handle)}</p>
        {match (&visitor, &current) {
            (None, _) => view! {
                <p data-testid="visitor" class="mb-6 rounded-md bg-slate-100 p-4 text-sm dark:bg-slate-800">
                    <a href="/signin" class=LINK>"Sign in"</a>" or "<a href="/register" class=LINK>"create an account"</a>" to join or send a tip."
                </p>
            }.into_any(),
            (Some(_), Some(m)) => view! {
                <p data-testid="visitor" class="mb-6 rounded-md bg-emerald-50 p-4 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
                    {format!("You are a member: {}.", m.tier_name)}
                </p>
            }.into_any(),
            (Some(_), None) => ().into_any(),
        }}
        <section aria-labelledby="tiers-heading">
            <h2 id="tiers-heading" class="mb-3 text-lg font-semibold text-slate-900 dark:text-white">"Membership tiers"</h2>
            <div class="mb-3"><FormError result=join.value()/></div>
            <ul data-testid="public-tiers" class="grid gap-4 md:grid-cols-2 lg:grid-cols-3">
                {page.tiers.into_iter().map(|tier| {
                    let mine = current.as_ref().is_some_and(|m| m.tier_id == tier.id);
                    view! { <TierOffer tier creator_id visitor=visitor.clone() mine join/> }
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="jars-heading" class="mt-8">
            <h2 id="jars-heading" class="mb-3 text-lg font-semibold text-slate-900 dark:text-white">"Tip jars"</h2>
            {if page.tip_jars.is_empty() {
                view! { <p data-testid="no-jars">"This creator has no tip jar yet."</p> }.into_any()
            } else {
                let member = current.as_ref().map(|m| m.id);
                let card = visitor.as_ref().and_then(|v| v.card.clone());
                view! {
                    <div class="mb-3"><FormError result=tip.value()/></div>
                    <TipThanks tip/>
                    <ul data-testid="jars" class="grid gap-4 md:grid-cols-2">
                        {page.tip_jars.into_iter().map(|jar| view! {
                            <JarCard jar creator_id member card=card.clone() tip/>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn TierOffer(
    tier: PublicTier,
    creator_id: Uuid,
    visitor: Option<Visitor>,
    mine: bool,
    join: ServerAction<JoinCreator>,
) -> impl IntoView {
    let free = tier.price_monthly.is_zero() && tier.price_yearly.is_zero();
    let full = tier.spots_left == Some(0);
    let card = visitor.as_ref().and_then(|v| v.card.clone());
    let price = if free {
        "Free".to_string()
    } else {
        format!("{} / month", money(tier.price_monthly, &tier.currency))
    };
    let action = match (&visitor, mine, full, free, &card) {
        (None, ..) => ().into_any(),
        (_, true, ..) => view! { <Badge status="your tier"/> }.into_any(),
        (_, _, true, ..) => view! { <p class="text-sm">"This tier is full."</p> }.into_any(),
        (_, _, _, false, None) => view! {
            <p class="text-sm">"Add a card in "<a href="/account/billing" class=LINK>"Billing"</a>" to join this tier."</p>
        }.into_any(),
        (_, _, _, _, card) => {
            let card_id = card.as_ref().map(|(id, _)| id.to_string()).unwrap_or_default();
            let card_label = card.as_ref().map(|(_, label)| label.clone());
            let cycles: Vec<(&str, String)> = if free {
                vec![("", "Join for free".to_string())]
            } else {
                let mut cycles = vec![("monthly", format!("Join monthly, {}", money(tier.price_monthly, &tier.currency)))];
                if !tier.price_yearly.is_zero() {
                    cycles.push(("yearly", format!("Join yearly, {}", money(tier.price_yearly, &tier.currency))));
                }
                cycles
            };
            view! {
                <div class="flex flex-wrap gap-2">
                    {cycles.into_iter().map(|(cycle, label)| {
                        let card_id = card_id.clone();
                        view! {
                        <ActionForm action=join>
                            <input type="hidden" name="creator_id" value=creator_id.to_string()/>
                            <input type="hidden" name="tier_id" value=tier.id.to_string()/>
                            <input type="hidden" name="billing_cycle" value=cycle/>
                            {(!free).then(|| view! { <input type="hidden" name="payment_method_id" value=card_id/> })}
                            <Button button_type="submit" pending=join.pending() pending_label="Joining…">{label.clone()}</Button>
                        </ActionForm>
                    }}).collect_view()}
                </div>
                {(!free).then(|| card_label.map(|label| view! { <p class="mt-2 text-xs text-slate-500 dark:text-slate-400">{format!("Charged to your {label}.")}</p> }))}
            }.into_any()
        }
    };
    view! {
        <li class="flex flex-col rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
            <h3 class="font-semibold text-slate-900 dark:text-white">{tier.name.clone()}</h3>
            <p class="mt-1 text-xl font-semibold tabular-nums">{price}</p>
            {(!tier.description.is_empty()).then(|| view! { <p class="mt-2 text-sm">{tier.description.clone()}</p> })}
            <ul class="mt-3 flex-1 list-inside list-disc text-sm">
                {tier.benefits.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}
            </ul>
            {tier.spots_left.map(|n| view! { <p class="mt-2 text-xs text-slate-500 dark:text-slate-400">{format!("{n} places left")}</p> })}
            <div class="mt-4">{action}</div>
        </li>
    }
}

#[component]
fn JarCard(
    jar: TipJar,
    creator_id: Uuid,
    member: Option<Uuid>,
    card: Option<(Uuid, String)>,
    tip: ServerAction<TipCreator>,
) -> impl IntoView {
    let currency = jar.currency.clone();
    let suggested = jar
        .suggested_amounts
        .iter()
        .map(|a| money(*a, &currency))
        .collect::<Vec<_>>()
        .join(", ");
    let jar_id = jar.id.to_string();
    let form = match (jar.open, member, card) {
        (false, ..) => view! { <p class="text-sm">"This jar is closed."</p> }.into_any(),
        (true, None, _) => view! { <p class="text-sm">"Join a tier above to send a tip."</p> }.into_any(),
        (true, Some(_), None) => view! {
            <p class="text-sm">"Add a card in "<a href="/account/billing" class=LINK>"Billing"</a>" to send a tip."</p>
        }.into_any(),
        (true, Some(member), Some((card_id, card_label))) => view! {
            <ActionForm action=tip>
                <input type="hidden" name="creator_id" value=creator_id.to_string()/>
                <input type="hidden" name="member_id" value=member.to_string()/>
                <input type="hidden" name="payment_method_id" value=card_id.to_string()/>
                <input type="hidden" name="jar_id" value=jar_id.clone()/>
                <div class="space-y-3">
                    <TextField label="Amount" name="amount" id=format!("amount-{jar_id}") required=true
                        hint=if suggested.is_empty() { format!("Charged to your {card_label}.") } else { format!("Suggested: {suggested}. Charged to your {card_label}.") }/>
                    <TextField label="Message (optional)" name="message" id=format!("message-{jar_id}") max_length=500usize/>
                    <Checkbox label="Tip anonymously" name="anonymous" id=format!("anonymous-{jar_id}")/>
                    <Button button_type="submit" pending=tip.pending() pending_label="Sending…">"Send tip"</Button>
                </div>
            </ActionForm>
        }.into_any(),
    };
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
            <h3 class="font-semibold text-slate-900 dark:text-white">{jar.name.clone()}</h3>
            {(!jar.description.is_empty()).then(|| view! { <p class="mt-1 text-sm">{jar.description.clone()}</p> })}
            <div class="mt-3"><JarProgress jar=jar.clone()/></div>
            {(!jar.rewards.is_empty()).then(|| view! {
                <h4 class="mt-3 text-sm font-medium">"Rewards"</h4>
                <ul class="list-inside list-disc text-sm">
                    {jar.rewards.iter().map(|r| view! { <li>{format!("From {}: {}", money(r.threshold, &currency), r.reward)}</li> }).collect_view()}
                </ul>
            })}
            <div class="mt-4">{form}</div>
        </li>
    }
}

/// What a jar has raised, towards its goal when it has one, in words and as a bar.
#[component]
pub fn JarProgress(jar: TipJar) -> impl IntoView {
    let currency = &jar.currency;
    let percent = jar
        .progress
        .map(|p| (p * Decimal::from(100)).round().min(Decimal::from(100)));
    let raised = match jar.goal {
        Some(goal) => format!(
            "{} of {} raised",
            money(jar.raised, currency),
            money(goal, currency)
        ),
        None => format!("{} raised", money(jar.raised, currency)),
    };
    view! {
        <p data-testid="jar-raised" class="text-sm tabular-nums">
            {raised}{percent.map(|p| format!(" · {p} %"))}{format!(" · {} tips", jar.tip_count)}
        </p>
        {percent.map(|p| view! {
            <progress aria-label=format!("{} progress", jar.name) max="100" value=p.to_string()
                class="mt-1 h-2 w-full overflow-hidden rounded-full accent-indigo-600">{format!("{p} %")}</progress>
        })}
    }
}

/// The receipt of the tip just sent, with the reward it unlocked.
#[component]
fn TipThanks(tip: ServerAction<TipCreator>) -> impl IntoView {
    move || {
        tip.value().with(|r| match r {
            Some(Ok(receipt)) => Some(receipt_view(receipt.clone())),
            _ => None,
        })
    }
}

fn receipt_view(receipt: TipReceipt) -> impl IntoView {
    view! {
        <Card title="Thank you for your tip">
            <div data-testid="tip-receipt" role="status" class="space-y-1 text-sm">
                <p>{format!(
                    "{} sent: {} to the creator, {} platform fee.",
                    money(receipt.amount, &receipt.currency),
                    money(receipt.creator_receives, &receipt.currency),
                    money(receipt.platform_fee, &receipt.currency),
                )}</p>
                {(!receipt.thank_you_message.is_empty()).then(|| view! { <p>{receipt.thank_you_message.clone()}</p> })}
                {receipt.reward_unlocked.map(|r| view! {
                    <p data-testid="reward" class="font-medium">{format!("Reward unlocked: {}", r.description)}</p>
                    {r.instructions.map(|i| view! { <p>{i}</p> })}
                })}
                <p><a href=receipt.receipt_url class=LINK>"Receipt"</a></p>
            </div>
        </Card>
    }
}
