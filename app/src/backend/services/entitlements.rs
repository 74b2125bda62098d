//! What the user's platform plan allows right now: profiles, registered devices and
//! concurrent streams. Without a live subscription an account keeps one profile and
//! one device and cannot stream; a paused subscription streams nothing until resumed.

use crate::backend::db::{Db, Tx};
use crate::backend::error::AppError;
use crate::backend::store::plans::PlanRow;
use crate::backend::store::subscriptions::SubscriptionRow;
use crate::backend::store::{plans, subscriptions};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entitlements {
    pub max_profiles: i64,
    pub max_devices: i64,
    /// 0: no streaming at all.
    pub max_concurrent_streams: i64,
}

const WITHOUT_PLAN: Entitlements = Entitlements {
    max_profiles: 1,
    max_devices: 1,
    max_concurrent_streams: 0,
};

/// Inside a write transaction (limits checked before a row is added).
pub async fn for_user(tx: &mut Tx, user_id: Uuid) -> Result<Entitlements, AppError> {
    let Some(sub) = subscriptions::live_plan_subscription(&mut *tx, user_id).await? else {
        return Ok(WITHOUT_PLAN);
    };
    let plan = match sub.plan_id {
        Some(plan_id) => plans::find(&mut *tx, plan_id).await?,
        None => None,
    };
    Ok(granted(&sub, plan.as_ref()))
}

/// For display only, outside any transaction.
pub async fn read(db: &Db, user_id: Uuid) -> Result<Entitlements, AppError> {
    let Some(sub) = subscriptions::live_plan_subscription(db, user_id).await? else {
        return Ok(WITHOUT_PLAN);
    };
    let plan = match sub.plan_id {
        Some(plan_id) => plans::find(db, plan_id).await?,
        None => None,
    };
    Ok(granted(&sub, plan.as_ref()))
}

fn granted(sub: &SubscriptionRow, plan: Option<&PlanRow>) -> Entitlements {
    let Some(plan) = plan else {
        return WITHOUT_PLAN;
    };
    let paused = sub.status == "paused";
    Entitlements {
        max_profiles: i64::from(plan.max_profiles),
        max_devices: i64::from(plan.max_devices),
        max_concurrent_streams: if paused {
            0
        } else {
            i64::from(plan.max_concurrent_streams)
        },
    }
}
