//! One storage layer, two engines.
//!
//! SQL is written once with `$N` placeholders and portable types; [`on_db!`] stamps the
//! same query onto whichever pool is configured (the seafowl / vaultwarden pattern).
//! `sqlx::Any` is avoided on purpose: it cannot carry uuid, chrono or decimal values.

use crate::model::system::DatabaseKind;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection as _, PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Heap SQLite may hold across all connections of the process (the pragma is global):
/// past it, a connection recycles its least recently used cached pages instead of
/// growing its own 2 MB cache, and a pass over the OS page cache replaces the copy.
/// Eight full caches plus the statements held about 22 MB, and one query's sort
/// briefly 53 MB (measured through the bench, docs/benchmarks.md session 19).
const SQLITE_SOFT_HEAP_LIMIT: u64 = 8 * 1024 * 1024;

/// How long a PostgreSQL connection may sit idle before it is checked again on use.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(60);

/// The database the process talks to, chosen by the scheme of `DATABASE_URL`.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same block against whichever backend `$db` holds, with `$pool` bound to
/// the concrete pool (or connection / transaction) of that backend.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::backend::db::Db::Sqlite($pool) => $body,
            $crate::backend::db::Db::Postgres($pool) => $body,
        }
    };
}

impl Db {
    /// Opens a pool for `url` (`sqlite://path` or `postgres://…`). A SQLite file and its
    /// folder are created on first use.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                // sqlx checks every connection on its way back to the pool; a second
                // round trip before each use only pays off after a long idle, when the
                // server may have closed it.
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for > IDLE_BEFORE_PING {
                            conn.ping().await?;
                        }
                        Ok(true)
                    })
                })
                .connect_with(options)
                .await?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            create_parent_dir(url)?;
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("soft_heap_limit", SQLITE_SOFT_HEAP_LIMIT.to_string());
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                // A SQLite connection is a file on this machine, served by its own
                // worker thread: a ping before each use is two thread switches and
                // finds nothing (sqlx checks it on its way back to the pool anyway).
                .test_before_acquire(false)
                .after_connect(|conn, _| Box::pin(plans_independent_of_bound_values(conn)))
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else {
            Err(sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite: or postgres://, got {url:?}").into(),
            ))
        }
    }

    /// Applies the migrations embedded at build time for this backend.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await,
        }
    }

    pub fn kind(&self) -> DatabaseKind {
        match self {
            Db::Sqlite(_) => DatabaseKind::Sqlite,
            Db::Postgres(_) => DatabaseKind::Postgres,
        }
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// Turns on SQLite's query-planner stability guarantee for a new connection. Without
/// it, once `ANALYZE` has sampled an index (`sqlite_stat4`), a statement whose plan
/// could depend on a bound value (`creator_id = $1`) is compiled again every time a
/// value is bound, so the statement cache saved nothing: a fifth of the worker
/// threads' time under the members-list load (docs/benchmarks.md, session 20). Plans
/// then come from the per-index averages (`sqlite_stat1`), the same for every value.
async fn plans_independent_of_bound_values(
    conn: &mut sqlx::SqliteConnection,
) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is this connection's open handle, held locked for the call;
    // ENABLE_QPSG takes an int and an optional int* for the previous value.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(
            format!("sqlite3_db_config(ENABLE_QPSG) failed with code {rc}").into(),
        ))
    }
}

/// `sqlite://data/encora.db` needs `data/` to exist before SQLite can create the file.
fn create_parent_dir(url: &str) -> Result<(), sqlx::Error> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
    }
    Ok(())
}

/// A write transaction on either backend.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Like [`on_db!`], for a `&mut Tx`: `$conn` is the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::backend::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::backend::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

impl Db {
    /// Starts a write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`): concurrent writers then wait on the busy timeout instead of
    /// failing with "database is locked" when a read transaction tries to upgrade.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Db::Sqlite(pool) => Ok(Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)),
            Db::Postgres(pool) => Ok(Tx::Postgres(pool.begin().await?)),
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}
