//! One storage layer, two engines.
//!
//! SQL is written once with `$N` placeholders and portable types; [`on_db!`] stamps the
//! same query onto whichever pool is configured (the seafowl / vaultwarden pattern).
//! `sqlx::Any` is avoided on purpose: it cannot carry uuid, chrono or decimal values.

use crate::backend::pagination::MAX_LIMIT;
use crate::model::system::DatabaseKind;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection as _, PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Connections to a SQLite database. sqlx serves each from a worker thread of its own,
/// and on this 2-core machine four served the members list faster than eight (6.1 and
/// 7.4 ms p50 in two runs against 8.4, 32 requests in flight, 1 MiB caches; two
/// connections: 9.6 ms) with less memory (docs/benchmarks.md, session 20). Writers
/// queue on SQLite's single write lock whatever the count.
const SQLITE_CONNECTIONS: u32 = 4;

/// Page cache of each SQLite connection, in KiB (SQLite's default is 2,000). SQLite is
/// built without its global memory statistics (.cargo/config.toml), so a process-wide
/// `soft_heap_limit` would not be enforced; the cap is per connection. A sort spills
/// to a temporary file past the larger of this and 250 pages (about 1 MB). Pages left
/// out stay in the OS's file cache. The bench's peak resident memory at 1,000
/// connections (4 connections): 71 MB with 512 KiB, 76–78 MB with 1,024, 87 MB with
/// 2,000; engagement's p50 15 -> 19 ms with 512, the rest within run-to-run spread.
const SQLITE_CACHE_KIB: u32 = 512;

/// Rows a SQLite worker thread may send ahead of the task reading them (sqlx's default
/// is 50). A statement's rows cross from the worker to the task through a channel of
/// this size, and a full API page is `MAX_LIMIT + 1` rows and the statement's result:
/// with 50, the worker stopped at the fiftieth row and went on one row per wake-up of
/// the task. Members by 100 on the full-scale database, 32 in flight: 39.9 thread
/// switches a page instead of 8.2, 2,294–3,133 pages a second instead of 3,684–3,753,
/// 631–944 µs of server CPU a page instead of 502–517 (docs/benchmarks.md, session
/// 48). Rows beyond it still wait, so a long read never holds more than this many.
const SQLITE_ROW_BUFFER: usize = 256;
const _: () = assert!(SQLITE_ROW_BUFFER > MAX_LIMIT as usize + 1);

/// How long a PostgreSQL connection may sit idle before it is checked again on use.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(60);

/// The database the process talks to, chosen by the scheme of `DATABASE_URL`: a pool,
/// or one connection of it held for a run of reads ([`Db::hold`]).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
    HeldSqlite(Held<sqlx::Sqlite>),
    HeldPostgres(Held<sqlx::Postgres>),
}

/// One pooled connection shared by the clones of a held [`Db`], given back to the pool
/// when the last is dropped. Statements on it take turns.
pub type Held<DB> = std::sync::Arc<tokio::sync::Mutex<sqlx::pool::PoolConnection<DB>>>;

