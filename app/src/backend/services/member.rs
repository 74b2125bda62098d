//! One member as the creator's team sees them (`GET /audience/members/{id}`) and what the
//! team may change (`PUT`): the tier by override, pausing and resuming a paid
//! membership's billing, notes and tags. A member of another creator is
//! `404 member_not_found`, exactly like one that does not exist.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{require_owner, CreatorPermission};
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::members::{member_avatar_url, whole_months};
use crate::backend::services::tiers::invalid_tier;
use crate::backend::services::{
    memberships as memberships_service, notifications, subscriptions as subscription_service,
};
use crate::backend::store::engagement_events;
use crate::backend::store::memberships::{self, MembershipRow};
use crate::backend::store::{audit, payment_methods, subscriptions, tiers};
use crate::backend::AppState;
use crate::model::audience::{
    Activity, EngagementDetail, EngagementLevel, EventType, MemberDetail, MemberPreferences,
    MemberStatus, MemberSubscriptionDetail, MemberTierDetail, MembershipCycle, UpdateMember,
};
use crate::model::subscription::SubscriptionStatus;
use serde_json::json;
use uuid::Uuid;

const TIMELINE: i64 = 20;
const NOTES_MAX: usize = 2000;
const TAGS_MAX: usize = 20;
const TAG_MAX: usize = 50;

pub fn member_not_found() -> AppError {
    AppError::NotFound {
        code: "member_not_found",
        message: "Member not found.".into(),
    }
}

/// The membership, if the caller may act on its creator with `permission`.
async fn visible(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    permission: CreatorPermission,
) -> Result<MembershipRow, AppError> {
    let row = memberships::find(&state.db, id)
        .await?
        .ok_or_else(member_not_found)?;
    require_owner(
        &state.db,
        identity,
        row.creator_id,
        permission,
        member_not_found,
    )
    .await?;
    Ok(row)
}

pub async fn get(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
) -> Result<MemberDetail, AppError> {
    visible(state, identity, id, CreatorPermission::View).await?;
    detail(state, id).await
}

async fn detail(state: &AppState, id: Uuid) -> Result<MemberDetail, AppError> {
    let now = state.clock.now();
    let membership = memberships::find(&state.db, id)
        .await?
        .ok_or_else(member_not_found)?;
    let member = memberships::member(&state.db, id)
        .await?
        .ok_or_else(member_not_found)?;
    let tier = tiers::find(&state.db, membership.tier_id)
        .await?
        .ok_or_else(|| AppError::internal("membership's tier is gone"))?;
    let currency =
        Currency::parse(&tier.currency).ok_or_else(|| AppError::internal("stored currency"))?;

    let mut engagement = EngagementDetail {
        level: EngagementLevel::parse(&membership.engagement_level)
            .unwrap_or(EngagementLevel::Inactive),
        score: u8::try_from(membership.engagement_score.clamp(0, 100)).unwrap_or(0),
        rank: u64::try_from(
            memberships::ahead_of(
                &state.db,
                membership.creator_id,
                membership.engagement_score,
            )
            .await?,
        )
        .unwrap_or(0)
            + 1,
        interactions_total: 0,
        interactions_30d: u64::try_from(membership.interactions_30d).unwrap_or(0),
        content_views: 0,
        comments: 0,
        shares: 0,
        persona_conversations: 0,
    };
    for (kind, n) in engagement_events::counts_by_type(&state.db, id).await? {
        let n = u64::try_from(n).unwrap_or(0);
        engagement.interactions_total += n;
        match EventType::parse(&kind) {
            Some(EventType::ContentView) => engagement.content_views += n,
            Some(EventType::Comment) => engagement.comments += n,
            Some(EventType::Share) => engagement.shares += n,
            Some(EventType::PersonaChat) => engagement.persona_conversations += n,
            None => {}
        }
    }
    let activity_timeline = engagement_events::timeline(&state.db, id, TIMELINE)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(Activity {
                kind: EventType::parse(&row.kind)?,
                timestamp: row.occurred_at,
                details: serde_json::from_str(&row.details).unwrap_or_else(|_| json!({})),
            })
        })
        .collect();

    let subscription = match membership.subscription_id {
        Some(sub_id) => {
            let sub = subscriptions::find(&state.db, sub_id)
                .await?
                .ok_or_else(|| AppError::internal("membership's subscription is gone"))?;
            let card = match sub.payment_method_id {
                Some(pm) => payment_methods::find_any(&state.db, pm)
                    .await?
                    .map(|pm| format!("card_ending_{}", pm.last4)),
                None => None,
            };
            let live = matches!(
                SubscriptionStatus::parse(&sub.status),
                Some(SubscriptionStatus::Active | SubscriptionStatus::PastDue)
            ) && !sub.cancel_at_period_end;
            let until = sub.canceled_at.unwrap_or(now).min(now);
            Some(MemberSubscriptionDetail {
                id: sub.id,
                tier_id: sub.tier_id.unwrap_or(membership.tier_id),
                started_at: sub.created_at.date_naive(),
                months_subscribed: whole_months(sub.created_at, until),
                lifetime_value: Money::from_minor(member.paid_minor, currency).to_decimal(),
                billing_cycle: match sub.billing_cycle.as_str() {
                    "annual" => MembershipCycle::Yearly,
                    _ => MembershipCycle::Monthly,
                },
                next_billing: live.then(|| {
                    sub.next_attempt_at
                        .unwrap_or(sub.current_period_end)
                        .date_naive()
                }),
                payment_method: card,
                status: sub.status,
            })
        }
        None => None,
    };
    let prefs = notifications::preferences(state, membership.user_id).await?;
    let kinds = [
        ("payment", prefs.payment),
        ("new_content", prefs.new_content),
        ("account_security", prefs.account_security),
        ("marketing", prefs.marketing),
    ];
    Ok(MemberDetail {
        id,
        user_id: membership.user_id,
        creator_id: membership.creator_id,
        name: member.display_name,
        email: member.email,
        avatar_url: member_avatar_url(id, member.avatar_updated_at),
        tier: MemberTierDetail {
            id: tier.id,
            name: tier.name.clone(),
            price_monthly: Money::from_minor(tier.price_monthly_minor, currency).to_decimal(),
            benefits: tier.benefit_list(),
        },
        status: MemberStatus::parse(&membership.status).unwrap_or(MemberStatus::Churned),
        engagement,
        activity_timeline,
        subscription,
        // The platform has no gifting yet, so nobody has received a gift.
        gifts_received: Vec::new(),
        preferences: MemberPreferences {
            notifications: kinds
                .into_iter()
                .filter(|(_, on)| *on)
                .map(|(kind, _)| kind.to_string())
                .collect(),
            communication_channel: "email".into(),
        },
        notes: membership.notes.clone(),
        tags: serde_json::from_str(&membership.tags).unwrap_or_default(),
        joined_at: membership.joined_at,
        last_active: membership.last_interaction_at,
    })
}

