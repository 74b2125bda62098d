use crate::ui::card::Card;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn DashboardHome() -> impl IntoView {
    view! {
        <PageHeader
            title="Creator dashboard"
            lead="Members, tiers, engagement and revenue analytics, campaigns, tips, community and webhooks for your creator pages."
        />
        <Card title="What exists today">
            <p>"No creator tools are available yet. They arrive after accounts and billing, starting with members and tiers."</p>
        </Card>
    }
}
