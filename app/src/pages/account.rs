use crate::api::auth::current_user;
use crate::ui::card::Card;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn AccountHome() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <PageHeader
            title="Your account"
            lead="Profile, sub-profiles, your subscription, creator memberships, payment methods and invoices are managed here."
        />
        <AccountNav/>
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading your account…"</p> }>
            {move || user.get().map(|result| match result {
                Ok(Some(user)) => view! {
                    <Card title="Profile">
                        <dl class="grid grid-cols-1 gap-3 sm:grid-cols-2">
                            <div><dt class="text-slate-500 dark:text-slate-400">"Name"</dt><dd data-testid="account-name" class="font-medium text-slate-900 dark:text-white">{user.display_name.clone()}</dd></div>
                            <div><dt class="text-slate-500 dark:text-slate-400">"Email"</dt><dd data-testid="account-email" class="font-medium text-slate-900 dark:text-white">{user.email.clone()}</dd></div>
                            <div>
                                <dt class="text-slate-500 dark:text-slate-400">"Email status"</dt>
                                <dd data-testid="account-email-status">
                                    {if user.email_verified {
                                        view! { <span class="rounded bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">"Verified"</span> }.into_any()
                                    } else {
                                        view! { <span class="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">"Not verified: check your inbox for the link"</span> }.into_any()
                                    }}
                                </dd>
                            </div>
                            <div><dt class="text-slate-500 dark:text-slate-400">"Roles"</dt><dd>{user.roles.join(", ")}</dd></div>
                        </dl>
                    </Card>
                }.into_any(),
                Ok(None) => view! {
                    <Card title="You are not signed in">
                        <p>"Sign in to see and manage your account."</p>
                        <a href="/signin" class="mt-3 inline-block font-medium text-indigo-600 hover:underline dark:text-indigo-400">"Sign in"</a>
                    </Card>
                }.into_any(),
                Err(e) => view! {
                    <div role="alert" class="rounded-md bg-rose-50 p-3 text-sm text-rose-800">{format!("Your account could not be loaded: {e}")}</div>
                }.into_any(),
            })}
        </Transition>
    }
}

/// The account section's menu, on every account page.
#[component]
pub fn AccountNav() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let link = move |href: &'static str, label: &'static str| {
        let current = move || (location.pathname.get() == href).then_some("page");
        view! {
            <a href=href aria-current=current
                class="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-200 aria-[current=page]:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white">
                {label}
            </a>
        }
    };
    view! {
        <nav aria-label="Account" class="mb-6 flex gap-1 print:hidden">
            {link("/account", "Profile")}
            {link("/account/billing", "Billing")}
        </nav>
    }
}
