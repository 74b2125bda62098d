//! The tip jars page's server functions: the creator's jars with their progress, and a
//! new jar from the dashboard's form (`/api/v1/audience/tips/jars`).

use crate::api::audience::CreatorPanel;
use crate::model::tip::TipJar;
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/api/fn", endpoint = "dashboard_tip_jars")]
pub async fn dashboard_tip_jars(
    #[server(default)] creator_id: Option<Uuid>,
) -> Result<CreatorPanel<Vec<TipJar>>, ServerFnError> {
    use crate::api::audience::server_side::panel;
    use crate::backend::services::tips;
    panel(creator_id, |state, identity, creator| async move {
        tips::list_jars(&state, &identity, Some(creator)).await
    })
    .await
}

/// A new jar. `suggested` is a comma-separated list of amounts; `rewards` one reward
/// per line as `amount: what the tipper gets`.
#[server(prefix = "/api/fn", endpoint = "create_tip_jar")]
#[allow(clippy::too_many_arguments)]
pub async fn create_tip_jar(
    creator_id: Uuid,
    name: String,
    #[server(default)] description: String,
    #[server(default)] goal: String,
    #[server(default)] suggested: String,
    #[server(default)] rewards: String,
    #[server(default)] end_date: String,
    #[server(default)] thank_you_message: String,
) -> Result<(), ServerFnError> {
    use crate::api::auth::server_side::{fail, signed_in};
    use crate::backend::error::{AppError, FieldError};
    use crate::backend::services::tips;
    use crate::model::tip::{CreateTipJar, JarReward};
    use rust_decimal::Decimal;
    let (state, identity) = signed_in().await?;
    let mut errors = Vec::new();
    let mut amount = |field: &str, text: &str| -> Option<Decimal> {
        let parsed = text.trim().parse().ok();
        if parsed.is_none() {
            errors.push(FieldError::new(
                field,
                format!("\"{}\" is not an amount", text.trim()),
            ));
        }
        parsed
    };
    let goal = match goal.trim() {
        "" => None,
        text => amount("goal", text),
    };
    let suggested_amounts = suggested
        .split(',')
        .filter(|a| !a.trim().is_empty())
        .filter_map(|a| amount("suggested_amounts", a))
        .collect();
    // A line without `:` has no amount: its whole text is reported as one.
    let rewards = rewards
        .lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let (threshold, reward) = line.split_once(':').unwrap_or((line, ""));
            amount("rewards", threshold).map(|threshold| JarReward {
                threshold,
                reward: reward.trim().to_string(),
                instructions: None,
            })
        })
        .collect();
    let end_date = match end_date.trim() {
        "" => None,
        text => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(FieldError::new("end_date", "must be a date"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(fail(AppError::Validation(errors)));
    }
    let req = CreateTipJar {
        creator_id: Some(creator_id),
        name,
        goal,
        description,
        currency: None,
        suggested_amounts,
        rewards,
        end_date,
        thank_you_message: Some(thank_you_message).filter(|m| !m.trim().is_empty()),
    };
    tips::create_jar(&state, &identity, req)
        .await
        .map_err(fail)?;
    Ok(())
}
