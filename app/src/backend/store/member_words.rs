//! The members list's word index (migration 0042): each membership under every distinct
//! word of its member's name and email (`domain::search_terms`), with the tier, status
//! and engagement level the list filters and counts by, and its rollup
//! `member_word_counts` (0043). Kept here, in the transaction of each membership write
//! (`memberships::insert`, `update`) and of each change to a user's name or email
//! (`users`).
//!
//! A search word matches a member when it starts one of the member's words: a range of
//! words, `[word, prefix_end(word))`. A search of one word whose range holds one word
//! is counted from the rollup; any other from the index alone (its longest word drives,
//! the others are probed on the primary key). A page either probes each member it
//! walks newest first or, when few members match, takes them from the index, a seek per
//! key of the rollup that holds them, and sorts them; when the driving word's range
//! holds one word, it walks that word's members in membership order (`newest_matching`).

use super::conditions::{Arg, Conditions};
use super::memberships::{MemberFilter, MembershipRow};
use crate::backend::db::{Db, Tx};
use crate::backend::domain::search_terms::{document_words, prefix_end, split_driving};
use crate::backend::pagination::PageRequest;
use crate::model::system::DatabaseKind;
use crate::{bind_all, on_db, on_tx};
use uuid::Uuid;

/// Indexes a new membership (already written) under its member's words.
pub async fn add(tx: &mut Tx, row: &MembershipRow) -> Result<(), sqlx::Error> {
    let (name, email): (String, String) = on_tx!(tx, conn => sqlx::query_as(
        "SELECT display_name, email FROM users WHERE id = $1",
    )
    .bind(row.user_id)
    .fetch_one(conn)
    .await)?;
    insert(tx, "m.id", row.id, &document_words(&[&name, &email])).await?;
    count_rows(tx, MEMBERSHIP_ROWS, row.id, 1).await
}

/// The index rows of the membership `$1`.
const MEMBERSHIP_ROWS: &str = "membership_id = $1";

/// Moves the membership's index rows, and their counts, to its tier, status and level.
pub async fn refilter(tx: &mut Tx, row: &MembershipRow) -> Result<(), sqlx::Error> {
    count_rows(tx, MEMBERSHIP_ROWS, row.id, -1).await?;
    let update = format!(
        "UPDATE member_words SET tier_id = $2, status = $3, engagement_level = $4 \
         WHERE {MEMBERSHIP_ROWS}"
    );
    on_tx!(tx, conn => sqlx::query(&update)
    .bind(row.id)
    .bind(row.tier_id)
    .bind(&row.status)
    .bind(&row.engagement_level)
    .execute(conn)
    .await
    .map(|_| ()))?;
    count_rows(tx, MEMBERSHIP_ROWS, row.id, 1).await
}

/// The index rows of every membership of the user `$1`.
const USER_ROWS: &str = "membership_id IN (SELECT id FROM memberships WHERE user_id = $1)";

/// Indexes every membership of the user again, under the words of their new name and
/// email.
pub async fn reindex_user(
    tx: &mut Tx,
    user_id: Uuid,
    display_name: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    count_rows(tx, USER_ROWS, user_id, -1).await?;
    let delete = format!("DELETE FROM member_words WHERE {USER_ROWS}");
    on_tx!(tx, conn => sqlx::query(&delete)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ()))?;
    let words = document_words(&[display_name, email]);
    insert(tx, "m.user_id", user_id, &words).await?;
    count_rows(tx, USER_ROWS, user_id, 1).await
}

