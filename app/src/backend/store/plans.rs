//! The plans table (migration 0009).

use crate::backend::db::{Conn, Db, Tx};
use crate::backend::domain::money::{Currency, Money};
use crate::backend::pagination::{keyset_query, PageRequest};
use crate::model::plan::{BillingCycle, Plan, Quality};
use crate::{on_conn, on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, name, description, price_minor, currency, billing_cycle, max_profiles, \
    max_concurrent_streams, max_devices, max_quality, has_downloads, allow_download_count, \
    has_ads, has_hdr, has_dolby_atmos, trial_days, is_active, version, created_at, updated_at";

/// A stored plan, with the version that is its ETag.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PlanRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub price_minor: i64,
    pub currency: String,
    pub billing_cycle: String,
    pub max_profiles: i32,
    pub max_concurrent_streams: i32,
    pub max_devices: i32,
    pub max_quality: String,
    pub has_downloads: bool,
    pub allow_download_count: Option<i32>,
    pub has_ads: bool,
    pub has_hdr: bool,
    pub has_dolby_atmos: bool,
    pub trial_days: i32,
    pub is_active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PlanRow {
    pub fn price(&self) -> Money {
        let currency = Currency::parse(&self.currency).expect("stored currencies are valid");
        Money::from_minor(self.price_minor, currency)
    }

    pub fn into_api(self) -> Plan {
        Plan {
            price: self.price().to_decimal(),
            billing_cycle: BillingCycle::parse(&self.billing_cycle)
                .expect("stored billing cycles are valid"),
            max_quality: Quality::parse(&self.max_quality).expect("stored qualities are valid"),
            id: self.id,
            name: self.name,
            description: self.description,
            currency: self.currency,
            max_profiles: self.max_profiles,
            max_concurrent_streams: self.max_concurrent_streams,
            max_devices: self.max_devices,
            has_downloads: self.has_downloads,
            allow_download_count: self.allow_download_count,
            has_ads: self.has_ads,
            has_hdr: self.has_hdr,
            has_dolby_atmos: self.has_dolby_atmos,
            trial_days: self.trial_days,
            is_active: self.is_active,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

pub async fn insert(tx: &mut Tx, row: &PlanRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO plans ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18, $19, $20)"
    ))
    .bind(row.id)
    .bind(&row.name)
    .bind(&row.description)
    .bind(row.price_minor)
    .bind(&row.currency)
    .bind(&row.billing_cycle)
    .bind(row.max_profiles)
    .bind(row.max_concurrent_streams)
    .bind(row.max_devices)
    .bind(&row.max_quality)
    .bind(row.has_downloads)
    .bind(row.allow_download_count)
    .bind(row.has_ads)
    .bind(row.has_hdr)
    .bind(row.has_dolby_atmos)
    .bind(row.trial_days)
    .bind(row.is_active)
    .bind(row.version)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes every field of `row` over the stored plan, only if the stored version is
/// still `expected_version`; returns whether it was.
pub async fn replace(
    tx: &mut Tx,
    row: &PlanRow,
    expected_version: i64,
) -> Result<bool, sqlx::Error> {
    let updated = on_tx!(tx, conn => sqlx::query(
        "UPDATE plans SET name = $2, description = $3, price_minor = $4, currency = $5, \
         billing_cycle = $6, max_profiles = $7, max_concurrent_streams = $8, max_devices = $9, \
         max_quality = $10, has_downloads = $11, allow_download_count = $12, has_ads = $13, \
         has_hdr = $14, has_dolby_atmos = $15, trial_days = $16, is_active = $17, version = $18, \
         updated_at = $19 WHERE id = $1 AND version = $20",
    )
    .bind(row.id)
    .bind(&row.name)
    .bind(&row.description)
    .bind(row.price_minor)
    .bind(&row.currency)
    .bind(&row.billing_cycle)
    .bind(row.max_profiles)
    .bind(row.max_concurrent_streams)
    .bind(row.max_devices)
    .bind(&row.max_quality)
    .bind(row.has_downloads)
    .bind(row.allow_download_count)
    .bind(row.has_ads)
    .bind(row.has_hdr)
    .bind(row.has_dolby_atmos)
    .bind(row.trial_days)
    .bind(row.is_active)
    .bind(row.version)
    .bind(row.updated_at)
    .bind(expected_version)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(updated == 1)
}

pub async fn find(db: impl Into<Conn<'_>>, id: Uuid) -> Result<Option<PlanRow>, sqlx::Error> {
    on_conn!(db.into(), pool => sqlx::query_as::<_, PlanRow>(&format!("SELECT {COLUMNS} FROM plans WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// Which plans a listing shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    ActiveOnly,
    All,
}

impl Scope {
    fn filter(self) -> Option<&'static str> {
        match self {
            Scope::ActiveOnly => Some("is_active = TRUE"),
            Scope::All => None,
        }
    }
}

/// One page (`limit + 1` rows, see `pagination::into_page`).
pub async fn page(
    db: &Db,
    scope: Scope,
    request: PageRequest,
) -> Result<Vec<PlanRow>, sqlx::Error> {
    let (sql, anchor) = keyset_query(
        &format!("SELECT {COLUMNS} FROM plans"),
        scope.filter(),
        request.direction,
    );
    on_db!(db, pool => {
        let mut query = sqlx::query_as::<_, PlanRow>(&sql).bind(i64::from(request.limit) + 1);
        if let Some(id) = anchor {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })
}

pub async fn count(db: &Db, scope: Scope) -> Result<u64, sqlx::Error> {
    let sql = match scope.filter() {
        Some(filter) => format!("SELECT COUNT(*) FROM plans WHERE {filter}"),
        None => "SELECT COUNT(*) FROM plans".to_string(),
    };
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(&sql).fetch_one(pool).await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
