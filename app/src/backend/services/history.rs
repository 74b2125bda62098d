//! The creator's last twelve calendar months (UTC) for the dashboard's charts: members
//! who joined and left, members at each month's end, revenue (tier subscriptions and
//! tips, net of refunds) in the creator's currency, and each tier's share of it. Read
//! from the monthly rollups (`store::months`), so its cost does not grow with members
//! or invoices.

use crate::backend::auth::identity::Identity;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::AppError;
use crate::backend::services::creator_reads::CreatorReads;
use crate::backend::store::months;
use crate::backend::AppState;
use crate::model::analytics::{History, MonthFigures, TierMonths};
use chrono::{DateTime, Datelike, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// Months shown, the current one included.
pub const MONTHS: u32 = 12;

/// `YYYY-MM` of the `count` months ending with `now`'s, oldest first.
fn month_keys(now: DateTime<Utc>, count: u32) -> Vec<String> {
    let current = now.year() * 12 + now.month0() as i32;
    (0..count as i32)
        .rev()
        .map(|back| {
            let index = current - back;
            format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            )
        })
        .collect()
}

pub async fn last_year(
    state: &AppState,
    identity: &Identity,
    creator_id: Option<Uuid>,
) -> Result<History, AppError> {
    let reads = CreatorReads::open(state, identity, creator_id).await?;
    last_year_from(&reads, state.clock.now()).await
}

/// [`last_year`] from reads already open, ending with `now`'s month.
pub async fn last_year_from(reads: &CreatorReads, now: DateTime<Utc>) -> Result<History, AppError> {
    let (db, creator_id) = (reads.db(), reads.creator_id());
    let code = reads.currency().await?;
    let currency = Currency::parse(&code).ok_or_else(|| AppError::internal("stored currency"))?;
    let keys = month_keys(now, MONTHS);
    let first = &keys[0];
    let member_months = reads.member_months().await?;
    let mut current: i64 = member_months
        .iter()
        .filter(|(month, ..)| month < first)
        .map(|(_, joined, churned)| joined - churned)
        .sum();
    let members: HashMap<&str, (i64, i64)> = member_months
        .iter()
        .map(|(month, joined, churned)| (month.as_str(), (*joined, *churned)))
        .collect();
    let revenue: HashMap<&str, (i64, i64)> = reads
        .revenue_months()
        .await?
        .iter()
        .map(|(month, subscriptions, tips)| (month.as_str(), (*subscriptions, *tips)))
        .collect();
    let amount = |minor: i64| Money::from_minor(minor, currency).to_decimal();
    let by_tier = months::tier_revenue_since(db, creator_id, &code, first).await?;
    let tiers = reads
        .tiers()
        .await?
        .iter()
        .filter(|tier| by_tier.iter().any(|(id, ..)| *id == tier.id))
        .map(|tier| TierMonths {
            tier_id: tier.id,
            amounts: keys
                .iter()
                .map(|month| {
                    let earned = by_tier
                        .iter()
                        .filter(|(id, m, _)| *id == tier.id && m == month)
                        .map(|(.., minor)| minor)
                        .sum();
                    amount(earned)
                })
                .collect(),
            tier: tier.name.clone(),
        })
        .collect();
    let figures = keys
        .into_iter()
        .map(|month| {
            let (joined, churned) = members.get(month.as_str()).copied().unwrap_or_default();
            let (subscriptions, tips) = revenue.get(month.as_str()).copied().unwrap_or_default();
            current += joined - churned;
            MonthFigures {
                month,
                joined: joined.max(0) as u64,
                churned: churned.max(0) as u64,
                members: current,
                subscriptions: amount(subscriptions),
                tips: amount(tips),
            }
        })
        .collect();
    Ok(History {
        currency: code,
        months: figures,
        tiers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn twelve_months_end_with_the_current_one_across_a_new_year() {
        let now = Utc.with_ymd_and_hms(2026, 2, 14, 9, 0, 0).unwrap();
        let keys = month_keys(now, 12);
        assert_eq!(keys.len(), 12);
        assert_eq!(keys.first().map(String::as_str), Some("2025-03"));
        assert_eq!(keys[9], "2025-12");
        assert_eq!(keys.last().map(String::as_str), Some("2026-02"));
    }
}