/// Adds `sign` (1 or -1) to the rollup row of each index row that `rows` selects (`$1`
/// bound to `key`), and deletes the rows a -1 leaves at 0 (`drop_emptied`). A user has
/// one membership per creator and a membership each word once, so no two selected rows
/// share a rollup row.
async fn count_rows(tx: &mut Tx, rows: &str, key: Uuid, sign: i64) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO member_word_counts \
         (creator_id, word, tier_id, status, engagement_level, members) \
         SELECT creator_id, word, tier_id, status, engagement_level, $2 FROM member_words \
         WHERE {rows} \
         ON CONFLICT (creator_id, word, tier_id, status, engagement_level) \
         DO UPDATE SET members = member_word_counts.members + excluded.members"
    );
    on_tx!(tx, conn => sqlx::query(&sql)
        .bind(key)
        .bind(sign)
        .execute(conn)
        .await
        .map(|_| ()))?;
    if sign < 0 {
        drop_emptied(tx, rows, key).await?;
    }
    Ok(())
}

/// Deletes the rollup rows of the index rows that `rows` selects (`$1` bound to `key`)
/// that count no member any more. The daily rescore moves members between levels, and
/// each move would otherwise leave a row at 0 for each word no other member of the old
/// tier, status and level has (an email's own words, most often): rows that searches
/// of those words' ranges read past, and that make a range look as if it held more
/// words than it does (`range_holds_one_word`).
async fn drop_emptied(tx: &mut Tx, rows: &str, key: Uuid) -> Result<(), sqlx::Error> {
    let sql = format!(
        "DELETE FROM member_word_counts WHERE members = 0 \
         AND (creator_id, word, tier_id, status, engagement_level) IN \
         (SELECT creator_id, word, tier_id, status, engagement_level FROM member_words \
          WHERE {rows})"
    );
    on_tx!(tx, conn => sqlx::query(&sql)
        .bind(key)
        .execute(conn)
        .await
        .map(|_| ()))
}

/// Counts the whole index into the rollup, which must be empty: for data written into
/// the index directly (the benchmark's generator).
pub async fn count_all(db: &Db) -> Result<(), sqlx::Error> {
    on_db!(db, pool => sqlx::query(
        "INSERT INTO member_word_counts \
         (creator_id, word, tier_id, status, engagement_level, members) \
         SELECT creator_id, word, tier_id, status, engagement_level, COUNT(*) \
         FROM member_words GROUP BY creator_id, word, tier_id, status, engagement_level",
    )
    .execute(pool)
    .await
    .map(|_| ()))
}

/// Indexes the memberships whose `key_column` is `key` under `words`.
async fn insert(
    tx: &mut Tx,
    key_column: &str,
    key: Uuid,
    words: &[String],
) -> Result<(), sqlx::Error> {
    if words.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (2..words.len() + 2).map(|i| format!("(${i})")).collect();
    let sql = format!(
        "INSERT INTO member_words \
         (membership_id, word, creator_id, tier_id, status, engagement_level) \
         SELECT m.id, w.column1, m.creator_id, m.tier_id, m.status, m.engagement_level \
         FROM memberships m CROSS JOIN (VALUES {}) AS w WHERE {key_column} = $1",
        values.join(", ")
    );
    on_tx!(tx, conn => {
        let mut query = sqlx::query(&sql).bind(key);
        for word in words {
            query = query.bind(word);
        }
        query.execute(conn).await.map(|_| ())
    })
}

/// Adds that the membership with id `membership` (a column) has a word starting with
/// `word`: one seek of the primary key.
fn probe(c: &mut Conditions, membership: &str, word: &str) {
    // Not `EXISTS`: PostgreSQL turns that into a semi join and, for a word many members
    // have, merged the creator's members with every member's words of that range in
    // membership order (218 ms at 2M members for `lovelace`, 50,000 matches); a scalar
    // subquery stays a probe of the member's own words per member walked (4 ms).
    c.bind_each(
        &format!(
            "(SELECT 1 FROM member_words p WHERE p.membership_id = {membership} \
             AND p.word >= {{}} AND p.word < {{}} LIMIT 1) IS NOT NULL"
        ),
        vec![Arg::Text(word.to_string()), Arg::Text(prefix_end(word))],
    );
}

