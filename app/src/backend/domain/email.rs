use crate::backend::error::FieldError;

/// A syntactically plausible email address. `normalized` (lower-case) is the unique key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    original: String,
}

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Email, FieldError> {
        let trimmed = raw.trim();
        let invalid = || FieldError::new(field, "must be a valid email address");
        if trimmed.is_empty() || trimmed.len() > 254 || trimmed.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Email {
            original: trimmed.to_string(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.original
    }

    pub fn normalized(&self) -> String {
        self.original.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_normalizes_case() {
        let e = Email::parse("email", "  Ada.Lovelace@Example.ORG ").unwrap();
        assert_eq!(e.as_str(), "Ada.Lovelace@Example.ORG");
        assert_eq!(e.normalized(), "ada.lovelace@example.org");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "", "plain", "a@b", "@x.io", "a@.io", "a@x..io", "a b@x.io", "a@@x.io",
        ] {
            assert!(
                Email::parse("email", bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }
}
