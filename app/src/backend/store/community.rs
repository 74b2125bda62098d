//! The community tables (migration 0028): posts, comments, reports, blocked words, and
//! the contributor and topic rollups that every publishing write keeps in its
//! transaction.

use super::conditions::{placeholders, Arg, Conditions};
use crate::backend::db::{Db, Tx};
use crate::backend::pagination::PageRequest;
use crate::{bind_all, on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

const POST_COLUMNS: &str = "id, creator_id, author_id, membership_id, title, body, status, \
    moderation_reason, comment_count, created_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PostRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub author_id: Uuid,
    pub membership_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    pub status: String,
    pub moderation_reason: Option<String>,
    pub comment_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Read with the author's display name; not a column of its own.
    #[sqlx(default)]
    pub author_name: String,
}

impl PostRow {
    fn args(&self) -> Vec<Arg> {
        vec![
            Arg::Id(self.id),
            Arg::Id(self.creator_id),
            Arg::Id(self.author_id),
            Arg::MaybeId(self.membership_id),
            Arg::Text(self.title.clone()),
            Arg::Text(self.body.clone()),
            Arg::Text(self.status.clone()),
            Arg::MaybeText(self.moderation_reason.clone()),
            Arg::Int(self.comment_count),
            Arg::Time(self.created_at),
            Arg::Time(self.updated_at),
        ]
    }
}

const COMMENT_COLUMNS: &str =
    "id, post_id, creator_id, author_id, membership_id, body, status, moderation_reason, created_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CommentRow {
    pub id: Uuid,
    pub post_id: Uuid,
    pub creator_id: Uuid,
    pub author_id: Uuid,
    pub membership_id: Option<Uuid>,
    pub body: String,
    pub status: String,
    pub moderation_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    #[sqlx(default)]
    pub author_name: String,
}

impl CommentRow {
    fn args(&self) -> Vec<Arg> {
        vec![
            Arg::Id(self.id),
            Arg::Id(self.post_id),
            Arg::Id(self.creator_id),
            Arg::Id(self.author_id),
            Arg::MaybeId(self.membership_id),
            Arg::Text(self.body.clone()),
            Arg::Text(self.status.clone()),
            Arg::MaybeText(self.moderation_reason.clone()),
            Arg::Time(self.created_at),
        ]
    }
}

/// `c.` columns with the author's name, for reading with `JOIN users u`.
fn with_author(columns: &str, table: &str) -> String {
    let qualified: Vec<String> = columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect();
    format!("{}, u.display_name AS author_name", qualified.join(", "))
}

pub async fn insert_post(tx: &mut Tx, row: &PostRow) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO community_posts ({POST_COLUMNS}) VALUES ({})",
        placeholders(POST_COLUMNS)
    );
    let args = row.args();
    on_tx!(tx, conn => bind_all!(sqlx::query(&sql), &args).execute(conn).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn insert_comment(tx: &mut Tx, row: &CommentRow) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO community_comments ({COMMENT_COLUMNS}) VALUES ({})",
        placeholders(COMMENT_COLUMNS)
    );
    let args = row.args();
    on_tx!(tx, conn => bind_all!(sqlx::query(&sql), &args).execute(conn).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_post(tx: &mut Tx, id: Uuid) -> Result<Option<PostRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM community_posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1",
        with_author(POST_COLUMNS, "p")
    );
    on_tx!(tx, conn => sqlx::query_as::<_, PostRow>(&sql).bind(id).fetch_optional(conn).await)
}

pub async fn post(db: &Db, id: Uuid) -> Result<Option<PostRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM community_posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1",
        with_author(POST_COLUMNS, "p")
    );
    on_db!(db, pool => sqlx::query_as::<_, PostRow>(&sql).bind(id).fetch_optional(pool).await)
}

pub async fn comment(db: &Db, id: Uuid) -> Result<Option<CommentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM community_comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1",
        with_author(COMMENT_COLUMNS, "c")
    );
    on_db!(db, pool => sqlx::query_as::<_, CommentRow>(&sql).bind(id).fetch_optional(pool).await)
}

