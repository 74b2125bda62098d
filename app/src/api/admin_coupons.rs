//! The console's coupon page: list by status, create, edit, disable or enable, and
//! delete one nobody has redeemed.

use crate::model::coupon::Coupon;
use crate::model::page::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The new-coupon form as the browser sends it; the server builds the API body from it,
/// so both share one validation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CouponForm {
    pub code: String,
    #[serde(default)]
    pub description: String,
    pub discount_type: String,
    pub discount_value: String,
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub duration_periods: String,
    #[serde(default)]
    pub max_redemptions: String,
    /// `YYYY-MM-DD`; the coupon lapses at the end of that day (UTC).
    #[serde(default)]
    pub valid_until: String,
}

#[server(prefix = "/api/fn", endpoint = "admin_coupons")]
pub async fn admin_coupons(
    #[server(default)] status: String,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<Coupon>, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::pagination::PageQuery;
    let (state, identity) = signed_in().await?;
    let status = match status.as_str() {
        "" => None,
        other => Some(
            serde_json::from_value(serde_json::Value::String(other.into()))
                .map_err(|_| ServerFnError::new("status: is not a coupon status"))?,
        ),
    };
    let request = PageQuery {
        cursor: cursor.filter(|c| !c.is_empty()),
        limit: Some(25),
    }
    .parse()
    .map_err(fail)?;
    crate::backend::services::coupons::list(&state, &identity, status, request)
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "admin_create_coupon")]
pub async fn create_coupon(coupon: CouponForm) -> Result<Coupon, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use serde_json::{json, Value};
    let (state, identity) = signed_in().await?;
    let now = state.clock.now();
    let mut errors = Vec::new();
    let mut number = |field: &'static str, text: &str| -> Value {
        let text = text.trim();
        if text.is_empty() {
            return Value::Null;
        }
        serde_json::from_str::<serde_json::Number>(text)
            .map(Value::Number)
            .unwrap_or_else(|_| {
                errors.push(FieldError::new(field, "must be a number"));
                Value::Null
            })
    };
    let discount_value = number("discount_value", &coupon.discount_value);
    let duration_periods = number("duration_periods", &coupon.duration_periods);
    let max_redemptions = number("max_redemptions", &coupon.max_redemptions);
    let valid_until = end_of_day(&coupon.valid_until).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if !errors.is_empty() {
        return Err(fail(AppError::Validation(errors)));
    }
    let body = json!({
        "code": coupon.code.trim().to_uppercase(),
        "description": Some(coupon.description.trim()).filter(|d| !d.is_empty()),
        "discount_type": coupon.discount_type,
        "discount_value": discount_value,
        "currency": Some(coupon.currency.trim().to_uppercase()).filter(|c| !c.is_empty()),
        "duration_periods": duration_periods,
        "max_redemptions": max_redemptions,
        "valid_from": now,
        "valid_until": valid_until,
        "status": "active",
    });
    let input = serde_json::from_value(body).map_err(|e| {
        fail(AppError::Validation(vec![FieldError::new(
            "coupon",
            e.to_string(),
        )]))
    })?;
    crate::backend::services::coupons::create(&state, &identity, input)
        .await
        .map_err(fail)
}

/// Disables an active coupon or enables a disabled one.
#[server(prefix = "/api/fn", endpoint = "admin_set_coupon_status")]
pub async fn set_coupon_status(id: Uuid, status: String) -> Result<Coupon, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::model::coupon::UpdateCoupon;
    let (state, identity) = signed_in().await?;
    let status = serde_json::from_value(serde_json::Value::String(status))
        .map_err(|_| ServerFnError::new("status: is not a coupon status"))?;
    let patch = UpdateCoupon {
        status: Some(status),
        ..UpdateCoupon::default()
    };
    crate::backend::services::coupons::update(&state, &identity, id, patch)
        .await
        .map_err(fail)
}

/// The end (UTC) of a `YYYY-MM-DD` day typed as a coupon's last day; empty is none.
#[cfg(feature = "ssr")]
fn end_of_day(
    text: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, crate::backend::error::FieldError> {
    match text.trim() {
        "" => Ok(None),
        day => chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(|day| day.and_hms_opt(23, 59, 59).map(|t| t.and_utc()))
            .map_err(|_| crate::backend::error::FieldError::new("valid_until", "must be a date")),
    }
}

/// Changes what may change on a coupon: its description, redemption limit and last
/// day. An empty limit or day leaves it as it is (code, type and value never change).
#[server(prefix = "/api/fn", endpoint = "admin_edit_coupon")]
pub async fn edit_coupon(
    id: Uuid,
    #[server(default)] description: String,
    #[server(default)] max_redemptions: String,
    #[server(default)] valid_until: String,
) -> Result<Coupon, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::model::coupon::UpdateCoupon;
    let (state, identity) = signed_in().await?;
    let mut errors = Vec::new();
    let max_redemptions = match max_redemptions.trim() {
        "" => None,
        text => text.parse::<i32>().map(Some).unwrap_or_else(|_| {
            errors.push(FieldError::new("max_redemptions", "must be a whole number"));
            None
        }),
    };
    let valid_until = end_of_day(&valid_until).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if !errors.is_empty() {
        return Err(fail(AppError::Validation(errors)));
    }
    let patch = UpdateCoupon {
        description: Some(description.trim().to_string()),
        max_redemptions,
        valid_until,
        ..UpdateCoupon::default()
    };
    crate::backend::services::coupons::update(&state, &identity, id, patch)
        .await
        .map_err(fail)
}

/// Deletes a coupon nobody has redeemed (409 once redeemed: disable it instead).
#[server(prefix = "/api/fn", endpoint = "admin_delete_coupon")]
pub async fn delete_coupon(id: Uuid) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    crate::backend::services::coupons::delete(&state, &identity, id)
        .await
        .map_err(fail)
}
