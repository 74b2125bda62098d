//! Account use cases that operators run from the command line.

use crate::backend::auth::password::{self, Password};
use crate::backend::db::Db;
use crate::backend::domain::{email::Email, role::Role};
use crate::backend::error::AppError;
use crate::backend::store::users::{self, NewUser};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What `create_admin` did, for the operator's terminal.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminOutcome {
    Created(Uuid),
    Promoted(Uuid),
}

/// Creates a verified, active superadmin, or promotes an existing account and resets its
/// password to the one given (an operator with shell access may recover an account).
pub async fn create_admin(
    db: &Db,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<AdminOutcome, AppError> {
    let email = Email::parse("email", email).map_err(|e| AppError::Validation(vec![e]))?;
    let password =
        Password::parse("password", password).map_err(|e| AppError::Validation(vec![e]))?;
    let hash = password::hash(&password).await?;

    let mut tx = db.begin().await?;
    let outcome = match users::find_by_email(&mut tx, &email.normalized()).await? {
        Some(existing) => {
            users::activate_with_password(&mut tx, existing.id, &hash, now).await?;
            AdminOutcome::Promoted(existing.id)
        }
        None => {
            let id = Uuid::now_v7();
            let local = email.as_str().split('@').next().unwrap_or("admin");
            users::insert(
                &mut tx,
                &NewUser {
                    id,
                    email: email.as_str(),
                    email_normalized: &email.normalized(),
                    password_hash: &hash,
                    display_name: local,
                    email_verified: true,
                    status: "active",
                    terms_accepted_at: Some(now),
                    now,
                },
            )
            .await?;
            AdminOutcome::Created(id)
        }
    };
    let id = match outcome {
        AdminOutcome::Created(id) | AdminOutcome::Promoted(id) => id,
    };
    users::grant_role(&mut tx, id, Role::Subscriber, now).await?;
    users::grant_role(&mut tx, id, Role::Superadmin, now).await?;
    tx.commit().await?;
    Ok(outcome)
}
