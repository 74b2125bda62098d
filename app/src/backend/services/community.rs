//! Community posts and comments. Members and the creator's team write them; a member's
//! text with one of the creator's blocked words is held for the team to review (an
//! automatic report in the moderation queue) instead of being published. Publishing
//! counts: the member's contributions, the day's topics, the post's comment count and
//! an engagement `comment` event, all in the write's transaction.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::creator_not_found;
use crate::backend::db::Tx;
use crate::backend::domain::words::{blocked_word_in, topics_of};
use crate::backend::error::{AppError, FieldError};
use crate::backend::pagination::{into_page, PageRequest};
use crate::backend::services::engagement::{rescore, weight_milli};
use crate::backend::store::community::{self, CommentRow, PostRow, ReportRow};
use crate::backend::store::creators;
use crate::backend::store::engagement_events::{self, EventRow};
use crate::backend::store::memberships;
use crate::backend::AppState;
use crate::model::audience::EventType;
use crate::model::community::{Author, Comment, CreateComment, CreatePost, Post};
use crate::model::page::Page;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// How the caller takes part in a creator's community.
pub enum Voice {
    /// The creator's team (or platform staff): sees and moderates everything.
    Team,
    /// A current member (their membership id): sees what is published.
    Member(Uuid),
}

impl Voice {
    pub fn is_team(&self) -> bool {
        matches!(self, Voice::Team)
    }

    fn membership_id(&self) -> Option<Uuid> {
        match self {
            Voice::Team => None,
            Voice::Member(id) => Some(*id),
        }
    }
}

pub async fn voice(
    state: &AppState,
    identity: &Identity,
    creator_id: Uuid,
) -> Result<Voice, AppError> {
    let staff = identity.roles.iter().any(|r| r.is_platform_staff());
    if creators::find(&state.db, creator_id).await?.is_none() {
        return Err(creator_not_found());
    }
    if staff || identity.team_role(creator_id).is_some() {
        return Ok(Voice::Team);
    }
    memberships::of_user(&state.db, identity.user_id)
        .await?
        .into_iter()
        .find(|m| m.creator_id == creator_id && m.status != "churned")
        .map(|m| Voice::Member(m.id))
        .ok_or_else(|| AppError::Forbidden {
            code: "not_a_member",
            message: "Join this creator to take part in its community.".into(),
        })
}

pub fn post_not_found() -> AppError {
    AppError::NotFound {
        code: "post_not_found",
        message: "Post not found.".into(),
    }
}

fn author(name: String, membership_id: Option<Uuid>) -> Author {
    Author {
        name,
        member_id: membership_id,
        role: if membership_id.is_some() {
            "member"
        } else {
            "creator"
        }
        .into(),
    }
}

pub fn post_to_api(row: PostRow) -> Post {
    Post {
        id: row.id,
        creator_id: row.creator_id,
        author: author(row.author_name, row.membership_id),
        title: row.title,
        body: row.body,
        status: row.status,
        moderation_reason: row.moderation_reason,
        comment_count: u64::try_from(row.comment_count).unwrap_or(0),
        created_at: row.created_at,
    }
}

pub fn comment_to_api(row: CommentRow) -> Comment {
    Comment {
        id: row.id,
        post_id: row.post_id,
        author: author(row.author_name, row.membership_id),
        body: row.body,
        status: row.status,
        moderation_reason: row.moderation_reason,
        created_at: row.created_at,
    }
}

fn check_text(field: &str, text: &str, max: usize, errors: &mut Vec<FieldError>) {
    if text.trim().is_empty() || text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be between 1 and {max} characters"),
        ));
    }
}

/// What a new text is: published, or held with the blocked word that holds it.
async fn moderate(
    state: &AppState,
    voice: &Voice,
    creator_id: Uuid,
    text: &str,
) -> Result<Option<String>, AppError> {
    if voice.is_team() {
        return Ok(None);
    }
    let blocked = community::blocked_words(&state.db, creator_id).await?;
    Ok(blocked_word_in(text, &blocked).map(|word| format!("blocked word: {word}")))
}

