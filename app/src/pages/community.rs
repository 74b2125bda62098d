//! `/dashboard/community`: today's activity, the top contributors, trending topics and
//! the moderation queue, where the team keeps or removes what members reported or the
//! blocked-word list held back. Removing asks for confirmation and an optional note.

use crate::api::community::{
    dashboard_community, dashboard_reports, CommunityPanel, ResolveReport, TO_REVIEW,
};
use crate::model::community::{CommunityOverview, Report};
use crate::model::page::Page;
use crate::pages::admin::SELECT;
use crate::pages::dashboard::{ChosenCreator, DashboardNav, Stat};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::dialog::Dialog;
use crate::ui::form::FormError;
use crate::ui::format::date_time;
use crate::ui::layout::PageHeader;
use crate::ui::preloaded::preloaded;
use crate::ui::table::{Column, PagedTable, Table, CELL};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn CommunityPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    let resolve = ServerAction::<ResolveReport>::new();
    // A resolved report changes the counts above the queue too.
    let panel = Resource::new(
        move || (chosen.get(), resolve.version().get()),
        |(creator, _)| dashboard_community(creator),
    );
    view! {
        <PageHeader title="Community" lead="What your members post today, who contributes most, and what waits for moderation."/>
        <DashboardNav/>
        <ChosenCreator panel chosen loading="Loading the community…" content={move |creator, CommunityPanel { overview, to_review }| view! {
            <Today overview=overview.clone()/>
            <div class="mt-6 grid gap-6 lg:grid-cols-2">
                <Contributors overview=overview.clone()/>
                <Topics overview/>
            </div>
            <div class="mt-6"><Queue creator=creator.id to_review resolve/></div>
        }}/>
    }
}

#[component]
fn Today(overview: CommunityOverview) -> impl IntoView {
    let s = overview.stats;
    view! {
        <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
            <Stat label="Members" value=s.total_members.to_string() testid="community-members"/>
            <Stat label="Active today" value=s.active_today.to_string() testid="community-active"/>
            <Stat label="Posts today" value=s.posts_today.to_string() testid="community-posts"/>
            <Stat label="Comments today" value=s.comments_today.to_string() testid="community-comments"/>
            <Stat label="Reports to review" value=overview.moderation.pending_reports.to_string() testid="community-pending"/>
        </div>
    }
}

