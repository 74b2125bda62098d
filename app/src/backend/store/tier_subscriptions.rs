//! The rollups of creators' tier subscriptions behind the revenue report (migration
//! 0036): per creator, currency, tier and status, the subscribers and what they pay per
//! month; per creator, currency and UTC day, subscriptions started, ended and churned
//! with their monthly value; per creator and currency, those started and ended over all
//! days (migration 0051). `store::subscriptions` moves a subscription's counts in the
//! transaction of every write, so MRR, new and churned MRR and the subscriptions live
//! at a window's start read a few dozen rows however many members a creator has.

use super::days::{self, day_of};
use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A creator's subscription as the rollups count it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierSubscription {
    pub creator_id: Uuid,
    pub currency: String,
    pub tier_id: Option<Uuid>,
    pub status: String,
    pub price_minor: i64,
    pub billing_cycle: String,
    pub created_at: DateTime<Utc>,
    pub canceled_at: Option<DateTime<Utc>>,
}

/// What subscriptions add to one day of `subscription_days`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionDay {
    pub started: i64,
    pub started_monthly_minor: i64,
    /// Canceled on the day, whatever the status now.
    pub ended: i64,
    /// Canceled on the day and canceled now.
    pub churned: i64,
    pub churned_monthly_minor: i64,
}

impl SubscriptionDay {
    fn is_zero(&self) -> bool {
        *self == SubscriptionDay::default()
    }
}

/// `(creator, currency, tier, status)` → (subscribers, monthly value).
pub type TierCounts = BTreeMap<(Uuid, String, Uuid, String), (i64, i64)>;
/// `(creator, currency, day)` → what started and ended on it.
pub type Days = BTreeMap<(Uuid, String, String), SubscriptionDay>;

/// Changes to both rollups, to write at once.
#[derive(Clone, Debug, Default)]
pub struct Rollup {
    pub tiers: TierCounts,
    pub days: Days,
}

impl Rollup {
    /// `(creator, currency)` → subscriptions started and ended over all the days: what
    /// `subscription_totals` gains with these days.
    pub fn totals(&self) -> BTreeMap<(Uuid, String), (i64, i64)> {
        let mut totals = BTreeMap::new();
        for ((creator_id, currency, _), day) in &self.days {
            let total: &mut (i64, i64) = totals.entry((*creator_id, currency.clone())).or_default();
            total.0 += day.started;
            total.1 += day.ended;
        }
        totals
    }
}

impl TierSubscription {
    /// A yearly subscription's price counts a twelfth per month.
    pub fn monthly_minor(&self) -> i64 {
        if self.billing_cycle == "annual" {
            self.price_minor / 12
        } else {
            self.price_minor
        }
    }

    /// Adds (`sign` 1) or removes (-1) the subscription's counts.
    pub fn add_to(&self, rollup: &mut Rollup, sign: i64) {
        let monthly = self.monthly_minor();
        if let Some(tier_id) = self.tier_id {
            let key = (
                self.creator_id,
                self.currency.clone(),
                tier_id,
                self.status.clone(),
            );
            let count = rollup.tiers.entry(key).or_default();
            count.0 += sign;
            count.1 += sign * monthly;
        }
        let key = |at: DateTime<Utc>| (self.creator_id, self.currency.clone(), day_of(at));
        let started = rollup.days.entry(key(self.created_at)).or_default();
        started.started += sign;
        started.started_monthly_minor += sign * monthly;
        if let Some(at) = self.canceled_at {
            let ended = rollup.days.entry(key(at)).or_default();
            ended.ended += sign;
            if self.status == "canceled" {
                ended.churned += sign;
                ended.churned_monthly_minor += sign * monthly;
            }
        }
    }
}

