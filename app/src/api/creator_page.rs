//! The public creator page's server functions: the page by handle, what the signed-in
//! visitor already has there (membership, default card), joining a tier and tipping.

use crate::model::audience::{CreatorPage, Membership};
use crate::model::tip::TipReceipt;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in visitor's side of the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    /// Their membership with this creator, churned or not.
    pub membership: Option<Membership>,
    /// The card joining a paid tier or tipping charges, e.g. "Visa ending 4242".
    pub card: Option<(Uuid, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorWithVisitor {
    pub page: CreatorPage,
    /// `None` for a visitor who is not signed in.
    pub visitor: Option<Visitor>,
}

/// The creator at `/c/{handle}`; `None` when no creator has that handle.
#[server(prefix = "/api/fn", endpoint = "public_creator")]
pub async fn public_creator(handle: String) -> Result<Option<CreatorWithVisitor>, ServerFnError> {
    use crate::api::auth::server_side::{fail, identity, state};
    use crate::backend::error::AppError;
    use crate::backend::services::{memberships, payment_methods, tiers};
    let state = state()?;
    let page = match tiers::creator_page_by_handle(&state, handle.trim()).await {
        Ok(page) => page,
        Err(AppError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(fail(e)),
    };
    let visitor = match identity(&state).await {
        None => None,
        Some(identity) => {
            let membership = memberships::mine(&state, &identity)
                .await
                .map_err(fail)?
                .data
                .into_iter()
                .find(|m| m.creator_id == page.creator.id);
            let card = payment_methods::list(&state, &identity)
                .await
                .map_err(fail)?
                .data
                .into_iter()
                .find(|c| c.is_default && !c.is_expired)
                .map(|c| {
                    let mut brand = c.brand.clone();
                    if let Some(first) = brand.get_mut(0..1) {
                        first.make_ascii_uppercase();
                    }
                    (c.id, format!("{brand} ending {}", c.last4))
                });
            Some(Visitor { membership, card })
        }
    };
    Ok(Some(CreatorWithVisitor { page, visitor }))
}

/// Joins a tier: free at once, paid (`monthly` or `yearly`) charged to the default card.
#[server(prefix = "/api/fn", endpoint = "join_creator")]
pub async fn join_creator(
    creator_id: Uuid,
    tier_id: Uuid,
    #[server(default)] billing_cycle: String,
    #[server(default)] payment_method_id: Option<Uuid>,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::memberships;
    use crate::model::audience::{JoinTier, MembershipCycle};
    let (state, identity) = signed_in().await?;
    let req = JoinTier {
        creator_id,
        tier_id,
        billing_cycle: match billing_cycle.as_str() {
            "yearly" => Some(MembershipCycle::Yearly),
            "monthly" => Some(MembershipCycle::Monthly),
            _ => None,
        },
        payment_method_id,
        coupon_code: None,
    };
    memberships::join(&state, &identity, req)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Tips the creator, into a jar when one is named, charged to the default card.
#[server(prefix = "/api/fn", endpoint = "tip_creator")]
pub async fn tip_creator(
    creator_id: Uuid,
    member_id: Uuid,
    payment_method_id: Uuid,
    #[server(default)] jar_id: Option<Uuid>,
    amount: String,
    #[server(default)] message: String,
    #[server(default)] anonymous: Option<String>,
) -> Result<TipReceipt, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::backend::services::tips;
    use crate::model::tip::SendTip;
    let (state, identity) = signed_in().await?;
    let amount = amount.trim().parse().map_err(|_| {
        fail(AppError::Validation(vec![FieldError::new(
            "amount",
            "must be a number",
        )]))
    })?;
    let req = SendTip {
        member_id,
        creator_id,
        jar_id,
        amount,
        message,
        anonymous: anonymous.is_some(),
        payment_method_id,
    };
    tips::send(&state, &identity, req).await.map_err(fail)
}
