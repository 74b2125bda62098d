//! Payment gateways. The platform talks to a provider only through [`PaymentGateway`],
//! so a real provider (Stripe, Braintree, …) is a drop-in: it turns the token its
//! client-side SDK produced into a saved method, charges it and refunds charges, each
//! call carrying an idempotency key the provider dedupes on. Card numbers never reach
//! this server.

use crate::backend::domain::money::Money;
use chrono::{DateTime, Datelike, Utc};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

/// What a gateway says about a card it saved for us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedCard {
    /// The gateway's id for the saved method; what later charges name.
    pub gateway_ref: String,
    pub brand: &'static str,
    pub last4: &'static str,
    pub exp_month: i32,
    pub exp_year: i32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AttachError {
    #[error("the payment method token is not one this gateway issued")]
    UnknownToken,
}

/// A charge the gateway refused.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("the charge was declined ({decline_code})")]
pub struct Declined {
    /// Stripe's decline codes: `generic_decline`, `insufficient_funds`, `expired_card`.
    pub decline_code: &'static str,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RefundError {
    #[error("no such charge")]
    UnknownCharge,
    #[error("the refund exceeds what is left of the charge")]
    ExceedsCharge,
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub trait PaymentGateway: Send + Sync {
    /// Saves the card behind a client-side `token`.
    fn attach<'a>(
        &'a self,
        token: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<SavedCard, AttachError>>;

    /// Captures `amount` from a saved method and returns the gateway's charge id. The
    /// same `idempotency_key` returns the first outcome instead of charging twice.
    fn charge<'a>(
        &'a self,
        gateway_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<String, Declined>>;

    /// Gives back part or all of a charge; returns the refund id. Idempotent by key.
    fn refund<'a>(
        &'a self,
        charge_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<String, RefundError>>;
}

/// The built-in gateway, the default: behaves like Stripe's test mode with Stripe's test
/// token names. Cards behind the `tok_chargeDeclined*` tokens attach fine and are
/// declined when charged, with the matching decline code. Its ledger lives in memory:
/// it is a sandbox, and forgets everything on restart.
#[derive(Default)]
pub struct SandboxGateway {
    ledger: Mutex<Ledger>,
}

#[derive(Default)]
struct Ledger {
    /// Outcome of every charge attempt, by idempotency key.
    charges: HashMap<String, Result<String, Declined>>,
    /// Captured amount and amount refunded so far, by charge id.
    captured: HashMap<String, (Money, i64)>,
    /// Refund id by idempotency key.
    refunds: HashMap<String, String>,
}

/// `(token, brand, last4, decline code when charged)` of every test card.
const TEST_CARDS: &[(&str, &str, &str, Option<&str>)] = &[
    ("tok_visa", "visa", "4242", None),
    ("tok_mastercard", "mastercard", "4444", None),
    ("tok_amex", "amex", "0005", None),
    (
        "tok_chargeDeclined",
        "visa",
        "0002",
        Some("generic_decline"),
    ),
    (
        "tok_chargeDeclinedInsufficientFunds",
        "visa",
        "9995",
        Some("insufficient_funds"),
    ),
    (
        "tok_chargeDeclinedExpiredCard",
        "visa",
        "0069",
        Some("expired_card"),
    ),
];

const REF_PREFIX: &str = "sandbox_";

impl SandboxGateway {
    /// Everything captured minus everything refunded, in minor units per currency: the
    /// figure a reconciliation compares invoices against.
    pub fn net_captured(&self) -> HashMap<&'static str, i64> {
        let ledger = self.ledger.lock().expect("sandbox ledger");
        let mut totals = HashMap::new();
        for (money, refunded) in ledger.captured.values() {
            *totals.entry(money.currency.code()).or_insert(0) += money.minor - refunded;
        }
        totals
    }
}

impl PaymentGateway for SandboxGateway {
    fn attach<'a>(
        &'a self,
        token: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<SavedCard, AttachError>> {
        Box::pin(async move {
            let &(token, brand, last4, _) = TEST_CARDS
                .iter()
                .find(|(known, ..)| *known == token)
                .ok_or(AttachError::UnknownToken)?;
            Ok(SavedCard {
                // The ref names the test card, so charges know how to behave.
                gateway_ref: format!("{REF_PREFIX}{token}_{}", uuid::Uuid::now_v7().simple()),
                brand,
                last4,
                // Test cards expire in December three years ahead, like Stripe's.
                exp_month: 12,
                exp_year: now.year() + 3,
            })
        })
    }