/// Moves a subscription's counts from `before` (`None` for a new one) to `after`.
pub async fn move_subscription(
    tx: &mut Tx,
    before: Option<&TierSubscription>,
    after: &TierSubscription,
) -> Result<(), sqlx::Error> {
    if before == Some(after) {
        return Ok(());
    }
    let mut rollup = Rollup::default();
    if let Some(before) = before {
        before.add_to(&mut rollup, -1);
    }
    after.add_to(&mut rollup, 1);
    let totals = rollup.totals();
    for ((creator_id, currency, tier_id, status), (subscribers, monthly)) in rollup.tiers {
        if (subscribers, monthly) == (0, 0) {
            continue;
        }
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO tier_subscription_counts \
             (creator_id, currency, tier_id, status, subscribers, monthly_minor) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (creator_id, currency, tier_id, status) DO UPDATE SET \
               subscribers = tier_subscription_counts.subscribers + excluded.subscribers, \
               monthly_minor = tier_subscription_counts.monthly_minor + excluded.monthly_minor",
        )
        .bind(creator_id)
        .bind(&currency)
        .bind(tier_id)
        .bind(&status)
        .bind(subscribers)
        .bind(monthly)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    for ((creator_id, currency), (started, ended)) in totals {
        if (started, ended) == (0, 0) {
            continue;
        }
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO subscription_totals (creator_id, currency, started, ended) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (creator_id, currency) DO UPDATE SET \
               started = subscription_totals.started + excluded.started, \
               ended = subscription_totals.ended + excluded.ended",
        )
        .bind(creator_id)
        .bind(&currency)
        .bind(started)
        .bind(ended)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    for ((creator_id, currency, day), change) in rollup.days {
        if change.is_zero() {
            continue;
        }
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO subscription_days (creator_id, currency, day, started, \
             started_monthly_minor, ended, churned, churned_monthly_minor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (creator_id, currency, day) DO UPDATE SET \
               started = subscription_days.started + excluded.started, \
               started_monthly_minor = subscription_days.started_monthly_minor + excluded.started_monthly_minor, \
               ended = subscription_days.ended + excluded.ended, \
               churned = subscription_days.churned + excluded.churned, \
               churned_monthly_minor = subscription_days.churned_monthly_minor + excluded.churned_monthly_minor",
        )
        .bind(creator_id)
        .bind(&currency)
        .bind(&day)
        .bind(change.started)
        .bind(change.started_monthly_minor)
        .bind(change.ended)
        .bind(change.churned)
        .bind(change.churned_monthly_minor)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// A tier's live (active or past-due) subscriptions in one currency, and what they pay
/// per month.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LiveTier {
    pub tier_id: Uuid,
    pub currency: String,
    pub subscribers: i64,
    pub monthly_minor: i64,
}

/// The creator's live subscriptions per tier and currency: the revenue report's MRR
/// (its currency) and the tiers list's monthly revenue (any currency) in one read.
pub async fn live_by_tier(db: &Db, creator_id: Uuid) -> Result<Vec<LiveTier>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, LiveTier>(
        "SELECT tier_id, currency, CAST(SUM(subscribers) AS BIGINT) AS subscribers, \
           CAST(SUM(monthly_minor) AS BIGINT) AS monthly_minor \
         FROM tier_subscription_counts WHERE creator_id = $1 \
         AND status IN ('active', 'past_due') GROUP BY tier_id, currency",
    )
    .bind(creator_id)
    .fetch_all(pool)
    .await)
}

/// What live subscriptions pay per month for each tier, in any currency.
pub fn monthly_by_tier(live: &[LiveTier]) -> HashMap<Uuid, i64> {
    let mut monthly = HashMap::new();
    for tier in live {
        *monthly.entry(tier.tier_id).or_default() += tier.monthly_minor;
    }
    monthly
}

/// Subscriptions over a window of whole days from `first` to now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct SubscriptionWindow {
    /// The monthly value of subscriptions started in the window.
    pub new_monthly_minor: i64,
    /// Subscriptions canceled in the window, and their monthly value.
    pub churned: i64,
    pub churned_monthly_minor: i64,
    /// Subscriptions live when the window began: started before it, not ended by then.
    pub live_at_start: i64,
}

pub async fn window(
    db: &Db,
    creator_id: Uuid,
    currency: &str,
    first: NaiveDate,
) -> Result<SubscriptionWindow, sqlx::Error> {
    // Live at the start: all started less all ended (the totals), less what the window's
    // days started and ended; the days before the window are never read.
    on_db!(db, pool => sqlx::query_as::<_, SubscriptionWindow>(
        "SELECT \
           CAST(COALESCE(SUM(started_monthly_minor), 0) AS BIGINT) AS new_monthly_minor, \
           CAST(COALESCE(SUM(churned), 0) AS BIGINT) AS churned, \
           CAST(COALESCE(SUM(churned_monthly_minor), 0) AS BIGINT) AS churned_monthly_minor, \
           CAST(COALESCE((SELECT started - ended FROM subscription_totals \
                          WHERE creator_id = $1 AND currency = $2), 0) \
                - COALESCE(SUM(started - ended), 0) AS BIGINT) AS live_at_start \
         FROM subscription_days WHERE creator_id = $1 AND currency = $2 AND day >= $3",
    )
    .bind(creator_id)
    .bind(currency)
    .bind(days::key(first))
    .fetch_one(pool)
    .await)
}
