use crate::api::auth::SignIn;
use crate::ui::button::Button;
use crate::ui::form::{FormError, TextField};
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    view! {
        <div class="mx-auto max-w-md">
            <PageHeader title="Sign in"/>
            <ActionForm action=action>
                <div class="space-y-4">
                    <FormError result=Signal::derive(move || action.value().get())/>
                    <TextField label="Email" name="email" input_type="email" autocomplete="email" required=true/>
                    <TextField label="Password" name="password" input_type="password" autocomplete="current-password" required=true/>
                    <Button button_type="submit" pending=action.pending() pending_label="Signing in…">"Sign in"</Button>
                </div>
            </ActionForm>
            <p class="mt-6 text-sm text-slate-600 dark:text-slate-400">
                <a href="/forgot-password" class="font-medium text-indigo-600 hover:underline dark:text-indigo-400">"Forgot your password?"</a>
            </p>
            <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                "No account yet? "
                <a href="/register" class="font-medium text-indigo-600 hover:underline dark:text-indigo-400">"Create one"</a>
            </p>
        </div>
    }
}
