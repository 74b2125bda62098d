//! The tier editor's server functions: the creator's tiers, and one form that creates a
//! tier or saves changes to one (`/api/v1/audience/tiers`).

use crate::api::audience::CreatorPanel;
use crate::model::audience::Tier;
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/api/fn", endpoint = "dashboard_tiers")]
pub async fn dashboard_tiers(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<CreatorPanel<Vec<Tier>>, ServerFnError> {
    use crate::api::audience::server_side::panel;
    use crate::backend::services::tiers;
    panel(creator_id, |state, identity, creator| async move {
        Ok(tiers::list(&state, &identity, Some(creator)).await?.tiers)
    })
    .await
}

#[cfg(feature = "ssr")]
pub(crate) mod server_side {
    use crate::backend::auth::identity::Identity;
    use crate::backend::error::AppError;
    use crate::backend::services::tiers;
    use crate::backend::AppState;
    use uuid::Uuid;

    /// The creator's tiers as `(id, name)`, for a page that lets the team pick tiers (a
    /// campaign's tier filter, an announcement's audience).
    pub async fn tier_choices(
        state: &AppState,
        identity: &Identity,
        creator: Uuid,
    ) -> Result<Vec<(Uuid, String)>, AppError> {
        let tiers = tiers::list(state, identity, Some(creator)).await?.tiers;
        Ok(tiers.into_iter().map(|t| (t.id, t.name)).collect())
    }
}

/// Creates a tier (no `tier_id`) or saves one. Prices are amounts (`price_yearly` empty:
/// twelve monthly payments on creation, unchanged on save); `benefits` one per line;
/// `limit` empty for no cap; `visible` present when ticked.
#[server(prefix = "/api/fn", endpoint = "save_tier")]
#[allow(clippy::too_many_arguments)]
pub async fn save_tier(
    creator_id: Uuid,
    #[server(default)] tier_id: Option<Uuid>,
    name: String,
    #[server(default)] description: String,
    price_monthly: String,
    #[server(default)] price_yearly: String,
    #[server(default)] benefits: String,
    #[server(default)] limit: String,
    #[server(default)] visible: Option<String>,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::backend::services::tiers;
    use crate::model::audience::{CreateTier, UpdateTier};
    use rust_decimal::Decimal;
    let (state, identity) = signed_in().await?;
    let mut errors = Vec::new();
    let mut parse_amount = |field: &str, text: &str| -> Option<Decimal> {
        match text.trim() {
            "" => None,
            text => text.parse().map_or_else(
                |_| {
                    errors.push(FieldError::new(field, "must be an amount"));
                    None
                },
                Some,
            ),
        }
    };
    let monthly = parse_amount("price_monthly", &price_monthly);
    let yearly = parse_amount("price_yearly", &price_yearly);
    let limit = match limit.trim() {
        "" => None,
        text => text.parse::<u32>().map_or_else(
            |_| {
                errors.push(FieldError::new(
                    "limit",
                    "must be a whole number of members",
                ));
                None
            },
            Some,
        ),
    };
    if monthly.is_none() && errors.is_empty() {
        errors.push(FieldError::new(
            "price_monthly",
            "is required (0 for a free tier)",
        ));
    }
    if !errors.is_empty() {
        return Err(fail(AppError::Validation(errors)));
    }
    let benefits: Vec<String> = benefits
        .lines()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(String::from)
        .collect();
    let result = match tier_id {
        None => {
            tiers::create(
                &state,
                &identity,
                CreateTier {
                    creator_id: Some(creator_id),
                    name,
                    description,
                    price_monthly: monthly.unwrap_or_default(),
                    price_yearly: yearly,
                    currency: None,
                    benefits,
                    limit,
                    visible: visible.is_some(),
                },
            )
            .await
        }
        Some(id) => {
            tiers::update(
                &state,
                &identity,
                id,
                UpdateTier {
                    name: Some(name),
                    description: Some(description),
                    price_monthly: monthly,
                    price_yearly: yearly,
                    benefits: Some(benefits),
                    limit: Some(limit),
                    visible: Some(visible.is_some()),
                },
            )
            .await
        }
    };
    result.map_err(fail)?;
    Ok(())
}
