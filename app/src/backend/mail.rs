//! Outgoing email. Without SMTP configured, every message is written as an `.eml` file
//! to a local mailbox folder (`ENCORA_MAILBOX_DIR`, default `data/mailbox`) so a
//! developer or a test can open the links it contains.

use crate::backend::error::AppError;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Clone, Debug)]
pub enum Mailer {
    /// Writes each message to a file in this folder.
    Mailbox(PathBuf),
}

pub const FROM: &str = "Encora <no-reply@encora.local>";

impl Mailer {
    pub async fn send(&self, message: &Message, now: DateTime<Utc>) -> Result<(), AppError> {
        match self {
            Mailer::Mailbox(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(AppError::internal)?;
                let name = format!(
                    "{}-{}.eml",
                    now.format("%Y%m%dT%H%M%S%.6fZ"),
                    uuid::Uuid::now_v7()
                );
                let eml = format!(
                    "From: {FROM}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
                    message.to,
                    message.subject,
                    now.to_rfc2822(),
                    message.body,
                );
                tokio::fs::write(dir.join(name), eml)
                    .await
                    .map_err(AppError::internal)?;
                tracing::info!(to = %message.to, subject = %message.subject, "mail written to the dev mailbox");
                Ok(())
            }
        }
    }
}
