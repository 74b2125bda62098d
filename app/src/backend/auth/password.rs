//! Password rules and hashing. argon2id with the OWASP minimum (m = 19 MiB, t = 2, p = 1);
//! hashing runs on the blocking pool because it is deliberately slow.

use super::super::error::{AppError, FieldError};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// A password that meets the length rule (counted in characters, not bytes).
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    // Never print the secret, even in debug logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(field: &str, raw: &str) -> Result<Password, FieldError> {
        let len = raw.chars().count();
        if !(MIN_LEN..=MAX_LEN).contains(&len) {
            return Err(FieldError::new(
                field,
                format!("must be between {MIN_LEN} and {MAX_LEN} characters"),
            ));
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes to a PHC string (algorithm, parameters and salt included).
pub async fn hash(password: &Password) -> Result<String, AppError> {
    hash_secret(&password.0).await
}

/// Hashes any secret the same way (profile PINs, which have their own rules).
pub async fn hash_secret(secret: &str) -> Result<String, AppError> {
    let secret = secret.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Checks `candidate` against a stored PHC string. A malformed hash never verifies.
pub async fn verify(candidate: &str, stored_hash: &str) -> Result<bool, AppError> {
    let candidate = candidate.to_string();
    let stored = stored_hash.to_string();
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        hasher()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert!(Password::parse("password", "short").is_err());
        assert!(Password::parse("password", &"é".repeat(10)).is_ok());
        assert!(Password::parse("password", &"a".repeat(128)).is_ok());
        assert!(Password::parse("password", &"a".repeat(129)).is_err());
    }

    #[tokio::test]
    async fn hash_verifies_only_the_same_password() {
        let pw = Password::parse("password", "correct horse battery").unwrap();
        let stored = hash(&pw).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", &stored).await.unwrap());
        assert!(!verify("wrong horse battery", &stored).await.unwrap());
        assert!(!verify("anything", "not a phc string").await.unwrap());
    }
}
