//! `/dashboard`: the creator dashboard. The creator switcher (for people on several
//! teams), the month's figures, MRR by tier as a chart with its table, the tiers, and
//! the members table with segment chips, filters, search and paging. Every figure comes
//! from the audience services, computed from stored records.

use crate::api::audience::{
    dashboard_members, dashboard_overview, CreatorPanel, Overview, TeamCreator,
};
use crate::model::analytics::{EngagementReport, History, RevenueReport};
use crate::model::audience::{Member, MemberList, Segments, TierList};
use crate::pages::admin::{INPUT, LINK, SELECT};
use crate::ui::avatar::Avatar;
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::chart::{Bar, BarChart, LineChart, Series};
use crate::ui::form::error_text;
use crate::ui::format::{date, money, month, query_component};
use crate::ui::layout::PageHeader;
use crate::ui::nav::NavLink;
use crate::ui::preloaded::preloaded;
use crate::ui::table::{Column, Table, CELL, NUMBER};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{de::DeserializeOwned, Serialize};
use uuid::Uuid;

/// The dashboard's sections, above every dashboard page.
#[component]
pub fn DashboardNav() -> impl IntoView {
    view! {
        <nav aria-label="Creator dashboard" class="mb-6 flex gap-1 overflow-x-auto">
            <NavLink href="/dashboard" label="Overview"/>
            <NavLink href="/dashboard/tiers" label="Tiers"/>
            <NavLink href="/dashboard/announcements" label="Announcements"/>
            <NavLink href="/dashboard/campaigns" label="Campaigns"/>
            <NavLink href="/dashboard/community" label="Community"/>
            <NavLink href="/dashboard/tips" label="Tip jars"/>
            <NavLink href="/dashboard/webhooks" label="Webhooks"/>
        </nav>
    }
}

#[component]
pub fn DashboardHome() -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    let overview = Resource::new(move || chosen.get(), dashboard_overview);
    view! {
        <PageHeader title="Creator dashboard" lead="Your members, tiers and revenue, as recorded."/>
        <DashboardNav/>
        <ChosenCreator panel=overview chosen loading="Loading the dashboard…" content={|creator, overview: Overview| view! {
            <Figures tiers=overview.tiers.clone() revenue=overview.revenue.clone()/>
            <div class="mt-6 grid gap-6 lg:grid-cols-2">
                <MrrByTier revenue=overview.revenue/>
                <Engagement report=overview.engagement/>
            </div>
            <div class="mt-6"><LastYear history=overview.history/></div>
            <div class="mt-6"><Tiers tiers=overview.tiers/></div>
            <div class="mt-6"><Members creator=creator.id first=overview.members/></div>
        }}/>
    }
}

/// A dashboard page's body: the creator switcher above what `content` makes of the
/// chosen creator and its data, with the page's loading, no-team and signed-out states.
#[component]
pub fn ChosenCreator<T, Content, V>(
    panel: Resource<Result<CreatorPanel<T>, ServerFnError>>,
    chosen: RwSignal<Option<Uuid>>,
    loading: &'static str,
    content: Content,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Content: Fn(TeamCreator, T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500 dark:text-slate-400">{loading}</p> }>
            {move || panel.get().map(|result| match result {
                Ok(CreatorPanel { creators, shown: Some((creator, data)) }) => view! {
                    <CreatorSwitcher creators current=creator.id chosen/>
                    {content(creator, data)}
                }.into_any(),
                Ok(_) => view! { <NoTeam/> }.into_any(),
                Err(e) => view! { <SignInError error=e/> }.into_any(),
            })}
        </Transition>
    }
}

/// What a dashboard page shows someone on no creator's team.
#[component]
pub fn NoTeam() -> impl IntoView {
    view! {
        <Card title="You are not on a creator's team">
            <p>"Create a creator (POST /api/v1/creators) or ask a creator to add you to their team; its dashboard then appears here."</p>
        </Card>
    }
}