#[component]
fn Contributors(overview: CommunityOverview) -> impl IntoView {
    view! {
        <Card title="Top contributors">
            {if overview.top_contributors.is_empty() {
                view! { <p data-testid="no-contributors">"No member has posted or commented yet."</p> }.into_any()
            } else {
                view! {
                    <ol data-testid="contributors" class="divide-y divide-slate-200 dark:divide-slate-800">
                        {overview.top_contributors.into_iter().map(|c| view! {
                            <li class="flex justify-between gap-3 py-2">
                                <span>{c.name}" "<Badge status=c.badge/></span>
                                <span class="tabular-nums">{format!("{} contributions", c.contributions)}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </Card>
    }
}

#[component]
fn Topics(overview: CommunityOverview) -> impl IntoView {
    view! {
        <Card title="Trending this week">
            {if overview.trending_topics.is_empty() {
                view! { <p data-testid="no-topics">"No topics yet: they come from hashtags and frequent words in posts and comments."</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="topics" class="flex flex-wrap gap-2">
                        {overview.trending_topics.into_iter().map(|t| view! {
                            <li class="rounded-full bg-slate-100 px-3 py-1 text-sm dark:bg-slate-800">
                                {format!("{} · {}", t.topic, t.mentions)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Card>
    }
}

const REPORT_COLUMNS: [Column; 5] = [
    Column::new("Reported text"),
    Column::new("Reason"),
    Column::new("Reported"),
    Column::new("Status"),
    Column::hidden("Actions"),
];

/// The moderation queue. `to_review` is its first page, which the page brought; a
/// resolved report reloads the page's resource, and with it this queue.
#[component]
fn Queue(
    creator: Uuid,
    to_review: Page<Report>,
    resolve: ServerAction<ResolveReport>,
) -> impl IntoView {
    let status = RwSignal::new(TO_REVIEW.to_string());
    let cursor = RwSignal::new(None::<String>);
    let reports = preloaded(
        Ok(to_review),
        move || (status.get(), cursor.get()),
        move |(status, cursor)| dashboard_reports(creator, status, cursor),
    );
    view! {
        <section aria-labelledby="queue-heading">
            <div class="mb-3 flex flex-wrap items-end justify-between gap-3">
                <h2 id="queue-heading" class="text-lg font-semibold text-slate-900 dark:text-white">"Moderation queue"</h2>
                <div class="w-48">
                    <label for="report-status" class="block text-sm font-medium">"Show"</label>
                    <select id="report-status" class=SELECT on:change=move |ev| {
                        cursor.set(None);
                        status.set(event_target_value(&ev));
                    }>
                        <option value="pending">"To review"</option>
                        <option value="resolved">"Resolved"</option>
                        <option value="">"All reports"</option>
                    </select>
                </div>
            </div>
            <div class="mb-3"><FormError result=resolve.value()/></div>
            <PagedTable rows=reports loading="Loading reports…" empty="Nothing to review: no report matches." empty_testid="no-reports" cursor
                render=move |reports| view! { <Reports reports resolve/> }/>
        </section>
    }
}

#[component]
fn Reports(reports: Vec<Report>, resolve: ServerAction<ResolveReport>) -> impl IntoView {
    view! {
        <Table testid="reports" columns=&REPORT_COLUMNS>
            {reports.into_iter().map(|report| view! { <ReportRow report resolve/> }).collect_view()}
        </Table>
    }
}

#[component]
fn ReportRow(report: Report, resolve: ServerAction<ResolveReport>) -> impl IntoView {
    let what = if report.comment_id.is_some() {
        "comment"
    } else {
        "post"
    };
    let source = if report.source == "auto" {
        "Blocked word"
    } else {
        "Member report"
    };
    let status = report.resolution.clone().unwrap_or(report.status.clone());
    let pending = report.status == "pending";
    let id = report.id.to_string();
    let dialog_id = format!("remove-{id}");
    let keep_id = id.clone();
    let note_id = format!("note-{id}");
    let done = Signal::derive(move || resolve.version().get());
    view! {
        <tr>
            <td class=CELL>
                <span class="block text-xs uppercase text-slate-500 dark:text-slate-400">{what}</span>
                <span class="block max-w-md whitespace-pre-line">{report.excerpt.clone()}</span>
            </td>
            <td class=CELL>
                <span class="block">{report.reason.clone()}</span>
                <span class="block text-xs text-slate-500 dark:text-slate-400">{source}</span>
            </td>
            <td class="px-4 py-3 whitespace-nowrap">{date_time(report.created_at)}</td>
            <td class=CELL>
                <Badge status/>
                {report.note.clone().map(|note| view! { <span class="mt-1 block text-xs text-slate-600 dark:text-slate-400">{note}</span> })}
            </td>
            <td class=CELL>
                {pending.then(|| view! {
                    <div class="flex gap-2">
                        <ActionForm action=resolve>
                            <input type="hidden" name="report_id" value=keep_id/>
                            <input type="hidden" name="action" value="keep"/>
                            <Button button_type="submit" kind=ButtonKind::Secondary pending=resolve.pending()>"Keep"</Button>
                        </ActionForm>
                        <Dialog open_label="Remove…" title=format!("Remove this {what}") kind=ButtonKind::Danger done id=dialog_id>
                            <p class="mb-3">{format!("Members will no longer see this {what}. Every pending report on it is resolved.")}</p>
                            <ActionForm action=resolve>
                                <input type="hidden" name="report_id" value=id/>
                                <input type="hidden" name="action" value="remove"/>
                                <label for=note_id.clone() class="block text-sm font-medium">"Note for the team (optional)"</label>
                                <textarea id=note_id name="note" maxlength="500" rows="3"
                                    class="mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 dark:bg-slate-900 dark:text-white dark:ring-slate-700"></textarea>
                                <div class="mt-3">
                                    <Button button_type="submit" kind=ButtonKind::Danger pending=resolve.pending() pending_label="Removing…">{format!("Remove {what}")}</Button>
                                </div>
                            </ActionForm>
                        </Dialog>
                    </div>
                })}
            </td>
        </tr>
    }
}
