use crate::ui::card::Card;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <div class="mx-auto max-w-md">
            <PageHeader title="Sign in"/>
            <Card title="Accounts">
                <p>
                    "Browser sign-in is coming with the accounts release. Until then, accounts sign in through the REST API: "
                    <code class="font-mono">"POST /api/v1/auth/login"</code>
                    ". An operator creates the first administrator with "
                    <code class="font-mono">"server create-admin"</code>"."
                </p>
            </Card>
        </div>
    }
}
