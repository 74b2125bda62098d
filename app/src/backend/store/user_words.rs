//! The admin console's user search index (migration 0046): each user under every
//! distinct word of their display name and email (`domain::search_terms`), with the
//! account status the search filters by, and its rollup `user_word_counts` (0047), the
//! users of each word by status. Kept here, in the transaction of each write of a
//! user's name or email (`users`), and by a trigger on each write of their status; read
//! by `user_search`.

use super::conditions::value_rows;
use crate::backend::db::{Db, Tx};
use crate::backend::domain::search_terms::document_words;
use crate::{on_db, on_tx};
use uuid::Uuid;

/// Indexes the user (already written) under the words of `display_name` and `email`,
/// in place of the words they had.
pub async fn index(
    tx: &mut Tx,
    user_id: Uuid,
    display_name: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    count(tx, user_id, -1).await?;
    on_tx!(tx, conn => sqlx::query("DELETE FROM user_words WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ()))?;
    let words = document_words(&[display_name, email]);
    if words.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO user_words (word, user_id, account_status) \
         SELECT w.column1, u.id, u.status FROM users u CROSS JOIN (VALUES {}) AS w \
         WHERE u.id = ${}",
        value_rows(words.len(), 1),
        words.len() + 1
    );
    on_tx!(tx, conn => {
        let mut query = sqlx::query(&sql);
        for word in &words {
            query = query.bind(word);
        }
        query.bind(user_id).execute(conn).await.map(|_| ())
    })?;
    count(tx, user_id, 1).await
}

/// Adds `sign` to the rollup row of each of the user's index rows (each word once), and
/// deletes the rows a -1 leaves at 0 (`drop_emptied`).
async fn count(tx: &mut Tx, user_id: Uuid, sign: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO user_word_counts (word, account_status, users) \
         SELECT word, account_status, $2 FROM user_words WHERE user_id = $1 \
         ON CONFLICT (word, account_status) \
         DO UPDATE SET users = user_word_counts.users + excluded.users",
    )
    .bind(user_id)
    .bind(sign)
    .execute(conn)
    .await
    .map(|_| ()))?;
    if sign < 0 {
        drop_emptied(tx, user_id).await?;
    }
    Ok(())
}

/// Deletes the rollup rows of the user's index rows that count no user any more: the
/// words of a name or email nobody else has, left behind by a rename or an erasure.
/// (The status trigger does the same for a status change, migration 0053.)
async fn drop_emptied(tx: &mut Tx, user_id: Uuid) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "DELETE FROM user_word_counts WHERE users = 0 AND (word, account_status) IN \
         (SELECT word, account_status FROM user_words WHERE user_id = $1)",
    )
    .bind(user_id)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Counts the whole index into the rollup afresh: for users written into the index
/// directly (the benchmark's generator).
pub async fn recount_all(db: &Db) -> Result<(), sqlx::Error> {
    on_db!(db, pool => sqlx::query("DELETE FROM user_word_counts")
        .execute(pool)
        .await
        .map(|_| ()))?;
    on_db!(db, pool => sqlx::query(
        "INSERT INTO user_word_counts (word, account_status, users) \
         SELECT word, account_status, COUNT(*) FROM user_words GROUP BY word, account_status",
    )
    .execute(pool)
    .await
    .map(|_| ()))
}
