//! Payment gateways. The platform talks to a provider only through [`PaymentGateway`],
//! so a real provider (Stripe, Braintree, …) is a drop-in: it turns the token its
//! client-side SDK produced into a saved method, and reports what the card is. Card
//! numbers never reach this server.

use chrono::{DateTime, Datelike, Utc};
use std::future::Future;
use std::pin::Pin;

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

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub trait PaymentGateway: Send + Sync {
    /// Saves the card behind a client-side `token`.
    fn attach<'a>(
        &'a self,
        token: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<SavedCard, AttachError>>;
}

/// The built-in gateway, the default: behaves like Stripe's test mode with Stripe's test
/// token names. Cards behind the `tok_chargeDeclined*` tokens attach fine and will be
/// declined when charged, with the matching decline code.
pub struct SandboxGateway;

/// `(token, brand, last4)` of every test card.
const TEST_CARDS: &[(&str, &str, &str)] = &[
    ("tok_visa", "visa", "4242"),
    ("tok_mastercard", "mastercard", "4444"),
    ("tok_amex", "amex", "0005"),
    ("tok_chargeDeclined", "visa", "0002"),
    ("tok_chargeDeclinedInsufficientFunds", "visa", "9995"),
    ("tok_chargeDeclinedExpiredCard", "visa", "0069"),
];

impl PaymentGateway for SandboxGateway {
    fn attach<'a>(
        &'a self,
        token: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<SavedCard, AttachError>> {
        Box::pin(async move {
            let &(token, brand, last4) = TEST_CARDS
                .iter()
                .find(|(known, _, _)| *known == token)
                .ok_or(AttachError::UnknownToken)?;
            Ok(SavedCard {
                // The token names the card's behaviour; charges read it back from here.
                gateway_ref: format!("sandbox_{token}_{}", uuid::Uuid::now_v7().simple()),
                brand,
                last4,
                // Test cards expire in December three years ahead, like Stripe's.
                exp_month: 12,
                exp_year: now.year() + 3,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn test_tokens_describe_their_cards() {
        let now = Utc::now();
        let visa = SandboxGateway.attach("tok_visa", now).await.unwrap();
        assert_eq!((visa.brand, visa.last4), ("visa", "4242"));
        assert_eq!(visa.exp_year, now.year() + 3);
        let amex = SandboxGateway.attach("tok_amex", now).await.unwrap();
        assert_eq!((amex.brand, amex.last4), ("amex", "0005"));
        assert_ne!(
            visa.gateway_ref,
            SandboxGateway
                .attach("tok_visa", now)
                .await
                .unwrap()
                .gateway_ref
        );
        assert_eq!(
            SandboxGateway.attach("4242424242424242", now).await,
            Err(AttachError::UnknownToken)
        );
    }
}
