use crate::api::auth::{RequestPasswordReset, ResetPassword};
use crate::ui::button::Button;
use crate::ui::card::Card;
use crate::ui::form::{FormError, TextField};
use crate::ui::layout::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <div class="mx-auto max-w-md">
            <PageHeader title="Forgot your password?" lead="Enter your account's email; we will send you a link to choose a new password."/>
            <Show
                when=sent
                fallback=move || view! {
                    <ActionForm action=action>
                        <div class="space-y-4">
                            <FormError result=Signal::derive(move || action.value().get())/>
                            <TextField label="Email" name="email" input_type="email" autocomplete="email" required=true/>
                            <Button button_type="submit" pending=action.pending() pending_label="Sending…">"Send the link"</Button>
                        </div>
                    </ActionForm>
                }
            >
                <Card title="Check your inbox">
                    <p role="status">"If an account exists for that address, a link to reset its password is on its way. It works for one hour."</p>
                </Card>
            </Show>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = move || use_query_map().with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<ResetPassword>::new();
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <div class="mx-auto max-w-md">
            <PageHeader title="Choose a new password"/>
            <Show
                when=done
                fallback=move || view! {
                    <ActionForm action=action>
                        <div class="space-y-4">
                            <FormError result=Signal::derive(move || action.value().get())/>
                            <input type="hidden" name="token" value=token/>
                            <TextField label="New password" name="new_password" input_type="password" autocomplete="new-password" required=true hint="10 to 128 characters."/>
                            <Button button_type="submit" pending=action.pending() pending_label="Saving…">"Set the new password"</Button>
                        </div>
                    </ActionForm>
                }
            >
                <Card title="Password changed">
                    <p role="status">"Your password is changed and every device was signed out."</p>
                    <a href="/signin" class="mt-3 inline-block font-medium text-indigo-600 hover:underline dark:text-indigo-400">"Sign in"</a>
                </Card>
            </Show>
        </div>
    }
}
