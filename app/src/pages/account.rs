use crate::ui::card::Card;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn AccountHome() -> impl IntoView {
    view! {
        <PageHeader
            title="Your account"
            lead="Profile, sub-profiles, your subscription, creator memberships, payment methods and invoices will be managed here."
        />
        <Card title="What exists today">
            <p>"The account pages open once browser sign-in ships. Nothing is stored about you yet beyond what the API holds."</p>
        </Card>
    }
}
