//! `/dashboard/tips`: the creator's tip jars with their progress towards the goal, the
//! rewards on offer and whether they are still open, and a form for a new jar.

use crate::api::tip_jars::{dashboard_tip_jars, CreateTipJar};
use crate::model::tip::TipJar;
use crate::pages::admin::{INPUT, LINK};
use crate::pages::creator_page::JarProgress;
use crate::pages::dashboard::{ChosenCreator, DashboardNav};
use crate::ui::badge::Badge;
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::{successes, FormError, TextField};
use crate::ui::format::money;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn TipJarsPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    let create = ServerAction::<CreateTipJar>::new();
    let saved = successes(create.version(), create.value());
    let panel = Resource::new(
        move || (chosen.get(), saved.get()),
        |(creator, _)| dashboard_tip_jars(creator),
    );
    view! {
        <PageHeader title="Tip jars" lead="Raise money for something specific, with rewards for generous fans."/>
        <DashboardNav/>
        <ChosenCreator panel chosen loading="Loading tip jars…" content={move |creator, jars: Vec<TipJar>| view! {
            <div class="grid gap-6 lg:grid-cols-5">
                <section aria-labelledby="jars-heading" class="lg:col-span-3">
                    <h2 id="jars-heading" class="mb-3 text-lg font-semibold text-slate-900 dark:text-white">"Your jars"</h2>
                    <Jars jars handle=creator.handle.clone()/>
                </section>
                <div class="lg:col-span-2"><NewJar creator=creator.id create/></div>
            </div>
        }}/>
    }
}

#[component]
fn Jars(jars: Vec<TipJar>, handle: String) -> impl IntoView {
    if jars.is_empty() {
        return view! {
            <p data-testid="no-jars" class="rounded-lg border border-dashed border-slate-300 p-6 dark:border-slate-700">
                "No tip jar yet. Create one and fans can tip into it from "
                <a href=format!("/c/{handle}") class=LINK>"your public page"</a>"."
            </p>
        }
        .into_any();
    }
    view! {
        <ul data-testid="jars" class="space-y-4">
            {jars.into_iter().map(|jar| {
                let currency = jar.currency.clone();
                view! {
                    <li class="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
                        <div class="flex flex-wrap items-baseline justify-between gap-2">
                            <h3 class="font-semibold text-slate-900 dark:text-white">{jar.name.clone()}</h3>
                            <Badge status=if jar.open { "open" } else { "closed" }/>
                        </div>
                        <div class="mt-2"><JarProgress jar=jar.clone()/></div>
                        <p class="mt-2 text-xs text-slate-500 dark:text-slate-400">
                            {match jar.end_date {
                                Some(end) => format!("Open through {end}"),
                                None => "No end date".to_string(),
                            }}
                            {(!jar.suggested_amounts.is_empty()).then(|| format!(
                                " · suggested {}",
                                jar.suggested_amounts.iter().map(|a| money(*a, &currency)).collect::<Vec<_>>().join(", ")
                            ))}
                        </p>
                        {(!jar.rewards.is_empty()).then(|| view! {
                            <ul class="mt-2 list-inside list-disc text-sm">
                                {jar.rewards.iter().map(|r| view! { <li>{format!("From {}: {}", money(r.threshold, &currency), r.reward)}</li> }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn NewJar(creator: Uuid, create: ServerAction<CreateTipJar>) -> impl IntoView {
    view! {
        <Card title="New tip jar">
            <ActionForm action=create>
                <input type="hidden" name="creator_id" value=creator.to_string()/>
                <div class="space-y-3">
                    <TextField label="Name" name="name" required=true max_length=100usize/>
                    <TextField label="Description" name="description" max_length=1000usize/>
                    <TextField label="Goal" name="goal" hint="Optional: the amount to raise, in your currency."/>
                    <TextField label="Suggested amounts" name="suggested" hint="Separated by commas, e.g. 5, 10, 25."/>
                    <div>
                        <label for="jar-rewards" class="block text-sm font-medium">"Rewards"</label>
                        <textarea id="jar-rewards" name="rewards" rows="3" aria-describedby="jar-rewards-hint" class=INPUT></textarea>
                        <p id="jar-rewards-hint" class="mt-1 text-xs text-slate-500 dark:text-slate-400">"One per line: the amount a fan's tips must reach, a colon, the reward. E.g. 25: Name in the credits."</p>
                    </div>
                    <TextField label="End date" name="end_date" input_type="date" hint="Optional: tips are accepted through this day (UTC)."/>
                    <TextField label="Thank-you message" name="thank_you_message" max_length=500usize/>
                    <FormError result=create.value()/>
                    <Button button_type="submit" pending=create.pending() pending_label="Creating…">"Create tip jar"</Button>
                </div>
            </ActionForm>
        </Card>
    }
}
