//! Community moderation: members report posts and comments, the team works through the
//! queue (automatic reports of blocked words included) and keeps the blocked-word list.
//! Resolving removes or publishes the text and resolves every pending report on it.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::{require_owner, resolve_creator, CreatorPermission};
use crate::backend::domain::words::normalize_blocked;
use crate::backend::error::{AppError, FieldError};
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::services::community::{
    count_published, post_not_found, visible_post, Published,
};
use crate::backend::store::audit;
use crate::backend::store::community::{self, ReportRow};
use crate::backend::AppState;
use crate::model::community::{
    BlockedWords, CreateReport, ModerationAction, Report, ResolveReport,
};
use crate::model::page::Page;
use serde_json::json;
use uuid::Uuid;

const MAX_BLOCKED_WORDS: usize = 500;
const EXCERPT_CHARS: usize = 280;

fn report_not_found() -> AppError {
    AppError::NotFound {
        code: "report_not_found",
        message: "Report not found.".into(),
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(EXCERPT_CHARS).collect()
}

fn to_api(row: ReportRow, excerpt: String) -> Report {
    Report {
        id: row.id,
        creator_id: row.creator_id,
        post_id: row.post_id,
        comment_id: row.comment_id,
        excerpt,
        reason: row.reason,
        source: if row.reporter_id.is_some() {
            "member"
        } else {
            "auto"
        }
        .into(),
        status: row.status,
        resolution: row.resolution,
        note: row.note,
        created_at: row.created_at,
        resolved_at: row.resolved_at,
    }
}

pub async fn report(
    state: &AppState,
    identity: &Identity,
    req: CreateReport,
) -> Result<Report, AppError> {
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            "must be between 1 and 500 characters",
        )]));
    }
    let (post, _) = visible_post(state, identity, req.post_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let text = match req.comment_id {
        Some(comment_id) => {
            let comment = community::find_comment(&mut tx, comment_id)
                .await?
                .filter(|c| c.post_id == post.id && c.status == "published")
                .ok_or_else(|| AppError::NotFound {
                    code: "comment_not_found",
                    message: "Comment not found.".into(),
                })?;
            comment.body
        }
        None => format!("{}\n{}", post.title, post.body),
    };
    let row = ReportRow::pending(
        post.creator_id,
        (post.id, req.comment_id),
        Some(identity.user_id),
        reason,
        now,
    );
    if !community::insert_report(&mut tx, &row).await? {
        return Err(AppError::Conflict {
            code: "already_reported",
            message: "You have already reported this.".into(),
        });
    }
    tx.commit().await?;
    Ok(to_api(row, excerpt(&text)))
}

/// `GET /community/reports` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub creator_id: Option<Uuid>,
    /// `pending` (the queue) or `resolved`; both when absent.
    pub status: Option<String>,
}

pub async fn list(
    state: &AppState,
    identity: &Identity,
    query: ReportQuery,
    request: PageRequest,
) -> Result<Page<Report>, AppError> {
    let creator_id = resolve_creator(
        &state.db,
        identity,
        query.creator_id,
        CreatorPermission::View,
    )
    .await?;
    let status = query.status.as_deref();
    if status.is_some_and(|s| s != "pending" && s != "resolved") {
        return Err(AppError::Validation(vec![FieldError::new(
            "status",
            "must be pending or resolved",
        )]));
    }
    let rows = community::reports_page(&state.db, creator_id, status, request).await?;
    let total = community::count_reports(&state.db, creator_id, status).await?;
    let page = into_page(request, rows, total, |r| r.report.id);
    Ok(Page {
        data: page
            .data
            .into_iter()
            .map(|q| to_api(q.report, excerpt(&q.text)))
            .collect(),
        meta: page.meta,
    })
}

