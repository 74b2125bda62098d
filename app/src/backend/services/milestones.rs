//! `audience.milestone_reached` and `audience.engagement_alert`.
//!
//! Milestones: current members reaching 10, 25, 50, 100, 250, 500, 1,000 … (1-2.5-5
//! steps up to 10 million), and lifetime gross revenue (tier payments and tips, before
//! refunds) reaching 100, 1,000, 10,000 … 10 million in the creator's currency. Each is
//! announced once, in the transaction of the change that reached it; when several are
//! passed at once, only the highest is announced.
//!
//! Engagement alert, checked daily: the creator's interactions in the last 7 days fell
//! by half or more against the 7 days before, which had at least 20. At most one alert
//! per week.

use crate::backend::db::Tx;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::AppError;
use crate::backend::store::milestones;
use crate::backend::webhooks::outbox::{self, Event};
use crate::backend::AppState;
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

/// 10, 25, 50, 100, … 10,000,000.
fn member_thresholds() -> Vec<i64> {
    let mut all = Vec::new();
    let mut decade = 10;
    while decade <= 10_000_000 {
        all.extend([decade, decade * 5 / 2, decade * 5]);
        decade *= 10;
    }
    all.retain(|t| *t <= 10_000_000);
    all
}

/// In major units of the currency.
const REVENUE_THRESHOLDS: [i64; 6] = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// An alert needs at least this many interactions in the week before.
const ALERT_MIN_BASELINE: i64 = 20;

/// Records every threshold `value` reached and returns the highest one newly reached.
async fn newly_reached(
    tx: &mut Tx,
    creator_id: Uuid,
    key: (&str, &str),
    thresholds: &[i64],
    value: i64,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    let mut newest = None;
    for threshold in thresholds.iter().filter(|t| **t <= value) {
        if milestones::record(tx, creator_id, key, *threshold, now).await? {
            newest = Some(*threshold);
        }
    }
    Ok(newest)
}

async fn announce(
    tx: &mut Tx,
    creator_id: Uuid,
    milestone: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    outbox::emit(
        tx,
        Event {
            creator_id,
            kind: "audience.milestone_reached",
            ordering_key: format!("milestones:{creator_id}"),
            data: json!({"creator_id": creator_id, "milestone": milestone}),
        },
        now,
    )
    .await
}

/// After members joined: a member-count milestone, if one was reached.
pub async fn after_members_joined(
    tx: &mut Tx,
    creator_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let members = milestones::current_members(tx, creator_id).await?;
    let thresholds = member_thresholds();
    let key = ("members", "");
    if let Some(threshold) = newly_reached(tx, creator_id, key, &thresholds, members, now).await? {
        let milestone = json!({"type": "members", "threshold": threshold, "value": members});
        announce(tx, creator_id, milestone, now).await?;
    }
    Ok(())
}

/// After a payment to the creator in `currency`: a revenue milestone, if one was reached.
pub async fn after_payment(
    tx: &mut Tx,
    creator_id: Uuid,
    currency: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(unit) = Currency::parse(currency) else {
        return Ok(());
    };
    let revenue = milestones::gross_revenue(tx, creator_id, currency).await?;
    let thresholds: Vec<i64> = REVENUE_THRESHOLDS
        .iter()
        .filter_map(|major| Money::from_decimal(Decimal::from(*major), unit))
        .map(|m| m.minor)
        .collect();
    let key = ("revenue", currency);
    if let Some(threshold) = newly_reached(tx, creator_id, key, &thresholds, revenue, now).await? {
        let amount = |minor| Money::from_minor(minor, unit).to_decimal();
        let milestone = json!({
            "type": "revenue",
            "threshold": amount(threshold),
            "value": amount(revenue),
            "currency": currency,
        });
        announce(tx, creator_id, milestone, now).await?;
    }
    Ok(())
}

/// Whether interactions fell sharply: by half or more from a baseline of at least 20.
pub fn sharp_drop(current: i64, previous: i64) -> bool {
    previous >= ALERT_MIN_BASELINE && current * 2 <= previous
}

/// The daily check of every creator's weekly interactions.
pub async fn check_engagement(state: &AppState) -> Result<u64, AppError> {
    let now = state.clock.now();
    let week = Duration::days(7);
    let week_index = now.timestamp().div_euclid(7 * 24 * 3600);
    let mut alerts = 0;
    for creator_id in milestones::creator_ids(&state.db).await? {
        let current = milestones::interactions(&state.db, creator_id, (now - week, now)).await?;
        let previous =
            milestones::interactions(&state.db, creator_id, (now - week - week, now - week))
                .await?;
        if !sharp_drop(current, previous) {
            continue;
        }
        let mut tx = state.db.begin().await?;
        let key = ("engagement_alert", "");
        if milestones::record(&mut tx, creator_id, key, week_index, now).await? {
            let change = (current - previous) * 100 / previous;
            outbox::emit(
                &mut tx,
                Event {
                    creator_id,
                    kind: "audience.engagement_alert",
                    ordering_key: format!("alerts:{creator_id}"),
                    data: json!({
                        "creator_id": creator_id,
                        "metric": "weekly_interactions",
                        "current": current,
                        "previous": previous,
                        "change": format!("{change}%"),
                        "rule": "interactions in the last 7 days fell by half or more against the 7 days before (at least 20)",
                    }),
                },
                now,
            )
            .await?;
            alerts += 1;
        }
        tx.commit().await?;
    }
    Ok(alerts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_milestones_step_one_two_and_a_half_five() {
        let all = member_thresholds();
        assert_eq!(&all[..6], &[10, 25, 50, 100, 250, 500]);
        assert_eq!(all.last(), Some(&10_000_000));
    }

    #[test]
    fn an_alert_needs_a_baseline_and_a_halving() {
        assert!(sharp_drop(10, 20));
        assert!(!sharp_drop(11, 20));
        assert!(!sharp_drop(0, 19));
    }
}
