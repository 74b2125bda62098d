//! `/account`: the profile form (name, contact, locale, time zone, notification
//! choices) and the password change; the account menu shared by every account page.

use crate::api::account::{load_account, AccountOverview, ChangeMyPassword, SaveProfile};
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::{error_text, Checkbox, FormError, TextField};
use crate::ui::layout::PageHeader;
use crate::ui::nav::NavLink;
use leptos::prelude::*;

#[component]
pub fn AccountHome() -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let avatar_outcome = RwSignal::new(None);
    let account = Resource::new(move || save.version().get(), |_| load_account());
    view! {
        <PageHeader
            title="Your account"
            lead="Your profile, how we reach you, and your password."
        />
        <AccountNav/>
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading your account…"</p> }>
            {move || account.get().map(|result| match result {
                Ok(Some(data)) => view! { <Account data save avatar_outcome/> }.into_any(),
                Ok(None) => view! {
                    <Card title="You are not signed in">
                        <p>"Sign in to see and manage your account."</p>
                        <a href="/signin" class="mt-3 inline-block font-medium text-indigo-600 hover:underline dark:text-indigo-400">"Sign in"</a>
                    </Card>
                }.into_any(),
                Err(e) => view! { <SignedOut error=error_text(&e)/> }.into_any(),
            })}
        </Transition>
    }
}

/// What an account page shows when it cannot load: usually a lapsed session.
#[component]
pub fn SignedOut(error: String) -> impl IntoView {
    view! {
        <div role="alert" class="max-w-xl rounded-md bg-rose-50 p-4 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
            <p>{error}</p>
            <p class="mt-2"><a href="/signin" class="font-medium underline">"Sign in"</a></p>
        </div>
    }
}

#[component]
fn Account(
    data: AccountOverview,
    save: ServerAction<SaveProfile>,
    avatar_outcome: RwSignal<Option<Result<(), String>>>,
) -> impl IntoView {
    let AccountOverview { user, preferences } = data;
    let password = ServerAction::<ChangeMyPassword>::new();
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let changed = move || matches!(password.value().get(), Some(Ok(())));
    view! {
        <div class="max-w-3xl space-y-6">
            <Card title="Profile">
                <dl class="mb-4 grid grid-cols-1 gap-3 sm:grid-cols-2">
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
                <AvatarForm url=user.avatar_url.clone() outcome=avatar_outcome on_done=Callback::new(move |_| save.version().update(|v| *v += 1))/>
                <ActionForm action=save>
                    <div class="grid gap-4 sm:grid-cols-2">
                        <TextField label="Display name" name="display_name" value=user.display_name.clone() autocomplete="name" required=true max_length=100usize/>
                        <TextField label="Phone" name="phone" input_type="tel" value=user.phone.clone().unwrap_or_default() autocomplete="tel" hint="International form, such as +14155550123."/>
                        <TextField label="Locale" name="locale" value=user.locale.clone() hint="Such as en-US or pt-BR." required=true/>
                        <TextField label="Time zone" name="timezone" value=user.timezone.clone() hint="Such as Europe/Paris or America/New_York." required=true/>
                        <TextField label="Country" name="country_code" value=user.country_code.clone().unwrap_or_default() autocomplete="country" hint="Two letters, such as US." max_length=2usize/>
                        <TextField label="Language" name="preferred_language" value=user.preferred_language.clone() hint="Such as en or pt." required=true/>
                    </div>
                    <fieldset class="mt-4">
                        <legend class="text-sm font-medium text-slate-900 dark:text-slate-100">"Notify me about"</legend>
                        <div class="mt-2 grid gap-2 sm:grid-cols-2">
                            <Checkbox label="Payments and my subscription" name="payment" checked=preferences.payment/>
                            <Checkbox label="New content from creators I follow" name="new_content" checked=preferences.new_content/>
                            <Checkbox label="Account security (changes are always reported)" name="account_security" checked=preferences.account_security/>
                            <Checkbox label="News and offers" name="marketing" checked=preferences.marketing/>
                        </div>
                    </fieldset>
                    <div class="mt-4 flex items-center gap-3">
                        <Button button_type="submit" pending=save.pending() pending_label="Saving…">"Save profile"</Button>
                        <Show when=saved><span role="status" class="text-sm text-emerald-700 dark:text-emerald-300">"Saved."</span></Show>
                    </div>
                    <div class="mt-3"><FormError result=save.value()/></div>
                </ActionForm>
            </Card>
            <Card title="Password">
                <p class="mb-3">"Changing it signs you out everywhere else and stops streams on other devices."</p>
                <ActionForm action=password>
                    <div class="grid gap-4 sm:grid-cols-2">
                        <TextField label="Current password" name="current_password" input_type="password" autocomplete="current-password" required=true/>
                        <TextField label="New password" name="new_password" input_type="password" autocomplete="new-password" required=true hint="At least 10 characters."/>
                    </div>
                    <div class="mt-4 flex items-center gap-3">
                        <Button button_type="submit" pending=password.pending() pending_label="Changing…">"Change password"</Button>
                        <Show when=changed><span role="status" class="text-sm text-emerald-700 dark:text-emerald-300">"Password changed; other sessions were signed out."</span></Show>
                    </div>
                    <div class="mt-3"><FormError result=password.value()/></div>
                </ActionForm>
            </Card>
        </div>
    }
}

