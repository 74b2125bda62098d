//! Access tokens: HS256 JWTs of 15 minutes naming the user (`sub`) and the session
//! (`sid`). Time claims are checked against the platform [`Clock`], not the system
//! clock, so a moved test clock expires tokens as real time would.
//!
//! [`Clock`]: crate::backend::clock::Clock

use crate::backend::error::AppError;
use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ACCESS_TOKEN_TTL_SECS: i64 = 900;
pub const ISSUER: &str = "encora";
pub const AUDIENCE: &str = "encora-api";
pub const PROFILE_AUDIENCE: &str = "encora-profile";
pub const DOWNLOAD_AUDIENCE: &str = "encora-download";
/// Tolerated clock difference between servers when checking `nbf`.
const LEEWAY_SECS: i64 = 30;

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub sid: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

/// OpenID-style identity claims for `id_token`.
#[derive(Debug, Serialize, Deserialize)]
struct IdClaims<'a> {
    sub: Uuid,
    iss: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    email: &'a str,
    email_verified: bool,
    name: &'a str,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(***)")
    }
}

impl TokenKeys {
    pub fn from_secret(secret: &[u8]) -> TokenKeys {
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn issue_access(
        &self,
        user: Uuid,
        session: Uuid,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let iat = now.timestamp();
        let claims = AccessClaims {
            sub: user,
            sid: session,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat,
            nbf: iat,
            exp: iat + ACCESS_TOKEN_TTL_SECS,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)
    }

    pub fn issue_id_token(
        &self,
        user: Uuid,
        email: &str,
        email_verified: bool,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let iat = now.timestamp();
        let claims = IdClaims {
            sub: user,
            iss: ISSUER,
            aud: AUDIENCE,
            iat,
            exp: iat + ACCESS_TOKEN_TTL_SECS,
            email,
            email_verified,
            name,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)
    }

    /// A profile token: proof, for `ttl_secs`, that the PIN of `profile` was given.
    /// Its own audience, so it can never pass as an access token.
    pub fn issue_profile(
        &self,
        user: Uuid,
        profile: Uuid,
        ttl_secs: i64,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let iat = now.timestamp();
        let claims = AccessClaims {
            sub: user,
            sid: profile,
            iss: ISSUER.into(),
            aud: PROFILE_AUDIENCE.into(),
            iat,
            nbf: iat,
            exp: iat + ttl_secs,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)
    }

    /// The token of a signed download link: `sid` names the file, `sub` its owner.
    pub fn issue_download(
        &self,
        user: Uuid,
        file: Uuid,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let iat = now.timestamp();
        let claims = AccessClaims {
            sub: user,
            sid: file,
            iss: ISSUER.into(),
            aud: DOWNLOAD_AUDIENCE.into(),
            iat,
            nbf: iat,
            exp: expires_at.timestamp(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)
    }

    /// The claims of a download token we signed, expired or not: an expired link is
    /// answered differently (410) from a forged one (403), so the caller checks `exp`.
    pub fn verify_download(&self, token: &str) -> Option<AccessClaims> {
        self.signed_claims(token, DOWNLOAD_AUDIENCE)
    }

    /// Signature (HS256 only: `alg: none` and every other algorithm are refused),
    /// issuer and audience; the time claims are left to the caller, who checks them
    /// against the platform clock instead of the system clock.
    fn signed_claims(&self, token: &str, audience: &str) -> Option<AccessClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        decode::<AccessClaims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }

    /// Checks signature, issuer, audience, `nbf` and `exp`.
    pub fn verify_access(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AppError> {
        let claims = self
            .signed_claims(token, AUDIENCE)
            .ok_or(AppError::Unauthorized)?;
        let now = now.timestamp();
        if claims.exp <= now || claims.nbf > now + LEEWAY_SECS {
            return Err(AppError::Unauthorized);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use chrono::Duration;

    fn keys() -> TokenKeys {
        TokenKeys::from_secret(b"a test secret that is long enough for hs256")
    }

    #[test]
    fn a_fresh_token_verifies_until_it_expires() {
        let (user, session, now) = (Uuid::now_v7(), Uuid::now_v7(), Utc::now());
        let token = keys().issue_access(user, session, now).unwrap();
        let claims = keys()
            .verify_access(&token, now + Duration::seconds(899))
            .unwrap();
        assert_eq!((claims.sub, claims.sid), (user, session));
        assert!(keys()
            .verify_access(&token, now + Duration::seconds(900))
            .is_err());
        assert!(
            keys()
                .verify_access(&token, now - Duration::seconds(60))
                .is_err(),
            "not before"
        );
    }

    #[test]
    fn wrong_signature_and_alg_none_are_refused() {
        let now = Utc::now();
        let token = keys()
            .issue_access(Uuid::now_v7(), Uuid::now_v7(), now)
            .unwrap();
        let other = TokenKeys::from_secret(b"another secret, equally long enough!!");
        assert!(other.verify_access(&token, now).is_err());

        // Same claims, header rewritten to alg none and the signature dropped.
        let payload = token.split('.').nth(1).unwrap();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys()
            .verify_access(&format!("{none_header}.{payload}."), now)
            .is_err());
        assert!(keys().verify_access("not.a.jwt", now).is_err());
    }
}