/// What publishing (`delta` 1) or unpublishing (-1) a text counts, and, the first time
/// a member's text is published, the engagement it earns.
pub async fn count_published(
    tx: &mut Tx,
    target: &Published<'_>,
    delta: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    community::add_topics(
        tx,
        target.creator_id,
        target.created_at.date_naive(),
        &topics_of(target.text),
        delta,
    )
    .await?;
    if let Some(post_id) = target.comment_on {
        community::add_comment_count(tx, post_id, delta).await?;
    }
    let Some(membership_id) = target.membership_id else {
        return Ok(());
    };
    community::add_contribution(tx, target.creator_id, membership_id, delta).await?;
    if delta > 0 {
        let event = EventRow {
            creator_id: target.creator_id,
            event_id: format!("community:{}", target.id),
            membership_id,
            kind: EventType::Comment.as_str().into(),
            occurred_at: target.created_at,
            weight_milli: weight_milli(EventType::Comment, &serde_json::json!({})),
            duration_seconds: None,
            details: "{}".into(),
            received_at: now,
        };
        if engagement_events::insert_new(tx, &event).await? {
            if let Some(before) = memberships::find(&mut *tx, membership_id).await? {
                rescore(tx, &before, now).await?;
            }
        }
    }
    Ok(())
}

/// A post or comment as publishing counts it.
pub struct Published<'a> {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub membership_id: Option<Uuid>,
    /// The post a comment is on; `None` for a post.
    pub comment_on: Option<Uuid>,
    /// Title and body of a post, body of a comment.
    pub text: &'a str,
    pub created_at: DateTime<Utc>,
}

/// Holds `target` for review: an automatic report in the moderation queue.
async fn hold(
    tx: &mut Tx,
    creator_id: Uuid,
    post_id: Uuid,
    comment_id: Option<Uuid>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let report = ReportRow::pending(creator_id, (post_id, comment_id), None, reason, now);
    community::insert_report(tx, &report).await?;
    Ok(())
}

pub async fn create_post(
    state: &AppState,
    identity: &Identity,
    req: CreatePost,
) -> Result<Post, AppError> {
    let mut errors = Vec::new();
    check_text("title", &req.title, 200, &mut errors);
    check_text("body", &req.body, 10_000, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let voice = voice(state, identity, req.creator_id).await?;
    let text = format!("{}\n{}", req.title.trim(), req.body.trim());
    let held = moderate(state, &voice, req.creator_id, &text).await?;
    let now = state.clock.now();
    let row = PostRow {
        id: Uuid::now_v7(),
        creator_id: req.creator_id,
        author_id: identity.user_id,
        membership_id: voice.membership_id(),
        title: req.title.trim().into(),
        body: req.body.trim().into(),
        status: if held.is_some() { "held" } else { "published" }.into(),
        moderation_reason: held.clone(),
        comment_count: 0,
        created_at: now,
        updated_at: now,
        author_name: String::new(),
    };
    let mut tx = state.db.begin().await?;
    community::insert_post(&mut tx, &row).await?;
    match &held {
        Some(reason) => hold(&mut tx, row.creator_id, row.id, None, reason, now).await?,
        None => {
            let published = Published {
                id: row.id,
                creator_id: row.creator_id,
                membership_id: row.membership_id,
                comment_on: None,
                text: &text,
                created_at: now,
            };
            count_published(&mut tx, &published, 1, now).await?;
        }
    }
    let stored = community::find_post(&mut tx, row.id)
        .await?
        .ok_or_else(|| AppError::internal("a post just written is missing"))?;
    tx.commit().await?;
    Ok(post_to_api(stored))
}

/// `GET /community/posts` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostQuery {
    pub creator_id: Uuid,
    /// The team may list `held` or `removed` posts; members see `published` ones.
    pub status: Option<String>,
}

