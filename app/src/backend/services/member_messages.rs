//! Messages from a creator to a batch of members over in-app notifications (`push`)
//! and email, each honouring the member's preference for its category. Announcements
//! and campaigns send through here.

use crate::backend::db::Tx;
use crate::backend::error::AppError;
use crate::backend::mail::Message;
use crate::backend::services::notifications::{self, Kind};
use crate::backend::store::memberships::Recipient;
use crate::backend::store::notifications as notification_store;
use crate::backend::AppState;
use crate::model::announcement::Channel;
use chrono::{DateTime, Utc};

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

/// Sends `message` to every recipient in the batch's transaction (in-app notifications
/// commit with it; emails go out as they are sent). Returns (in-app, emails) delivered.
pub async fn send_batch(
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
