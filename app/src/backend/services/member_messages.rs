//! Messages from a creator to a batch of members over in-app notifications (`push`)
//! and email, each honouring the member's preference for its category. Announcements
//! and campaigns send through here.

use crate::backend::db::Tx;
use crate::backend::error::AppError;
use crate::backend::mail::Message;
use crate::backend::services::notifications::{self, Kind};
use crate::backend::store::conditions::Conditions;
use crate::backend::store::memberships;
use crate::backend::store::memberships::Recipient;
use crate::backend::store::notifications as notification_store;
use crate::backend::store::{announcements, campaigns};
use crate::backend::AppState;
use crate::model::announcement::Channel;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Members per transaction: a restarted job resumes after the last committed batch.
const BATCH: u32 = 200;

pub struct MemberMessage<'a> {
    pub channels: &'a [Channel],
    /// The notification kind; its preference category governs email too.
    pub kind: Kind,
    pub category: &'static str,
    pub subject: &'a str,
    pub body: &'a str,
    /// Why the member receives it and how to stop it, under the email's body.
    pub email_footer: &'a str,
}

/// What one batch reached: members, in-app notifications, emails.
#[derive(Clone, Copy, Debug)]
struct Reached {
    pub members: i64,
    pub push: i64,
    pub email: i64,
}

/// Whose delivery this is: each keeps its place and its counts on its own row.
#[derive(Clone, Copy, Debug)]
pub enum Delivery {
    Announcement(Uuid),
    Campaign(Uuid),
}

impl Delivery {
    /// Adds a committed batch's counts; the next batch starts after membership `last`.
    async fn record(&self, tx: &mut Tx, last: Uuid, r: Reached) -> Result<(), sqlx::Error> {
        match *self {
            Delivery::Announcement(id) => {
                announcements::record_batch(tx, id, last, (r.members, r.push, r.email)).await
            }
            // A campaign counts messages delivered over every channel together.
            Delivery::Campaign(id) => {
                campaigns::record_batch(tx, id, last, (r.members, r.push + r.email)).await
            }
        }
    }

    async fn finish(&self, tx: &mut Tx, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        match *self {
            Delivery::Announcement(id) => announcements::mark_delivered(tx, id, now).await,
            Delivery::Campaign(id) => campaigns::mark_sent(tx, id, now).await,
        }
    }
}

/// Sends `message` to every member matching `audience` after membership `cursor`, a
/// batch per transaction, recording each batch on the `delivery`'s row.
pub async fn deliver(
    state: &AppState,
    message: &MemberMessage<'_>,
    audience: Conditions,
    mut cursor: Option<Uuid>,
    delivery: Delivery,
) -> Result<(), AppError> {
    loop {
        let batch =
            memberships::recipients_after(&state.db, audience.clone(), cursor, BATCH).await?;
        let now = state.clock.now();
        let mut tx = state.db.begin().await?;
        let Some(last) = batch.last().map(|r| r.membership_id) else {
            delivery.finish(&mut tx, now).await?;
            tx.commit().await?;
            return Ok(());
        };
        let (push, email) = send_batch(state, &mut tx, message, &batch, now).await?;
        let members = i64::try_from(batch.len()).unwrap_or(i64::MAX);
        let reached = Reached {
            members,
            push,
            email,
        };
        delivery.record(&mut tx, last, reached).await?;
        tx.commit().await?;
        cursor = Some(last);
    }
}

/// Sends `message` to every recipient in the batch's transaction (in-app notifications
/// commit with it; emails go out as they are sent). Returns (in-app, emails) delivered.
async fn send_batch(
    state: &AppState,
    tx: &mut Tx,
    message: &MemberMessage<'_>,
    batch: &[Recipient],
    now: DateTime<Utc>,
) -> Result<(i64, i64), AppError> {
    let (mut push, mut email) = (0, 0);
    for recipient in batch {
        if message.channels.contains(&Channel::Push)
            && notifications::notify(
                tx,
                recipient.user_id,
                message.kind,
                message.subject,
                message.body,
                now,
            )
            .await?
        {
            push += 1;
        }
        if message.channels.contains(&Channel::Email)
            && notification_store::enabled(tx, recipient.user_id, message.category).await?
        {
            let mail = Message {
                to: recipient.email.clone(),
                subject: message.subject.to_string(),
                body: format!("{}\n\n{}", message.body, message.email_footer),
            };
            state.mailer.send(&mail, now).await?;
            email += 1;
        }
    }
    Ok((push, email))
}
