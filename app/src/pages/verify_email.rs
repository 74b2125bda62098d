use crate::api::auth::VerifyEmail;
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::FormError;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where the link in the verification mail leads. Confirming is a deliberate click (a
/// POST), so mail scanners that prefetch links cannot use the token up.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = move || use_query_map().with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<VerifyEmail>::new();
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <div class="mx-auto max-w-md">
            <PageHeader title="Confirm your email"/>
            <Show
                when=done
                fallback=move || view! {
                    <ActionForm action=action>
                        <div class="space-y-4">
                            <FormError result=Signal::derive(move || action.value().get())/>
                            <input type="hidden" name="token" value=token/>
                            <Button button_type="submit" pending=action.pending() pending_label="Confirming…">"Confirm my email"</Button>
                        </div>
                    </ActionForm>
                }
            >
                <Card title="Email confirmed">
                    <p role="status">"Your email address is confirmed."</p>
                    <a href="/account" class="mt-3 inline-block font-medium text-indigo-600 hover:underline dark:text-indigo-400">"Go to your account"</a>
                </Card>
            </Show>
        </div>
    }
}