/// Runs the same block against whichever backend `$db` holds, with `$pool` bound to
/// the concrete pool, or to the connection a held `Db` has. That connection stays
/// locked while the block runs, so the block runs its statements on `$pool` only.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::backend::db::Db::Sqlite($pool) => $body,
            $crate::backend::db::Db::Postgres($pool) => $body,
            $crate::backend::db::Db::HeldSqlite(held) => {
                let mut held = held.lock().await;
                let $pool = &mut **held;
                $body
            }
            $crate::backend::db::Db::HeldPostgres(held) => {
                let mut held = held.lock().await;
                let $pool = &mut **held;
                $body
            }
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
                .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"))
                .row_buffer_size(SQLITE_ROW_BUFFER);
            let pool = SqlitePoolOptions::new()
                .max_connections(SQLITE_CONNECTIONS)
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
            Db::HeldSqlite(_) | Db::HeldPostgres(_) => Err(sqlx::migrate::MigrateError::Execute(
                held_is_for_reads("migrations"),
            )),
        }
    }

    pub fn kind(&self) -> DatabaseKind {
        match self {
            Db::Sqlite(_) | Db::HeldSqlite(_) => DatabaseKind::Sqlite,
            Db::Postgres(_) | Db::HeldPostgres(_) => DatabaseKind::Postgres,
        }
    }

    /// Takes the query planner's statistics of every table, after a bulk load.
    pub async fn analyze(&self) -> Result<(), sqlx::Error> {
        self.take_statistics("ANALYZE", Some("ANALYZE")).await
    }

    /// Takes the query planner's statistics again for the tables whose size changed a
    /// lot since they were taken. `PRAGMA optimize` with bit 0x10000 checks every table
    /// and analyses those that grew or shrank many times over, with a time limit of its
    /// own (SQLite 3.46). PostgreSQL's autovacuum does this by itself.
    pub async fn refresh_statistics(&self) -> Result<(), sqlx::Error> {
        self.take_statistics("PRAGMA optimize = 0x10002", None)
            .await
    }

    /// Runs `sqlite` (or `postgres`, if any) to take statistics; on SQLite the job
    /// queue's are then pinned (see [`pin_queue_statistics`]) in the same transaction,
    /// so no connection ever loads the ones just taken.
    async fn take_statistics(
        &self,
        sqlite: &str,
        postgres: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        match (self, postgres) {
            (Db::Sqlite(pool), _) => {
                take_sqlite_statistics(&mut *pool.acquire().await?, sqlite).await
            }
            (Db::HeldSqlite(held), _) => {
                take_sqlite_statistics(&mut **held.lock().await, sqlite).await
            }
            (Db::Postgres(_) | Db::HeldPostgres(_), None) => Ok(()),
            (Db::Postgres(pool), Some(postgres)) => {
                sqlx::query(postgres).execute(pool).await.map(|_| ())
            }
            (Db::HeldPostgres(held), Some(postgres)) => {
                let mut held = held.lock().await;
                sqlx::query(postgres).execute(&mut **held).await.map(|_| ())
            }
        }
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    /// Closes a pool; a held connection goes back with its last clone instead.
    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
            Db::HeldSqlite(_) | Db::HeldPostgres(_) => {}
        }
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
    query_planner_stability(conn, 1).await.map(|_| ())
}

/// Sets SQLite's query-planner stability guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`) of
/// `conn` to `value` (1 on, 0 off, -1 unchanged) and returns the setting now in force.
async fn query_planner_stability(
    conn: &mut sqlx::SqliteConnection,
    value: std::ffi::c_int,
) -> Result<std::ffi::c_int, sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    let mut now: std::ffi::c_int = -1;
    // SAFETY: `db` is this connection's open handle, held locked for the call;
    // ENABLE_QPSG takes an int and an int* that receives the setting after the call.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            value,
            &mut now as *mut std::ffi::c_int,
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(now)
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

impl Db {
    /// The same database on one connection of the pool, for a request's several reads.
    /// Each statement run on a pool takes a connection and gives it back, and sqlx
    /// checks every connection given back with a ping: on SQLite, whose connections
    /// each live on a worker thread, a statement and its ping are about four thread
    /// switches. The members list's reads (team role, tier, counts, page) on one held
    /// connection took 12.1 switches per request instead of 15.8 (docs/benchmarks.md,
    /// session 21).
    ///
    /// Hold it only while the reads run: it is one of few (`SQLITE_CONNECTIONS`). Its
    /// holder must not use the pool meanwhile (take a second connection), or requests
    /// that each hold one could wait on each other until the acquire timeout; holding
    /// a held `Db` again hands out the same connection. Writes begin on the pool
    /// ([`Db::begin`] refuses a held connection).
    pub async fn hold(&self) -> Result<Db, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Db::HeldSqlite(std::sync::Arc::new(pool.acquire().await?.into())),
            Db::Postgres(pool) => {
                Db::HeldPostgres(std::sync::Arc::new(pool.acquire().await?.into()))
            }
            Db::HeldSqlite(_) | Db::HeldPostgres(_) => self.clone(),
        })
    }
}

