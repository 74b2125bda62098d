//! The storage layer itself: both engines, same migrations, writers that queue.

use crate::helpers::TestApp;
use app::backend::services::accounts::create_admin;
use app::backend::store::{audit, users};
use app::on_db;

on_both_backends!(
    concurrent_writers_queue_instead_of_failing,
    audit_log_is_append_only
);

/// Twenty write transactions at once: on SQLite `BEGIN IMMEDIATE` makes them wait for
/// the write lock (busy timeout) instead of failing with "database is locked".
async fn concurrent_writers_queue_instead_of_failing(app: TestApp) {
    let now = chrono::Utc::now();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let db = app.db.clone();
            tokio::spawn(async move {
                create_admin(
                    &db,
                    &format!("writer{i}@example.com"),
                    "a-long-password",
                    now,
                )
                .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("every concurrent write commits");
    }
    for i in 0..20 {
        let email = format!("writer{i}@example.com");
        assert!(
            users::find_by_email(&app.db, &email)
                .await
                .unwrap()
                .is_some(),
            "{email} stored"
        );
    }
}

#[test]
fn both_engines_have_the_same_migrations() {
    let names = |engine: &str| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(engine);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite,
        names("postgres"),
        "every migration exists for both engines, same name"
    );
}

/// Entries are written in the caller's transaction; the database itself refuses to
/// change or remove them.
async fn audit_log_is_append_only(app: TestApp) {
    let mut tx = app.db.begin().await.unwrap();
    let entry = audit::Entry {
        actor_id: None,
        action: "test.recorded",
        target_type: "test",
        target_id: "1".into(),
        reason: Some("proving append-only"),
        before: None,
        after: Some(serde_json::json!({"ok": true})),
    };
    audit::record(&mut tx, entry, app.clock.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let update = on_db!(&app.db, pool => sqlx::query("UPDATE audit_log SET reason = 'rewritten'").execute(pool).await.map(|_| ()));
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = on_db!(&app.db, pool => sqlx::query("DELETE FROM audit_log").execute(pool).await.map(|_| ()));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let reason: String = on_db!(&app.db, pool => sqlx::query_scalar("SELECT reason FROM audit_log WHERE action = 'test.recorded'").fetch_one(pool).await).unwrap();
    assert_eq!(reason, "proving append-only");
}
