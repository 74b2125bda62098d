//! Cursor pagination: `?cursor=&limit=` (1–100, default 20). Cursors are opaque to
//! clients; inside they name the row id to continue after (next) or before (prev).
//! Ids are UUID v7, so id order is creation order on both engines.

use crate::backend::error::{AppError, FieldError};
use crate::model::page::{Page, PageMeta};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use uuid::Uuid;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` or `prev_cursor` from the previous page's `meta`.
    pub cursor: Option<String>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Rows with a larger id than the anchor, ascending.
    After(Uuid),
    /// Rows with a smaller id than the anchor (the previous page), fetched descending.
    Before(Uuid),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub direction: Option<Direction>,
    pub limit: u32,
}

impl PageRequest {
    /// The first page of `limit` items.
    pub fn first(limit: u32) -> Self {
        Self {
            direction: None,
            limit,
        }
    }
}

impl PageQuery {
    pub fn parse(&self) -> Result<PageRequest, AppError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        let mut errors = Vec::new();
        if !(1..=MAX_LIMIT).contains(&limit) {
            errors.push(FieldError::new(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let direction = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(cursor) => match decode(cursor) {
                Some(direction) => Some(direction),
                None => {
                    errors.push(FieldError::new(
                        "cursor",
                        "is not a cursor this API returned",
                    ));
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(PageRequest { direction, limit })
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

fn encode(direction: Direction) -> String {
    let text = match direction {
        Direction::After(id) => format!("a:{id}"),
        Direction::Before(id) => format!("b:{id}"),
    };
    URL_SAFE_NO_PAD.encode(text)
}

fn decode(cursor: &str) -> Option<Direction> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let (kind, id) = text.split_once(':')?;
    let id = Uuid::parse_str(id).ok()?;
    match kind {
        "a" => Some(Direction::After(id)),
        "b" => Some(Direction::Before(id)),
        _ => None,
    }
}

/// Builds the page from rows fetched with `limit + 1` in the query's direction (the
/// extra row only tells whether more exist). `id` names each row's key.
pub fn into_page<T>(
    request: PageRequest,
    mut rows: Vec<T>,
    total: u64,
    id: impl Fn(&T) -> Uuid,
) -> Page<T> {
    let limit = request.limit as usize;
    let extra = rows.len() > limit;
    rows.truncate(limit);
    let backwards = matches!(request.direction, Some(Direction::Before(_)));
    if backwards {
        rows.reverse();
    }
    // Going forward, the extra row means a next page; going back, a previous one.
    let (has_next, has_prev) = match request.direction {
        None => (extra, false),
        Some(Direction::After(_)) => (extra, true),
        Some(Direction::Before(_)) => (true, extra),
    };
    let next_cursor = has_next
        .then(|| rows.last().map(|r| encode(Direction::After(id(r)))))
        .flatten();
    let prev_cursor = has_prev
        .then(|| rows.first().map(|r| encode(Direction::Before(id(r)))))
        .flatten();
    Page {
        meta: PageMeta {
            total,
            count: rows.len() as u64,
            limit: request.limit,
            has_more: has_next,
            next_cursor,
            prev_cursor,
        },
        data: rows,
    }
}

/// The SQL of one keyset page: `select_from` (`SELECT … FROM table`) with an optional
/// constant `filter`, ordered by id, `$1` the row limit and `$2` the anchor id (returned
/// for binding when there is one).
pub fn keyset_query(
    select_from: &str,
    filter: Option<&str>,
    direction: Option<Direction>,
) -> (String, Option<Uuid>) {
    let and_filter = filter.map(|f| format!(" AND ({f})")).unwrap_or_default();
    let where_filter = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
    match direction {
        None => (
            format!("{select_from}{where_filter} ORDER BY id LIMIT $1"),
            None,
        ),
        Some(Direction::After(id)) => (
            format!("{select_from} WHERE id > $2{and_filter} ORDER BY id LIMIT $1"),
            Some(id),
        ),
        Some(Direction::Before(id)) => (
            format!("{select_from} WHERE id < $2{and_filter} ORDER BY id DESC LIMIT $1"),
            Some(id),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_cursors_are_validated() {
        assert_eq!(PageQuery::default().parse().unwrap().limit, 20);
        assert!(PageQuery {
            limit: Some(0),
            cursor: None
        }
        .parse()
        .is_err());
        assert!(PageQuery {
            limit: Some(101),
            cursor: None
        }
        .parse()
        .is_err());
        assert!(PageQuery {
            limit: None,
            cursor: Some("garbage!".into())
        }
        .parse()
        .is_err());
        let id = Uuid::now_v7();
        let cursor = encode(Direction::After(id));
        let parsed = PageQuery {
            limit: Some(5),
            cursor: Some(cursor),
        }
        .parse()
        .unwrap();
        assert_eq!(parsed.direction, Some(Direction::After(id)));
    }
}