/// Adds, for the members list's walk (alias `m`), that the member has a word starting
/// with each of `words`.
pub fn probe_each(c: &mut Conditions, words: &[String]) {
    for word in words {
        probe(c, "m.id", word);
    }
}

/// Adds the conditions on rows of the index or of its rollup (alias `keys`) of the
/// creator's members who match the search `words` and the filter's tier and status (and
/// level, when `with_level`). The words other than the driving one are probed for the
/// index row's membership (`w.membership_id`). `one_word`: the driving word's range is
/// known to hold one word (`driving_word`).
fn matching_rows(
    c: &mut Conditions,
    keys: &str,
    filter: &MemberFilter,
    words: &[String],
    with_level: bool,
    one_word: bool,
) {
    let Some((driving, others)) = split_driving(words) else {
        c.fixed("1 = 0");
        return;
    };
    key_rows(c, keys, filter, driving, with_level, one_word);
    for word in others {
        probe(c, "w.membership_id", word);
    }
}

/// Adds the conditions on rows of the index or of its rollup (alias `keys`) of the
/// creator's members with a word in `driving`'s range, of the filter's tier and status
/// (and level, when `with_level`).
fn key_rows(
    c: &mut Conditions,
    keys: &str,
    filter: &MemberFilter,
    driving: &str,
    with_level: bool,
    one_word: bool,
) {
    c.bind(
        &format!("{keys}.creator_id = {{}}"),
        Arg::Id(filter.creator_id),
    );
    driving_word(c, keys, filter.creator_id, driving, one_word);
    if let Some(tier) = filter.tier_id {
        c.bind(&format!("{keys}.tier_id = {{}}"), Arg::Id(tier));
    }
    if let Some(status) = &filter.status {
        c.bind(&format!("{keys}.status = {{}}"), Arg::Text(status.clone()));
    }
    if let (true, Some(level)) = (with_level, &filter.level) {
        c.bind(
            &format!("{keys}.engagement_level = {{}}"),
            Arg::Text(level.clone()),
        );
    }
}

/// Adds that the word of the rows `keys` is in `driving`'s range or, when the range is
/// known to hold one word (`one_word`, from `one_word_in_range`), is that word. The
/// equality is what lets PostgreSQL cache a plan: it planned a cached statement with the
/// range afresh on every run, judging its plan for average values dearer than those for
/// the actual ones (119 µs of planning per page of `status=paused&tier&q=ada` at
/// `--scale 1`, and 65 µs for its count; session 36).
fn driving_word(c: &mut Conditions, keys: &str, creator_id: Uuid, driving: &str, one_word: bool) {
    let range = vec![
        Arg::Text(driving.to_string()),
        Arg::Text(prefix_end(driving)),
    ];
    if one_word {
        let mut args = vec![Arg::Id(creator_id)];
        args.extend(range);
        c.bind_each(
            &format!(
                "{keys}.word = (SELECT r.word FROM member_word_counts r \
                 WHERE r.creator_id = {{}} AND r.word >= {{}} AND r.word < {{}} \
                 ORDER BY r.word LIMIT 1)"
            ),
            args,
        );
    } else {
        c.bind_each(
            &format!("{keys}.word >= {{}} AND {keys}.word < {{}}"),
            range,
        );
    }
}

/// The ids of one page of the creator's members who match the filter and its search
/// `words`, newest first, when the driving word's range holds one word
/// (`one_word_in_range`), with the conditions whose arguments the statement binds; `None`
/// where the page is better read with the rest of the list's conditions (SQLite with a
/// tier, status or level).
pub fn newest_matching(
    kind: DatabaseKind,
    filter: &MemberFilter,
    words: &[String],
    request: PageRequest,
) -> Option<(String, Conditions)> {
    let every_key = filter.tier_id.is_none() && filter.status.is_none() && filter.level.is_none();
    match kind {
        _ if every_key => newest_of_word(filter, words, request),
        DatabaseKind::Postgres => newest_by_key(filter, words, request),
        DatabaseKind::Sqlite => None,
    }
}