    fn charge<'a>(
        &'a self,
        gateway_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<String, Declined>> {
        Box::pin(async move {
            let mut ledger = self.ledger.lock().expect("sandbox ledger");
            if let Some(outcome) = ledger.charges.get(idempotency_key) {
                return outcome.clone();
            }
            let token = gateway_ref
                .strip_prefix(REF_PREFIX)
                .and_then(|rest| rest.rsplit_once('_'))
                .map(|(token, _)| token);
            let decline = TEST_CARDS
                .iter()
                .find(|(known, ..)| Some(*known) == token)
                .map_or(Some("generic_decline"), |card| card.3);
            let outcome = match decline {
                Some(decline_code) => Err(Declined { decline_code }),
                None => {
                    let charge_ref = format!("ch_sandbox_{}", uuid::Uuid::now_v7().simple());
                    ledger.captured.insert(charge_ref.clone(), (amount, 0));
                    Ok(charge_ref)
                }
            };
            ledger
                .charges
                .insert(idempotency_key.to_string(), outcome.clone());
            outcome
        })
    }

    fn refund<'a>(
        &'a self,
        charge_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<String, RefundError>> {
        Box::pin(async move {
            let mut ledger = self.ledger.lock().expect("sandbox ledger");
            if let Some(refund) = ledger.refunds.get(idempotency_key) {
                return Ok(refund.clone());
            }
            let (captured, refunded) = ledger
                .captured
                .get_mut(charge_ref)
                .ok_or(RefundError::UnknownCharge)?;
            if captured.currency != amount.currency || *refunded + amount.minor > captured.minor {
                return Err(RefundError::ExceedsCharge);
            }
            *refunded += amount.minor;
            let refund = format!("re_sandbox_{}", uuid::Uuid::now_v7().simple());
            ledger
                .refunds
                .insert(idempotency_key.to_string(), refund.clone());
            Ok(refund)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::domain::money::Currency;

    #[tokio::test]
    async fn test_tokens_describe_their_cards() {
        let gateway = SandboxGateway::default();
        let now = Utc::now();
        let visa = gateway.attach("tok_visa", now).await.unwrap();
        assert_eq!((visa.brand, visa.last4), ("visa", "4242"));
        assert_eq!(visa.exp_year, now.year() + 3);
        let amex = gateway.attach("tok_amex", now).await.unwrap();
        assert_eq!((amex.brand, amex.last4), ("amex", "0005"));
        let again = gateway.attach("tok_visa", now).await.unwrap();
        assert_ne!(visa.gateway_ref, again.gateway_ref);
        assert_eq!(
            gateway.attach("4242424242424242", now).await,
            Err(AttachError::UnknownToken)
        );
    }

    #[tokio::test]
    async fn charges_follow_the_card_and_are_idempotent() {
        let gateway = SandboxGateway::default();
        let now = Utc::now();
        let usd = Currency::parse("USD").unwrap();
        let visa = gateway.attach("tok_visa", now).await.unwrap().gateway_ref;
        let poor = gateway
            .attach("tok_chargeDeclinedInsufficientFunds", now)
            .await
            .unwrap()
            .gateway_ref;
        let first = gateway
            .charge(&visa, Money::from_minor(999, usd), "k1")
            .await
            .unwrap();
        let replay = gateway
            .charge(&visa, Money::from_minor(999, usd), "k1")
            .await
            .unwrap();
        assert_eq!(first, replay, "the same key charges once");
        assert_eq!(
            gateway
                .charge(&poor, Money::from_minor(999, usd), "k2")
                .await,
            Err(Declined {
                decline_code: "insufficient_funds"
            })
        );
        assert_eq!(gateway.net_captured()["USD"], 999);

        gateway
            .refund(&first, Money::from_minor(300, usd), "r1")
            .await
            .unwrap();
        gateway
            .refund(&first, Money::from_minor(300, usd), "r1")
            .await
            .unwrap();
        assert_eq!(
            gateway.net_captured()["USD"],
            699,
            "the same refund key refunds once"
        );
        assert_eq!(
            gateway
                .refund(&first, Money::from_minor(700, usd), "r2")
                .await,
            Err(RefundError::ExceedsCharge)
        );
    }
}
