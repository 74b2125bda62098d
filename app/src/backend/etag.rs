//! Optimistic concurrency for resources that document `If-Match`: every read answers
//! an `ETag` naming the stored version, and a write must send it back. A stale tag is
//! `412` (someone else changed it since), a missing one `428`.

use crate::backend::error::AppError;

/// The strong entity tag of a stored version.
pub fn of_version(version: i64) -> String {
    format!("\"v{version}\"")
}

/// Checks an `If-Match` header against the current version (`*` matches any).
pub fn require_match(if_match: Option<&str>, version: i64) -> Result<(), AppError> {
    let Some(header) = if_match.map(str::trim).filter(|h| !h.is_empty()) else {
        return Err(AppError::PreconditionRequired);
    };
    let current = of_version(version);
    let matches = header
        .split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == current);
    if matches {
        Ok(())
    } else {
        Err(AppError::PreconditionFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_current_version_matches() {
        assert!(require_match(Some("\"v3\""), 3).is_ok());
        assert!(require_match(Some("\"v2\", \"v3\""), 3).is_ok());
        assert!(require_match(Some("*"), 3).is_ok());
        assert!(matches!(
            require_match(Some("\"v2\""), 3),
            Err(AppError::PreconditionFailed)
        ));
        assert!(matches!(
            require_match(None, 3),
            Err(AppError::PreconditionRequired)
        ));
        assert!(matches!(
            require_match(Some("  "), 3),
            Err(AppError::PreconditionRequired)
        ));
    }
}
