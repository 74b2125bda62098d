//! `server create-admin`: the service behind it, on both databases.

use crate::helpers::TestApp;
use app::backend::auth::password;
use app::backend::domain::role::Role;
use app::backend::services::accounts::{create_admin, AdminOutcome};
use app::backend::store::users;

on_both_backends!(
    create_admin_creates_then_promotes,
    create_admin_rejects_bad_input
);

async fn create_admin_creates_then_promotes(app: TestApp) {
    let now = chrono::Utc::now();
    let created = create_admin(&app.db, "Root@Example.com", "first-password-1", now)
        .await
        .unwrap();
    let AdminOutcome::Created(id) = created else {
        panic!("expected Created, got {created:?}")
    };

    let user = users::find_by_email(&app.db, "root@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.id, id);
    assert_eq!(user.email, "Root@Example.com");
    assert_eq!(user.status, "active");
    assert!(user.email_verified);
    assert!(password::verify("first-password-1", &user.password_hash)
        .await
        .unwrap());
    assert_eq!(
        users::roles(&app.db, id).await.unwrap(),
        vec![Role::Subscriber, Role::Superadmin]
    );

    // Same email in another case: the same account is promoted and its password reset.
    let again = create_admin(&app.db, "root@EXAMPLE.com", "second-password-2", now)
        .await
        .unwrap();
    assert_eq!(again, AdminOutcome::Promoted(id));
    let user = users::find_by_email(&app.db, "root@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(password::verify("second-password-2", &user.password_hash)
        .await
        .unwrap());
    assert!(!password::verify("first-password-1", &user.password_hash)
        .await
        .unwrap());
    assert_eq!(
        users::roles(&app.db, id).await.unwrap().len(),
        2,
        "roles are not duplicated"
    );
}

async fn create_admin_rejects_bad_input(app: TestApp) {
    let now = chrono::Utc::now();
    assert!(
        create_admin(&app.db, "not-an-email", "long-enough-password", now)
            .await
            .is_err()
    );
    assert!(create_admin(&app.db, "ok@example.com", "short", now)
        .await
        .is_err());
    assert!(users::find_by_email(&app.db, "ok@example.com")
        .await
        .unwrap()
        .is_none());
}
