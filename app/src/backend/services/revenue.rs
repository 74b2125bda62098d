//! Revenue analytics for one creator over the last `month` 30, `quarter` 90 or `year`
//! 365 UTC calendar days, today included, in the creator's currency. Definitions (also
//! in the API reference):
//! - revenue: tier subscription payments and tips received in the window, less refunds
//!   made in it;
//! - MRR: what live (active or past-due) tier subscriptions pay per month now, a yearly
//!   one counting a twelfth; ARR = 12 × MRR; new MRR: the monthly value of subscriptions
//!   started in the window; churned MRR: of those that ended in it;
//! - ARPU: window revenue ÷ current members; ARPPU: ÷ current paying members;
//!   LTV: all revenue ever ÷ members who ever paid; churn rate: subscriptions ended in
//!   the window ÷ those live at its start; CAC is `null` (no marketing spend recorded);
//! - payouts: this month's revenue so far less the 10 % platform fee, paid on the 1st.
//!
//! Every figure comes from rollups (`store::days`, `store::months`,
//! `store::tier_subscriptions`, the payer counts), so a report reads a few hundred rows
//! however many members, invoices and tips a creator has.

use crate::backend::auth::identity::Identity;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::creator_reads::CreatorReads;
use crate::backend::services::tips::{fee_on, platform_fee_rate};
use crate::backend::store::tier_subscriptions::{self, LiveTier};
use crate::backend::store::{days, months};
use crate::backend::AppState;
use crate::model::analytics::{
    Payouts, RevenueMetrics, RevenuePeriod, RevenueReport, RevenueTotals, SubscriptionMetrics,
    TierMrr,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

/// Revenue ratios are shown to the cent of the currency (half-even, like every amount).
fn per(amount_minor: i64, count: i64, currency: Currency) -> Decimal {
    if count <= 0 {
        return Decimal::ZERO;
    }
    let exact = Money::from_minor(amount_minor, currency).to_decimal() / Decimal::from(count);
    Money::from_decimal(exact, currency).map_or(Decimal::ZERO, Money::to_decimal)
}

/// The first day of the month after `now`'s.
fn next_first(now: DateTime<Utc>) -> NaiveDate {
    let (year, month) = if now.month() == 12 {
        (now.year() + 1, 1)
    } else {
        (now.year(), now.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(now.date_naive())
}

/// The query of `GET /audience/revenue`.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevenueQuery {
    /// May be omitted when the caller belongs to exactly one creator.
    pub creator_id: Option<Uuid>,
    /// `month` (last 30 days, the default), `quarter` (90) or `year` (365).
    pub period: Option<String>,
}

pub async fn report(
    state: &AppState,
    identity: &Identity,
    query: RevenueQuery,
) -> Result<RevenueReport, AppError> {
    let period = match query
        .period
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None | Some("month") => RevenuePeriod::Month,
        Some("quarter") => RevenuePeriod::Quarter,
        Some("year") => RevenuePeriod::Year,
        Some(_) => {
            return Err(AppError::Validation(vec![FieldError::new(
                "period",
                "must be month, quarter or year",
            )]))
        }
    };
    let reads = CreatorReads::open(state, identity, query.creator_id).await?;
    report_from(&reads, period, state.clock.now()).await
}

/// [`report`] from reads already open, for `period` ending with `now`'s day.
pub async fn report_from(
    reads: &CreatorReads,
    period: RevenuePeriod,
    now: DateTime<Utc>,
) -> Result<RevenueReport, AppError> {
    let (db, creator_id) = (reads.db(), reads.creator_id());
    let code = reads.currency().await?;
    let currency = Currency::parse(&code).ok_or_else(|| AppError::internal("stored currency"))?;
    let amount = |minor: i64| Money::from_minor(minor, currency).to_decimal();
    let first = days::window_start(now.date_naive(), period.days());

    let month_start = NaiveDate::from_ymd_opt(now.year(), now.month(), 1).unwrap_or(first);
    let [(subscriptions, tips), (month_subscriptions, month_tips)] =
        days::revenue_since(db, creator_id, &code, [first, month_start]).await?;
    let total = subscriptions + tips;

    let names: std::collections::HashMap<Uuid, &str> = reads
        .tiers()
        .await?
        .iter()
        .map(|t| (t.id, t.name.as_str()))
        .collect();
    let by_tier: Vec<&LiveTier> = reads
        .live_tiers()
        .await?
        .iter()
        .filter(|t| t.currency == code && t.subscribers > 0)
        .collect();
    let mrr: i64 = by_tier.iter().map(|t| t.monthly_minor).sum();
    let paying: i64 = by_tier.iter().map(|t| t.subscribers).sum();
    let window = tier_subscriptions::window(db, creator_id, &code, first).await?;
    let (new_mrr, churned_mrr) = (window.new_monthly_minor, window.churned_monthly_minor);

    let members: i64 = reads
        .counts()
        .await?
        .iter()
        .filter(|c| c.status != "churned")
        .map(|c| c.members)
        .sum();
    // From the monthly rollup: summing every invoice ever grows with the creator.
    let lifetime: i64 = reads
        .revenue_months()
        .await?
        .iter()
        .map(|(_, subscriptions, tips)| subscriptions + tips)
        .sum();
    let payers = months::payers(db, creator_id, &code).await?;
    let churn_rate = if window.live_at_start > 0 {
        (Decimal::from(window.churned) / Decimal::from(window.live_at_start)).round_dp(4)
    } else {
        Decimal::ZERO
    };

    let gross = month_subscriptions + month_tips;
    let gross = Money::from_minor(gross, currency);
    let pending = gross.minor - fee_on(gross).minor;

    Ok(RevenueReport {
        period,
        currency: code,
        revenue: RevenueTotals {
            total: amount(total),
            subscriptions: amount(subscriptions),
            tips: amount(tips),
            merchandise: amount(0),
            pay_per_view: amount(0),
        },
        subscriptions: SubscriptionMetrics {
            mrr: amount(mrr),
            arr: amount(mrr * 12),
            new_mrr: amount(new_mrr),
            churned_mrr: amount(churned_mrr),
            net_mrr_growth: amount(new_mrr - churned_mrr),
            by_tier: by_tier
                .into_iter()
                .map(|t| TierMrr {
                    tier_id: t.tier_id,
                    tier: names
                        .get(&t.tier_id)
                        .copied()
                        .unwrap_or_default()
                        .to_string(),
                    mrr: amount(t.monthly_minor),
                    subscribers: u64::try_from(t.subscribers).unwrap_or(0),
                })
                .collect(),
        },
        metrics: RevenueMetrics {
            arpu: per(total, members, currency),
            arppu: per(total, paying, currency),
            ltv: per(lifetime, payers, currency),
            cac: None,
            ltv_cac_ratio: None,
            churn_rate,
        },
        payouts: Payouts {
            pending: amount(pending),
            next_payout_date: next_first(now),
            platform_fee_rate: platform_fee_rate(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn payouts_fall_on_the_first_of_next_month() {
        let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap();
        assert_eq!(
            next_first(at(2026, 1, 31)),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
        assert_eq!(
            next_first(at(2026, 12, 1)),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }

    #[test]
    fn ratios_round_half_even_to_the_minor_unit() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(per(1000, 3, usd).to_string(), "3.33");
        assert_eq!(per(1000, 0, usd), Decimal::ZERO);
        // 0.125 → 0.12 (half to even).
        assert_eq!(per(25, 2, usd).to_string(), "0.12");
    }
}
