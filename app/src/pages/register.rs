use crate::api::auth::Register;
use crate::ui::button::Button;
use crate::ui::form::{Checkbox, FormError, TextField};
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    view! {
        <div class="mx-auto max-w-md">
            <PageHeader title="Create your account" lead="We will send you a link to confirm your email address."/>
            <ActionForm action=action>
                <div class="space-y-4">
                    <FormError result=Signal::derive(move || action.value().get())/>
                    <TextField label="Email" name="email" input_type="email" autocomplete="email" required=true/>
                    <TextField label="Display name" name="display_name" autocomplete="name" required=true hint="Shown to creators and in the community; up to 100 characters."/>
                    <TextField label="Password" name="password" input_type="password" autocomplete="new-password" required=true hint="10 to 128 characters."/>
                    <Checkbox label="I accept the terms of service" name="accept_terms"/>
                    <Button button_type="submit" pending=action.pending() pending_label="Creating your account…">"Create account"</Button>
                </div>
            </ActionForm>
            <p class="mt-6 text-sm text-slate-600 dark:text-slate-400">
                "Already registered? "
                <a href="/signin" class="font-medium text-indigo-600 hover:underline dark:text-indigo-400">"Sign in"</a>
            </p>
        </div>
    }
}