/// [`newest_matching`] for a search asking for every tier, status and level: the index
/// `member_words_newest` (migration 0045) lists the word's members in membership order,
/// so the page is one walk of it. Its word is the one the range holds, an equality, or
/// the walk would be sorted: `lovelace` (50,000 of a million members) read 25 keys'
/// newest 51 and merged them, 365 µs of PostgreSQL's time, where this reads 51 rows.
fn newest_of_word(
    filter: &MemberFilter,
    words: &[String],
    request: PageRequest,
) -> Option<(String, Conditions)> {
    let (driving, others) = split_driving(words)?;
    let mut c = Conditions::default();
    key_rows(&mut c, "w", filter, driving, true, true);
    rest_of_search(&mut c, filter, &others);
    let tail = c.newest_first_page("w.membership_id", request);
    let sql = format!(
        "SELECT w.membership_id FROM member_words w{}{tail}",
        c.where_sql()
    );
    Some((sql, c))
}

/// Adds, for the index row's membership (`w`), the search words `others` than the
/// driving one and the filter's join date, if any.
fn rest_of_search(c: &mut Conditions, filter: &MemberFilter, others: &[&String]) {
    for word in others {
        probe(c, "w.membership_id", word);
    }
    if let Some(after) = filter.joined_after {
        c.bind(
            "(SELECT j.joined_at FROM memberships j WHERE j.id = w.membership_id) >= {}",
            Arg::Time(after),
        );
    }
}

/// [`newest_matching`] on PostgreSQL for a search with a tier, status or level.
///
/// The index lists the members of each rollup key (word, level, status, tier) in
/// membership order, its last column (migration 0044), so the page is the newest
/// `limit + 1` members of each key the filter asks for, a few dozen keys, merged: a
/// search of a common surname (50,000 of a million members) reads a few rows per key
/// instead of probing every member walked newest first, and a search of few matches no
/// longer reads and sorts them all. SQLite has no LATERAL join; it walks or sorts.
fn newest_by_key(
    filter: &MemberFilter,
    words: &[String],
    request: PageRequest,
) -> Option<(String, Conditions)> {
    let (driving, others) = split_driving(words)?;
    let mut c = Conditions::default();
    let mut walk_tail = String::new();
    let walk = c.nested(|w| {
        w.fixed(
            "w.creator_id = k.creator_id AND w.word = k.word \
             AND w.engagement_level = k.engagement_level AND w.status = k.status \
             AND w.tier_id = k.tier_id",
        );
        rest_of_search(w, filter, &others);
        walk_tail = w.newest_first_page("w.membership_id", request);
    });
    key_rows(&mut c, "k", filter, driving, true, true);
    c.fixed("k.members > 0");
    let tail = c.newest_first_page("x.id", request);
    let sql = format!(
        "SELECT x.id FROM member_word_counts k CROSS JOIN LATERAL \
         (SELECT w.membership_id AS id FROM member_words w WHERE {walk}{walk_tail}) x{}{tail}",
        c.where_sql()
    );
    Some((sql, c))
}

/// Adds, for a page of members (alias `m`), that the member is one of those the index
/// lists under the search: for searches matching few members, read from the index and
/// sorted rather than found by walking every member newest first. The rollup names the
/// words in the range with members of the tier, status and level asked for, and each
/// such key is one seek of the index on all its columns: the paused members of one tier
/// among the 50,000 of a surname are read without the others (97 → 15 ms at `--scale 1`).
pub fn listed_in_index(c: &mut Conditions, filter: &MemberFilter, words: &[String]) {
    c.group(
        "m.id IN (SELECT w.membership_id FROM member_word_counts k \
         JOIN member_words w ON w.creator_id = k.creator_id AND w.word = k.word \
         AND w.engagement_level = k.engagement_level AND w.status = k.status \
         AND w.tier_id = k.tier_id WHERE k.members > 0 AND {})",
        |rows| matching_rows(rows, "k", filter, words, true, false),
    );
}