pub async fn resolve(
    state: &AppState,
    identity: &Identity,
    report_id: Uuid,
    req: ResolveReport,
) -> Result<Report, AppError> {
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::Validation(vec![FieldError::new(
            "note",
            "must be at most 500 characters",
        )]));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let report = community::find_report(&mut tx, report_id)
        .await?
        .ok_or_else(report_not_found)?;
    require_owner(
        &state.db,
        identity,
        report.creator_id,
        CreatorPermission::Moderate,
        report_not_found,
    )
    .await?;
    if report.status != "pending" {
        return Err(AppError::Conflict {
            code: "report_resolved",
            message: "This report has already been resolved.".into(),
        });
    }
    let post = community::find_post(&mut tx, report.post_id)
        .await?
        .ok_or_else(post_not_found)?;
    let comment = match report.comment_id {
        Some(id) => community::find_comment(&mut tx, id).await?,
        None => None,
    };
    let (status, membership_id, comment_on, text, created_at) = match &comment {
        Some(c) => (
            c.status.clone(),
            c.membership_id,
            Some(c.post_id),
            c.body.clone(),
            c.created_at,
        ),
        None => (
            post.status.clone(),
            post.membership_id,
            None,
            format!("{}\n{}", post.title, post.body),
            post.created_at,
        ),
    };
    let (new_status, resolution) = match req.action {
        ModerationAction::Remove => ("removed", "removed"),
        ModerationAction::Keep => ("published", "kept"),
    };
    if status != new_status {
        community::set_status(&mut tx, report.target_id, new_status, now).await?;
        let published = Published {
            id: report.target_id,
            creator_id: report.creator_id,
            membership_id,
            comment_on,
            text: &text,
            created_at,
        };
        match (status.as_str(), new_status) {
            ("published", _) => count_published(&mut tx, &published, -1, now).await?,
            (_, "published") => count_published(&mut tx, &published, 1, now).await?,
            _ => {}
        }
    }
    community::resolve_pending(
        &mut tx,
        report.target_id,
        resolution,
        note,
        identity.user_id,
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "community_report.resolved",
            target_type: if comment.is_some() {
                "community_comment"
            } else {
                "community_post"
            },
            target_id: report.target_id.to_string(),
            reason: note,
            before: Some(json!({"status": status})),
            after: Some(json!({"status": new_status})),
        },
        now,
    )
    .await?;
    let resolved = community::find_report(&mut tx, report_id)
        .await?
        .ok_or_else(report_not_found)?;
    tx.commit().await?;
    Ok(to_api(resolved, excerpt(&text)))
}

pub async fn blocked_words(
    state: &AppState,
    identity: &Identity,
    creator_id: Option<Uuid>,
) -> Result<BlockedWords, AppError> {
    let creator_id =
        resolve_creator(&state.db, identity, creator_id, CreatorPermission::View).await?;
    Ok(BlockedWords {
        creator_id: Some(creator_id),
        words: community::blocked_words(&state.db, creator_id).await?,
    })
}

/// Replaces the list. New texts are checked against it; published ones stay.
pub async fn set_blocked_words(
    state: &AppState,
    identity: &Identity,
    req: BlockedWords,
) -> Result<BlockedWords, AppError> {
    let creator_id = resolve_creator(
        &state.db,
        identity,
        req.creator_id,
        CreatorPermission::Moderate,
    )
    .await?;
    if req.words.len() > MAX_BLOCKED_WORDS {
        return Err(AppError::Validation(vec![FieldError::new(
            "words",
            format!("must list at most {MAX_BLOCKED_WORDS} words"),
        )]));
    }
    let mut words = Vec::new();
    let mut errors = Vec::new();
    for (i, word) in req.words.iter().enumerate() {
        match normalize_blocked(word) {
            Some(word) => words.push(word),
            None => errors.push(FieldError::new(
                format!("words[{i}]"),
                "must be one word of 1 to 50 letters or digits",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    words.sort();
    words.dedup();
    let mut tx = state.db.begin().await?;
    community::replace_blocked_words(&mut tx, creator_id, &words).await?;
    tx.commit().await?;
    Ok(BlockedWords {
        creator_id: Some(creator_id),
        words,
    })
}
