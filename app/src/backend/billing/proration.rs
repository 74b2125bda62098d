//! Proration: what changing plans mid-period costs. The unused part of the old price is
//! credited and the remaining part of the new price is charged, both by the exact
//! remaining fraction of the period and rounded once each by the money rule. An upgrade
//! spends the account balance before charging the card; a downgrade leaves its net
//! credit on the balance. Preview and change both call [`quote`] with the same inputs,
//! so the preview is exactly what the change charges at that instant.

use crate::backend::domain::money::Money;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    /// Unused time on the old plan.
    pub credit: Money,
    /// Remaining time on the new plan.
    pub charge: Money,
    /// Account balance spent on the difference.
    pub balance_used: Money,
    /// What the card is charged now.
    pub amount_due_now: Money,
    /// Net credit a downgrade leaves on the balance.
    pub credit_to_balance: Money,
}

/// The remaining fraction of `[start, end)` at `now`, exactly (0 outside the period).
pub fn remaining_fraction(start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> Decimal {
    let total = (end - start).num_microseconds().unwrap_or(0);
    let remaining = (end - now)
        .num_microseconds()
        .unwrap_or(0)
        .clamp(0, total.max(0));
    if total <= 0 {
        return Decimal::ZERO;
    }
    Decimal::from(remaining) / Decimal::from(total)
}

/// Prices are in the same currency (callers refuse cross-currency changes).
pub fn quote(
    old_price: Money,
    new_price: Money,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
    balance: Money,
) -> Quote {
    let currency = new_price.currency;
    let fraction = remaining_fraction(start, end, now);
    let part = |price: Money| {
        Money::from_decimal(price.to_decimal() * fraction, currency)
            .expect("a fraction of a stored price fits")
    };
    let credit = part(old_price);
    let charge = part(new_price);
    let net = charge.minor - credit.minor;
    let zero = Money::from_minor(0, currency);
    if net > 0 {
        let used = balance.minor.clamp(0, net);
        Quote {
            credit,
            charge,
            balance_used: Money::from_minor(used, currency),
            amount_due_now: Money::from_minor(net - used, currency),
            credit_to_balance: zero,
        }
    } else {
        Quote {
            credit,
            charge,
            balance_used: zero,
            amount_due_now: zero,
            credit_to_balance: Money::from_minor(-net, currency),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::domain::money::Currency;
    use chrono::Duration;
    use proptest::prelude::*;

    fn usd(minor: i64) -> Money {
        Money::from_minor(minor, Currency::parse("USD").unwrap())
    }

    #[test]
    fn half_way_through_an_upgrade_costs_half_the_difference() {
        let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let end = start + Duration::days(30);
        let q = quote(
            usd(1000),
            usd(2000),
            (start, end),
            start + Duration::days(15),
            usd(0),
        );
        assert_eq!(
            (q.credit.minor, q.charge.minor, q.amount_due_now.minor),
            (500, 1000, 500)
        );
        let q = quote(
            usd(2000),
            usd(1000),
            (start, end),
            start + Duration::days(15),
            usd(0),
        );
        assert_eq!(
            (q.amount_due_now.minor, q.credit_to_balance.minor),
            (0, 500)
        );
        let q = quote(
            usd(1000),
            usd(2000),
            (start, end),
            start + Duration::days(15),
            usd(200),
        );
        assert_eq!((q.balance_used.minor, q.amount_due_now.minor), (200, 300));
    }

    proptest! {
        #[test]
        fn quotes_balance_to_the_cent(
            old in 0i64..1_000_000,
            new in 0i64..1_000_000,
            balance in 0i64..100_000,
            length in 1i64..400 * 86_400,
            elapsed in -86_400i64..500 * 86_400,
        ) {
            let start = DateTime::parse_from_rfc3339("2026-03-31T12:00:00Z").unwrap().to_utc();
            let end = start + Duration::seconds(length);
            let now = start + Duration::seconds(elapsed);
            let q = quote(usd(old), usd(new), (start, end), now, usd(balance));
            prop_assert!(q.amount_due_now.minor >= 0);
            prop_assert!(q.credit.minor <= old && q.charge.minor <= new);
            prop_assert!(q.balance_used.minor <= balance);
            // Every cent is accounted for: due + balance spent − credit left = charge − credit.
            prop_assert_eq!(
                q.amount_due_now.minor + q.balance_used.minor - q.credit_to_balance.minor,
                q.charge.minor - q.credit.minor
            );
            if old == new {
                prop_assert_eq!(q.amount_due_now.minor, 0);
                prop_assert_eq!(q.credit_to_balance.minor, 0);
            }
            // Later in the period, never more credit.
            let later = quote(usd(old), usd(new), (start, end), now + Duration::hours(1), usd(balance));
            prop_assert!(later.credit.minor <= q.credit.minor);
        }
    }
}
