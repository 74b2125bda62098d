//! The storage layer itself: both engines, same migrations, writers that queue.

use crate::helpers::TestApp;
use app::backend::services::accounts::create_admin;
use app::backend::store::users;

on_both_backends!(concurrent_writers_queue_instead_of_failing);

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
