//! The console's gift-card generation: the page asks for a large run in batches, so it
//! can show real progress, and builds the CSV of the new codes from the answers.

use crate::model::gift_card::GiftCard;
use leptos::prelude::*;

/// How many cards one request generates (the page loops until the run is done).
pub const BATCH: u32 = 25;

/// One batch of new gift cards, their full codes included (shown this once).
#[server(prefix = "/api/fn", endpoint = "admin_generate_gift_cards")]
pub async fn generate_gift_card_batch(
    quantity: u32,
    initial_value: String,
    currency: String,
    #[server(default)] expires_on: String,
) -> Result<Vec<GiftCard>, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::model::gift_card::GenerateGiftCards;
    let (state, identity) = signed_in().await?;
    let invalid = |field: &'static str, message: &str| {
        fail(AppError::Validation(vec![FieldError::new(field, message)]))
    };
    let value = serde_json::from_str::<serde_json::Number>(initial_value.trim())
        .map_err(|_| invalid("initial_value", "must be a number"))?;
    // A date means "valid until the end of that day", in UTC.
    let expires_at = match expires_on.trim() {
        "" => None,
        day => Some(
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| invalid("expires_on", "must be a date"))?
                .and_hms_opt(23, 59, 59)
                .expect("a valid time of day")
                .and_utc(),
        ),
    };
    let body = serde_json::json!({
        "quantity": quantity,
        "initial_value": value,
        "currency": currency.trim().to_uppercase(),
        "expires_at": expires_at,
    });
    let req: GenerateGiftCards =
        serde_json::from_value(body).map_err(|e| invalid("gift_cards", &e.to_string()))?;
    crate::backend::services::gift_cards::generate(&state, &identity, req)
        .await
        .map(|list| list.data)
        .map_err(fail)
}

/// The codes as CSV (code, value, currency, expiry), for the download link.
pub fn to_csv(cards: &[GiftCard]) -> String {
    let mut csv = String::from("code,initial_value,currency,expires_at\r\n");
    for card in cards {
        csv.push_str(&format!(
            "{},{},{},{}\r\n",
            card.code,
            card.initial_value,
            card.currency,
            card.expires_at
                .map(|at| at.to_rfc3339())
                .unwrap_or_default()
        ));
    }
    csv
}

/// A `data:` URL holding `text`, percent-encoded, for an `<a download>` link.
pub fn csv_data_url(text: &str) -> String {
    let mut url = String::from("data:text/csv;charset=utf-8,");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_links_keep_every_character() {
        assert_eq!(
            csv_data_url("a,b\r\n"),
            "data:text/csv;charset=utf-8,a%2Cb%0D%0A"
        );
    }
}
