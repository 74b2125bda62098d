//! Saved payment methods (subscriber document, "Billing").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A saved card: never more of its number than the last four digits.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethod {
    pub id: Uuid,
    /// `card`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `visa`, `mastercard`, `amex`, …
    pub brand: String,
    pub last4: String,
    pub exp_month: i32,
    pub exp_year: i32,
    pub is_expired: bool,
    pub is_default: bool,
    pub billing_name: Option<String>,
    pub billing_country: Option<String>,
    /// Wallet methods (PayPal, …) only; cards have none.
    pub wallet_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethodList {
    pub data: Vec<PaymentMethod>,
}

/// The body of `POST /payment-methods`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachPaymentMethod {
    /// Token from the client-side payment SDK (the sandbox takes Stripe's test tokens:
    /// `tok_visa`, `tok_mastercard`, `tok_amex`, `tok_chargeDeclined`, …). Never raw
    /// card data.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 255))]
    pub payment_method_token: String,
    #[serde(default)]
    pub set_as_default: bool,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 100))]
    pub billing_name: Option<String>,
}