fn validate(changes: &UpdateMember) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if changes.status == Some(MemberStatus::Churned) {
        errors.push(FieldError::new(
            "status",
            "may be active or paused; a member churns by canceling",
        ));
    }
    if changes
        .notes
        .as_ref()
        .is_some_and(|n| n.chars().count() > NOTES_MAX)
    {
        errors.push(FieldError::new("notes", "must be at most 2000 characters"));
    }
    if let Some(tags) = &changes.tags {
        if tags.len() > TAGS_MAX {
            errors.push(FieldError::new("tags", "must list at most 20 tags"));
        }
        if tags
            .iter()
            .any(|t| t.trim().is_empty() || t.chars().count() > TAG_MAX)
        {
            errors.push(FieldError::new(
                "tags",
                "each tag must be between 1 and 50 characters",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub async fn update(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    changes: UpdateMember,
) -> Result<MemberDetail, AppError> {
    validate(&changes)?;
    visible(state, identity, id, CreatorPermission::ManageMembers).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = memberships::find(&mut tx, id)
        .await?
        .ok_or_else(member_not_found)?;
    let mut row = before.clone();
    let churned = before.status == MemberStatus::Churned.as_str();
    if churned && (changes.status.is_some() || changes.tier_id.is_some()) {
        return Err(AppError::Conflict {
            code: "member_churned",
            message: "This member has left; they can join again from the creator's page.".into(),
        });
    }
    let mut subscription = match before.subscription_id {
        Some(sub_id) => subscriptions::find(&mut tx, sub_id).await?,
        None => None,
    };
    if let Some(tier_id) = changes.tier_id.filter(|t| *t != before.tier_id) {
        let tier = tiers::find_for_update(&mut tx, tier_id)
            .await?
            .filter(|t| t.creator_id == before.creator_id)
            .ok_or_else(invalid_tier)?;
        let members = memberships::current_in_tier(&mut tx, tier_id).await?;
        if tier.member_limit.is_some_and(|cap| members >= cap) {
            return Err(AppError::Unprocessable {
                code: "tier_limit_reached",
                message: "This tier has reached its member limit.".into(),
            });
        }
        row.tier_id = tier_id;
        // A paid membership renews at the new tier's price from its next period.
        if let Some(sub) = subscription.as_mut() {
            sub.tier_id = Some(tier_id);
            sub.updated_at = now;
        }
    }
    match changes.status {
        Some(MemberStatus::Paused) if before.status == MemberStatus::Active.as_str() => {
            if let Some(sub) = subscription.as_mut() {
                subscription_service::pause_now(sub, now)?;
            }
            row.status = MemberStatus::Paused.as_str().into();
        }
        Some(MemberStatus::Active) if before.status == MemberStatus::Paused.as_str() => {
            if let Some(sub) = subscription.as_mut() {
                subscription_service::resume_paused(&mut tx, sub, now).await?;
            }
            row.status = MemberStatus::Active.as_str().into();
        }
        _ => {}
    }
    if let Some(notes) = &changes.notes {
        row.notes = notes.trim().to_string();
    }
    if let Some(tags) = &changes.tags {
        let tags: Vec<&str> = tags.iter().map(|t| t.trim()).collect();
        row.tags = serde_json::to_string(&tags).map_err(AppError::internal)?;
    }
    row.updated_at = now;
    memberships::update(&mut tx, &before, &row).await?;
    if let Some(sub) = &subscription {
        subscriptions::update(&mut tx, sub).await?;
    }
    if row.tier_id != before.tier_id {
        let from = tiers::find(&mut tx, before.tier_id).await?;
        let to = tiers::find(&mut tx, row.tier_id).await?;
        let price = |t: &Option<tiers::TierRow>| t.as_ref().map_or(0, |t| t.price_monthly_minor);
        if price(&to) > price(&from) {
            memberships_service::emit_member_event(
                &mut tx,
                "audience.member_upgraded",
                &row,
                json!({ "previous_tier_id": before.tier_id }),
                now,
            )
            .await?;
        }
    }
    if row.tier_id != before.tier_id || row.status != before.status {
        audit::record(
            &mut tx,
            audit::Entry {
                actor_id: Some(identity.user_id),
                action: "member.updated",
                target_type: "member",
                target_id: id.to_string(),
                reason: None,
                before: Some(json!({"tier_id": before.tier_id, "status": before.status})),
                after: Some(json!({"tier_id": row.tier_id, "status": row.status})),
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    detail(state, id).await
}
