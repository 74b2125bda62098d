//! The console's billing pages: plans (the list, inactive ones included, and the editor,
//! which saves under `If-Match` so a concurrent edit is reported, never overwritten) and
//! the invoice lookup with partial refunds.

use crate::model::page::Page;
use crate::model::plan::Plan;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A plan with the `ETag` of the version shown, sent back on save.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditablePlan {
    pub plan: Plan,
    pub etag: String,
}

/// The editor's fields as the browser sends them: text, and checkboxes that are absent
/// when unticked. The server turns them into the API's `PlanInput`, so the form and
/// the REST API share one validation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanForm {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub price: String,
    pub currency: String,
    pub billing_cycle: String,
    pub max_profiles: String,
    pub max_concurrent_streams: String,
    pub max_devices: String,
    pub max_quality: String,
    #[serde(default)]
    pub has_downloads: Option<String>,
    #[serde(default)]
    pub allow_download_count: String,
    #[serde(default)]
    pub has_ads: Option<String>,
    #[serde(default)]
    pub has_hdr: Option<String>,
    #[serde(default)]
    pub has_dolby_atmos: Option<String>,
    #[serde(default)]
    pub trial_days: String,
    #[serde(default)]
    pub is_active: Option<String>,
}

#[cfg(feature = "ssr")]
impl PlanForm {
    /// The API body, or the fields that are not numbers.
    fn into_input(self) -> Result<crate::model::plan::PlanInput, crate::backend::error::AppError> {
        use crate::backend::error::{AppError, FieldError};
        use serde_json::{json, Value};
        let mut errors = Vec::new();
        let mut number = |field: &'static str, text: &str, optional: bool| -> Value {
            let text = text.trim();
            if optional && text.is_empty() {
                return Value::Null;
            }
            match serde_json::from_str::<serde_json::Number>(text) {
                Ok(n) => Value::Number(n),
                Err(_) => {
                    errors.push(FieldError::new(field, "must be a number"));
                    Value::Null
                }
            }
        };
        let body = json!({
            "name": self.name,
            "description": self.description,
            "price": number("price", &self.price, false),
            "currency": self.currency.trim().to_uppercase(),
            "billing_cycle": self.billing_cycle,
            "max_profiles": number("max_profiles", &self.max_profiles, false),
            "max_concurrent_streams": number("max_concurrent_streams", &self.max_concurrent_streams, false),
            "max_devices": number("max_devices", &self.max_devices, false),
            "max_quality": self.max_quality,
            "has_downloads": self.has_downloads.is_some(),
            "allow_download_count": number("allow_download_count", &self.allow_download_count, true),
            "has_ads": self.has_ads.is_some(),
            "has_hdr": self.has_hdr.is_some(),
            "has_dolby_atmos": self.has_dolby_atmos.is_some(),
            "trial_days": if self.trial_days.trim().is_empty() { json!(0) } else { number("trial_days", &self.trial_days, false) },
            "is_active": self.is_active.is_some(),
        });
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        serde_json::from_value(body)
            .map_err(|e| AppError::Validation(vec![FieldError::new("plan", e.to_string())]))
    }
}

#[server(prefix = "/api/fn", endpoint = "admin_plans")]
pub async fn admin_plans() -> Result<Page<Plan>, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::pagination::PageRequest;
    let (state, identity) = signed_in().await?;
    crate::backend::services::plans::list_all(&state, &identity, PageRequest::first(100))
        .await
        .map_err(fail)
}

#[server(prefix = "/api/fn", endpoint = "admin_plan")]
pub async fn admin_plan(id: Uuid) -> Result<EditablePlan, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    let versioned = crate::backend::services::plans::get(&state, &identity, id)
        .await
        .map_err(fail)?;
    Ok(EditablePlan {
        plan: versioned.plan,
        etag: versioned.etag,
    })
}

/// Creates a plan and opens its editor.
#[server(prefix = "/api/fn", endpoint = "admin_create_plan")]
pub async fn create_plan(plan: PlanForm) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    let input = plan.into_input().map_err(fail)?;
    let created = crate::backend::services::plans::create(&state, &identity, input)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/admin/plans/{}", created.plan.id));
    Ok(())
}

/// Saves the editor under `If-Match: etag`; a stale tag is refused (412) and says so.
#[server(prefix = "/api/fn", endpoint = "admin_save_plan")]
pub async fn save_plan(id: Uuid, etag: String, plan: PlanForm) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    let input = plan.into_input().map_err(fail)?;
    crate::backend::services::plans::replace(&state, &identity, id, Some(&etag), input)
        .await
        .map_err(fail)?;
    Ok(())
}

/// An invoice with its refunds, for the lookup page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceWithRefunds {
    pub invoice: crate::model::subscription::Invoice,
    pub refunds: Vec<crate::model::refund::Refund>,
}

/// Finds an invoice by number or id; `None` before anything was asked.
#[server(prefix = "/api/fn", endpoint = "admin_invoice")]
pub async fn admin_invoice(key: String) -> Result<Option<InvoiceWithRefunds>, ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    let (state, identity) = signed_in().await?;
    if key.trim().is_empty() {
        return Ok(None);
    }
    let invoice = crate::backend::services::invoices::lookup_for_staff(&state, &identity, &key)
        .await
        .map_err(fail)?;
    let refunds = crate::backend::services::refunds::list(&state, &identity, invoice.id)
        .await
        .map_err(fail)?;
    Ok(Some(InvoiceWithRefunds {
        invoice,
        refunds: refunds.data,
    }))
}

/// Refunds part or all of what a card paid on the invoice.
#[server(prefix = "/api/fn", endpoint = "admin_refund")]
pub async fn refund_invoice(
    invoice_id: Uuid,
    amount: String,
    reason: String,
    #[server(default)] notes: String,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::model::refund::CreateRefund;
    let (state, identity) = signed_in().await?;
    let body = serde_json::json!({
        "amount": serde_json::from_str::<serde_json::Number>(amount.trim())
            .map_err(|_| fail(AppError::Validation(vec![FieldError::new("amount", "must be a number")])))?,
        "reason": reason,
        "notes": Some(notes).filter(|n| !n.trim().is_empty()),
    });
    let req: CreateRefund = serde_json::from_value(body).map_err(|e| {
        fail(AppError::Validation(vec![FieldError::new(
            "refund",
            e.to_string(),
        )]))
    })?;
    crate::backend::services::refunds::create(&state, &identity, invoice_id, req)
        .await
        .map_err(fail)?;
    Ok(())
}
