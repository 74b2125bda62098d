//! One request's reads about one creator: the team permission checked once, every read
//! on one held connection (see `Db::hold`), and the rollups that several reports use
//! (tiers, membership counts, live subscriptions per tier, the months) read once. Each
//! analytics report is built from one of these, so the dashboard overview, which shows
//! five of them, pays for those reads once per render instead of once per report.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{resolve_creator, CreatorPermission};
use crate::backend::db::Db;
use crate::backend::error::AppError;
use crate::backend::store::memberships::{self, CountRow};
use crate::backend::store::months;
use crate::backend::store::tier_subscriptions::{self, LiveTier};
use crate::backend::store::tiers::{self, TierRow};
use crate::backend::AppState;
use std::future::Future;
use std::sync::OnceLock;
use uuid::Uuid;

pub struct CreatorReads {
    db: Db,
    creator_id: Uuid,
    tiers: OnceLock<Vec<TierRow>>,
    counts: OnceLock<Vec<CountRow>>,
    live_tiers: OnceLock<Vec<LiveTier>>,
    member_months: OnceLock<Vec<(String, i64, i64)>>,
    revenue_months: OnceLock<Vec<(String, i64, i64)>>,
}

/// The value `cell` holds, after `read` fills it the first time.
async fn once<T>(
    cell: &OnceLock<T>,
    read: impl Future<Output = Result<T, sqlx::Error>>,
) -> Result<&T, AppError> {
    if let Some(value) = cell.get() {
        return Ok(value);
    }
    let value = read.await?;
    Ok(cell.get_or_init(|| value))
}

impl CreatorReads {
    /// Reads about `creator_id` (or the caller's only creator) for a caller allowed to
    /// view its audience.
    pub async fn open(
        state: &AppState,
        identity: &Identity,
        creator_id: Option<Uuid>,
    ) -> Result<Self, AppError> {
        let db = state.db.hold().await?;
        let creator_id =
            resolve_creator(&db, identity, creator_id, CreatorPermission::View).await?;
        Ok(Self {
            db,
            creator_id,
            tiers: OnceLock::new(),
            counts: OnceLock::new(),
            live_tiers: OnceLock::new(),
            member_months: OnceLock::new(),
            revenue_months: OnceLock::new(),
        })
    }

    /// The held connection, for the reads a single report makes.
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn creator_id(&self) -> Uuid {
        self.creator_id
    }

    /// The creator's tiers, the default first.
    pub async fn tiers(&self) -> Result<&[TierRow], AppError> {
        Ok(once(&self.tiers, tiers::of_creator(&self.db, self.creator_id)).await?)
    }

    /// The creator's membership rollup (`memberships::counts`).
    pub async fn counts(&self) -> Result<&[CountRow], AppError> {
        Ok(once(&self.counts, memberships::counts(&self.db, self.creator_id)).await?)
    }

    /// Live subscriptions per tier and currency (`tier_subscriptions::live_by_tier`).
    pub async fn live_tiers(&self) -> Result<&[LiveTier], AppError> {
        let read = tier_subscriptions::live_by_tier(&self.db, self.creator_id);
        Ok(once(&self.live_tiers, read).await?)
    }

    /// Members joined and churned per month, oldest first (`months::members_by_month`).
    pub async fn member_months(&self) -> Result<&[(String, i64, i64)], AppError> {
        let read = months::members_by_month(&self.db, self.creator_id);
        Ok(once(&self.member_months, read).await?)
    }

    /// Revenue per month in the creator's currency, oldest first
    /// (`months::revenue_by_month`).
    pub async fn revenue_months(&self) -> Result<&[(String, i64, i64)], AppError> {
        let currency = self.currency().await?;
        let read = months::revenue_by_month(&self.db, self.creator_id, &currency);
        Ok(once(&self.revenue_months, read).await?)
    }

    /// The creator's currency: that of its paid tiers, else USD.
    pub async fn currency(&self) -> Result<String, AppError> {
        Ok(currency_of(self.tiers().await?))
    }
}

/// The currency of a creator with these tiers: that of its paid tiers, else USD.
pub fn currency_of(tiers: &[TierRow]) -> String {
    tiers
        .iter()
        .find(|t| !t.is_free())
        .map_or_else(|| "USD".to_string(), |t| t.currency.clone())
}
