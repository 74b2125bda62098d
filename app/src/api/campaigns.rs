//! The campaigns page's server functions: the composer's live audience count,
//! scheduling, and the list with its figures (`/api/v1/audience/engagement/campaigns`).
//! The tier filter's choices come from `api::tiers::tier_choices`.

use crate::model::campaign::Campaign;
use crate::model::page::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[server(prefix = "/api/fn", endpoint = "campaign_list")]
pub async fn campaign_list(
    creator_id: Uuid,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<Campaign>, ServerFnError> {
    use crate::api::admin::page_request;
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::campaigns;
    let (state, identity) = signed_in().await?;
    campaigns::list(
        &state,
        &identity,
        Some(creator_id),
        page_request(cursor, 20)?,
    )
    .await
    .map_err(fail)
}

/// The composer's audience fields, as the form sends them (empty: not set).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceFields {
    pub segment: String,
    pub inactive_days_min: String,
    /// `yes`, `no` or empty.
    pub was_paid: String,
    pub tier_id: String,
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::AudienceFields;
    use crate::backend::error::{AppError, FieldError};
    use crate::model::campaign::{CampaignFilters, Segment};

    pub fn audience(fields: &AudienceFields) -> Result<(Segment, CampaignFilters), AppError> {
        let mut errors = Vec::new();
        let segment = Segment::parse(&fields.segment).unwrap_or_else(|| {
            errors.push(FieldError::new("target_segment", "choose a segment"));
            Segment::All
        });
        let days = fields.inactive_days_min.trim();
        let inactive_days_min = if days.is_empty() {
            None
        } else {
            days.parse().map(Some).unwrap_or_else(|_| {
                errors.push(FieldError::new(
                    "filters.inactive_days_min",
                    "must be a whole number of days",
                ));
                None
            })
        };
        let tier_id = match fields.tier_id.as_str() {
            "" => None,
            id => Some(uuid::Uuid::parse_str(id).map_err(|_| {
                AppError::Validation(vec![FieldError::new("filters.tier_id", "is not a tier")])
            })?),
        };
        let filters = CampaignFilters {
            inactive_days_min,
            was_paid_subscriber: match fields.was_paid.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            tier_id,
        };
        if errors.is_empty() {
            Ok((segment, filters))
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// How many members the composer's audience reaches now.
#[server(prefix = "/api/fn", endpoint = "campaign_audience")]
pub async fn campaign_audience(
    creator_id: Uuid,
    fields: AudienceFields,
) -> Result<u64, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::services::campaigns;
    use crate::model::campaign::PreviewAudience;
    let (state, identity) = signed_in().await?;
    let (target_segment, filters) = server_side::audience(&fields).map_err(fail)?;
    let req = PreviewAudience {
        creator_id: Some(creator_id),
        target_segment,
        filters,
    };
    Ok(campaigns::preview(&state, &identity, req)
        .await
        .map_err(fail)?
        .audience_size)
}

/// Schedules the composed campaign: at `scheduled_at` (a UTC `datetime-local` value),
/// or now when empty.
#[server(prefix = "/api/fn", endpoint = "create_campaign")]
#[allow(clippy::too_many_arguments)]
pub async fn create_campaign(
    creator_id: Uuid,
    name: String,
    fields: AudienceFields,
    subject: String,
    body: String,
    #[server(default)] cta: String,
    #[server(default)] discount_percent: String,
    #[server(default)] offer_months: String,
    #[server(default)] email: Option<String>,
    #[server(default)] push: Option<String>,
    #[server(default)] scheduled_at: String,
) -> Result<Campaign, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::backend::services::campaigns;
    use crate::model::announcement::Channel;
    use crate::model::campaign::{CampaignMessage, CampaignOffer, CreateCampaign};
    use rust_decimal::Decimal;
    let (state, identity) = signed_in().await?;
    let (target_segment, filters) = server_side::audience(&fields).map_err(fail)?;
    let invalid = |field: &str, message: &str| {
        fail(AppError::Validation(vec![FieldError::new(field, message)]))
    };
    let offer = match discount_percent.trim() {
        "" => None,
        percent => {
            let percent: Decimal = percent
                .parse()
                .map_err(|_| invalid("offer.value", "must be a percentage"))?;
            let months = match offer_months.trim() {
                "" => None,
                m => Some(
                    m.parse()
                        .map_err(|_| invalid("offer.duration_months", "must be a whole number"))?,
                ),
            };
            Some(CampaignOffer {
                kind: "discount".into(),
                value: percent / Decimal::from(100),
                duration_months: months,
                code: None,
            })
        }
    };
    let scheduled_at = match scheduled_at.trim() {
        "" => None,
        at => Some(
            chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M")
                .map_err(|_| invalid("scheduled_at", "must be a date and time"))?
                .and_utc(),
        ),
    };
    let channels = [(email, Channel::Email), (push, Channel::Push)]
        .into_iter()
        .filter_map(|(on, channel)| on.map(|_| channel))
        .collect();
    let req = CreateCampaign {
        creator_id: Some(creator_id),
        name,
        kind: "reactivation".into(),
        target_segment,
        filters,
        message: CampaignMessage { subject, body, cta },
        offer,
        channels,
        scheduled_at,
    };
    campaigns::create(&state, &identity, req)
        .await
        .map_err(fail)
}