/// The creator's members who match the filter and its search (its level left out), by
/// engagement level; a level may come more than once (add them up). A member with two
/// words in the driving word's range is listed twice there, so the count is of distinct
/// members unless the range holds one word only. Then a search of one word is summed
/// from the rollup (a few rows), and one of more words counts the index rows as they
/// come, grouped in the index's own order (word, level), with no sort (9 ms against 17
/// for the 50,000 members of one surname at `--scale 1`).
pub async fn count_by_level(
    db: &Db,
    filter: &MemberFilter,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let words = filter.search.as_deref().unwrap_or_default();
    let one_word = filter.joined_after.is_none() && one_word_in_range(db, filter).await?;
    if let (true, [word]) = (one_word, words) {
        return summed(db, filter, word).await;
    }
    let mut c = Conditions::default();
    matching_rows(&mut c, "w", filter, words, false, one_word);
    let distinct = "DISTINCT w.membership_id";
    let (joins, counted, groups) = match filter.joined_after {
        Some(after) => {
            c.bind("m.joined_at >= {}", Arg::Time(after));
            let joins = " JOIN memberships m ON m.id = w.membership_id";
            (joins, distinct, "w.engagement_level")
        }
        None if one_word => ("", "*", "w.word, w.engagement_level"),
        None => ("", distinct, "w.engagement_level"),
    };
    let sql = format!(
        "SELECT w.engagement_level, CAST(COUNT({counted}) AS BIGINT) \
         FROM member_words w{joins}{} GROUP BY {groups}",
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, (String, i64)>(&sql), c.args())
        .fetch_all(pool)
        .await)
}

/// The creator's members of the filter's tier and status with the one word in `word`'s
/// range, by engagement level, summed from the rollup.
async fn summed(
    db: &Db,
    filter: &MemberFilter,
    word: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut c = Conditions::default();
    key_rows(&mut c, "k", filter, word, false, true);
    let sql = format!(
        "SELECT k.engagement_level, CAST(SUM(k.members) AS BIGINT) \
         FROM member_word_counts k{} GROUP BY k.engagement_level",
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, (String, i64)>(&sql), c.args())
        .fetch_all(pool)
        .await)
}

/// Whether the creator's members have at most one distinct word in the range of the
/// filter's driving search word, asked of the database once per filter
/// (`range_holds_one_word`).
pub async fn one_word_in_range(db: &Db, filter: &MemberFilter) -> Result<bool, sqlx::Error> {
    let words = filter.search.as_deref().unwrap_or_default();
    filter
        .one_word_in_range
        .get_or_try_init(|| range_holds_one_word(db, filter, words))
        .await
        .copied()
}

/// [`one_word_in_range`] asked: the range's first and last word, two seeks of the rollup
/// (the rollup keeps no row at no members, `drop_emptied`).
async fn range_holds_one_word(
    db: &Db,
    filter: &MemberFilter,
    words: &[String],
) -> Result<bool, sqlx::Error> {
    let Some((driving, _)) = split_driving(words) else {
        return Ok(true);
    };
    let edge = |order: &str| {
        format!(
            "(SELECT word FROM member_word_counts \
             WHERE creator_id = $1 AND word >= $2 AND word < $3 \
             ORDER BY word {order} LIMIT 1)"
        )
    };
    let sql = format!(
        "SELECT {first} IS NULL OR {first} = {last}",
        first = edge("ASC"),
        last = edge("DESC")
    );
    on_db!(db, pool => sqlx::query_scalar::<_, bool>(&sql)
        .bind(filter.creator_id)
        .bind(driving)
        .bind(prefix_end(driving))
        .fetch_one(pool)
        .await)
}
