use crate::api::auth::{header_summary, SignOut};
use crate::model::user::SignedInSummary;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// Bumped by a page that changed the user's notifications (marked one read), so the
/// header's unread count follows without a navigation. Provided by the app's root.
#[derive(Clone, Copy)]
pub struct InboxChanged(pub RwSignal<u32>);

/// The three areas of the product, in navigation order.
const AREAS: [(&str, &str); 3] = [
    ("/account", "Account"),
    ("/dashboard", "Creator dashboard"),
    ("/admin", "Admin console"),
];

/// The signed-in visitor's name and unread count (None for a visitor), as the header
/// shows them: read again on every navigation, after signing out, and when a page says
/// the notifications changed, so it follows sign-in redirects and marked notifications.
type Summary = Resource<Result<Option<SignedInSummary>, ServerFnError>>;

/// Top bar on every page. On narrow screens the links fold into a `<details>` menu,
/// which works before (and without) hydration.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let location = use_location();
    let sign_out = ServerAction::<SignOut>::new();
    let changed = use_context::<InboxChanged>().map(|InboxChanged(signal)| signal);
    let summary: Summary = Resource::new(
        move || {
            (
                location.pathname.get(),
                sign_out.version().get(),
                changed.map(|c| c.get()),
            )
        },
        |_| header_summary(),
    );
    let links = || {
        AREAS
            .iter()
            .map(|(href, label)| {
                view! {
                    <a
                        href=*href
                        class="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
                    >
                        {*label}
                    </a>
                }
            })
            .collect_view()
    };
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
            "Skip to content"
        </a>
        <header class="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <div class="mx-auto flex h-14 max-w-7xl items-center justify-between gap-4 px-4 sm:px-6 lg:px-8">
                <a href="/" class="flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900 dark:text-white">
                    <span aria-hidden="true" class="inline-block h-6 w-6 rounded-md bg-indigo-600"></span>
                    "Encora"
                </a>
                <nav aria-label="Main" class="hidden items-center gap-1 md:flex">
                    {links()}
                </nav>
                <div class="flex items-center gap-2">
                    <UserMenu summary sign_out/>
                    <details class="relative md:hidden">
                        <summary class="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">
                            "Menu"
                        </summary>
                        <nav
                            aria-label="Main (mobile)"
                            class="absolute right-0 z-10 mt-2 flex w-56 flex-col rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
                        >
                            {links()}
                        </nav>
                    </details>
                </div>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="mx-auto max-w-7xl px-4 py-8 text-sm text-slate-500 sm:px-6 lg:px-8 dark:text-slate-400">
            "Encora · self-hosted creator memberships and subscriber billing · API at "
            <code class="font-mono">"/api/v1"</code>
        </footer>
    }
}

/// Sets the document title and renders the page's single `<h1>` with an optional lead.
#[component]
pub fn PageHeader(
    #[prop(into)] title: String,
    #[prop(optional, into)] lead: Option<String>,
) -> impl IntoView {
    view! {
        <Title text=title.clone()/>
        <div class="mb-8">
            <h1 class="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl dark:text-white">
                {title}
            </h1>
            {lead.map(|lead| view! { <p class="mt-2 max-w-2xl text-slate-600 dark:text-slate-400">{lead}</p> })}
        </div>
    }
}

/// "Sign in" for visitors; the inbox, the user's name and "Sign out" once signed in.
#[component]
fn UserMenu(summary: Summary, sign_out: ServerAction<SignOut>) -> impl IntoView {
    let sign_in_link = || {
        view! {
            <a
                href="/signin"
                class="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
                "Sign in"
            </a>
        }
    };
    // A plain form, so that signing out works before hydration; once hydrated it is
    // sent through the action (ActionForm would bring a form decoder into the bundle
    // that every first page downloads, for a form without fields).
    let url = SignOut::url();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_out.dispatch(SignOut {});
    };
    view! {
        <Transition fallback=sign_in_link>
            {move || summary.get().map(|result| match result {
                Ok(Some(summary)) => view! {
                    <InboxLink unread=summary.unread_notifications/>
                    <span data-testid="signed-in-as" class="hidden text-sm text-slate-600 sm:inline dark:text-slate-300">
                        {summary.display_name}
                    </span>
                    <form method="post" action=url on:submit=submit>
                        <button
                            type="submit"
                            class="rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-100 dark:text-slate-200 dark:ring-slate-600 dark:hover:bg-slate-800"
                        >
                            "Sign out"
                        </button>
                    </form>
                }.into_any(),
                _ => sign_in_link().into_any(),
            })}
        </Transition>
    }
}

/// The notification centre of a signed-in user, with the number of unread
/// notifications when there are any.
#[component]
fn InboxLink(unread: u64) -> impl IntoView {
    view! {
        <a
            href="/account/notifications"
            data-testid="inbox"
            aria-label={if unread > 0 { format!("Inbox, {unread} unread") } else { "Inbox".to_string() }}
            class="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:bg-slate-800"
        >
            "Inbox"
            {(unread > 0).then(|| view! {
                <span data-testid="unread-count" class="ml-1 inline-flex min-w-5 justify-center rounded-full bg-rose-700 px-1.5 text-xs font-semibold text-white">
                    {unread}
                </span>
            })}
        </a>
    }
}
