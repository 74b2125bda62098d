//! The admin console's user search: words that start a word of the email or display
//! name, read from the word index `user_words` (migration 0046), and filters.
//!
//! The longest search word drives (the fewest users, as a rule); the others are probed
//! per user. When the driving word's range holds one word of the index, a page walks
//! that word's index rows newest first and a count reads them alone, or, with no other
//! condition than the status, reads the word's rows of the rollup `user_word_counts`; a
//! range of several words is matched as a set of users.

use super::conditions::{Arg, Conditions};
use super::users::{UserRow, USER_COLUMNS};
use crate::backend::db::Db;
use crate::backend::domain::search_terms::{prefix_end, split_driving};
use crate::backend::pagination::PageRequest;
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

impl UserFilter {
    /// Whether a condition needs the user's row, not only their index rows.
    fn reads_user_rows(&self) -> bool {
        self.country_code.is_some() || self.created_after.is_some() || self.created_before.is_some()
    }

    /// Whether the status is the only condition besides the words.
    fn status_only(&self) -> bool {
        self.role.is_none() && !self.reads_user_rows()
    }
}

/// Where a search finds its users.
enum Source<'a> {
    /// Every user: a search without words.
    Users,
    /// The one word of the index in the driving word's range.
    Word(String),
    /// The range of this prefix, which holds several words of the index.
    Range(&'a str),
}

/// One page of the matching users, newest first (`limit + 1` rows), and how many match.
pub async fn find(
    db: &Db,
    filter: &UserFilter,
    request: PageRequest,
) -> Result<(Vec<UserRow>, u64), sqlx::Error> {
    let (source, others) = match split_driving(&filter.words) {
        None => (Source::Users, Vec::new()),
        Some((prefix, others)) => match edge_words(db, prefix).await? {
            (None, _) => return Ok((Vec::new(), 0)),
            (Some(first), last) if Some(&first) == last.as_ref() => (Source::Word(first), others),
            _ => (Source::Range(prefix), others),
        },
    };
    let rows = page(db, &source, filter, &others, request).await?;
    let total = match &source {
        Source::Word(word) if others.is_empty() && filter.status_only() => {
            word_users(db, word, filter.status.as_deref()).await?
        }
        Source::Users if filter.status_only() => users(db, filter.status.as_deref()).await?,
        _ => count(db, &source, filter, &others).await?,
    };
    Ok((rows, total))
}

/// The first and the last word of the index in `prefix`'s range: two seeks.
async fn edge_words(
    db: &Db,
    prefix: &str,
) -> Result<(Option<String>, Option<String>), sqlx::Error> {
    let edge = |order: &str| {
        format!(
            "(SELECT word FROM user_words WHERE word >= $1 AND word < $2 \
             ORDER BY word {order} LIMIT 1)"
        )
    };
    let sql = format!("SELECT {}, {}", edge("ASC"), edge("DESC"));
    on_db!(db, pool => sqlx::query_as(&sql)
        .bind(prefix)
        .bind(prefix_end(prefix))
        .fetch_one(pool)
        .await)
}

/// How a statement reads the matching users.
#[derive(Clone, Copy, PartialEq)]
enum Read {
    /// From the users table, a range's users as a set (a page: merged with the users'
    /// id order).
    Users,
    /// From the index rows (alias `w`) of the search's words, joined to the users only
    /// when `UserFilter::reads_user_rows`, or for a page.
    Index { user_rows: bool },
}