fn held_is_for_reads(what: &str) -> sqlx::Error {
    sqlx::Error::Configuration(format!("{what} need the pool, not a held connection").into())
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

/// Where a read runs: a [`Db`] (the pool or a held connection) or a write [`Tx`]. A
/// finder taking `impl Into<Conn>` serves requests and transactions alike, so a lookup
/// that both make is written once.
pub enum Conn<'a> {
    Db(&'a Db),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Db> for Conn<'a> {
    fn from(db: &'a Db) -> Self {
        Conn::Db(db)
    }
}

impl<'a> From<&'a mut Tx> for Conn<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        Conn::Tx(tx)
    }
}

/// [`on_db!`] or [`on_tx!`], whichever a [`Conn`] holds.
#[macro_export]
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::backend::db::Conn::Db(db) => $crate::on_db!(db, $c => $body),
            $crate::backend::db::Conn::Tx(tx) => $crate::on_tx!(tx, $c => $body),
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
            Db::HeldSqlite(_) | Db::HeldPostgres(_) => Err(held_is_for_reads("write transactions")),
        }
    }
}

impl Tx {
    pub fn kind(&self) -> DatabaseKind {
        match self {
            Tx::Sqlite(_) => DatabaseKind::Sqlite,
            Tx::Postgres(_) => DatabaseKind::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// Takes SQLite's statistics with `statement` and pins the job queue's, then has this
/// connection plan on them (the others load them when they next open or see the schema
/// change).
async fn take_sqlite_statistics(
    conn: &mut sqlx::SqliteConnection,
    statement: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
    sqlx::query(statement).execute(&mut *tx).await?;
    pin_queue_statistics(&mut tx).await?;
    tx.commit().await?;
    sqlx::query("ANALYZE sqlite_schema")
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Replaces what `ANALYZE` saw of the job queue with the figures of a large queue with
/// few jobs due. The queue holds 2 jobs one hour and 100,000 the next (a renewal day),
/// and SQLite plans on the last statistics taken: analysed at 2 jobs, it read the whole
/// queue for every claimed batch once it held 200,000 (docs/benchmarks.md, session 22),
/// whether the ids were matched with `IN` or joined. On a large queue, looking jobs up
/// by id costs little when it is small; the reverse does not hold.
async fn pin_queue_statistics(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    // Rows per index: all of them, then per distinct value of each leading column.
    const PINNED: &str = "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES \
        ('jobs', 'sqlite_autoindex_jobs_1', '1000000 1'), \
        ('jobs', 'jobs_due', '1000000 500000 1'), \
        ('jobs', 'jobs_queued_dedupe', '1000 1')";
    sqlx::query("DELETE FROM sqlite_stat1 WHERE tbl = 'jobs'")
        .execute(&mut *conn)
        .await?;
    sqlx::query(PINNED).execute(&mut *conn).await?;
    // Samples of the values in each index, when SQLite is built to keep them.
    let samples: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4')",
    )
    .fetch_one(&mut *conn)
    .await?;
    if samples {
        sqlx::query("DELETE FROM sqlite_stat4 WHERE tbl = 'jobs'")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A SQLite database in a directory of its own (the test removes it), and its pool.
#[cfg(test)]
pub(crate) async fn scratch_sqlite() -> (Db, SqlitePool, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("encora-db-{}", uuid::Uuid::new_v4()));
    let (db, pool) = open_scratch(&dir).await;
    (db, pool, dir)
}

/// Opens the scratch database in `dir` (again), and its pool.
#[cfg(test)]
pub(crate) async fn open_scratch(dir: &std::path::Path) -> (Db, SqlitePool) {
    let db = Db::connect(&format!("sqlite://{}/t.db", dir.display()))
        .await
        .expect("opens");
    let Db::Sqlite(pool) = &db else {
        panic!("a sqlite URL opens a SQLite pool")
    };
    let pool = pool.clone();
    (db, pool)
}

/// An `EXPLAIN QUERY PLAN` with its values bound.
#[cfg(test)]
pub(crate) type Explain<'q> = sqlx::query::QueryAs<
    'q,
    sqlx::Sqlite,
    (i64, i64, i64, String),
    sqlx::sqlite::SqliteArguments<'q>,
>;

/// The steps of an `EXPLAIN QUERY PLAN`, one per line.
#[cfg(test)]
pub(crate) async fn plan(pool: &SqlitePool, explain: Explain<'_>) -> String {
    let rows = explain.fetch_all(pool).await.expect("plans");
    let steps: Vec<String> = rows.into_iter().map(|(.., step)| step).collect();
    steps.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What each pooled SQLite connection is opened with: plans that do not depend on
    /// bound values (otherwise statements are compiled again on every use), the
    /// capped page cache, and a row channel that holds a full page.
    #[tokio::test]
    async fn sqlite_connections_keep_their_plans_and_a_small_cache() {
        let (db, pool, dir) = scratch_sqlite().await;
        let mut conn = pool.acquire().await.expect("a connection");
        let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(&mut *conn)
            .await
            .expect("reads the pragma");
        assert_eq!(cache, -i64::from(SQLITE_CACHE_KIB));
        let qpsg = query_planner_stability(&mut conn, -1)
            .await
            .expect("reads the setting");
        assert_eq!(qpsg, 1);
        assert_eq!(pool.options().get_max_connections(), SQLITE_CONNECTIONS);
        // sqlx offers no getter for the row channel; its options' Debug names it.
        let options = format!("{:?}", pool.connect_options());
        assert!(
            options.contains(&format!("row_channel_size: {SQLITE_ROW_BUFFER},")),
            "{options}"
        );
        drop(conn);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Statistics taken when a table was small are taken again once it has grown: the
    /// plans of the job queue's statements depend on them.
    #[tokio::test]
    async fn statistics_follow_a_table_that_grew() {
        let (db, pool, dir) = scratch_sqlite().await;
        let rows_seen = || async {
            sqlx::query_scalar::<_, String>("SELECT stat FROM sqlite_stat1 WHERE tbl = 'queue'")
                .fetch_optional(&pool)
                .await
                .expect("reads the statistics")
                .and_then(|stat| stat.split(' ').next()?.parse::<u64>().ok())
        };
        for statement in [
            "CREATE TABLE queue (id INTEGER PRIMARY KEY, due TEXT NOT NULL)",
            "CREATE INDEX queue_due ON queue (due)",
            "INSERT INTO queue (due) VALUES ('a'), ('b')",
            "ANALYZE",
        ] {
            sqlx::query(statement)
                .execute(&pool)
                .await
                .expect(statement);
        }
        assert_eq!(rows_seen().await, Some(2));
        db.refresh_statistics().await.expect("refreshes");
        assert_eq!(
            rows_seen().await,
            Some(2),
            "nothing changed, nothing analysed"
        );
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) \
             INSERT INTO queue (due) SELECT printf('%08d', i) FROM n",
        )
        .execute(&pool)
        .await
        .expect("fills the table");
        db.refresh_statistics().await.expect("refreshes");
        let seen = rows_seen().await.expect("still analysed");
        assert!(seen > 10_000, "the statistics saw {seen} rows of 20,002");
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A held `Db` runs every statement, its clones' and holds of it included, on one
    /// connection (a temporary table is seen only by the connection that made it), gives
    /// it back when the last clone goes, and refuses to begin a write.
    #[tokio::test]
    async fn a_held_db_runs_on_one_connection_until_dropped() {
        let (db, pool, dir) = scratch_sqlite().await;
        let held = db.hold().await.expect("holds a connection");
        on_db!(&held, conn => sqlx::query("CREATE TEMP TABLE seen (x INTEGER)").execute(conn).await.map(|_| ()))
            .expect("creates the table");
        let again = held.hold().await.expect("holds the same connection");
        let rows: i64 =
            on_db!(&again.clone(), conn => sqlx::query_scalar("SELECT COUNT(*) FROM seen")
            .fetch_one(conn)
            .await)
            .expect("the held connection sees its temporary table");
        assert_eq!(rows, 0);
        assert_eq!(
            pool.size() - pool.num_idle() as u32,
            1,
            "one connection out"
        );
        assert!(held.begin().await.is_err(), "writes begin on the pool");
        drop((held, again));
        // The pool takes a connection back on a task of its own (after a ping).
        for _ in 0..200 {
            if pool.num_idle() as u32 == pool.size() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(pool.num_idle() as u32, pool.size(), "given back");
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
