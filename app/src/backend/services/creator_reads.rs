//! One request's reads about one creator: the team permission checked once, every read
//! on one held connection (see `Db::hold`), and the tiers and membership counts that
//! several reports use read once. Each analytics report is built from one of these, so
//! the dashboard overview, which shows five of them, pays for those reads once per render
//! instead of once per report.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{resolve_creator, CreatorPermission};
use crate::backend::db::Db;
use crate::backend::error::AppError;
use crate::backend::store::memberships::{self, CountRow};
use crate::backend::store::tiers::{self, TierRow};
use crate::backend::AppState;
use std::sync::OnceLock;
use uuid::Uuid;

pub struct CreatorReads {
    db: Db,
    creator_id: Uuid,
    tiers: OnceLock<Vec<TierRow>>,
    counts: OnceLock<Vec<CountRow>>,
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
        if let Some(rows) = self.tiers.get() {
            return Ok(rows);
        }
        let rows = tiers::of_creator(&self.db, self.creator_id).await?;
        Ok(self.tiers.get_or_init(|| rows))
    }

    /// The creator's membership rollup (`memberships::counts`).
    pub async fn counts(&self) -> Result<&[CountRow], AppError> {
        if let Some(rows) = self.counts.get() {
            return Ok(rows);
        }
        let rows = memberships::counts(&self.db, self.creator_id).await?;
        Ok(self.counts.get_or_init(|| rows))
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
