//! What a coupon does to a bill: whether a user may use it on a plan, the discount it
//! gives on a price, and which periods of a subscription it covers. The subscribe,
//! plan change and renewal paths all ask here, so a preview and the charge agree.

use crate::backend::db::Tx;
use crate::backend::domain::money::Money;
use crate::backend::error::AppError;
use crate::backend::store::coupons::{self, CouponRow};
use crate::backend::store::plans::PlanRow;
use crate::backend::store::subscriptions::SubscriptionRow;
use crate::backend::store::tiers::TierRow;
use crate::model::coupon::{CouponError, DiscountType};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

/// A coupon with the plans it is restricted to (empty: every plan), or, for a
/// creator's coupon, the tiers (empty: every tier of the creator).
#[derive(Clone, Debug)]
pub struct Coupon {
    pub row: CouponRow,
    pub plan_ids: Vec<Uuid>,
    pub tier_ids: Vec<Uuid>,
}

/// What a coupon is asked to discount: a platform plan, or a creator's tier.
#[derive(Clone, Copy, Debug)]
pub enum Product<'a> {
    Plan(&'a PlanRow),
    Tier(&'a TierRow),
}

impl Coupon {
    async fn load(tx: &mut Tx, row: CouponRow) -> Result<Coupon, AppError> {
        let plan_ids = coupons::plan_ids_of(tx, row.id).await?;
        let tier_ids = coupons::tier_ids_of(tx, row.id).await?;
        Ok(Coupon {
            row,
            plan_ids,
            tier_ids,
        })
    }
}

impl Coupon {
    pub fn discount_type(&self) -> DiscountType {
        DiscountType::parse(&self.row.discount_type).expect("stored discount types are valid")
    }

    /// Whether it may discount `product` at all: a platform coupon fits plans (of its
    /// list), a creator's coupon that creator's tiers (of its list); a fixed amount
    /// only in its currency.
    pub fn fits(&self, product: Product<'_>) -> bool {
        let (product_ok, currency) = match product {
            Product::Plan(plan) => (
                self.row.creator_id.is_none()
                    && (self.plan_ids.is_empty() || self.plan_ids.contains(&plan.id)),
                &plan.currency,
            ),
            Product::Tier(tier) => (
                self.row.creator_id == Some(tier.creator_id)
                    && (self.tier_ids.is_empty() || self.tier_ids.contains(&tier.id)),
                &tier.currency,
            ),
        };
        let currency_ok = match self.discount_type() {
            DiscountType::FixedAmount => self.row.currency.as_deref() == Some(currency),
            _ => true,
        };
        product_ok && currency_ok
    }

    /// The discount on one period's `price`: never more than the price, rounded once by
    /// the money rule. Free trial days discount no invoice.
    pub fn discount(&self, price: Money) -> Money {
        let minor = match self.discount_type() {
            DiscountType::Percent => {
                let fraction = Decimal::from(self.row.discount_value) / Decimal::from(10_000);
                Money::from_decimal(price.to_decimal() * fraction, price.currency)
                    .map_or(0, |m| m.minor)
            }
            DiscountType::FixedAmount => self.row.discount_value,
            DiscountType::FreeTrialDays => 0,
        };
        Money::from_minor(minor.clamp(0, price.minor.max(0)), price.currency)
    }

    /// Extra trial days it grants when subscribing.
    pub fn trial_days(&self) -> i64 {
        match self.discount_type() {
            DiscountType::FreeTrialDays => self.row.discount_value,
            _ => 0,
        }
    }

    /// The last period index it discounts when first applied to period `first`.
    pub fn through(&self, first: i32) -> Option<i32> {
        self.row.duration_periods.map(|n| first + n - 1)
    }
}

/// The code as stored: codes are upper case, typed codes may not be.
pub fn normalize(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// The coupon `code` names, if `user_id` may use it on `product` now.
pub async fn usable(
    tx: &mut Tx,
    code: &str,
    product: Product<'_>,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Result<Coupon, (CouponError, Option<Coupon>)>, AppError> {
    let Some(row) = coupons::find_by_code(tx, &normalize(code)).await? else {
        return Ok(Err((CouponError::NotFound, None)));
    };
    let redeemed_by_user = coupons::redemptions_by(tx, row.id, user_id).await?;
    let coupon = Coupon::load(tx, row).await?;
    let row = &coupon.row;
    let error = if row.status == "disabled" {
        Some(CouponError::Disabled)
    } else if row.valid_until.is_some_and(|until| until <= now) {
        Some(CouponError::Expired)
    } else if row.valid_from > now || !coupon.fits(product) {
        Some(CouponError::NotApplicable)
    } else if row
        .max_redemptions
        .is_some_and(|max| row.redemption_count >= max)
    {
        Some(CouponError::MaxRedemptionsReached)
    } else if redeemed_by_user >= i64::from(row.max_redemptions_per_user) {
        Some(CouponError::AlreadyRedeemed)
    } else {
        None
    };
    Ok(match error {
        Some(error) => Err((error, Some(coupon))),
        None => Ok(coupon),
    })
}

/// The documented refusal of a coupon given with a subscription request.
pub fn invalid(error: CouponError) -> AppError {
    AppError::BadRequest {
        code: "invalid_coupon",
        message: error.message().into(),
    }
}

/// Like [`usable`], as the error a subscription request answers with.
pub async fn require_usable(
    tx: &mut Tx,
    code: &str,
    product: Product<'_>,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Coupon, AppError> {
    usable(tx, code, product, user_id, now)
        .await?
        .map_err(|(error, _)| invalid(error))
}

/// Takes one redemption of `coupon` for `sub` (inside the subscription's transaction,
/// with the user's row locked so the per-user limit holds too).
pub async fn redeem(
    tx: &mut Tx,
    coupon: &Coupon,
    sub: &SubscriptionRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let used = coupons::redemptions_by(tx, coupon.row.id, sub.user_id).await?;
    if used >= i64::from(coupon.row.max_redemptions_per_user) {
        return Err(invalid(CouponError::AlreadyRedeemed));
    }
    if !coupons::redeem(tx, coupon.row.id, sub.user_id, sub.id, now).await? {
        return Err(invalid(CouponError::MaxRedemptionsReached));
    }
    Ok(())
}

/// The coupon discounting period `index` of `sub` on `product`, if any. Once redeemed a
/// coupon keeps its promise for its duration, even if it is disabled or expires later.
pub async fn covering(
    tx: &mut Tx,
    sub: &SubscriptionRow,
    index: i32,
    product: Product<'_>,
) -> Result<Option<Coupon>, AppError> {
    let Some(id) = sub.coupon_id else {
        return Ok(None);
    };
    if sub.coupon_through.is_some_and(|through| index > through) {
        return Ok(None);
    }
    let Some(row) = coupons::find(&mut *tx, id).await? else {
        return Ok(None);
    };
    let coupon = Coupon::load(tx, row).await?;
    Ok(coupon.fits(product).then_some(coupon))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::domain::money::Currency;

    fn coupon(kind: DiscountType, value: i64, currency: Option<&str>) -> Coupon {
        let now = Utc::now();
        Coupon {
            row: CouponRow {
                id: Uuid::now_v7(),
                code: "X".into(),
                description: None,
                discount_type: kind.as_str().into(),
                discount_value: value,
                currency: currency.map(Into::into),
                duration_periods: Some(3),
                max_redemptions: None,
                max_redemptions_per_user: 1,
                redemption_count: 0,
                valid_from: now,
                valid_until: None,
                status: "active".into(),
                created_by: None,
                created_at: now,
                updated_at: now,
                creator_id: None,
            },
            plan_ids: Vec::new(),
            tier_ids: Vec::new(),
        }
    }

    #[test]
    fn discounts_round_half_even_and_never_exceed_the_price() {
        let usd = Currency::parse("USD").unwrap();
        // 12.5 % of 9.99 = 1.24875 → 1.25; 15 % of 0.10 = 0.015 → 0.02 (half-even)
        assert_eq!(
            coupon(DiscountType::Percent, 1250, None)
                .discount(Money::from_minor(999, usd))
                .minor,
            125
        );
        assert_eq!(
            coupon(DiscountType::Percent, 1500, None)
                .discount(Money::from_minor(10, usd))
                .minor,
            2
        );
        assert_eq!(
            coupon(DiscountType::Percent, 10_000, None)
                .discount(Money::from_minor(999, usd))
                .minor,
            999
        );
        assert_eq!(
            coupon(DiscountType::FixedAmount, 500, Some("USD"))
                .discount(Money::from_minor(300, usd))
                .minor,
            300
        );
        assert_eq!(
            coupon(DiscountType::FreeTrialDays, 14, None)
                .discount(Money::from_minor(999, usd))
                .minor,
            0
        );
        assert_eq!(
            coupon(DiscountType::FreeTrialDays, 14, None).trial_days(),
            14
        );
        assert_eq!(coupon(DiscountType::Percent, 1, None).through(1), Some(3));
    }
}
