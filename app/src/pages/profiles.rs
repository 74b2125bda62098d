//! `/account/profiles`: the account's sub-profiles (Netflix-style), with PINs and kids
//! profiles, up to the plan's limit.

use crate::api::account::{load_profiles, AddProfile, EditProfile, OpenProfile, RemoveProfile};
use crate::model::profile::ContentRating;
use crate::model::profile::Profile;
use crate::pages::account::{AccountNav, SignedOut};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::form::{error_text, Checkbox, FormError, TextField};
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn ProfilesPage() -> impl IntoView {
    let add = ServerAction::<AddProfile>::new();
    let remove = ServerAction::<RemoveProfile>::new();
    let edit = ServerAction::<EditProfile>::new();
    let profiles = Resource::new(
        move || {
            (
                add.version().get(),
                remove.version().get(),
                edit.version().get(),
            )
        },
        |_| load_profiles(),
    );
    view! {
        <PageHeader title="Profiles" lead="Everyone in your household gets their own profile; a PIN keeps one private, a kids profile keeps to kids' ratings."/>
        <AccountNav/>
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading profiles…"</p> }>
            {move || profiles.get().map(|result| match result {
                Ok(list) => view! {
                    <div class="max-w-3xl space-y-6">
                        <WhoIsWatching profiles=list.data.clone()/>
                        <Card title="Your profiles">
                            <ul data-testid="profiles" class="divide-y divide-slate-200 dark:divide-slate-800">
                                {list.data.into_iter().map(|profile| view! { <ProfileRow profile remove edit/> }).collect_view()}
                            </ul>
                            <FormError result=remove.value()/>
                            <FormError result=edit.value()/>
                        </Card>
                        <NewProfile add/>
                    </div>
                }.into_any(),
                Err(e) => view! { <SignedOut error=error_text(&e)/> }.into_any(),
            })}
        </Transition>
    }
}

/// Picks the profile to watch as; a PIN-protected one asks for its PIN first.
#[component]
fn WhoIsWatching(profiles: Vec<Profile>) -> impl IntoView {
    let open = ServerAction::<OpenProfile>::new();
    let asking = RwSignal::new(None::<(uuid::Uuid, String)>);
    view! {
        <Card title="Who's watching?">
            <div class="flex flex-wrap gap-3">
                {profiles.into_iter().map(|profile| {
                    let (id, name, locked) = (profile.id, profile.name.clone(), profile.pin_protected);
                    let label = if locked { format!("{name} 🔒") } else { name.clone() };
                    view! {
                        <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| {
                            if locked {
                                asking.set(Some((id, name.clone())));
                            } else {
                                asking.set(None);
                                open.dispatch(OpenProfile { id, pin: None });
                            }
                        })>{label.clone()}</Button>
                    }
                }).collect_view()}
            </div>
            {move || asking.get().map(|(id, name)| view! {
                <ActionForm action=open>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <div class="mt-4 flex flex-wrap items-end gap-3">
                        <TextField label=format!("PIN for {name}") name="pin" input_type="password" autocomplete="off" required=true max_length=6usize/>
                        <Button button_type="submit" pending=open.pending() pending_label="Checking…">"Open profile"</Button>
                    </div>
                </ActionForm>
            })}
            {move || open.value().get().map(|result| match result {
                Ok(name) => view! { <p role="status" data-testid="watching-as" class="mt-3 text-emerald-700 dark:text-emerald-300">{format!("Watching as {name}.")}</p> }.into_any(),
                Err(e) => view! { <p role="alert" class="mt-3 text-rose-700 dark:text-rose-300">{error_text(&e)}</p> }.into_any(),
            })}
        </Card>
    }
}