/// The FROM clause of `source` read as `read`, the column of the user's id, and the
/// conditions of the search and the filter.
fn conditions(
    source: &Source,
    read: Read,
    filter: &UserFilter,
    others: &[&String],
) -> (&'static str, &'static str, Conditions) {
    let mut c = Conditions::default();
    let (from, id, status) = match (source, read) {
        (Source::Users, _) => ("users", "id", "status"),
        (Source::Range(prefix), Read::Users) => {
            c.bind_each(
                "id IN (SELECT user_id FROM user_words WHERE word >= {} AND word < {})",
                vec![Arg::Text(prefix.to_string()), Arg::Text(prefix_end(prefix))],
            );
            ("users", "id", "status")
        }
        (Source::Word(word), _) => {
            c.bind("w.word = {}", Arg::Text(word.clone()));
            index_rows(read)
        }
        (Source::Range(prefix), _) => {
            c.bind_each(
                "w.word >= {} AND w.word < {}",
                vec![Arg::Text(prefix.to_string()), Arg::Text(prefix_end(prefix))],
            );
            index_rows(read)
        }
    };
    for word in others {
        // A scalar subquery, not `EXISTS`, so it stays a probe of the user's own words
        // per user walked (see `member_words::probe`).
        c.bind_each(
            &format!(
                "(SELECT 1 FROM user_words p WHERE p.user_id = {id} \
                 AND p.word >= {{}} AND p.word < {{}} LIMIT 1) IS NOT NULL"
            ),
            vec![Arg::Text(word.to_string()), Arg::Text(prefix_end(word))],
        );
    }
    bind_status(&mut c, status, filter.status.as_deref());
    if let Some(role) = &filter.role {
        c.bind(
            &format!("{id} IN (SELECT user_id FROM user_roles WHERE role = {{}})"),
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
    (from, id, c)
}

/// That the account status in `column` is `status`, or, with none asked for, anything
/// but `deleted`.
fn bind_status(c: &mut Conditions, column: &str, status: Option<&str>) {
    match status {
        Some(value) => c.bind(&format!("{column} = {{}}"), Arg::Text(value.to_string())),
        None => c.fixed(&format!("{column} <> 'deleted'")),
    }
}

/// The FROM clause, the id column and the status column of a read of index rows.
fn index_rows(read: Read) -> (&'static str, &'static str, &'static str) {
    let from = match read {
        Read::Index { user_rows: false } => "user_words w",
        _ => "user_words w JOIN users ON users.id = w.user_id",
    };
    (from, "w.user_id", "w.account_status")
}

async fn page(
    db: &Db,
    source: &Source<'_>,
    filter: &UserFilter,
    others: &[&String],
    request: PageRequest,
) -> Result<Vec<UserRow>, sqlx::Error> {
    // A word's index rows walk newest first; a range's hold its words' users in word
    // order, so the users are walked and merged with them instead.
    let read = match source {
        Source::Word(_) => Read::Index { user_rows: true },
        _ => Read::Users,
    };
    let (from, id, mut c) = conditions(source, read, filter, others);
    let tail = c.newest_first_page(id, request);
    let sql = format!("SELECT {USER_COLUMNS} FROM {from}{}{tail}", c.where_sql());
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, UserRow>(&sql), c.args()).fetch_all(pool).await)
}

/// How many users of `status` (`None`: every status but `deleted`) `word` of the index
/// has, from its rollup: a row per status.
async fn word_users(db: &Db, word: &str, status: Option<&str>) -> Result<u64, sqlx::Error> {
    let mut c = Conditions::default();
    c.bind("word = {}", Arg::Text(word.to_string()));
    summed_users(db, "user_word_counts", c, status).await
}

/// How many users of `status` there are, from their rollup (migration 0049): a row per
/// status.
async fn users(db: &Db, status: Option<&str>) -> Result<u64, sqlx::Error> {
    summed_users(db, "user_counts", Conditions::default(), status).await
}

/// The `users` of a rollup's rows matching `c` and `status`.
async fn summed_users(
    db: &Db,
    rollup: &str,
    mut c: Conditions,
    status: Option<&str>,
) -> Result<u64, sqlx::Error> {
    bind_status(&mut c, "account_status", status);
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(users), 0) AS BIGINT) FROM {rollup}{}",
        c.where_sql()
    );
    let n: i64 =
        on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args()).fetch_one(pool).await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

async fn count(
    db: &Db,
    source: &Source<'_>,
    filter: &UserFilter,
    others: &[&String],
) -> Result<u64, sqlx::Error> {
    let read = Read::Index {
        user_rows: filter.reads_user_rows(),
    };
    let (from, id, c) = conditions(source, read, filter, others);
    // A user has one index row per word, so a range of several words may hold them
    // more than once: 150,000 rows of `l*` counted so in 100 ms on PostgreSQL, against 380 ms for a
    // scan of the users joined to them.
    let counted = match source {
        Source::Range(_) => format!("COUNT(DISTINCT {id})"),
        _ => "COUNT(*)".to_string(),
    };
    let sql = format!("SELECT {counted} FROM {from}{}", c.where_sql());
    let n: i64 =
        on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args()).fetch_one(pool).await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
