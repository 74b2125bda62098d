//! The request id: taken from a well-formed incoming `X-Request-Id` or made fresh
//! (UUID v7), echoed on the response, written to logs, and put in every error body.

use tokio::task_local;

task_local! {
    static REQUEST_ID: String;
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: std::future::Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

/// The id of the request being handled on this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Accepts a caller's id only if it is short and plain, so it is safe in logs and headers.
pub fn accept_or_generate(incoming: Option<&str>) -> String {
    match incoming {
        Some(id)
            if !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            id.to_string()
        }
        _ => uuid::Uuid::now_v7().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_plain_ids_and_replaces_others() {
        assert_eq!(accept_or_generate(Some("abc-123_X")), "abc-123_X");
        let fresh = accept_or_generate(Some("bad id\nwith newline"));
        assert!(uuid::Uuid::parse_str(&fresh).is_ok());
        assert!(uuid::Uuid::parse_str(&accept_or_generate(None)).is_ok());
        assert!(uuid::Uuid::parse_str(&accept_or_generate(Some(&"a".repeat(65)))).is_ok());
    }
}
