//! Money: exact decimal amounts in a currency, stored as integer minor units.
//!
//! The one rounding rule of the platform lives here: amounts are rounded half-even
//! ("banker's rounding") to the currency's minor unit, and only by [`Money::from_decimal`].

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// An ISO 4217 currency this platform bills in, with its minor-unit exponent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    exponent: u32,
}

/// The currencies accepted, with the exponents ISO 4217 gives them.
const CURRENCIES: &[(&str, u32)] = &[
    ("AUD", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("MXN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PHP", 2),
    ("PLN", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("USD", 2),
    ("VND", 0),
    ("ZAR", 2),
];

impl Currency {
    /// The currency for an upper-case ISO 4217 code, if it is one we bill in.
    pub fn parse(code: &str) -> Option<Currency> {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(code, exponent)| Currency { code, exponent })
    }

    pub fn code(self) -> &'static str {
        self.code
    }

    /// Digits after the decimal point: JPY 0, USD 2, KWD 3.
    pub fn exponent(self) -> u32 {
        self.exponent
    }
}

/// The OpenAPI schema of a currency field: the supported codes.
pub fn currency_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(CURRENCIES.iter().map(|(code, _)| *code)))
        .build()
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// An amount in integer minor units of a currency (cents for USD, yen for JPY).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Rounds `amount` half-even to the currency's minor unit. `None` when it does not
    /// fit in 64-bit minor units.
    pub fn from_decimal(amount: Decimal, currency: Currency) -> Option<Money> {
        let rounded =
            amount.round_dp_with_strategy(currency.exponent, RoundingStrategy::MidpointNearestEven);
        let minor = rounded.checked_mul(Decimal::from(10_i64.pow(currency.exponent)))?;
        Some(Money {
            minor: minor.to_i64()?,
            currency,
        })
    }

    /// The exact decimal value, with the currency's number of decimal places.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.minor, self.currency.exponent)
    }

    /// True when `amount` has no more decimal places than the currency allows.
    pub fn is_exact(amount: Decimal, currency: Currency) -> bool {
        amount.normalize().scale() <= currency.exponent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(Currency::parse("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::parse("USD").unwrap().exponent(), 2);
        assert_eq!(Currency::parse("KWD").unwrap().exponent(), 3);
        assert!(Currency::parse("usd").is_none());
        assert!(Currency::parse("ABC").is_none(), "not an ISO 4217 code");
    }

    #[test]
    fn rounding_is_half_even_at_the_minor_unit() {
        let usd = Currency::parse("USD").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::from_decimal(dec("9.99"), usd).unwrap().minor, 999);
        assert_eq!(Money::from_decimal(dec("0.125"), usd).unwrap().minor, 12);
        assert_eq!(Money::from_decimal(dec("0.135"), usd).unwrap().minor, 14);
        assert_eq!(Money::from_decimal(dec("-0.125"), usd).unwrap().minor, -12);
        assert_eq!(Money::from_decimal(dec("2.5"), jpy).unwrap().minor, 2);
        assert_eq!(Money::from_decimal(dec("3.5"), jpy).unwrap().minor, 4);
        assert_eq!(Money::from_decimal(dec("1.2345"), kwd).unwrap().minor, 1234);
        assert_eq!(Money::from_decimal(dec("1.2355"), kwd).unwrap().minor, 1236);
    }

    #[test]
    fn decimals_round_trip_exactly() {
        let usd = Currency::parse("USD").unwrap();
        let money = Money::from_minor(999, usd);
        assert_eq!(money.to_decimal().to_string(), "9.99");
        assert_eq!(Money::from_minor(100, usd).to_decimal().to_string(), "1.00");
        assert!(Money::is_exact(dec("9.990"), usd));
        assert!(!Money::is_exact(dec("9.999"), usd));
        assert!(Money::from_decimal(dec("1e20"), usd).is_none());
    }
}
