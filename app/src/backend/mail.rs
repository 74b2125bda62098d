//! Outgoing email. With `ENCORA_SMTP_URL` set, messages go out over SMTP (lettre);
//! without it, every message is written as an `.eml` file to a local mailbox folder
//! (`ENCORA_MAILBOX_DIR`, default `data/mailbox`) so a developer or a test can open the
//! links it contains.

use crate::backend::error::AppError;
use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub const DEFAULT_FROM: &str = "Encora <no-reply@encora.local>";

#[derive(Clone, Debug)]
pub enum Mailer {
    /// Writes each message to a file in this folder.
    Mailbox { dir: PathBuf, from: String },
    /// Sends through an SMTP server.
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: lettre::message::Mailbox,
    },
}

impl Mailer {
    /// An SMTP mailer for `url`: `smtps://user:pass@host:465` (TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtp://host:25` (plain,
    /// for a relay on the same host). The URL holds a password, so errors never repeat it.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, AppError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| AppError::internal("ENCORA_SMTP_URL is not a valid SMTP URL"))?
            .build();
        let from = from
            .parse()
            .map_err(|_| AppError::internal("ENCORA_MAIL_FROM is not a valid address"))?;
        Ok(Mailer::Smtp { transport, from })
    }

    pub async fn send(&self, message: &Message, now: DateTime<Utc>) -> Result<(), AppError> {
        match self {
            Mailer::Mailbox { dir, from } => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(AppError::internal)?;
                let name = format!(
                    "{}-{}.eml",
                    now.format("%Y%m%dT%H%M%S%.6fZ"),
                    uuid::Uuid::now_v7()
                );
                let eml = format!(
                    "From: {from}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
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
            Mailer::Smtp { transport, from } => {
                let to = message
                    .to
                    .parse()
                    .map_err(|e| AppError::internal(format!("bad recipient: {e}")))?;
                let email = lettre::Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&message.subject)
                    .date(now.into())
                    .header(ContentType::TEXT_PLAIN)
                    .body(message.body.clone())
                    .map_err(AppError::internal)?;
                transport
                    .send(email)
                    .await
                    .map_err(|e| AppError::internal(format!("SMTP delivery failed: {e}")))?;
                tracing::info!(to = %message.to, subject = %message.subject, "mail sent over SMTP");
                Ok(())
            }
        }
    }
}
