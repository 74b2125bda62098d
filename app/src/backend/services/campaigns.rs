//! Re-engagement campaigns: a message to a segment of a creator's members (current or
//! former), with an optional offer that becomes a real coupon for the creator's paid
//! tiers. The audience is counted when the campaign is created; a job sends it at
//! `scheduled_at` over in-app notifications (`push`) and email, to members who allow
//! marketing messages, a batch per transaction (emails of an interrupted batch may go
//! out twice, never not at all). Redemptions are the coupon's.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{require_owner, resolve_creator, CreatorPermission};
use crate::backend::billing::coupons::normalize;
use crate::backend::error::{is_unique_violation, AppError, FieldError};
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::services::jobs::{self, Job};
use crate::backend::services::member_messages::{self, Delivery, MemberMessage};
use crate::backend::services::notifications::Kind;
use crate::backend::store::campaigns::{self, Audience, CampaignRow};
use crate::backend::store::coupons::{self, CouponRow};
use crate::backend::store::{creators, tiers};
use crate::backend::AppState;
use crate::model::announcement::Channel;
use crate::model::campaign::{
    AudiencePreview, Campaign, CampaignFilters, CampaignMessage, CampaignOffer, CampaignStats,
    CreateCampaign, PreviewAudience, Segment,
};
use crate::model::page::Page;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use rust_decimal::Decimal;
use uuid::Uuid;

/// The offer's code works this long after the campaign goes out.
const OFFER_VALID_DAYS: i64 = 30;
/// How far ahead a campaign may be scheduled.
const MAX_SCHEDULE_DAYS: i64 = 365;

fn campaign_not_found() -> AppError {
    AppError::NotFound {
        code: "campaign_not_found",
        message: "Campaign not found.".into(),
    }
}

/// The members a campaign to `segment` narrowed by `filters` reaches when sent `at`.
fn audience(
    creator_id: Uuid,
    segment: &str,
    filters: &CampaignFilters,
    at: DateTime<Utc>,
) -> Audience {
    Audience {
        creator_id,
        segment: segment.into(),
        inactive_since: filters
            .inactive_days_min
            .map(|days| at - Duration::days(i64::from(days))),
        was_paid: filters.was_paid_subscriber,
        tier_id: filters.tier_id,
    }
}

fn audience_of(row: &CampaignRow, at: DateTime<Utc>) -> Audience {
    let filters: CampaignFilters = serde_json::from_str(&row.filters).unwrap_or_default();
    audience(row.creator_id, &row.target_segment, &filters, at)
}

async fn to_api(state: &AppState, row: CampaignRow) -> Result<Campaign, AppError> {
    let redeemed = match row.coupon_id {
        Some(id) => campaigns::redemptions(&state.db, id).await?,
        None => 0,
    };
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(Campaign {
        id: row.id,
        creator_id: row.creator_id,
        name: row.name,
        kind: row.kind,
        target_segment: Segment::parse(&row.target_segment).unwrap_or(Segment::All),
        filters: serde_json::from_str(&row.filters).unwrap_or_default(),
        message: CampaignMessage {
            subject: row.subject,
            body: row.body,
            cta: row.cta,
        },
        offer: row
            .offer
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok()),
        coupon_id: row.coupon_id,
        channels: serde_json::from_str(&row.channels).unwrap_or_default(),
        scheduled_at: row.scheduled_at,
        status: row.status,
        audience_size: count(row.audience_size),
        stats: CampaignStats {
            sent: count(row.sent),
            delivered: count(row.delivered),
            redeemed: count(redeemed),
        },
        created_at: row.created_at,
        sent_at: row.sent_at,
    })
}

/// A code nobody will guess: `OFFER-` and eight Crockford base32 characters.
fn new_code() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let tail: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b % 32)] as char)
        .collect();
    format!("OFFER-{tail}")
}

fn check_text(field: &str, text: &str, (min, max): (usize, usize), errors: &mut Vec<FieldError>) {
    let n = text.trim().chars().count();
    if n < min || n > max {
        errors.push(FieldError::new(
            field,
            format!("must be between {min} and {max} characters"),
        ));
    }
}

async fn check_filters(
    state: &AppState,
    creator_id: Uuid,
    filters: &CampaignFilters,
    errors: &mut Vec<FieldError>,
) -> Result<(), AppError> {
    if filters
        .inactive_days_min
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        errors.push(FieldError::new(
            "filters.inactive_days_min",
            "must be between 1 and 3650",
        ));
    }
    if let Some(tier_id) = filters.tier_id {
        let own = tiers::find(&state.db, tier_id)
            .await?
            .is_some_and(|t| t.creator_id == creator_id);
        if !own {
            errors.push(FieldError::new(
                "filters.tier_id",
                "must be a tier of this creator",
            ));
        }
    }
    Ok(())
}

