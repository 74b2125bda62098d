//! Mail over SMTP when ENCORA_SMTP_URL is set, checked against a minimal SMTP server
//! that records what it receives.

use crate::helpers::{spawn_app_with, Backend};
use std::sync::{Mutex, OnceLock};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Port of the fake server and every DATA section it accepted.
static SMTP: OnceLock<(u16, &'static Mutex<Vec<String>>)> = OnceLock::new();

/// Starts (once) an SMTP server that accepts everything and keeps the messages.
async fn fake_smtp_server() -> (u16, &'static Mutex<Vec<String>>) {
    if let Some(server) = SMTP.get() {
        return *server;
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received: &'static Mutex<Vec<String>> = Box::leak(Box::new(Mutex::new(Vec::new())));
    crate::helpers::server_runtime().spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            received.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-fake\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => b"221 bye\r\n",
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                    if verb == "QUIT" {
                        break;
                    }
                }
            });
        }
    });
    *SMTP.get_or_init(|| (port, received))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_an_smtp_url_mail_goes_to_the_smtp_server_not_the_mailbox() {
    fake_smtp_server().await;
    let app = spawn_app_with(Backend::Sqlite, |config| {
        let (port, _) = SMTP.get().copied().unwrap();
        config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        config.mail_from = "Encora Test <hello@encora.test>".into();
    })
    .await
    .unwrap();
    app.register("smtp-user@example.com").await;

    let (_, received) = fake_smtp_server().await;
    let messages = received.lock().unwrap().clone();
    let message = messages
        .iter()
        .find(|m| m.contains("smtp-user@example.com"))
        .expect("the verification mail reached the SMTP server");
    // Long lines travel quoted-printable: undo soft line breaks and escaped '='.
    let message = &message.replace("=\n", "").replace("=3D", "=");
    assert!(
        message.contains("From: \"Encora Test\" <hello@encora.test>")
            || message.contains("From: Encora Test <hello@encora.test>"),
        "{message}"
    );
    assert!(message.contains("Subject: "), "{message}");
    assert!(message.contains("/verify-email?token="), "{message}");
    assert!(
        app.mail_to("smtp-user@example.com").is_empty(),
        "nothing in the mailbox folder"
    );
}
