//! The admin console's user search: word-prefix full text over email and display name
//! (FTS5 on SQLite, a GIN tsvector index on PostgreSQL; migration 0022) and filters.

use super::conditions::{Arg, Conditions};
use super::users::{UserRow, USER_COLUMNS};
use crate::backend::db::Db;
use crate::backend::pagination::PageRequest;
use crate::model::system::DatabaseKind;
use crate::{bind_all, on_db};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, Default)]
pub struct UserFilter {
    /// Lower-case letters and digits only; each must start a word of the email or name.
    pub words: Vec<String>,
    /// `None`: every status except `deleted`.
    pub status: Option<String>,
    pub role: Option<String>,
    pub country_code: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
}

/// The PostgreSQL index expression of migration 0022, repeated verbatim so it is used.
const PG_DOCUMENT: &str = "to_tsvector('simple', regexp_replace(email || ' ' || display_name, \
     '[^[:alnum:]]+', ' ', 'g'))";

/// Adds the condition that the user has every word at the start of a word of their
/// email or display name, answered by the full-text index.
/// Words hold only letters and digits, so quoting them cannot break the query syntax.
fn match_words(c: &mut Conditions, kind: DatabaseKind, words: &[String]) {
    match kind {
        DatabaseKind::Sqlite => {
            let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
            c.bind(
                "rowid IN (SELECT rowid FROM users_fts WHERE users_fts MATCH {})",
                Arg::Text(query.join(" ")),
            );
        }
        DatabaseKind::Postgres => {
            let query: Vec<String> = words.iter().map(|w| format!("{w}:*")).collect();
            c.bind(
                &format!("{PG_DOCUMENT} @@ to_tsquery('simple', {{}})"),
                Arg::Text(query.join(" & ")),
            );
        }
    }
}

fn conditions(db: &Db, filter: &UserFilter) -> Conditions {
    let mut c = Conditions::default();
    if !filter.words.is_empty() {
        match_words(&mut c, db.kind(), &filter.words);
    }
    match &filter.status {
        Some(status) => c.bind("status = {}", Arg::Text(status.clone())),
        None => c.fixed("status <> 'deleted'"),
    }
    if let Some(role) = &filter.role {
        c.bind(
            "id IN (SELECT user_id FROM user_roles WHERE role = {})",
            Arg::Text(role.clone()),
        );
    }
    if let Some(country) = &filter.country_code {
        c.bind("country_code = {}", Arg::Text(country.clone()));
    }
    if let Some(after) = filter.created_after {
        c.bind("created_at >= {}", Arg::Time(after));
    }
    if let Some(before) = filter.created_before {
        c.bind("created_at < {}", Arg::Time(before));
    }
    c
}

/// One page of matching users, newest first (`limit + 1` rows).
pub async fn page(
    db: &Db,
    filter: &UserFilter,
    request: PageRequest,
) -> Result<Vec<UserRow>, sqlx::Error> {
    let mut c = conditions(db, filter);
    let tail = c.newest_first_page("id", request);
    let sql = format!("SELECT {USER_COLUMNS} FROM users{}{tail}", c.where_sql());
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, UserRow>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count(db: &Db, filter: &UserFilter) -> Result<u64, sqlx::Error> {
    let c = conditions(db, filter);
    let sql = format!("SELECT COUNT(*) FROM users{}", c.where_sql());
    let n: i64 =
        on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args()).fetch_one(pool).await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
