use crate::ui::card::Card;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn AdminHome() -> impl IntoView {
    view! {
        <PageHeader
            title="Admin console"
            lead="User search, suspension, roles, plans, coupons, gift cards, refunds and the audit log."
        />
        <Card title="What exists today">
            <p>
                "Operators can create or promote a superadmin from the command line with "
                <code class="font-mono">"server create-admin --email … --password …"</code>
                ". The console pages follow the accounts release."
            </p>
        </Card>
    }
}