/// Checks the request; returns the offer as stored (with its code) and its coupon's
/// percentage in hundredths.
async fn check(
    state: &AppState,
    creator_id: Uuid,
    req: &CreateCampaign,
    now: DateTime<Utc>,
) -> Result<Option<(CampaignOffer, i64)>, AppError> {
    let mut errors = Vec::new();
    check_text("name", &req.name, (1, 100), &mut errors);
    check_text("type", &req.kind, (1, 50), &mut errors);
    check_text(
        "message.subject",
        &req.message.subject,
        (1, 200),
        &mut errors,
    );
    check_text("message.body", &req.message.body, (1, 5000), &mut errors);
    check_text("message.cta", &req.message.cta, (0, 200), &mut errors);
    if req.channels.is_empty() {
        errors.push(FieldError::new("channels", "must name push, email or both"));
    }
    check_filters(state, creator_id, &req.filters, &mut errors).await?;
    if let Some(at) = req.scheduled_at {
        if at < now - Duration::minutes(5) || at > now + Duration::days(MAX_SCHEDULE_DAYS) {
            errors.push(FieldError::new(
                "scheduled_at",
                format!("must be between now and {MAX_SCHEDULE_DAYS} days ahead"),
            ));
        }
    }
    let offer = match &req.offer {
        None => None,
        Some(offer) => {
            if offer.kind != "discount" {
                errors.push(FieldError::new("offer.type", "must be discount"));
            }
            let hundredths = offer.value * Decimal::from(10_000);
            if offer.value < Decimal::new(1, 2)
                || offer.value > Decimal::ONE
                || !hundredths.fract().is_zero()
            {
                errors.push(FieldError::new(
                    "offer.value",
                    "must be a fraction from 0.01 to 1 with at most 4 decimal places",
                ));
            }
            if offer
                .duration_months
                .is_some_and(|m| !(1..=24).contains(&m))
            {
                errors.push(FieldError::new(
                    "offer.duration_months",
                    "must be between 1 and 24",
                ));
            }
            let code = match offer.code.as_deref().map(normalize) {
                Some(code) => {
                    let valid = !code.is_empty()
                        && code.len() <= 50
                        && code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                    if !valid {
                        errors.push(FieldError::new(
                            "offer.code",
                            "must be 1 to 50 letters, digits, - or _",
                        ));
                    }
                    code
                }
                None => new_code(),
            };
            let stored = CampaignOffer {
                kind: offer.kind.clone(),
                value: offer.value.normalize(),
                duration_months: Some(offer.duration_months.unwrap_or(1)),
                code: Some(code),
            };
            Some((
                stored,
                i64::try_from(hundredths.trunc().mantissa()).unwrap_or(0),
            ))
        }
    };
    if errors.is_empty() {
        Ok(offer)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// How many members a campaign to this segment would reach if sent now.
pub async fn preview(
    state: &AppState,
    identity: &Identity,
    req: PreviewAudience,
) -> Result<AudiencePreview, AppError> {
    let creator_id = resolve_creator(
        &state.db,
        identity,
        req.creator_id,
        CreatorPermission::Announce,
    )
    .await?;
    let mut errors = Vec::new();
    check_filters(state, creator_id, &req.filters, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.clock.now();
    let audience = audience(creator_id, req.target_segment.as_str(), &req.filters, now);
    let size = campaigns::audience_size(&state.db, &audience).await?;
    Ok(AudiencePreview {
        audience_size: u64::try_from(size).unwrap_or(0),
    })
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    req: CreateCampaign,
) -> Result<Campaign, AppError> {
    let creator_id = resolve_creator(
        &state.db,
        identity,
        req.creator_id,
        CreatorPermission::Announce,
    )
    .await?;
    let now = state.clock.now();
    let offer = check(state, creator_id, &req, now).await?;
    let scheduled_at = req.scheduled_at.unwrap_or(now).max(now);
    let mut channels = req.channels.clone();
    channels.sort();
    channels.dedup();
    let mut row = CampaignRow {
        id: Uuid::now_v7(),
        creator_id,
        name: req.name.trim().into(),
        kind: req.kind.trim().into(),
        target_segment: req.target_segment.as_str().into(),
        filters: serde_json::to_string(&req.filters).map_err(AppError::internal)?,
        subject: req.message.subject.trim().into(),
        body: req.message.body.trim().into(),
        cta: req.message.cta.trim().into(),
        offer: None,
        coupon_id: None,
        channels: serde_json::to_string(&channels).map_err(AppError::internal)?,
        scheduled_at,
        status: "scheduled".into(),
        audience_size: 0,
        sent: 0,
        delivered: 0,
        delivery_cursor: None,
        created_by: Some(identity.user_id),
        created_at: now,
        sent_at: None,
    };
    row.audience_size =
        campaigns::audience_size(&state.db, &audience_of(&row, scheduled_at)).await?;
    let mut tx = state.db.begin().await?;
    if let Some((offer, hundredths)) = offer {
        let coupon = CouponRow {
            id: Uuid::now_v7(),
            code: offer.code.clone().unwrap_or_default(),
            description: Some(format!("Campaign: {}", row.name)),
            discount_type: "percent".into(),
            discount_value: hundredths,
            currency: None,
            duration_periods: offer.duration_months.and_then(|m| i32::try_from(m).ok()),
            max_redemptions: None,
            max_redemptions_per_user: 1,
            redemption_count: 0,
            valid_from: now,
            valid_until: Some(scheduled_at + Duration::days(OFFER_VALID_DAYS)),
            status: "active".into(),
            created_by: Some(identity.user_id),
            created_at: now,
            updated_at: now,
            creator_id: Some(creator_id),
        };
        coupons::insert(&mut tx, &coupon, &[]).await.map_err(|e| {
            if is_unique_violation(&e) {
                AppError::Conflict {
                    code: "coupon_code_taken",
                    message: "Another coupon already has this code; choose another.".into(),
                }
            } else {
                e.into()
            }
        })?;
        if let Some(tier) = req.filters.tier_id {
            coupons::insert_tiers(&mut tx, coupon.id, &[tier]).await?;
        }
        row.coupon_id = Some(coupon.id);
        row.offer = Some(serde_json::to_string(&offer).map_err(AppError::internal)?);
    }
    campaigns::insert(&mut tx, &row).await?;
    let job = Job::SendCampaign {
        campaign_id: row.id,
    };
    jobs::enqueue(&mut tx, &job, scheduled_at, now).await?;
    tx.commit().await?;
    to_api(state, row).await
}

pub async fn list(
    state: &AppState,
    identity: &Identity,
    creator_id: Option<Uuid>,
    request: PageRequest,
) -> Result<Page<Campaign>, AppError> {
    let creator_id =
        resolve_creator(&state.db, identity, creator_id, CreatorPermission::View).await?;
    let rows = campaigns::page(&state.db, creator_id, request).await?;
    let total = campaigns::count(&state.db, creator_id).await?;
    let page = into_page(request, rows, total, |r| r.id);
    let mut data = Vec::with_capacity(page.data.len());
    for row in page.data {
        data.push(to_api(state, row).await?);
    }
    Ok(Page {
        data,
        meta: page.meta,
    })
}

pub async fn get(state: &AppState, identity: &Identity, id: Uuid) -> Result<Campaign, AppError> {
    let row = campaigns::find(&state.db, id)
        .await?
        .ok_or_else(campaign_not_found)?;
    require_owner(
        &state.db,
        identity,
        row.creator_id,
        CreatorPermission::View,
        campaign_not_found,
    )
    .await?;
    to_api(state, row).await
}

/// The job: messages the audience, a batch per transaction.
pub async fn send(state: &AppState, campaign_id: Uuid) -> Result<(), AppError> {
    let Some(row) = campaigns::find(&state.db, campaign_id).await? else {
        return Ok(());
    };
    if row.status == "sent" {
        return Ok(());
    }
    let channels: Vec<Channel> = serde_json::from_str(&row.channels).unwrap_or_default();
    let creator = creators::find(&state.db, row.creator_id)
        .await?
        .map_or_else(|| "A creator".to_string(), |c| c.name);
    let subject = format!("{creator}: {}", row.subject);
    let offer: Option<CampaignOffer> = row
        .offer
        .as_deref()
        .and_then(|o| serde_json::from_str(o).ok());
    let mut text = row.body.clone();
    if !row.cta.is_empty() {
        text.push_str(&format!("\n\n{}", row.cta));
    }
    if let Some(code) = offer.and_then(|o| o.code) {
        text.push_str(&format!("\n\nUse the code {code} when you join."));
    }
    let footer = format!(
        "You receive this as a member of {creator}. Turn off \"Marketing\" in your \
         notification settings to stop these emails."
    );
    let message = MemberMessage {
        channels: &channels,
        kind: Kind::Marketing,
        category: "marketing",
        subject: &subject,
        body: &text,
        email_footer: &footer,
    };
    let audience = campaigns::recipients(&audience_of(&row, row.scheduled_at));
    member_messages::deliver(
        state,
        &message,
        audience,
        row.delivery_cursor,
        Delivery::Campaign(row.id),
    )
    .await
}
