//! Background jobs: queued in the database, claimed by workers inside the server
//! process with a lease, retried with back-off. Every handler is idempotent, because a
//! job whose worker died is run again once its lease runs out.

use crate::backend::billing::renewals;
use crate::backend::db::Tx;
use crate::backend::error::AppError;
use crate::backend::services::{
    announcements, campaigns, data_export, deletion, engagement, maintenance, milestones,
};
use crate::backend::store::jobs;
use crate::backend::webhooks::delivery;
use crate::backend::AppState;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Every kind of background work, stored as JSON in `jobs.payload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Purges expired records (see `services::maintenance`); re-queues itself hourly.
    Maintenance,
    /// Bills the period after `period_index` of a subscription (`billing::renewals`).
    Renew {
        subscription_id: uuid::Uuid,
        period_index: i32,
    },
    /// Erases an account whose deletion grace period ended (`services::deletion`).
    EraseAccount { request_id: uuid::Uuid },
    /// Gathers a user's data into a download (`services::data_export`).
    ExportData { export_id: uuid::Uuid },
    /// Recomputes decaying engagement scores (`services::engagement`) and checks for
    /// sharp drops in engagement (`services::milestones`); daily.
    RescoreEngagement,
    /// One attempt of a webhook delivery (`webhooks::delivery`).
    DeliverWebhook { delivery_id: uuid::Uuid },
    /// Notifies an announcement's audience (`services::announcements`).
    DeliverAnnouncement { announcement_id: uuid::Uuid },
    /// Sends a campaign at its scheduled time (`services::campaigns`).
    SendCampaign { campaign_id: uuid::Uuid },
}

impl Job {
    fn kind(&self) -> &'static str {
        match self {
            Job::Maintenance => "maintenance",
            Job::Renew { .. } => "renew",
            Job::EraseAccount { .. } => "erase_account",
            Job::ExportData { .. } => "export_data",
            Job::RescoreEngagement => "rescore_engagement",
            Job::DeliverWebhook { .. } => "deliver_webhook",
            Job::DeliverAnnouncement { .. } => "deliver_announcement",
            Job::SendCampaign { .. } => "send_campaign",
        }
    }

    /// Recurring jobs come back after this interval, one queued at a time.
    fn recurrence(&self) -> Option<Duration> {
        match self {
            Job::Maintenance => Some(Duration::hours(1)),
            Job::RescoreEngagement => Some(Duration::days(1)),
            Job::Renew { .. }
            | Job::EraseAccount { .. }
            | Job::ExportData { .. }
            | Job::DeliverWebhook { .. }
            | Job::DeliverAnnouncement { .. }
            | Job::SendCampaign { .. } => None,
        }
    }

    /// Runs the job claimed as `job_id`.
    async fn perform(&self, state: &AppState, job_id: uuid::Uuid) -> Result<Completion, AppError> {
        let done = match self {
            Job::Renew {
                subscription_id,
                period_index,
            } => {
                let due = renewals::Due {
                    job_id,
                    subscription_id: *subscription_id,
                    period_index: *period_index,
                };
                return renewals::renew(state, due)
                    .await
                    .map(|()| Completion::Recorded);
            }
            Job::Maintenance => maintenance::purge_expired(state).await.map(|_| ()),
            Job::EraseAccount { request_id } => deletion::erase(state, *request_id).await,
            Job::ExportData { export_id } => data_export::build(state, *export_id).await,
            Job::RescoreEngagement => {
                engagement::rescore_all(state).await?;
                milestones::check_engagement(state).await.map(|_| ())
            }
            Job::DeliverWebhook { delivery_id } => delivery::deliver(state, *delivery_id).await,
            Job::DeliverAnnouncement { announcement_id } => {
                announcements::deliver(state, *announcement_id).await
            }
            Job::SendCampaign { campaign_id } => campaigns::send(state, *campaign_id).await,
        };
        done.map(|()| Completion::Left)
    }
}

/// Who marks a job done once its work succeeded.
#[derive(Debug, PartialEq, Eq)]
pub enum Completion {
    /// The worker, in a transaction of its own.
    Left,
    /// The job itself, in the transaction that committed its work (a renewal saves the
    /// worker's transaction that way: renewals are most of the jobs).
    Recorded,
}

/// A worker that has not finished a job within its lease is presumed dead.
fn lease() -> Duration {
    Duration::minutes(5)
}

const MAX_ATTEMPTS: i32 = 5;
/// Jobs claimed at once. A batch of renewals costs two transactions and a dozen
/// statements whatever its size, so larger batches renew faster; 64 charges one after
/// another still finish well within the lease.
const CLAIM_BATCH: i64 = 64;

/// Waits 30 s, 1 min, 2 min, … between attempts, at most an hour.
fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    Duration::seconds(30 * 2_i64.pow(exponent)).min(Duration::hours(1))
}

/// Queues `job` to run at `run_at`, in the caller's transaction so the job exists only
/// if the change that needs it commits. A recurring job is queued at most once.
pub async fn enqueue(
    tx: &mut Tx,
    job: &Job,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    Ok(jobs::enqueue(tx, new_job(job, run_at)?, MAX_ATTEMPTS, now).await?)
}

/// Queues each `(job, run_at)` as [`enqueue`] does, in one statement (a batch of
/// renewals queues the next one of each).
pub async fn enqueue_all(
    tx: &mut Tx,
    queue: &[(Job, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let rows = queue
        .iter()
        .map(|(job, run_at)| new_job(job, *run_at))
        .collect::<Result<Vec<_>, _>>()?;
    jobs::enqueue_all(tx, &rows, MAX_ATTEMPTS, now).await?;
    Ok(())
}

fn new_job(job: &Job, run_at: DateTime<Utc>) -> Result<jobs::NewJob<'static>, AppError> {
    Ok(jobs::NewJob {
        kind: job.kind(),
        payload: serde_json::to_string(job).map_err(AppError::internal)?,
        run_at,
        dedupe_key: job.recurrence().map(|_| job.kind()),
    })
}

/// Makes sure every recurring job is queued (at start-up, before the workers).
pub async fn schedule_recurring(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    for job in [Job::Maintenance, Job::RescoreEngagement] {
        enqueue(&mut tx, &job, now, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Runs every job that is due now, until none is left, and returns how many ran
/// (successfully or not). Used by the workers and by the sandbox clock.
pub async fn run_due(state: &AppState) -> Result<u64, AppError> {
    let mut ran = 0;
    loop {
        let now = state.clock.now();
        let claimed = jobs::claim_due(&state.db, now, now + lease(), CLAIM_BATCH).await?;
        if claimed.is_empty() {
            return Ok(ran);
        }
        ran += claimed.len() as u64;
        // Renewals are most of the jobs; they are billed together (see
        // `renewals::renew_all`), the rest one at a time.
        let (mut renewals, mut due, mut others) = (Vec::new(), Vec::new(), Vec::new());
        for job in claimed {
            match due_renewal(&job) {
                Some(renewal) => {
                    due.push(renewal);
                    renewals.push(job);
                }
                None => others.push(job),
            }
        }
        if due.len() > 1 {
            if let Err(error) = renewals::renew_all(state, &due).await {
                tracing::warn!(%error, renewals = due.len(), "renewing a batch failed; renewing one at a time");
                for job in renewals {
                    run_one(state, job).await?;
                }
            }
        } else {
            for job in renewals {
                run_one(state, job).await?;
            }
        }
        for job in others {
            run_one(state, job).await?;
        }
    }
}

/// The renewal a claimed job asks for, if it is one.
fn due_renewal(claimed: &jobs::ClaimedJob) -> Option<renewals::Due> {
    match serde_json::from_str::<Job>(&claimed.payload) {
        Ok(Job::Renew {
            subscription_id,
            period_index,
        }) => Some(renewals::Due {
            job_id: claimed.id,
            subscription_id,
            period_index,
        }),
        _ => None,
    }
}

async fn run_one(state: &AppState, claimed: jobs::ClaimedJob) -> Result<(), AppError> {
    let outcome = match serde_json::from_str::<Job>(&claimed.payload) {
        Ok(job) => job
            .perform(state, claimed.id)
            .await
            .map(|completion| (job, completion)),
        Err(e) => Err(AppError::internal(format!("unreadable job payload: {e}"))),
    };
    let now = state.clock.now();
    if matches!(outcome, Ok((_, Completion::Recorded))) {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    match outcome {
        Ok((job, _)) => {
            jobs::mark_done(&mut tx, claimed.id, now).await?;
            if let Some(every) = job.recurrence() {
                enqueue(&mut tx, &job, now + every, now).await?;
            }
        }
        Err(error) => {
            let retry_at =
                (claimed.attempts < claimed.max_attempts).then(|| now + backoff(claimed.attempts));
            tracing::error!(job = %claimed.id, attempts = claimed.attempts, %error, ?retry_at, "job failed");
            jobs::mark_failed(&mut tx, claimed.id, &error.to_string(), retry_at, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Runs due jobs every `poll` until the process ends.
pub fn spawn_worker(state: AppState, poll: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(poll);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = run_due(&state).await {
                tracing::error!(%error, "job worker pass failed");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(50), Duration::hours(1));
    }

    #[test]
    fn jobs_round_trip_through_their_payload() {
        let json = serde_json::to_string(&Job::Maintenance).unwrap();
        assert_eq!(json, r#"{"kind":"maintenance"}"#);
        assert_eq!(
            serde_json::from_str::<Job>(&json).unwrap(),
            Job::Maintenance
        );
    }
}