#[component]
fn ProfileRow(
    profile: Profile,
    remove: ServerAction<RemoveProfile>,
    edit: ServerAction<EditProfile>,
) -> impl IntoView {
    let name = profile.name.clone();
    let id = profile.id;
    let field = move |what: &str| format!("{what}-{id}");
    // A kids profile keeps to kids' ratings, so only those are offered.
    let ratings: Vec<ContentRating> = ContentRating::ALL
        .into_iter()
        .filter(|r| !profile.is_kids || r.is_for_kids())
        .collect();
    let current_rating = profile.content_rating_limit;
    view! {
        <li class="flex flex-wrap items-center justify-between gap-3 py-3">
            <div>
                <span class="font-medium text-slate-900 dark:text-white">{profile.name.clone()}</span>
                <span class="ml-2 inline-flex gap-1">
                    {profile.is_primary.then(|| view! { <Badge status="primary"/> })}
                    {profile.is_kids.then(|| view! { <Badge status="kids"/> })}
                    {profile.pin_protected.then(|| view! { <Badge status="PIN"/> })}
                </span>
                <p class="text-xs text-slate-500 dark:text-slate-400">{format!("Up to {} · {}", profile.content_rating_limit.as_str(), profile.language)}</p>
            </div>
            <details>
                <summary class="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:text-slate-200 dark:ring-slate-600 dark:hover:bg-slate-800">
                    {format!("Edit {name}…")}
                </summary>
                <ActionForm action=edit>
                    <input type="hidden" name="id" value=profile.id.to_string()/>
                    <div class="mt-2 grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-700">
                        <TextField label="Profile name" name="name" id=field("name") value=profile.name.clone() required=true max_length=50usize/>
                        <div>
                            <label for=field("rating") class="block text-sm font-medium">"Highest rating"</label>
                            <select id=field("rating") name="content_rating_limit" class="mt-1 block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700">
                                {ratings.into_iter().map(|r| view! { <option value=r.as_str() selected=r == current_rating>{r.as_str()}</option> }).collect_view()}
                            </select>
                        </div>
                        <TextField label="Language" name="language" id=field("language") value=profile.language.clone() required=true/>
                        <TextField label="New PIN" name="pin" id=field("pin") input_type="password" autocomplete="off" max_length=6usize hint="4 to 6 digits; leave empty to keep the current one."/>
                        {profile.pin_protected.then(|| view! {
                            <div class="sm:col-span-2"><Checkbox label="Remove the PIN" name="remove_pin" id=field("remove-pin")/></div>
                        })}
                        <div class="sm:col-span-2"><Button button_type="submit" pending=edit.pending() pending_label="Saving…">"Save profile"</Button></div>
                    </div>
                </ActionForm>
            </details>
            {(!profile.is_primary).then(|| view! {
                <details>
                    <summary class="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-rose-700 ring-1 ring-inset ring-rose-300 hover:bg-rose-50 dark:text-rose-300 dark:ring-rose-800 dark:hover:bg-rose-950">
                        {format!("Delete {name}…")}
                    </summary>
                    <div class="mt-2 rounded-md border border-rose-200 p-3 dark:border-rose-900">
                        <p>"Delete this profile and its watch history? This cannot be undone."</p>
                        <ActionForm action=remove>
                            <input type="hidden" name="id" value=profile.id.to_string()/>
                            <div class="mt-2"><Button button_type="submit" kind=ButtonKind::Danger pending=remove.pending()>"Yes, delete it"</Button></div>
                        </ActionForm>
                    </div>
                </details>
            })}
        </li>
    }
}

#[component]
fn NewProfile(add: ServerAction<AddProfile>) -> impl IntoView {
    view! {
        <Card title="Add a profile">
            <ActionForm action=add>
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField label="Name" name="name" required=true max_length=50usize/>
                    <TextField label="PIN (optional)" name="pin" input_type="password" autocomplete="off" hint="4 to 6 digits, asked before the profile opens."/>
                </div>
                <div class="mt-3"><Checkbox label="Kids profile (kids' ratings only)" name="is_kids"/></div>
                <div class="mt-4"><Button button_type="submit" pending=add.pending() pending_label="Adding…">"Add profile"</Button></div>
                <div class="mt-3"><FormError result=add.value()/></div>
            </ActionForm>
        </Card>
    }
}
