//! Engagement: members' interactions come in through `POST /audience/events`, and each
//! member's score and level follow from them.
//!
//! The formula (also in the API reference):
//! - every event has a weight: `content_view` 1 + completion (0–1), `comment` 3,
//!   `share` 4, `persona_chat` 2 + minutes / 10 (at most 3 more);
//! - a weight halves every 14 days of age, and events older than 90 days no longer count:
//!   `raw = Σ weight × 0.5^(age_days / 14)`;
//! - `score = round(100 × raw / (raw + 20))`, so 0–100, 50 at a raw 20;
//! - levels: `superfan` ≥ 80, `engaged` ≥ 50, `casual` ≥ 20, `inactive` below.
//!
//! Scores are recomputed for the members an event batch touches, in its transaction,
//! and for everyone with a score once a day (the `RescoreEngagement` job), as they decay.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{resolve_creator, CreatorPermission};
use crate::backend::db::Tx;
use crate::backend::error::{AppError, FieldError};
use crate::backend::store::engagement_events::{self, EventRow};
use crate::backend::store::memberships::{self, MembershipRow};
use crate::backend::AppState;
use crate::model::audience::{EngagementLevel, EventInput, EventType, IngestEvents, IngestResult};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;
use uuid::Uuid;

pub const MAX_BATCH: usize = 500;
const MAX_DETAILS_BYTES: usize = 2048;
const HALF_LIFE_DAYS: f64 = 14.0;
const WINDOW_DAYS: i64 = 90;
/// The raw sum that scores 50.
const HALF_SCORE_AT: f64 = 20.0;
/// Events may be stamped a little ahead of the server's clock.
const CLOCK_SKEW_MINUTES: i64 = 5;

/// An event's weight in thousandths.
pub fn weight_milli(kind: EventType, details: &serde_json::Value) -> i64 {
    let number = |key: &str| details.get(key).and_then(serde_json::Value::as_f64);
    let weight = match kind {
        EventType::ContentView => 1.0 + number("completion").unwrap_or(0.0).clamp(0.0, 1.0),
        EventType::Comment => 3.0,
        EventType::Share => 4.0,
        EventType::PersonaChat => {
            2.0 + (number("duration_minutes").unwrap_or(0.0) / 10.0).clamp(0.0, 3.0)
        }
    };
    (weight * 1000.0).round() as i64
}

/// The score of events given as (when, weight in thousandths), at `now`.
pub fn score(events: &[(DateTime<Utc>, i64)], now: DateTime<Utc>) -> u8 {
    let raw: f64 = events
        .iter()
        .filter(|(at, _)| *at > now - Duration::days(WINDOW_DAYS))
        .map(|(at, milli)| {
            let age_days = ((now - *at).num_seconds().max(0) as f64) / 86_400.0;
            (*milli as f64 / 1000.0) * 0.5_f64.powf(age_days / HALF_LIFE_DAYS)
        })
        .sum();
    (100.0 * raw / (raw + HALF_SCORE_AT))
        .round()
        .clamp(0.0, 100.0) as u8
}

pub fn level(score: u8) -> EngagementLevel {
    match score {
        80.. => EngagementLevel::Superfan,
        50.. => EngagementLevel::Engaged,
        20.. => EngagementLevel::Casual,
        _ => EngagementLevel::Inactive,
    }
}

/// Recomputes a member's score, level, 30-day interactions and last interaction, and
/// writes them (moving the member between segments) when they changed.
pub async fn rescore(
    tx: &mut Tx,
    before: &MembershipRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let events =
        engagement_events::weights_since(tx, before.id, now - Duration::days(WINDOW_DAYS)).await?;
    let score = score(&events, now);
    let recent = events
        .iter()
        .filter(|(at, _)| *at > now - Duration::days(30) && *at <= now)
        .count();
    let mut row = before.clone();
    row.engagement_score = i32::from(score);
    row.engagement_level = level(score).as_str().into();
    row.interactions_30d = i64::try_from(recent).unwrap_or(i64::MAX);
    row.last_interaction_at = engagement_events::last_at(tx, before.id).await?;
    let changed = row.engagement_score != before.engagement_score
        || row.engagement_level != before.engagement_level
        || row.interactions_30d != before.interactions_30d
        || row.last_interaction_at != before.last_interaction_at;
    if changed {
        row.updated_at = now;
        memberships::update(tx, before, &row).await?;
    }
    Ok(())
}

/// Checks one event; returns its details as stored.
fn validate(
    index: usize,
    event: &EventInput,
    now: DateTime<Utc>,
    errors: &mut Vec<FieldError>,
) -> String {
    let field = |name: &str| format!("events[{index}].{name}");
    if event.id.trim().is_empty() || event.id.chars().count() > 100 {
        errors.push(FieldError::new(
            field("id"),
            "must be between 1 and 100 characters",
        ));
    }
    if event
        .timestamp
        .is_some_and(|t| t > now + Duration::minutes(CLOCK_SKEW_MINUTES))
    {
        errors.push(FieldError::new(
            field("timestamp"),
            "must not be in the future",
        ));
    }
    let details = event
        .details
        .clone()
        .unwrap_or_else(|| serde_json::json!({}));
    if !details.is_object() {
        errors.push(FieldError::new(field("details"), "must be an object"));
    }
    let number = |key: &str| details.get(key).map(serde_json::Value::as_f64);
    match event.kind {
        EventType::ContentView => {
            if let Some(completion) = number("completion") {
                if !completion.is_some_and(|c| (0.0..=1.0).contains(&c)) {
                    errors.push(FieldError::new(
                        field("details.completion"),
                        "must be a number from 0 to 1",
                    ));
                }
            }
        }
        EventType::PersonaChat => {
            if let Some(minutes) = number("duration_minutes") {
                if !minutes.is_some_and(|m| (0.0..=1440.0).contains(&m)) {
                    errors.push(FieldError::new(
                        field("details.duration_minutes"),
                        "must be a number of minutes from 0 to 1440",
                    ));
                }
            }
        }
        EventType::Comment | EventType::Share => {}
    }
    let text = details.to_string();
    if text.len() > MAX_DETAILS_BYTES {
        errors.push(FieldError::new(
            field("details"),
            "must be at most 2 KB of JSON",
        ));
    }
    text
}

