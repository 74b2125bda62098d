//! WHERE clauses assembled from optional filters. Only the filters given become SQL,
//! so each query keeps a plan that can use its index, and every value is a bound
//! parameter, never text pasted into the statement.

use crate::backend::pagination::{Direction, PageRequest};
use crate::model::system::DatabaseKind;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A bound value.
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Time(DateTime<Utc>),
    Id(Uuid),
    Int(i64),
    Bool(bool),
    MaybeText(Option<String>),
    MaybeTime(Option<DateTime<Utc>>),
    MaybeId(Option<Uuid>),
    MaybeInt(Option<i64>),
}

impl Arg {
    /// Each of `ids`, for an `IN ({numbered(ids.len())})` list.
    pub fn ids(ids: &[Uuid]) -> Vec<Arg> {
        ids.iter().map(|id| Arg::Id(*id)).collect()
    }
}

/// `sql` as `kind` binds it fastest: on SQLite, its `$1, $2, …` written `?` when each
/// appears once and in order. SQLite finds a numbered parameter by walking the list of
/// all of them and sqlx asks it for every parameter's number, so binding n numbered
/// values takes n²/2 steps: 2.9 ms for the 1,408 of 64 rows of 22 columns, against
/// 0.16 ms for the same rows as `?`. Anything else is left as written.
pub fn bound_in_order(kind: DatabaseKind, sql: String) -> String {
    if kind != DatabaseKind::Sqlite {
        return sql;
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql.as_str();
    let mut expected = 1_usize;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - at - 1);
        if rest[at + 1..at + 1 + digits].parse() != Ok(expected) {
            return sql;
        }
        out.push('?');
        expected += 1;
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

/// `$1, $2, …` for every column of a comma-separated column list, for an INSERT of a
/// whole row whose values are bound in the same order.
pub fn placeholders(columns: &str) -> String {
    numbered(columns.split(',').count())
}

/// `$1, $2, …, $n`, for an `IN (…)` list bound in order.
pub fn numbered(n: usize) -> String {
    numbered_from(0, n)
}

/// `($1, $2), ($3, $4), …`: `rows` rows of `columns` values each, for a multi-row
/// INSERT whose values are bound row after row.
pub fn value_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", numbered_from(row * columns, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `WITH {name} AS MATERIALIZED (VALUES ($1, …), …)`: `rows` rows of `columns` values,
/// for an `UPDATE … FROM {name}` of many rows by id (both databases name the columns
/// `column1`, `column2`, …). Materialized, the rows are walked and each is sought in
/// the table. Given the same VALUES in the FROM clause itself, SQLite 3.46 and later may
/// scan the table's whole id index against a Bloom filter of them instead: 62 ms for 64
/// of 476,000 subscriptions, against 2 ms (docs/benchmarks.md, session 31).
pub fn values_cte(name: &str, rows: usize, columns: usize) -> String {
    format!(
        "WITH {name} AS MATERIALIZED (VALUES {})",
        value_rows(rows, columns)
    )
}

fn numbered_from(after: usize, n: usize) -> String {
    (after + 1..=after + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `b = $2, c = $3, …` for a column list whose first column is the key (`$1`), for an
/// UPDATE of a whole row bound in the column order.
pub fn assignments(columns: &str) -> String {
    columns
        .split(',')
        .map(str::trim)
        .enumerate()
        .skip(1)
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Clone, Debug, Default)]
pub struct Conditions {
    clauses: Vec<String>,
    args: Vec<Arg>,
}

impl Conditions {
    /// Adds `clause`, in which every `{}` stands for the parameter bound to `arg`.
    pub fn bind(&mut self, clause: &str, arg: Arg) {
        self.args.push(arg);
        let placeholder = format!("${}", self.args.len());
        self.clauses.push(clause.replace("{}", &placeholder));
    }

    /// Adds `clause`, in which the n-th `{}` stands for the parameter bound to the n-th
    /// of `args`.
    pub fn bind_each(&mut self, clause: &str, args: Vec<Arg>) {
        let mut parts = clause.split("{}");
        let mut sql = parts.next().unwrap_or_default().to_string();
        for (part, arg) in parts.zip(args) {
            self.args.push(arg);
            sql.push_str(&format!("${}{part}", self.args.len()));
        }
        self.clauses.push(sql);
    }

    /// Adds one clause: the conditions `build` adds, joined by AND, in place of `{}` in
    /// `template` (a subquery's WHERE), their parameters numbered after these.
    pub fn group(&mut self, template: &str, build: impl FnOnce(&mut Conditions)) {
        let inner = self.nested(build);
        self.clauses.push(template.replace("{}", &inner));
    }

    /// The conditions `build` adds, joined by AND, for a subquery written apart from
    /// these: their parameters are numbered after these, and bound with them.
    pub fn nested(&mut self, build: impl FnOnce(&mut Conditions)) -> String {
        let mut inner = Conditions {
            clauses: Vec::new(),
            args: std::mem::take(&mut self.args),
        };
        build(&mut inner);
        self.args = inner.args;
        inner.clauses.join(" AND ")
    }

    /// Adds a clause without a parameter.
    pub fn fixed(&mut self, clause: &str) {
        self.clauses.push(clause.to_string());
    }

    /// ` WHERE a AND b`, or nothing without conditions.
    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    /// Turns the conditions into one keyset page, newest first by `id_column` (UUID v7,
    /// so creation order): adds the cursor's condition and returns the `ORDER BY … LIMIT`
    /// tail, fetching `limit + 1` rows as `pagination::into_page` expects.
    pub fn newest_first_page(&mut self, id_column: &str, request: PageRequest) -> String {
        let order = match request.direction {
            None => "DESC",
            Some(Direction::After(id)) => {
                self.bind(&format!("{id_column} < {{}}"), Arg::Id(id));
                "DESC"
            }
            Some(Direction::Before(id)) => {
                self.bind(&format!("{id_column} > {{}}"), Arg::Id(id));
                "ASC"
            }
        };
        self.args.push(Arg::Int(i64::from(request.limit) + 1));
        format!(" ORDER BY {id_column} {order} LIMIT ${}", self.args.len())
    }
}

/// Binds every argument of `Conditions::args()` to a sqlx query, in order.
#[macro_export]
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                $crate::backend::store::conditions::Arg::Text(v) => query.bind(v),
                $crate::backend::store::conditions::Arg::Time(v) => query.bind(*v),
                $crate::backend::store::conditions::Arg::Id(v) => query.bind(*v),
                $crate::backend::store::conditions::Arg::Int(v) => query.bind(*v),
                $crate::backend::store::conditions::Arg::Bool(v) => query.bind(*v),
                $crate::backend::store::conditions::Arg::MaybeText(v) => query.bind(v),
                $crate::backend::store::conditions::Arg::MaybeTime(v) => query.bind(*v),
                $crate::backend::store::conditions::Arg::MaybeId(v) => query.bind(*v),
                $crate::backend::store::conditions::Arg::MaybeInt(v) => query.bind(*v),
            };
        }
        query
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_rows_bind_in_column_order() {
        assert_eq!(placeholders("id, a,b"), "$1, $2, $3");
        assert_eq!(assignments("id, a,b"), "a = $2, b = $3");
        assert_eq!(value_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(value_rows(1, 1), "($1)");
    }

    #[test]
    fn sqlite_binds_parameters_used_once_in_order_by_position() {
        let sqlite = |sql: &str| bound_in_order(DatabaseKind::Sqlite, sql.to_string());
        assert_eq!(sqlite("VALUES ($1, $2), ($3, $4)"), "VALUES (?, ?), (?, ?)");
        assert_eq!(sqlite("a = $1 AND b = $10"), "a = $1 AND b = $10");
        assert_eq!(sqlite("a = $1 OR $1 IS NULL"), "a = $1 OR $1 IS NULL");
        assert_eq!(sqlite("a = $2, b = $1"), "a = $2, b = $1");
        assert_eq!(sqlite("a = $"), "a = $");
        assert_eq!(sqlite("no parameters"), "no parameters");
        let postgres = bound_in_order(DatabaseKind::Postgres, "($1, $2)".to_string());
        assert_eq!(postgres, "($1, $2)");
    }

    #[test]
    fn placeholders_follow_the_order_of_the_arguments() {
        let mut c = Conditions::default();
        assert_eq!(c.where_sql(), "");
        c.bind("status = {}", Arg::Text("active".into()));
        c.fixed("status <> 'deleted'");
        c.bind("({} IS NULL OR role = {})", Arg::Text("admin".into()));
        let tail = c.newest_first_page("id", PageRequest::first(20));
        assert_eq!(
            c.where_sql(),
            " WHERE status = $1 AND status <> 'deleted' AND ($2 IS NULL OR role = $2)"
        );
        assert_eq!(tail, " ORDER BY id DESC LIMIT $3");
        assert!(matches!(c.args()[2], Arg::Int(21)));
    }

    #[test]
    fn grouped_and_ranged_conditions_number_on() {
        let mut c = Conditions::default();
        c.bind("a = {}", Arg::Int(1));
        c.group("id IN (SELECT id FROM t WHERE {})", |inner| {
            inner.bind("b = {}", Arg::Int(2));
            inner.bind_each("w >= {} AND w < {}", vec![Arg::Int(3), Arg::Int(4)]);
        });
        c.bind("c = {}", Arg::Int(5));
        assert_eq!(
            c.where_sql(),
            " WHERE a = $1 AND id IN (SELECT id FROM t WHERE b = $2 AND w >= $3 AND w < $4) \
             AND c = $5"
        );
        assert_eq!(c.args().len(), 5);
    }
}