/// The status a caller may list: members only ever see published texts.
fn listed_status<'a>(voice: &Voice, asked: Option<&'a str>) -> Result<Option<&'a str>, AppError> {
    if let Some(status) = asked {
        if !["published", "held", "removed"].contains(&status) {
            return Err(AppError::Validation(vec![FieldError::new(
                "status",
                "must be published, held or removed",
            )]));
        }
    }
    Ok(if voice.is_team() {
        asked
    } else {
        Some("published")
    })
}

pub async fn list_posts(
    state: &AppState,
    identity: &Identity,
    query: PostQuery,
    request: PageRequest,
) -> Result<Page<Post>, AppError> {
    let voice = voice(state, identity, query.creator_id).await?;
    let status = listed_status(&voice, query.status.as_deref())?;
    let rows = community::posts_page(&state.db, query.creator_id, status, request).await?;
    let total = community::count_posts(&state.db, query.creator_id, status).await?;
    let page = into_page(request, rows, total, |r| r.id);
    Ok(Page {
        data: page.data.into_iter().map(post_to_api).collect(),
        meta: page.meta,
    })
}

/// The post, if the caller may see it, with how they take part.
pub async fn visible_post(
    state: &AppState,
    identity: &Identity,
    post_id: Uuid,
) -> Result<(PostRow, Voice), AppError> {
    let post = community::post(&state.db, post_id)
        .await?
        .ok_or_else(post_not_found)?;
    let voice = match voice(state, identity, post.creator_id).await {
        Ok(voice) => voice,
        Err(AppError::Forbidden { .. }) => return Err(post_not_found()),
        Err(e) => return Err(e),
    };
    if !voice.is_team() && post.status != "published" {
        return Err(post_not_found());
    }
    Ok((post, voice))
}

pub async fn list_comments(
    state: &AppState,
    identity: &Identity,
    post_id: Uuid,
    request: PageRequest,
) -> Result<Page<Comment>, AppError> {
    let (_, voice) = visible_post(state, identity, post_id).await?;
    let status = listed_status(&voice, None)?;
    let rows = community::comments_page(&state.db, post_id, status, request).await?;
    let total = community::count_comments(&state.db, post_id, status).await?;
    let page = into_page(request, rows, total, |r| r.id);
    Ok(Page {
        data: page.data.into_iter().map(comment_to_api).collect(),
        meta: page.meta,
    })
}

pub async fn create_comment(
    state: &AppState,
    identity: &Identity,
    post_id: Uuid,
    req: CreateComment,
) -> Result<Comment, AppError> {
    let mut errors = Vec::new();
    check_text("body", &req.body, 5_000, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (post, voice) = visible_post(state, identity, post_id).await?;
    if post.status != "published" {
        return Err(AppError::Conflict {
            code: "post_not_published",
            message: "Comments open once the post is published.".into(),
        });
    }
    let body = req.body.trim().to_string();
    let held = moderate(state, &voice, post.creator_id, &body).await?;
    let now = state.clock.now();
    let row = CommentRow {
        id: Uuid::now_v7(),
        post_id,
        creator_id: post.creator_id,
        author_id: identity.user_id,
        membership_id: voice.membership_id(),
        body,
        status: if held.is_some() { "held" } else { "published" }.into(),
        moderation_reason: held.clone(),
        created_at: now,
        author_name: String::new(),
    };
    let mut tx = state.db.begin().await?;
    community::insert_comment(&mut tx, &row).await?;
    match &held {
        Some(reason) => hold(&mut tx, row.creator_id, post_id, Some(row.id), reason, now).await?,
        None => {
            let published = Published {
                id: row.id,
                creator_id: row.creator_id,
                membership_id: row.membership_id,
                comment_on: Some(post_id),
                text: &row.body,
                created_at: now,
            };
            count_published(&mut tx, &published, 1, now).await?;
        }
    }
    let stored = community::find_comment(&mut tx, row.id)
        .await?
        .ok_or_else(|| AppError::internal("a comment just written is missing"))?;
    tx.commit().await?;
    Ok(comment_to_api(stored))
}
