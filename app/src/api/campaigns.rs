//! The campaigns page's server functions: what the page shows first, the composer's
//! live audience count, scheduling, and the list with its figures
//! (`/api/v1/audience/engagement/campaigns`).

use crate::api::audience::CreatorPanel;
use crate::model::campaign::Campaign;
use crate::model::page::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the campaigns page shows first, in one request: the tier filter's choices, the
/// first page of campaigns, and how many members the composer's first audience
/// (everyone) reaches, or why it cannot be counted (a team role that may not send).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignsPanel {
    pub tiers: Vec<(Uuid, String)>,
    pub campaigns: Page<Campaign>,
    pub audience: Result<u64, ServerFnError>,
}

#[server(prefix = "/api/fn", endpoint = "dashboard_campaigns")]
pub async fn dashboard_campaigns(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<CreatorPanel<CampaignsPanel>, ServerFnError> {
    use crate::api::audience::server_side::panel;
    use crate::api::auth::server_side::shown_error;
    use crate::api::tiers::server_side::tier_choices;
    use crate::backend::pagination::PageRequest;
    use crate::backend::services::campaigns;
    panel(creator_id, |state, identity, creator| async move {
        let tiers = tier_choices(&state, &identity, creator).await?;
        let campaigns = campaigns::list(
            &state,
            &identity,
            Some(creator),
            PageRequest::first(CAMPAIGNS_PER_PAGE),
        )
        .await?;
        let audience = server_side::reach(&state, &identity, creator, &AudienceFields::everyone())
            .await
            .map_err(shown_error);
        Ok(CampaignsPanel {
            tiers,
            campaigns,
            audience,
        })
    })
    .await
}

#[cfg(feature = "ssr")]
const CAMPAIGNS_PER_PAGE: u32 = 20;

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
        page_request(cursor, CAMPAIGNS_PER_PAGE)?,
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

impl AudienceFields {
    /// The composer's first audience: every member, current and former.
    pub fn everyone() -> Self {
        Self {
            segment: "all".into(),
            ..Self::default()
        }
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::AudienceFields;
    use crate::backend::auth::identity::Identity;
    use crate::backend::error::{AppError, FieldError};
    use crate::backend::services::campaigns;
    use crate::backend::AppState;
    use crate::model::campaign::{CampaignFilters, PreviewAudience, Segment};
    use uuid::Uuid;

    /// How many members the audience described by `fields` reaches now.
    pub async fn reach(
        state: &AppState,
        identity: &Identity,
        creator: Uuid,
        fields: &AudienceFields,
    ) -> Result<u64, AppError> {
        let (target_segment, filters) = audience(fields)?;
        let req = PreviewAudience {
            creator_id: Some(creator),
            target_segment,
            filters,
        };
        Ok(campaigns::preview(state, identity, req)
            .await?
            .audience_size)
    }

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
    let (state, identity) = signed_in().await?;
    server_side::reach(&state, &identity, creator_id, &fields)
        .await
        .map_err(fail)
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