/// A dashboard page that could not load, most often because the session ended.
#[component]
pub fn SignInError(error: ServerFnError) -> impl IntoView {
    view! {
        <div role="alert" class="rounded-md bg-rose-50 p-4 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
            <p>{error_text(&error)}</p>
            <p class="mt-2"><a href="/signin" class="font-medium underline">"Sign in"</a></p>
        </div>
    }
}

/// The creator shown; a menu when the user works on several.
#[component]
pub fn CreatorSwitcher(
    creators: Vec<TeamCreator>,
    current: Uuid,
    chosen: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let shown = creators.iter().find(|c| c.id == current);
    let name = shown
        .map(|c| format!("{} (@{})", c.name, c.handle))
        .unwrap_or_default();
    let public = shown.map(|c| {
        view! { <a href=format!("/c/{}", c.handle) class=LINK>"View the public page"</a> }
    });
    let chooser = if creators.len() < 2 {
        view! { <p data-testid="creator" class="text-sm font-medium">{name}</p> }.into_any()
    } else {
        view! {
            <div class="max-w-xs flex-1">
                <label for="creator" class="block text-sm font-medium">"Creator"</label>
                <select id="creator" class=SELECT on:change=move |ev| chosen.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                    {creators.into_iter().map(|c| view! {
                        <option value=c.id.to_string() selected=c.id == current>{format!("{} (@{})", c.name, c.handle)}</option>
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any()
    };
    view! {
        <div class="mb-4 flex flex-wrap items-end justify-between gap-3 text-sm">{chooser}{public}</div>
    }
}

/// One figure with its label.
#[component]
pub fn Stat(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    view! {
        <div class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <p class="text-sm text-slate-600 dark:text-slate-400">{label}</p>
            <p data-testid=testid class="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
        </div>
    }
}

#[component]
fn Figures(tiers: TierList, revenue: RevenueReport) -> impl IntoView {
    let members: u64 = tiers.tiers.iter().map(|t| t.member_count).sum();
    let currency = revenue.currency.clone();
    view! {
        <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Stat label="Current members" value=members.to_string() testid="stat-members"/>
            <Stat label="MRR" value=money(revenue.subscriptions.mrr, &currency) testid="stat-mrr"/>
            <Stat label="Revenue, last 30 days" value=money(revenue.revenue.total, &currency) testid="stat-revenue"/>
            <Stat label="Next payout" value=format!("{} on {}", money(revenue.payouts.pending, &currency), revenue.payouts.next_payout_date) testid="stat-payout"/>
        </div>
    }
}

#[component]
fn MrrByTier(revenue: RevenueReport) -> impl IntoView {
    let currency = revenue.currency.clone();
    let bars: Vec<Bar> = revenue
        .subscriptions
        .by_tier
        .iter()
        .map(|t| Bar {
            label: t.tier.clone(),
            value: t.mrr.to_f64().unwrap_or(0.0),
            text: money(t.mrr, &currency),
        })
        .collect();
    view! {
        <Card title="MRR by tier">
            {if bars.is_empty() {
                view! { <p data-testid="no-mrr">"No paid members yet."</p> }.into_any()
            } else {
                view! { <BarChart title="Monthly recurring revenue by tier" bars/> }.into_any()
            }}
        </Card>
    }
}

#[component]
fn Engagement(report: EngagementReport) -> impl IntoView {
    let d = &report.distribution;
    let bars: Vec<Bar> = [
        ("Superfans", &d.superfans),
        ("Engaged", &d.engaged),
        ("Casual", &d.casual),
        ("Inactive", &d.inactive),
    ]
    .into_iter()
    .map(|(label, share)| Bar {
        label: label.into(),
        value: share.count as f64,
        text: format!(
            "{} ({} %)",
            share.count,
            (share.percent * Decimal::from(100)).round_dp(1)
        ),
    })
    .collect();
    view! {
        <Card title="Engagement, last 30 days">
            <BarChart title="Members by engagement level" bars/>
            <p data-testid="engagement-summary" class="mt-3">
                {format!(
                    "{} interactions · {} active members · average score {} · trend {}",
                    report.engagement.interactions_total,
                    report.overview.active_members,
                    report.engagement.avg_engagement_score,
                    report.trends.engagement_trend,
                )}
            </p>
        </Card>
    }
}

const HISTORY_COLUMNS: [Column; 6] = [
    Column::new("Month"),
    Column::numeric("Joined"),
    Column::numeric("Left"),
    Column::numeric("Members at the end"),
    Column::numeric("Subscriptions"),
    Column::numeric("Tips"),
];

/// Members and revenue month by month over the last year, drawn and in a table.
#[component]
fn LastYear(history: History) -> impl IntoView {
    let currency = history.currency.clone();
    let members: Vec<Bar> = history
        .months
        .iter()
        .map(|m| Bar {
            label: month(&m.month),
            value: m.members as f64,
            text: format!("{} members", m.members),
        })
        .collect();
    let revenue: Vec<Bar> = history
        .months
        .iter()
        .map(|m| {
            let total = m.subscriptions + m.tips;
            Bar {
                label: month(&m.month),
                value: total.to_f64().unwrap_or(0.0).max(0.0),
                text: money(total, &currency),
            }
        })
        .collect();
    let months: Vec<String> = history.months.iter().map(|m| m.month.clone()).collect();
    let by_tier: Vec<Series> = history
        .tiers
        .iter()
        .map(|tier| Series {
            name: tier.tier.clone(),
            points: months
                .iter()
                .zip(&tier.amounts)
                .map(|(m, amount)| Bar {
                    label: month(m),
                    value: amount.to_f64().unwrap_or(0.0).max(0.0),
                    text: money(*amount, &currency),
                })
                .collect(),
        })
        .collect();
    let tier_table = {
        let currency = currency.clone();
        (!history.tiers.is_empty()).then(|| view! {
            <div class="mt-3 overflow-x-auto">
                <table data-testid="tier-history" class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                    <caption class="sr-only">"Subscription revenue by tier and month"</caption>
                    <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                        <tr>
                            <th scope="col" class=CELL>"Tier"</th>
                            {months.iter().map(|m| view! { <th scope="col" class=NUMBER>{month(m)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                        {history.tiers.iter().map(|tier| view! {
                            <tr>
                                <th scope="row" class=CELL>{tier.tier.clone()}</th>
                                {tier.amounts.iter().map(|amount| view! { <td class=NUMBER>{money(*amount, &currency)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };
    view! {
        <Card title="The last twelve months">
            <div class="grid gap-6 lg:grid-cols-2">
                <div>
                    <h3 class="mb-2 text-sm font-medium">"Members at each month's end"</h3>
                    <LineChart title="Members at the end of each of the last twelve months" series=vec![Series { name: "Members".into(), points: members }]/>
                </div>
                <div>
                    <h3 class="mb-2 text-sm font-medium">"Revenue by month"</h3>
                    <BarChart title="Revenue in each of the last twelve months" bars=revenue/>
                </div>
                <div class="lg:col-span-2">
                    <h3 class="mb-2 text-sm font-medium">"Subscription revenue by tier"</h3>
                    {if by_tier.is_empty() {
                        view! { <p data-testid="no-tier-revenue" class="text-sm text-slate-600 dark:text-slate-300">"No tier has earned in the last twelve months."</p> }.into_any()
                    } else {
                        view! { <LineChart title="Subscription revenue of each tier in each of the last twelve months" series=by_tier/> }.into_any()
                    }}
                </div>
            </div>
            <details class="mt-4">
                <summary class="cursor-pointer text-sm font-medium">"The figures as a table"</summary>
                <div class="mt-3 overflow-x-auto">
                    <Table testid="history" columns=&HISTORY_COLUMNS>
                        {history.months.iter().map(|m| view! {
                            <tr>
                                <td class=CELL>{month(&m.month)}</td>
                                <td class=NUMBER>{m.joined}</td>
                                <td class=NUMBER>{m.churned}</td>
                                <td class=NUMBER>{m.members}</td>
                                <td class=NUMBER>{money(m.subscriptions, &currency)}</td>
                                <td class=NUMBER>{money(m.tips, &currency)}</td>
                            </tr>
                        }).collect_view()}
                    </Table>
                </div>
                {tier_table}
            </details>
        </Card>
    }
}

const TIER_COLUMNS: [Column; 4] = [
    Column::new("Tier"),
    Column::numeric("Per month"),
    Column::numeric("Members"),
    Column::numeric("Revenue / month"),
];

#[component]
fn Tiers(tiers: TierList) -> impl IntoView {
    view! {
        <Card title="Tiers">
            <div class="overflow-x-auto">
                <Table testid="tiers" columns=&TIER_COLUMNS>
                    {tiers.tiers.into_iter().map(|t| view! {
                        <tr>
                            <td class=CELL>{t.name.clone()}{(!t.visible).then(|| view! { " " <Badge status="hidden"/> })}</td>
                            <td class=NUMBER>{money(t.price_monthly, &t.currency)}</td>
                            <td class=NUMBER>{match t.limit {
                                Some(limit) => format!("{} of {limit}", t.member_count),
                                None => t.member_count.to_string(),
                            }}</td>
                            <td class=NUMBER>{money(t.revenue_monthly, &t.currency)}</td>
                        </tr>
                    }).collect_view()}
                </Table>
            </div>
        </Card>
    }
}

const LEVELS: [(&str, &str); 4] = [
    ("superfan", "Superfans"),
    ("engaged", "Engaged"),
    ("casual", "Casual"),
    ("inactive", "Inactive"),
];

fn segment(segments: &Segments, level: &str) -> u64 {
    match level {
        "superfan" => segments.superfans,
        "engaged" => segments.engaged,
        "casual" => segments.casual,
        _ => segments.inactive,
    }
}

/// The members table. `first` is its first page, unfiltered, which the overview brought.
#[component]
fn Members(creator: Uuid, first: MemberList) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let level = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    // The overview's resource brought the first page (`ui::preloaded` says why).
    let page = preloaded(
        Ok(first),
        move || (status.get(), level.get(), q.get(), cursor.get()),
        move |(status, level, q, cursor)| dashboard_members(creator, status, level, q, cursor),
    );
    let filter = move |signal: RwSignal<String>, value: String| {
        cursor.set(None);
        signal.set(value);
    };
    // The API's CSV export with the table's filters; the session cookie authenticates it.
    let export_href = move || {
        let mut href = format!("/api/v1/audience/members/export?creator_id={creator}");
        for (key, value) in [
            ("status", status.get()),
            ("engagement_level", level.get()),
            ("q", q.get()),
        ] {
            if !value.is_empty() {
                href.push_str(&format!("&{key}={}", query_component(&value)));
            }
        }
        href
    };
    view! {
        <Card title="Members">
            <form role="search" class="grid gap-3 sm:grid-cols-3" on:submit=|ev| ev.prevent_default()>
                <div>
                    <label for="member-search" class="block text-sm font-medium">"Search members"</label>
                    <input id="member-search" type="search" class=INPUT placeholder="Name or email" autocomplete="off" maxlength="100"
                        on:input=move |ev| filter(q, event_target_value(&ev))/>
                </div>
                <div>
                    <label for="member-status" class="block text-sm font-medium">"Status"</label>
                    <select id="member-status" class=SELECT on:change=move |ev| filter(status, event_target_value(&ev))>
                        <option value="">"Any status"</option>
                        <option value="active">"Active"</option>
                        <option value="paused">"Paused"</option>
                        <option value="churned">"Churned"</option>
                    </select>
                </div>
                <div>
                    <label for="member-level" class="block text-sm font-medium">"Engagement"</label>
                    <select id="member-level" class=SELECT prop:value=move || level.get()
                        on:change=move |ev| filter(level, event_target_value(&ev))>
                        <option value="">"Any level"</option>
                        {LEVELS.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
            </form>
            <p class="mt-3 text-sm">
                <a href=export_href download="" data-testid="members-csv" class=LINK>"Download these members as CSV"</a>
            </p>
            <Transition fallback=|| view! { <p class="mt-4 text-slate-500 dark:text-slate-400">"Loading members…"</p> }>
                {move || page.get().map(|result| match result {
                    Ok(list) => view! { <MemberPage list level cursor filter_level=move |v: String| filter(level, v)/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="mt-4 text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
                })}
            </Transition>
        </Card>
    }
}

const MEMBER_COLUMNS: [Column; 6] = [
    Column::new("Member"),
    Column::new("Tier"),
    Column::new("Status"),
    Column::new("Engagement"),
    Column::numeric("Score"),
    Column::new("Joined"),
];

#[component]
fn MemberPage(
    list: MemberList,
    level: RwSignal<String>,
    cursor: RwSignal<Option<String>>,
    filter_level: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let MemberList {
        members,
        total,
        segments,
        next_cursor,
    } = list;
    view! {
        <div class="mt-4 flex flex-wrap gap-2" role="group" aria-label="Engagement segments">
            {LEVELS.into_iter().map(|(value, label)| {
                let count = segment(&segments, value);
                let pressed = move || (level.get() == value).to_string();
                view! {
                    <button type="button" aria-pressed=pressed
                        class="rounded-full border border-slate-300 px-3 py-1 text-sm aria-[pressed=true]:border-indigo-600 aria-[pressed=true]:bg-indigo-50 dark:border-slate-700 dark:aria-[pressed=true]:bg-indigo-950"
                        on:click=move |_| filter_level(if level.get_untracked() == value { String::new() } else { value.to_string() })>
                        {format!("{label} {count}")}
                    </button>
                }
            }).collect_view()}
        </div>
        {if members.is_empty() {
            view! { <p data-testid="no-members" class="mt-4">"No members match these filters."</p> }.into_any()
        } else {
            view! {
                <div class="mt-4 overflow-x-auto">
                    <Table testid="members" columns=&MEMBER_COLUMNS>
                        {members.into_iter().map(|m| view! { <MemberRow member=m/> }).collect_view()}
                    </Table>
                </div>
            }.into_any()
        }}
        <div class="mt-4 flex items-center justify-between gap-3 text-sm">
            <p data-testid="members-total" class="text-slate-600 dark:text-slate-400">{format!("{total} members match")}</p>
            <div class="flex gap-2">
                {move || cursor.get().is_some().then(|| view! {
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| cursor.set(None))>"First page"</Button>
                })}
                {next_cursor.map(|next| view! {
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| cursor.set(Some(next.clone())))>"Next"</Button>
                })}
            </div>
        </div>
    }
}

#[component]
fn MemberRow(member: Member) -> impl IntoView {
    let level = member.engagement.level.as_str();
    let status = member.status.as_str();
    view! {
        <tr>
            <td class=CELL>
                <div class="flex items-center gap-3">
                    <Avatar url=member.avatar_url.clone() name=member.name.clone()/>
                    <div>
                        <a href=format!("/dashboard/members/{}", member.id) class=format!("block {LINK}")>{member.name.clone()}</a>
                        <span class="block text-slate-600 dark:text-slate-400">{member.email.clone()}</span>
                    </div>
                </div>
            </td>
            <td class=CELL>{member.tier.name.clone()}</td>
            <td class=CELL><Badge status/></td>
            <td class=CELL>{level}</td>
            <td class=NUMBER>{member.engagement.score}</td>
            <td class="px-4 py-3 whitespace-nowrap">{date(member.joined_at)}</td>
        </tr>
    }
}
