use crate::backend::db::{Db, Tx};
use crate::backend::pagination::{Direction, PageRequest};
use crate::model::creator::{Creator, TeamMember};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, sqlx::FromRow)]
struct CreatorRow {
    id: Uuid,
    handle: String,
    name: String,
    bio: String,
    created_at: DateTime<Utc>,
}

impl From<CreatorRow> for Creator {
    fn from(r: CreatorRow) -> Self {
        Creator {
            id: r.id,
            handle: r.handle,
            name: r.name,
            bio: r.bio,
            created_at: r.created_at,
        }
    }
}

const MEMBER_ROLE_SQL: &str =
    "SELECT role FROM creator_team WHERE creator_id = $1 AND user_id = $2";

const COLUMNS: &str = "id, handle, name, bio, created_at";

pub async fn insert(
    tx: &mut Tx,
    id: Uuid,
    handle: &str,
    name: &str,
    bio: &str,
    created_by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO creators (id, handle, name, bio, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id)
    .bind(handle)
    .bind(name)
    .bind(bio)
    .bind(created_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn handle_taken(tx: &mut Tx, handle: &str) -> Result<bool, sqlx::Error> {
    let found: Option<Uuid> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM creators WHERE handle = $1")
        .bind(handle)
        .fetch_optional(conn)
        .await)?;
    Ok(found.is_some())
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<Creator>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM creators WHERE id = $1");
    let row = on_db!(db, pool => sqlx::query_as::<_, CreatorRow>(&sql).bind(id).fetch_optional(pool).await)?;
    Ok(row.map(Creator::from))
}

pub async fn find_by_handle(db: &Db, handle: &str) -> Result<Option<Creator>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM creators WHERE handle = $1");
    let row = on_db!(db, pool => sqlx::query_as::<_, CreatorRow>(&sql).bind(handle).fetch_optional(pool).await)?;
    Ok(row.map(Creator::from))
}

/// One page of the directory (`limit + 1` rows, see `pagination::into_page`).
pub async fn page(db: &Db, request: PageRequest) -> Result<Vec<Creator>, sqlx::Error> {
    let fetch = i64::from(request.limit) + 1;
    let (sql, anchor) = match request.direction {
        None => (
            format!("SELECT {COLUMNS} FROM creators ORDER BY id LIMIT $1"),
            None,
        ),
        Some(Direction::After(id)) => (
            format!("SELECT {COLUMNS} FROM creators WHERE id > $2 ORDER BY id LIMIT $1"),
            Some(id),
        ),
        Some(Direction::Before(id)) => (
            format!("SELECT {COLUMNS} FROM creators WHERE id < $2 ORDER BY id DESC LIMIT $1"),
            Some(id),
        ),
    };
    let rows = on_db!(db, pool => {
        let mut query = sqlx::query_as::<_, CreatorRow>(&sql).bind(fetch);
        if let Some(id) = anchor {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(Creator::from).collect())
}

pub async fn count(db: &Db) -> Result<u64, sqlx::Error> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM creators").fetch_one(pool).await)?;
    Ok(n as u64)
}

pub async fn add_member(
    tx: &mut Tx,
    creator_id: Uuid,
    user_id: Uuid,
    role: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO creator_team (creator_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(creator_id)
    .bind(user_id)
    .bind(role)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn remove_member(
    tx: &mut Tx,
    creator_id: Uuid,
    user_id: Uuid,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM creator_team WHERE creator_id = $1 AND user_id = $2")
        .bind(creator_id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
}

pub async fn count_role(tx: &mut Tx, creator_id: Uuid, role: &str) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM creator_team WHERE creator_id = $1 AND role = $2",
    )
    .bind(creator_id)
    .bind(role)
    .fetch_one(conn)
    .await)
}

#[derive(Debug, sqlx::FromRow)]
struct TeamRow {
    user_id: Uuid,
    email: String,
    display_name: String,
    role: String,
    added_at: DateTime<Utc>,
}

pub async fn team(db: &Db, creator_id: Uuid) -> Result<Vec<TeamMember>, sqlx::Error> {
    let rows = on_db!(db, pool => sqlx::query_as::<_, TeamRow>(
        "SELECT t.user_id, u.email, u.display_name, t.role, t.added_at \
         FROM creator_team t JOIN users u ON u.id = t.user_id \
         WHERE t.creator_id = $1 ORDER BY t.added_at, u.email",
    )
    .bind(creator_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|r| TeamMember {
            user_id: r.user_id,
            email: r.email,
            display_name: r.display_name,
            role: r.role,
            added_at: r.added_at,
        })
        .collect())
}

/// Serializes changes to one creator's team until the transaction ends. PostgreSQL
/// needs a row lock (READ COMMITTED would let two removals both see "two content
/// creators left"); SQLite's `BEGIN IMMEDIATE` already holds the only write lock.
pub async fn lock_for_update(tx: &mut Tx, creator_id: Uuid) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Postgres(t) => {
            sqlx::query("SELECT id FROM creators WHERE id = $1 FOR UPDATE")
                .bind(creator_id)
                .fetch_optional(&mut **t)
                .await?;
        }
        Tx::Sqlite(_) => {}
    }
    Ok(())
}

pub async fn member_role(
    tx: &mut Tx,
    creator_id: Uuid,
    user_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        MEMBER_ROLE_SQL,
    )
    .bind(creator_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await)
}

/// The creators whose team the user is in, by name.
pub async fn teams_with_names(db: &Db, user_id: Uuid) -> Result<Vec<Creator>, sqlx::Error> {
    let rows = on_db!(db, pool => sqlx::query_as::<_, CreatorRow>(
        "SELECT c.id, c.handle, c.name, c.bio, c.created_at FROM creators c \
         JOIN creator_team t ON t.creator_id = c.id WHERE t.user_id = $1 ORDER BY c.name, c.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(Creator::from).collect())
}

/// The creators whose team the user is in, with the user's role on each.
pub async fn teams_of(db: &Db, user_id: Uuid) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as("SELECT creator_id, role FROM creator_team WHERE user_id = $1 ORDER BY creator_id")
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn name(tx: &mut Tx, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar("SELECT name FROM creators WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await)
}