pub async fn find_comment(tx: &mut Tx, id: Uuid) -> Result<Option<CommentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM community_comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1",
        with_author(COMMENT_COLUMNS, "c")
    );
    on_tx!(tx, conn => sqlx::query_as::<_, CommentRow>(&sql).bind(id).fetch_optional(conn).await)
}

/// Sets the moderation status of a post or comment (whichever `id` is).
pub async fn set_status(
    tx: &mut Tx,
    id: Uuid,
    status: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE community_posts SET status = $2, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map(|r| r.rows_affected()))?;
    on_tx!(tx, conn => sqlx::query("UPDATE community_comments SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Moves a post's count of published comments.
pub async fn add_comment_count(tx: &mut Tx, post_id: Uuid, delta: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE community_posts SET comment_count = comment_count + $2 WHERE id = $1",
    )
    .bind(post_id)
    .bind(delta)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The creator's posts newest first, of one status or all.
pub async fn posts_page(
    db: &Db,
    creator_id: Uuid,
    status: Option<&str>,
    request: PageRequest,
) -> Result<Vec<PostRow>, sqlx::Error> {
    let mut c = Conditions::default();
    c.bind("p.creator_id = {}", Arg::Id(creator_id));
    if let Some(status) = status {
        c.bind("p.status = {}", Arg::Text(status.into()));
    }
    let tail = c.newest_first_page("p.id", request);
    let sql = format!(
        "SELECT {} FROM community_posts p JOIN users u ON u.id = p.author_id{}{tail}",
        with_author(POST_COLUMNS, "p"),
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, PostRow>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count_posts(
    db: &Db,
    creator_id: Uuid,
    status: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM community_posts WHERE creator_id = $1 AND ($2 IS NULL OR status = $2)",
    )
    .bind(creator_id)
    .bind(status)
    .fetch_one(pool)
    .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// A post's comments, newest first, of one status or all.
pub async fn comments_page(
    db: &Db,
    post_id: Uuid,
    status: Option<&str>,
    request: PageRequest,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    let mut c = Conditions::default();
    c.bind("c.post_id = {}", Arg::Id(post_id));
    if let Some(status) = status {
        c.bind("c.status = {}", Arg::Text(status.into()));
    }
    let tail = c.newest_first_page("c.id", request);
    let sql = format!(
        "SELECT {} FROM community_comments c JOIN users u ON u.id = c.author_id{}{tail}",
        with_author(COMMENT_COLUMNS, "c"),
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, CommentRow>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count_comments(
    db: &Db,
    post_id: Uuid,
    status: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM community_comments WHERE post_id = $1 AND ($2 IS NULL OR status = $2)",
    )
    .bind(post_id)
    .bind(status)
    .fetch_one(pool)
    .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

const REPORT_COLUMNS: &str =
    "id, creator_id, post_id, comment_id, target_id, reporter_id, reason, \
    status, resolution, note, resolved_by, resolved_at, created_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReportRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub post_id: Uuid,
    pub comment_id: Option<Uuid>,
    pub target_id: Uuid,
    pub reporter_id: Option<Uuid>,
    pub reason: String,
    pub status: String,
    pub resolution: Option<String>,
    pub note: Option<String>,
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl ReportRow {
    /// A new report awaiting the team; `reporter_id` `None` for an automatic one.
    pub fn pending(
        creator_id: Uuid,
        (post_id, comment_id): (Uuid, Option<Uuid>),
        reporter_id: Option<Uuid>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> ReportRow {
        ReportRow {
            id: Uuid::now_v7(),
            creator_id,
            post_id,
            comment_id,
            target_id: comment_id.unwrap_or(post_id),
            reporter_id,
            reason: reason.into(),
            status: "pending".into(),
            resolution: None,
            note: None,
            resolved_by: None,
            resolved_at: None,
            created_at: now,
        }
    }
}

/// Files the report unless this reporter already reported the target; true when new.
pub async fn insert_report(tx: &mut Tx, row: &ReportRow) -> Result<bool, sqlx::Error> {
    let inserted = on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO community_reports ({REPORT_COLUMNS}) VALUES ({}) \
         ON CONFLICT (target_id, reporter_id) DO NOTHING",
        placeholders(REPORT_COLUMNS)
    ))
    .bind(row.id)
    .bind(row.creator_id)
    .bind(row.post_id)
    .bind(row.comment_id)
    .bind(row.target_id)
    .bind(row.reporter_id)
    .bind(&row.reason)
    .bind(&row.status)
    .bind(&row.resolution)
    .bind(&row.note)
    .bind(row.resolved_by)
    .bind(row.resolved_at)
    .bind(row.created_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(inserted == 1)
}

pub async fn find_report(tx: &mut Tx, id: Uuid) -> Result<Option<ReportRow>, sqlx::Error> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM community_reports WHERE id = $1");
    on_tx!(tx, conn => sqlx::query_as::<_, ReportRow>(&sql).bind(id).fetch_optional(conn).await)
}

/// A report in the queue with the text it is about: a comment's body, or a post's
/// title and body.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QueuedReport {
    #[sqlx(flatten)]
    pub report: ReportRow,
    pub text: String,
}

pub async fn reports_page(
    db: &Db,
    creator_id: Uuid,
    status: Option<&str>,
    request: PageRequest,
) -> Result<Vec<QueuedReport>, sqlx::Error> {
    let mut c = Conditions::default();
    c.bind("r.creator_id = {}", Arg::Id(creator_id));
    if let Some(status) = status {
        c.bind("r.status = {}", Arg::Text(status.into()));
    }
    let tail = c.newest_first_page("r.id", request);
    let columns: Vec<String> = REPORT_COLUMNS
        .split(',')
        .map(|c| format!("r.{}", c.trim()))
        .collect();
    let sql = format!(
        "SELECT {}, CASE WHEN r.comment_id IS NULL THEN p.title || '\n' || p.body \
         ELSE COALESCE(c.body, '') END AS text FROM community_reports r \
         JOIN community_posts p ON p.id = r.post_id \
         LEFT JOIN community_comments c ON c.id = r.comment_id{}{tail}",
        columns.join(", "),
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, QueuedReport>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count_reports(
    db: &Db,
    creator_id: Uuid,
    status: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM community_reports WHERE creator_id = $1 AND ($2 IS NULL OR status = $2)",
    )
    .bind(creator_id)
    .bind(status)
    .fetch_one(pool)
    .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Resolves every pending report on the target the same way.
pub async fn resolve_pending(
    tx: &mut Tx,
    target_id: Uuid,
    resolution: &str,
    note: Option<&str>,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE community_reports SET status = 'resolved', resolution = $2, note = $3, \
         resolved_by = $4, resolved_at = $5 WHERE target_id = $1 AND status = 'pending'",
    )
    .bind(target_id)
    .bind(resolution)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn blocked_words(db: &Db, creator_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT word FROM community_blocked_words WHERE creator_id = $1 ORDER BY word",
    )
    .bind(creator_id)
    .fetch_all(pool)
    .await)
}

pub async fn replace_blocked_words(
    tx: &mut Tx,
    creator_id: Uuid,
    words: &[String],
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM community_blocked_words WHERE creator_id = $1")
        .bind(creator_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    for word in words {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO community_blocked_words (creator_id, word) VALUES ($1, $2)",
        )
        .bind(creator_id)
        .bind(word)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Moves a member's count of published posts and comments.
pub async fn add_contribution(
    tx: &mut Tx,
    creator_id: Uuid,
    membership_id: Uuid,
    delta: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO community_contributors (creator_id, membership_id, contributions) \
         VALUES ($1, $2, $3) ON CONFLICT (creator_id, membership_id) \
         DO UPDATE SET contributions = community_contributors.contributions + excluded.contributions",
    )
    .bind(creator_id)
    .bind(membership_id)
    .bind(delta)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// (membership id, display name, contributions, engagement level), most first.
pub async fn top_contributors(
    db: &Db,
    creator_id: Uuid,
    limit: i64,
) -> Result<Vec<(Uuid, String, i64, String)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT c.membership_id, u.display_name, c.contributions, m.engagement_level \
         FROM community_contributors c JOIN memberships m ON m.id = c.membership_id \
         JOIN users u ON u.id = m.user_id \
         WHERE c.creator_id = $1 AND c.contributions > 0 AND m.status <> 'churned' \
         ORDER BY c.contributions DESC, c.membership_id LIMIT $2",
    )
    .bind(creator_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Moves the day's mentions of each topic.
pub async fn add_topics(
    tx: &mut Tx,
    creator_id: Uuid,
    day: NaiveDate,
    topics: &[String],
    delta: i64,
) -> Result<(), sqlx::Error> {
    for topic in topics {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO community_topics (creator_id, day, topic, mentions) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (creator_id, day, topic) \
             DO UPDATE SET mentions = community_topics.mentions + excluded.mentions",
        )
        .bind(creator_id)
        .bind(day)
        .bind(topic)
        .bind(delta)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// The most mentioned topics from `since` on.
pub async fn trending(
    db: &Db,
    creator_id: Uuid,
    since: NaiveDate,
    limit: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT topic, CAST(SUM(mentions) AS BIGINT) AS total FROM community_topics \
         WHERE creator_id = $1 AND day >= $2 GROUP BY topic HAVING SUM(mentions) > 0 \
         ORDER BY total DESC, topic LIMIT $3",
    )
    .bind(creator_id)
    .bind(since)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Activity since `since`: (published posts, published comments, posts and comments
/// auto-moderated).
pub async fn written_since(
    db: &Db,
    creator_id: Uuid,
    since: DateTime<Utc>,
) -> Result<(i64, i64, i64), sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT \
         (SELECT COUNT(*) FROM community_posts WHERE creator_id = $1 AND created_at >= $2 AND status = 'published'), \
         (SELECT COUNT(*) FROM community_comments WHERE creator_id = $1 AND created_at >= $2 AND status = 'published'), \
         (SELECT COUNT(*) FROM community_posts WHERE creator_id = $1 AND created_at >= $2 AND moderation_reason IS NOT NULL) + \
         (SELECT COUNT(*) FROM community_comments WHERE creator_id = $1 AND created_at >= $2 AND moderation_reason IS NOT NULL)",
    )
    .bind(creator_id)
    .bind(since)
    .fetch_one(pool)
    .await)
}

/// Every post the user wrote, oldest first (for their data export).
pub async fn posts_by(db: &Db, user_id: Uuid) -> Result<Vec<PostRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM community_posts p JOIN users u ON u.id = p.author_id \
         WHERE p.author_id = $1 ORDER BY p.id",
        with_author(POST_COLUMNS, "p")
    );
    on_db!(db, pool => sqlx::query_as::<_, PostRow>(&sql).bind(user_id).fetch_all(pool).await)
}

/// Every comment the user wrote, oldest first (for their data export).
pub async fn comments_by(db: &Db, user_id: Uuid) -> Result<Vec<CommentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM community_comments c JOIN users u ON u.id = c.author_id \
         WHERE c.author_id = $1 ORDER BY c.id",
        with_author(COMMENT_COLUMNS, "c")
    );
    on_db!(db, pool => sqlx::query_as::<_, CommentRow>(&sql).bind(user_id).fetch_all(pool).await)
}

/// What an erased account's posts and comments read from then on.
pub const ERASED_TEXT: &str = "[deleted]";

/// Blanks the text of everything `user_id` wrote (account erasure). The rows stay, so
/// threads keep their shape and the counts already published stay true.
pub async fn erase_texts_by(tx: &mut Tx, user_id: Uuid) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE community_posts SET title = $2, body = $2 WHERE author_id = $1",
    )
    .bind(user_id)
    .bind(ERASED_TEXT)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    on_tx!(tx, conn => sqlx::query("UPDATE community_comments SET body = $2 WHERE author_id = $1")
        .bind(user_id)
        .bind(ERASED_TEXT)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