/// Records a batch of interactions for one creator's members. The whole batch is
/// checked first: one bad event refuses it all, naming every problem.
pub async fn ingest(
    state: &AppState,
    identity: &Identity,
    req: IngestEvents,
) -> Result<IngestResult, AppError> {
    let creator_id =
        resolve_creator(&state.db, identity, req.creator_id, CreatorPermission::View).await?;
    if req.events.is_empty() || req.events.len() > MAX_BATCH {
        return Err(AppError::Validation(vec![FieldError::new(
            "events",
            format!("must hold between 1 and {MAX_BATCH} events"),
        )]));
    }
    let now = state.clock.now();
    let mut errors = Vec::new();
    let details: Vec<String> = req
        .events
        .iter()
        .enumerate()
        .map(|(i, event)| validate(i, event, now, &mut errors))
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    let mut tx = state.db.begin().await?;
    let mut members = BTreeSet::new();
    for (i, event) in req.events.iter().enumerate() {
        let known = members.contains(&event.member_id)
            || memberships::find(&mut tx, event.member_id)
                .await?
                .is_some_and(|m| m.creator_id == creator_id);
        if known {
            members.insert(event.member_id);
        } else {
            errors.push(FieldError::new(
                format!("events[{i}].member_id"),
                "is not a member of this creator",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (mut accepted, mut duplicates) = (0, 0);
    let mut touched = BTreeSet::new();
    for (event, details) in req.events.iter().zip(details) {
        let parsed: serde_json::Value =
            serde_json::from_str(&details).map_err(AppError::internal)?;
        let row = EventRow {
            creator_id,
            event_id: event.id.trim().to_string(),
            membership_id: event.member_id,
            kind: event.kind.as_str().into(),
            occurred_at: event.timestamp.unwrap_or(now).min(now),
            weight_milli: weight_milli(event.kind, &parsed),
            duration_seconds: parsed
                .get("duration_minutes")
                .and_then(serde_json::Value::as_f64)
                .map(|minutes| (minutes * 60.0).round() as i64),
            details,
            received_at: now,
        };
        if engagement_events::insert_new(&mut tx, &row).await? {
            accepted += 1;
            touched.insert(event.member_id);
        } else {
            duplicates += 1;
        }
    }
    for member in touched {
        if let Some(before) = memberships::find(&mut tx, member).await? {
            rescore(&mut tx, &before, now).await?;
        }
    }
    tx.commit().await?;
    Ok(IngestResult {
        accepted,
        duplicates,
    })
}

/// The daily pass: scores decay with time even without new events. Works through the
/// members with a score in batches, one transaction each.
pub async fn rescore_all(state: &AppState) -> Result<u64, AppError> {
    const BATCH: i64 = 500;
    let mut after = Uuid::nil();
    let mut rescored = 0;
    loop {
        let batch = memberships::still_scored(&state.db, after, BATCH).await?;
        let Some(last) = batch.last() else {
            return Ok(rescored);
        };
        after = last.id;
        let now = state.clock.now();
        let mut tx = state.db.begin().await?;
        for member in &batch {
            // Re-read inside the transaction: an event batch may have moved it meanwhile.
            if let Some(before) = memberships::find(&mut tx, member.id).await? {
                rescore(&mut tx, &before, now).await?;
                rescored += 1;
            }
        }
        tx.commit().await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn weights_follow_the_documented_table() {
        assert_eq!(
            weight_milli(EventType::ContentView, &json!({"completion": 1.0})),
            2000
        );
        assert_eq!(weight_milli(EventType::ContentView, &json!({})), 1000);
        assert_eq!(weight_milli(EventType::Comment, &json!({})), 3000);
        assert_eq!(weight_milli(EventType::Share, &json!({})), 4000);
        assert_eq!(
            weight_milli(EventType::PersonaChat, &json!({"duration_minutes": 12})),
            3200
        );
        assert_eq!(
            weight_milli(EventType::PersonaChat, &json!({"duration_minutes": 600})),
            5000
        );
    }

    #[test]
    fn scores_saturate_decay_and_forget() {
        let now = Utc::now();
        assert_eq!(score(&[], now), 0);
        // A raw sum of 20 scores 50.
        let twenty = vec![(now, 20_000)];
        assert_eq!(score(&twenty, now), 50);
        // Fourteen days later it counts half: raw 10 → 33.
        assert_eq!(score(&twenty, now + Duration::days(14)), 33);
        // After 90 days it no longer counts.
        assert_eq!(score(&twenty, now + Duration::days(91)), 0);
        assert_eq!(score(&[(now, 1_000_000)], now), 98);
    }

    #[test]
    fn levels_have_documented_thresholds() {
        assert_eq!(level(100), EngagementLevel::Superfan);
        assert_eq!(level(80), EngagementLevel::Superfan);
        assert_eq!(level(79), EngagementLevel::Engaged);
        assert_eq!(level(50), EngagementLevel::Engaged);
        assert_eq!(level(49), EngagementLevel::Casual);
        assert_eq!(level(20), EngagementLevel::Casual);
        assert_eq!(level(19), EngagementLevel::Inactive);
        assert_eq!(level(0), EngagementLevel::Inactive);
    }
}
