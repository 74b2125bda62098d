//! The account billing pages' server functions: the same services as the REST API,
//! for the signed-in browser user.

use crate::model::coupon::CouponValidation;
use crate::model::payment_method::PaymentMethod;
use crate::model::plan::Plan;
use crate::model::subscription::{Invoice, PlanChangePreview, Subscription};
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Everything the billing page shows, in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillingOverview {
    pub subscription: Option<Subscription>,
    /// Plans open to new subscriptions.
    pub plans: Vec<Plan>,
    pub payment_methods: Vec<PaymentMethod>,
    /// The newest invoices.
    pub invoices: Vec<Invoice>,
    /// Credit on the account (gift cards, downgrades), by currency.
    pub balances: Vec<(String, Decimal)>,
    /// The platform's clock (the sandbox clock in test deployments), for countdowns.
    pub now: chrono::DateTime<chrono::Utc>,
}

#[server(prefix = "/api/fn", endpoint = "load_billing")]
pub async fn load_billing() -> Result<BillingOverview, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::domain::money::{Currency, Money};
    use crate::backend::error::AppError;
    use crate::backend::pagination::PageRequest;
    use crate::backend::services::{invoices, payment_methods, plans, subscriptions};
    let (state, identity) = signed_in().await?;
    let subscription = match subscriptions::current(&state, &identity).await {
        Ok(sub) => Some(sub),
        Err(AppError::NotFound { .. }) => None,
        Err(e) => return Err(fail(e)),
    };
    let plans = plans::list_active(&state, PageRequest::first(100))
        .await
        .map_err(fail)?
        .data;
    let payment_methods = payment_methods::list(&state, &identity)
        .await
        .map_err(fail)?
        .data;
    let invoices = invoices::list(&state, &identity, None, PageRequest::first(12))
        .await
        .map_err(fail)?
        .data;
    let balances = crate::backend::store::balances::all(&state.db, identity.user_id)
        .await
        .map_err(fail)?
        .into_iter()
        .filter_map(|(code, minor)| {
            Currency::parse(&code).map(|c| (code, Money::from_minor(minor, c).to_decimal()))
        })
        .collect();
    Ok(BillingOverview {
        subscription,
        plans,
        payment_methods,
        invoices,
        balances,
        now: state.clock.now(),
    })
}

/// Saves a sandbox test card (`tok_visa`, …): the page never sees card numbers.
#[server(prefix = "/api/fn", endpoint = "add_card")]
pub async fn add_card(token: String, billing_name: String) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::payment_method::AttachPaymentMethod;
    let (state, identity) = signed_in().await?;
    let req = AttachPaymentMethod {
        payment_method_token: token,
        set_as_default: false,
        billing_name: Some(billing_name),
    };
    crate::backend::services::payment_methods::attach(&state, &identity, req)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "make_card_default")]
pub async fn make_card_default(id: Uuid) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::payment_methods::make_default(&state, &identity, id)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "remove_card")]
pub async fn remove_card(id: Uuid) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::payment_methods::remove(&state, &identity, id)
        .await
        .map_err(fail)
}

/// Whether a coupon code would apply to a plan, for validating as it is typed.
#[server(prefix = "/api/fn", endpoint = "check_coupon")]
pub async fn check_coupon(code: String, plan_id: Uuid) -> Result<CouponValidation, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::coupon::ValidateCoupon;
    let (state, identity) = signed_in().await?;
    crate::backend::services::coupons::validate_code(
        &state,
        &identity,
        ValidateCoupon { code, plan_id },
    )
    .await
    .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "subscribe")]
pub async fn subscribe(
    plan_id: Uuid,
    payment_method_id: Uuid,
    #[server(default)] coupon_code: Option<String>,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::subscription::CreateSubscription;
    let (state, identity) = signed_in().await?;
    let req = CreateSubscription {
        plan_id,
        payment_method_id,
        coupon_code: coupon_code.filter(|c| !c.trim().is_empty()),
    };
    crate::backend::services::subscriptions::create(&state, &identity, req)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "preview_plan_change")]
pub async fn preview_plan_change(plan_id: Uuid) -> Result<PlanChangePreview, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::subscription::PreviewPlanChange;
    let (state, identity) = signed_in().await?;
    let req = PreviewPlanChange {
        plan_id,
        coupon_code: None,
    };
    crate::backend::services::subscriptions::preview_change(&state, &identity, req)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "change_plan")]
pub async fn change_plan(plan_id: Uuid) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::subscription::ChangePlan;
    let (state, identity) = signed_in().await?;
    let req = ChangePlan {
        plan_id,
        coupon_code: None,
    };
    crate::backend::services::subscriptions::change_plan(&state, &identity, req)
        .await
        .map_err(fail)?;
    Ok(())
}

/// `cancel`, `cancel_now`, `pause` or `resume`.
#[server(prefix = "/api/fn", endpoint = "update_subscription")]
pub async fn update_subscription(step: String) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::subscriptions;
    use crate::model::subscription::CancelSubscription;
    let (state, identity) = signed_in().await?;
    let cancel = |immediate| CancelSubscription {
        immediate,
        reason: None,
    };
    match step.as_str() {
        "cancel" => subscriptions::cancel(&state, &identity, cancel(false)).await,
        "cancel_now" => subscriptions::cancel(&state, &identity, cancel(true)).await,
        "pause" => subscriptions::pause(&state, &identity).await,
        "resume" => subscriptions::resume(&state, &identity).await,
        _ => return Err(ServerFnError::new("Unknown subscription step.")),
    }
    .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "redeem_gift_card")]
pub async fn redeem_gift_card(code: String) -> Result<String, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    let card = crate::backend::services::gift_cards::redeem(&state, &identity, &code)
        .await
        .map_err(fail)?;
    Ok(format!(
        "{} {} was added to your balance.",
        card.currency, card.initial_value
    ))
}

#[server(prefix = "/api/fn", endpoint = "get_invoice")]
pub async fn get_invoice(id: Uuid) -> Result<Invoice, ServerFnError> {
    use crate::api::auth::server_side::{fail, reading};
    let (state, identity) = reading().await?;
    crate::backend::services::invoices::get(&state, &identity, id)
        .await
        .map_err(fail)
}