/// The current avatar and a file picker that uploads a new one (JPEG or PNG, at most
/// 5 MB) to `PUT /api/v1/users/me/avatar` with the session cookie.
#[component]
fn AvatarForm(
    url: Option<String>,
    /// Kept by the page: the form is rebuilt when the account reloads after an upload.
    outcome: RwSignal<Option<Result<(), String>>>,
    on_done: Callback<()>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    // An object URL of the chosen file, shown before it is sent; refused types and
    // sizes are reported at once (the server checks again by decoding the image).
    let preview = RwSignal::new(None::<String>);
    let on_pick = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            if let Some(old) = preview.get_untracked() {
                let _ = web_sys::Url::revoke_object_url(&old);
            }
            let file = input.files().and_then(|files| files.get(0));
            let refusal = file
                .as_ref()
                .and_then(|file| avatar_refusal(&file.type_(), file.size()));
            outcome.set(refusal.clone().map(Err));
            preview.set(
                file.filter(|_| refusal.is_none())
                    .and_then(|file| web_sys::Url::create_object_url_with_blob(&file).ok()),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, preview);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            busy.set(true);
            leptos::task::spawn_local(async move {
                let result = upload_avatar(&form).await;
                busy.set(false);
                if result.is_ok() {
                    on_done.run(());
                }
                outcome.set(Some(result));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (busy, outcome, on_done);
    };
    view! {
        <form on:submit=on_submit class="mb-6 flex flex-wrap items-end gap-4">
            {match url {
                Some(url) => view! { <img data-testid="avatar" src=url alt="Your avatar" width="64" height="64" class="h-16 w-16 rounded-full object-cover"/> }.into_any(),
                None => view! { <span aria-hidden="true" class="inline-block h-16 w-16 rounded-full bg-slate-200 dark:bg-slate-700"></span> }.into_any(),
            }}
            {move || preview.get().map(|src| view! {
                <figure class="text-center">
                    <img data-testid="avatar-preview" src=src alt="Preview of your new avatar" width="64" height="64" class="h-16 w-16 rounded-full object-cover ring-2 ring-indigo-500"/>
                    <figcaption class="mt-1 text-xs text-slate-500 dark:text-slate-400">"Preview"</figcaption>
                </figure>
            })}
            <div>
                <label for="field-avatar" class="block text-sm font-medium text-slate-900 dark:text-slate-100">"Avatar"</label>
                <input id="field-avatar" name="file" type="file" accept="image/jpeg,image/png" required=true aria-describedby="field-avatar-hint" on:change=on_pick
                    class="mt-1 block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-semibold dark:file:bg-slate-800 dark:file:text-white"/>
                <p id="field-avatar-hint" class="mt-1 text-xs text-slate-500 dark:text-slate-400">"JPEG or PNG, at most 5 MB."</p>
            </div>
            <Button button_type="submit" kind=crate::ui::button::ButtonKind::Secondary pending=busy pending_label="Uploading…">"Upload avatar"</Button>
            {move || outcome.get().map(|result| match result {
                Ok(()) => view! { <p role="status" class="text-sm text-emerald-700 dark:text-emerald-300">"Avatar updated."</p> }.into_any(),
                Err(message) => view! { <p role="alert" class="text-sm text-rose-700 dark:text-rose-300">{message}</p> }.into_any(),
            })}
        </form>
    }
}

/// Why a picked file cannot be an avatar, judged by what the browser knows before
/// sending it: its declared type and its size.
#[cfg(any(feature = "hydrate", test))]
fn avatar_refusal(content_type: &str, size: f64) -> Option<String> {
    if !matches!(content_type, "image/jpeg" | "image/png") {
        return Some("Choose a JPEG or PNG image.".to_string());
    }
    (size > crate::model::user::AVATAR_MAX_BYTES as f64)
        .then(|| "The image is larger than 5 MB; choose a smaller one.".to_string())
}

/// Sends the form as multipart; on refusal, the message of the documented error body.
#[cfg(feature = "hydrate")]
async fn upload_avatar(form: &web_sys::HtmlFormElement) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| "The upload failed; check your connection and try again.".to_string();
    let data = web_sys::FormData::new_with_form(form).map_err(failed)?;
    let init = web_sys::RequestInit::new();
    init.set_method("PUT");
    init.set_body(&data);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let window = web_sys::window().ok_or("No browser window.".to_string())?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init("/api/v1/users/me/avatar", &init))
            .await
            .map_err(failed)?
            .unchecked_into();
    if response.ok() {
        return Ok(());
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    Err(serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|body| body["message"].as_str().map(str::to_string))
        .unwrap_or_else(|| format!("The upload was refused ({}).", response.status())))
}

/// The account section's menu, on every account page.
#[component]
pub fn AccountNav() -> impl IntoView {
    view! {
        <nav aria-label="Account" class="mb-6 flex gap-1 overflow-x-auto print:hidden">
            <NavLink href="/account" label="Profile"/>
            <NavLink href="/account/profiles" label="Profiles"/>
            <NavLink href="/account/devices" label="Devices"/>
            <NavLink href="/account/notifications" label="Notifications"/>
            <NavLink href="/account/billing" label="Billing"/>
            <NavLink href="/account/privacy" label="Privacy"/>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::avatar_refusal;

    #[test]
    fn only_jpeg_and_png_up_to_five_megabytes_are_offered_for_upload() {
        assert_eq!(avatar_refusal("image/png", 1024.0), None);
        assert_eq!(avatar_refusal("image/jpeg", 5.0 * 1024.0 * 1024.0), None);
        assert!(avatar_refusal("image/gif", 10.0).is_some());
        assert!(avatar_refusal("image/png", 5.0 * 1024.0 * 1024.0 + 1.0).is_some());
    }
}
