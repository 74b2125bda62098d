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
