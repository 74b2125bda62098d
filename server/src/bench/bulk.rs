//! Multi-row inserts for generated data: one statement per chunk of rows, the same
//! code on both backends (`on_db!` expands it once per pool type).

use app::backend::db::Db;
use app::on_db;
use chrono::{DateTime, Utc};
// `begin` on the connection a held `Db` has.
use sqlx::{Connection as _, QueryBuilder};
use uuid::Uuid;

/// One column value of a generated row.
#[derive(Clone, Debug)]
pub enum Value {
    Id(Uuid),
    NoId,
    Text(String),
    NoText,
    Int(i64),
    NoInt,
    Bool(bool),
    At(DateTime<Utc>),
    NoAt,
}

/// Bound parameters per statement, under SQLite's limit of 32,766.
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` into `table` in as few statements as the parameter limit allows,
/// inside one transaction (a failure leaves nothing half written).
pub async fn insert(
    db: &Db,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let per_statement = (MAX_PARAMS / columns.len()).max(1);
    let head = format!("INSERT INTO {table} ({}) ", columns.join(", "));
    on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        for chunk in rows.chunks(per_statement) {
            let mut query = QueryBuilder::new(&head);
            query.push_values(chunk, |mut row, values| {
                for value in values {
                    match value {
                        Value::Id(id) => row.push_bind(*id),
                        Value::NoId => row.push_bind(None::<Uuid>),
                        Value::Text(text) => row.push_bind(text.clone()),
                        Value::NoText => row.push_bind(None::<String>),
                        Value::Int(n) => row.push_bind(*n),
                        Value::NoInt => row.push_bind(None::<i64>),
                        Value::Bool(b) => row.push_bind(*b),
                        Value::At(at) => row.push_bind(*at),
                        Value::NoAt => row.push_bind(None::<DateTime<Utc>>),
                    };
                }
            });
            query.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}
