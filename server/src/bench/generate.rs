//! Data at scale, straight into a fresh database in batched multi-row inserts. The
//! creators, their tiers and tip jars, a plan and the accounts the benchmark signs in
//! with are made through the REST API (in process), so they are exactly what the
//! product makes; the millions of members, events, subscriptions, invoices and tips
//! are written in bulk, with the counters and rollups the app keeps (member counts per
//! segment, member and revenue months, member, engagement and revenue days, payers)
//! computed from the same rows.

use super::bulk::{self, Value};
use crate::demo::{Api, Dice};
use crate::BoxError;
use app::backend::db::Db;
use app::backend::domain::search_terms::document_words;
use app::backend::services::engagement;
use app::backend::store::days::{day_of, MemberDay, MembershipDays};
use app::backend::store::months::month_of;
use app::backend::store::tier_subscriptions::{Rollup, TierSubscription};
use app::model::audience::EventType;
use app::on_db;
use chrono::{DateTime, Duration, Months, Utc};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;
use uuid::Uuid;

/// The full data set; `--scale` multiplies every count.
const MEMBERS: f64 = 2_000_000.0;
const CREATORS: usize = 20;
const EVENTS: f64 = 20_000_000.0;
const PLAN_SUBSCRIPTIONS: f64 = 200_000.0;
const INVOICE_MONTHS: u32 = 24;
const TIPS: f64 = 500_000.0;
const RENEWALS: f64 = 100_000.0;
/// Rows generated and written per transaction.
const CHUNK: usize = 20_000;

pub const PASSWORD: &str = "bench password 2026";
pub const ADMIN_EMAIL: &str = "bench-admin@example.com";

/// How much to make.
pub struct Sizes {
    /// Members of each creator; the first holds half of all.
    pub members: Vec<usize>,
    pub events: usize,
    pub plan_subscriptions: usize,
    pub tips: usize,
    /// Plan subscriptions the renewal run makes due.
    pub renewals: usize,
}

impl Sizes {
    pub fn at(scale: f64) -> Sizes {
        let count = |full: f64| ((full * scale).round() as usize).max(1);
        let total = count(MEMBERS);
        let big = total / 2;
        let rest = (total - big) / (CREATORS - 1);
        let mut members = vec![big.max(1)];
        members.extend(std::iter::repeat_n(rest.max(1), CREATORS - 1));
        Sizes {
            members,
            events: count(EVENTS),
            plan_subscriptions: count(PLAN_SUBSCRIPTIONS),
            tips: count(TIPS),
            renewals: count(RENEWALS).min(count(PLAN_SUBSCRIPTIONS)),
        }
    }

    /// Accounts: enough for the largest creator; smaller ones draw from the same pool.
    fn users(&self) -> usize {
        self.members.iter().copied().max().unwrap_or(1)
    }
}

/// A creator made through the API.
pub struct Creator {
    pub id: Uuid,
    pub owner_email: String,
    /// Free, then two paid tiers with their monthly prices in cents.
    pub tiers: [(Uuid, i64); 3],
    jar: Uuid,
}

/// What the scenarios need, and how long each table took.
pub struct Generated {
    pub creators: Vec<Creator>,
    /// (what, rows, seconds)
    pub timings: Vec<(String, usize, f64)>,
}

pub async fn generate(api: &Api, db: &Db, sizes: &Sizes) -> Result<Generated, BoxError> {
    let now = api.state.clock.now();
    let mut timings = Vec::new();
    let started = Instant::now();
    app::backend::services::accounts::create_admin(db, ADMIN_EMAIL, PASSWORD, now).await?;
    let admin = api.sign_in(ADMIN_EMAIL).await?;
    let plan = api
        .post(
            "/admin/plans",
            &admin,
            json!({"name": "Bench Standard", "price": 9.99, "currency": "USD",
                   "billing_cycle": "monthly", "max_profiles": 4, "max_concurrent_streams": 2,
                   "max_devices": 5, "max_quality": "HD", "has_downloads": false,
                   "has_ads": false, "trial_days": 0, "is_active": true}),
        )
        .await?;
    let plan_id = Uuid::parse_str(plan["id"].as_str().ok_or("plan id")?)?;
    let mut creators = Vec::new();
    for c in 0..sizes.members.len() {
        creators.push(make_creator(api, c).await?);
    }
    timings.push((
        "creators, tiers, tip jars, plan (API)".into(),
        creators.len(),
        started.elapsed().as_secs_f64(),
    ));

    let mut dice = Dice(8);
    let users = timed(&mut timings, "users, roles, words", || {
        write_users(db, sizes.users(), now, &mut dice)
    })
    .await?;
    let members = timed(
        &mut timings,
        "memberships + their words + tier subscriptions + counts",
        || write_members(db, &creators, &users, sizes, now, &mut dice),
    )
    .await?;
    timed(&mut timings, "engagement events", || {
        write_events(db, &creators, &members, sizes, now, &mut dice)
    })
    .await?;
    timed(
        &mut timings,
        "plan subscriptions + invoices + lines",
        || write_plan_billing(db, plan_id, &users, sizes, now, &mut dice),
    )
    .await?;
    timed(&mut timings, "tips + revenue months", || {
        write_tips(db, &creators, &members, &users, sizes, now, &mut dice)
    })
    .await?;
    Ok(Generated { creators, timings })
}

/// Runs one step and records its rows and duration.
async fn timed<T, F, Fut>(
    timings: &mut Vec<(String, usize, f64)>,
    what: &str,
    step: F,
) -> Result<T, BoxError>
where
    T: Rows,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, BoxError>>,
{
    let started = Instant::now();
    let out = step().await?;
    let seconds = started.elapsed().as_secs_f64();
    let rows = out.rows();
    println!(
        "  {what}: {rows} rows in {seconds:.1} s ({:.0} rows/s)",
        rows as f64 / seconds.max(1e-9)
    );
    timings.push((what.to_string(), rows, seconds));
    Ok(out)
}

/// Rows a step wrote.
trait Rows {
    fn rows(&self) -> usize;
}

impl Rows for usize {
    fn rows(&self) -> usize {
        *self
    }
}

impl Rows for Vec<Uuid> {
    fn rows(&self) -> usize {
        self.len()
    }
}

/// Every creator's memberships: (membership id, user index).
struct Members {
    of: Vec<Vec<(Uuid, usize)>>,
    written: usize,
}

impl Rows for Members {
    fn rows(&self) -> usize {
        self.written
    }
}

async fn make_creator(api: &Api, c: usize) -> Result<Creator, BoxError> {
    let owner_email = format!("bench-owner-{c}@example.com");
    let owner = api.account(&owner_email, &format!("Owner {c}")).await?;
    let creator = api
        .post(
            "/creators",
            &owner,
            json!({"name": format!("Bench Creator {c}"), "handle": format!("bench{c}")}),
        )
        .await?;
    let id = creator["id"].as_str().ok_or("creator id")?.to_string();
    let mut tiers = Vec::new();
    for (name, price) in [("Supporter", 5.0), ("Patron", 15.0)] {
        let tier = api
            .post(
                "/audience/tiers",
                &owner,
                json!({"creator_id": id, "name": name, "price_monthly": price}),
            )
            .await?;
        tiers.push((
            Uuid::parse_str(tier["id"].as_str().ok_or("tier id")?)?,
            (price * 100.0) as i64,
        ));
    }
    let free = api.free_tier(&owner, &id).await?;
    let jar = api
        .post(
            "/audience/tips/jars",
            &owner,
            json!({"creator_id": id, "name": "Studio fund", "goal": 100000, "suggested_amounts": [5, 10, 25]}),
        )
        .await?;
    Ok(Creator {
        id: Uuid::parse_str(&id)?,
        owner_email,
        tiers: [(Uuid::parse_str(&free)?, 0), tiers[0], tiers[1]],
        jar: Uuid::parse_str(jar["id"].as_str().ok_or("jar id")?)?,
    })
}

const FIRST: [&str; 20] = [
    "ada", "bram", "chen", "dara", "elif", "femi", "greta", "hiro", "ines", "jonas", "kofi",
    "lena", "maya", "nils", "omar", "priya", "quinn", "rosa", "sven", "tariq",
];
const LAST: [&str; 20] = [
    "lovelace", "stoker", "wu", "okafor", "yilmaz", "adeyemi", "berg", "tanaka", "garcia",
    "muller", "mensah", "novak", "patel", "larsen", "haddad", "raman", "murphy", "silva", "olsen",
    "aziz",
];
const COUNTRIES: [&str; 8] = ["US", "GB", "DE", "FR", "NG", "IN", "JP", "BR"];

/// When something happened: up to `days` ago, more of it recently.
fn recent(dice: &mut Dice, now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let r = dice.below(1_000_000) as f64 / 1_000_000.0;
    now - Duration::seconds((r * r * (days * 86_400) as f64) as i64)
}

async fn write_users(
    db: &Db,
    count: usize,
    now: DateTime<Utc>,
    dice: &mut Dice,
) -> Result<Vec<Uuid>, BoxError> {
    // Every account shares one hash: hashing a million passwords would be the whole run.
    let hash = app::backend::auth::password::hash_secret(PASSWORD).await?;
    let mut ids = Vec::with_capacity(count);
    for start in (0..count).step_by(CHUNK) {
        let mut users = Vec::new();
        let mut roles = Vec::new();
        let mut words = Vec::new();
        for i in start..(start + CHUNK).min(count) {
            let id = Uuid::now_v7();
            let (name, email) = name_and_email(i);
            let created = recent(dice, now, 900);
            for word in document_words(&[&name, &email]) {
                words.push(vec![
                    Value::Text(word),
                    Value::Id(id),
                    Value::Text("active".into()),
                ]);
            }
            users.push(vec![
                Value::Id(id),
                Value::Text(email.clone()),
                Value::Text(email),
                Value::Text(hash.clone()),
                Value::Text(name),
                Value::Bool(true),
                Value::Text(COUNTRIES[i % COUNTRIES.len()].into()),
                Value::Text("active".into()),
                Value::At(created),
                Value::At(created),
            ]);
            roles.push(vec![
                Value::Id(id),
                Value::Text("subscriber".into()),
                Value::At(created),
            ]);
            ids.push(id);
        }
        bulk::insert(
            db,
            "users",
            &[
                "id",
                "email",
                "email_normalized",
                "password_hash",
                "display_name",
                "email_verified",
                "country_code",
                "status",
                "created_at",
                "updated_at",
            ],
            &users,
        )
        .await?;
        bulk::insert(db, "user_roles", &["user_id", "role", "granted_at"], &roles).await?;
        bulk::insert(
            db,
            "user_words",
            &["word", "user_id", "account_status"],
            &words,
        )
        .await?;
    }
    app::backend::store::user_words::recount_all(db).await?;
    Ok(ids)
}

/// The display name and email address of the `i`th generated user.
fn name_and_email(i: usize) -> (String, String) {
    let (first, last) = (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()]);
    (
        format!("{} {}", capital(first), capital(last)),
        format!("{first}.{last}.{i}@example.com"),
    )
}

fn capital(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

const SUBSCRIPTION_COLUMNS: [&str; 19] = [
    "id",
    "user_id",
    "product_kind",
    "plan_id",
    "merchant_creator_id",
    "tier_id",
    "status",
    "price_minor",
    "currency",
    "billing_cycle",
    "auto_renew",
    "billing_anchor",
    "period_index",
    "current_period_start",
    "current_period_end",
    "cancel_at_period_end",
    "failed_attempts",
    "created_at",
    "updated_at",
];

/// The row of a monthly subscription `months` periods after `anchor` (made then, last
/// changed when its current period began, which is its `months + 1`th paid period), in
/// [`SUBSCRIPTION_COLUMNS`] order.
#[allow(clippy::too_many_arguments)]
fn subscription(
    id: Uuid,
    user: Uuid,
    plan: Option<Uuid>,
    creator: Option<(Uuid, Uuid)>,
    status: &str,
    price: i64,
    anchor: DateTime<Utc>,
    months: u32,
) -> Vec<Value> {
    let start = anchor + Months::new(months);
    let end = anchor + Months::new(months + 1);
    vec![
        Value::Id(id),
        Value::Id(user),
        Value::Text(if plan.is_some() { "plan" } else { "tier" }.into()),
        plan.map_or(Value::NoId, Value::Id),
        creator.map_or(Value::NoId, |(c, _)| Value::Id(c)),
        creator.map_or(Value::NoId, |(_, t)| Value::Id(t)),
        Value::Text(status.into()),
        Value::Int(price),
        Value::Text("USD".into()),
        Value::Text("monthly".into()),
        Value::Bool(true),
        Value::At(anchor),
        Value::Int(i64::from(months) + 1),
        Value::At(start),
        Value::At(end),
        Value::Bool(false),
        Value::Int(0),
        Value::At(anchor),
        Value::At(start),
    ]
}

async fn write_members(
    db: &Db,
    creators: &[Creator],
    users: &[Uuid],
    sizes: &Sizes,
    now: DateTime<Utc>,
    dice: &mut Dice,
) -> Result<Members, BoxError> {
    let mut counts: HashMap<(Uuid, Uuid, &str, &str), [i64; 3]> = HashMap::new();
    let mut months: HashMap<(Uuid, String), (i64, i64)> = HashMap::new();
    let mut days: BTreeMap<Uuid, BTreeMap<String, MemberDay>> = BTreeMap::new();
    let mut join_days: HashMap<(Uuid, String, Uuid, &str, &str), i64> = HashMap::new();
    let mut tier_subscriptions = Rollup::default();
    let mut of = Vec::new();
    let mut written = 0;
    for (c, creator) in creators.iter().enumerate() {
        let count = sizes.members[c];
        let offset = c * 7_919 % users.len();
        let mut mine = Vec::with_capacity(count);
        for start in (0..count).step_by(CHUNK) {
            let mut rows = Vec::new();
            let mut subscriptions = Vec::new();
            let mut words = Vec::new();
            for j in start..(start + CHUNK).min(count) {
                let user_index = (offset + j) % users.len();
                let id = Uuid::now_v7();
                let tier = match dice.below(100) {
                    0..=84 => 0,
                    85..=94 => 1,
                    _ => 2,
                };
                let status = match dice.below(100) {
                    0..=87 => "active",
                    88..=95 => "churned",
                    _ => "paused",
                };
                let joined = recent(dice, now, 730);
                let churned = (status == "churned").then(|| {
                    joined
                        + Duration::seconds(
                            dice.below((now - joined).num_seconds().max(1) as u64) as i64
                        )
                });
                let r = dice.below(1000) as f64 / 1000.0;
                let score = if status == "churned" {
                    0
                } else {
                    (r * r * 100.0).round() as u8
                };
                let level = engagement::level(score).as_str();
                let last = recent(dice, now, 120);
                let interactions = if score > 0 { dice.below(40) as i64 } else { 0 };
                let (tier_id, price) = creator.tiers[tier];
                let subscription_id = (tier > 0 && status != "churned").then(|| {
                    let sub = Uuid::now_v7();
                    let age = ((now - joined).num_days() / 31).max(0) as u32;
                    let row = subscription(
                        sub,
                        users[user_index],
                        None,
                        Some((creator.id, tier_id)),
                        status,
                        price,
                        joined,
                        age,
                    );
                    subscriptions.push(row);
                    TierSubscription {
                        creator_id: creator.id,
                        currency: "USD".into(),
                        tier_id: Some(tier_id),
                        status: status.into(),
                        price_minor: price,
                        billing_cycle: "monthly".into(),
                        created_at: joined,
                        canceled_at: None,
                    }
                    .add_to(&mut tier_subscriptions, 1);
                    sub
                });
                rows.push(vec![
                    Value::Id(id),
                    Value::Id(creator.id),
                    Value::Id(users[user_index]),
                    Value::Id(tier_id),
                    Value::Text(status.into()),
                    if tier > 0 {
                        Value::Text("monthly".into())
                    } else {
                        Value::NoText
                    },
                    subscription_id.map_or(Value::NoId, Value::Id),
                    Value::Int(i64::from(score)),
                    Value::Text(level.into()),
                    Value::Int(interactions),
                    Value::At(last),
                    Value::Text(String::new()),
                    Value::Text("[]".into()),
                    Value::At(joined),
                    churned.map_or(Value::NoAt, Value::At),
                    Value::At(now),
                ]);
                let count = counts
                    .entry((creator.id, tier_id, status, level))
                    .or_default();
                count[0] += 1;
                count[1] += i64::from(score);
                count[2] += interactions;
                *join_days
                    .entry((creator.id, day_of(joined), tier_id, status, level))
                    .or_default() += 1;
                MembershipDays {
                    joined_at: joined,
                    churned_at: churned,
                    current: status != "churned",
                    last_interaction_at: Some(last),
                }
                .add_to(days.entry(creator.id).or_default(), 1);
                months.entry((creator.id, month_of(joined))).or_default().0 += 1;
                if let Some(at) = churned {
                    months.entry((creator.id, month_of(at))).or_default().1 += 1;
                }
                let (name, email) = name_and_email(user_index);
                for word in document_words(&[&name, &email]) {
                    words.push(vec![
                        Value::Id(id),
                        Value::Text(word),
                        Value::Id(creator.id),
                        Value::Id(tier_id),
                        Value::Text(status.into()),
                        Value::Text(level.into()),
                    ]);
                }
                mine.push((id, user_index));
            }
            written += rows.len() + subscriptions.len() + words.len();
            bulk::insert(db, "subscriptions", &SUBSCRIPTION_COLUMNS, &subscriptions).await?;
            bulk::insert(
                db,
                "memberships",
                &[
                    "id",
                    "creator_id",
                    "user_id",
                    "tier_id",
                    "status",
                    "billing_cycle",
                    "subscription_id",
                    "engagement_score",
                    "engagement_level",
                    "interactions_30d",
                    "last_interaction_at",
                    "notes",
                    "tags",
                    "joined_at",
                    "churned_at",
                    "updated_at",
                ],
                &rows,
            )
            .await?;
            bulk::insert(
                db,
                "member_words",
                &[
                    "membership_id",
                    "word",
                    "creator_id",
                    "tier_id",
                    "status",
                    "engagement_level",
                ],
                &words,
            )
            .await?;
        }
        of.push(mine);
    }
    let counts: Vec<Vec<Value>> = counts
        .into_iter()
        .map(
            |((creator, tier, status, level), [n, scores, interactions])| {
                vec![
                    Value::Id(creator),
                    Value::Id(tier),
                    Value::Text(status.into()),
                    Value::Text(level.into()),
                    Value::Int(n),
                    Value::Int(scores),
                    Value::Int(interactions),
                ]
            },
        )
        .collect();
    bulk::insert(
        db,
        "member_counts",
        &[
            "creator_id",
            "tier_id",
            "status",
            "engagement_level",
            "members",
            "score_sum",
            "interactions_sum",
        ],
        &counts,
    )
    .await?;
    app::backend::store::member_words::count_all(db).await?;
    let months: Vec<Vec<Value>> = months
        .into_iter()
        .map(|((creator, month), (joined, churned))| {
            vec![
                Value::Id(creator),
                Value::Text(month),
                Value::Int(joined),
                Value::Int(churned),
            ]
        })
        .collect();
    bulk::insert(
        db,
        "member_months",
        &["creator_id", "month", "joined", "churned"],
        &months,
    )
    .await?;
    let days: Vec<Vec<Value>> = days
        .into_iter()
        .flat_map(|(creator, days)| {
            days.into_iter().map(move |(day, n)| {
                vec![
                    Value::Id(creator),
                    Value::Text(day),
                    Value::Int(n.joined),
                    Value::Int(n.churned),
                    Value::Int(n.staying),
                    Value::Int(n.last_seen),
                ]
            })
        })
        .collect();
    bulk::insert(
        db,
        "member_days",
        &[
            "creator_id",
            "day",
            "joined",
            "churned",
            "staying",
            "last_seen",
        ],
        &days,
    )
    .await?;
    // The month rollup sums the day rollup's rows by the month of their day.
    let mut join_months: HashMap<(Uuid, String, Uuid, &str, &str), i64> = HashMap::new();
    for ((creator, day, tier, status, level), n) in &join_days {
        *join_months
            .entry((*creator, day[..7].to_string(), *tier, status, level))
            .or_default() += n;
    }
    let mut written_join_rows = 0;
    for (table, period, rollup) in [
        ("member_join_days", "day", join_days),
        ("member_join_months", "month", join_months),
    ] {
        let rows: Vec<Vec<Value>> = rollup
            .into_iter()
            .map(|((creator, key, tier, status, level), n)| {
                vec![
                    Value::Id(creator),
                    Value::Text(key),
                    Value::Id(tier),
                    Value::Text(status.into()),
                    Value::Text(level.into()),
                    Value::Int(n),
                ]
            })
            .collect();
        let columns = [
            "creator_id",
            period,
            "tier_id",
            "status",
            "engagement_level",
            "members",
        ];
        bulk::insert(db, table, &columns, &rows).await?;
        written_join_rows += rows.len();
    }
    written += counts.len() + months.len() + days.len() + written_join_rows;
    written += write_tier_subscription_rollup(db, tier_subscriptions).await?;
    Ok(Members { of, written })
}

/// The revenue rollups of the generated tier subscriptions.
async fn write_tier_subscription_rollup(db: &Db, rollup: Rollup) -> Result<usize, BoxError> {
    let totals = rollup.totals();
    let tiers: Vec<Vec<Value>> = rollup
        .tiers
        .into_iter()
        .map(
            |((creator, currency, tier, status), (subscribers, monthly))| {
                vec![
                    Value::Id(creator),
                    Value::Text(currency),
                    Value::Id(tier),
                    Value::Text(status),
                    Value::Int(subscribers),
                    Value::Int(monthly),
                ]
            },
        )
        .collect();
    bulk::insert(
        db,
        "tier_subscription_counts",
        &[
            "creator_id",
            "currency",
            "tier_id",
            "status",
            "subscribers",
            "monthly_minor",
        ],
        &tiers,
    )
    .await?;
    let totals: Vec<Vec<Value>> = totals
        .into_iter()
        .map(|((creator, currency), (started, ended))| {
            vec![
                Value::Id(creator),
                Value::Text(currency),
                Value::Int(started),
                Value::Int(ended),
            ]
        })
        .collect();
    bulk::insert(
        db,
        "subscription_totals",
        &["creator_id", "currency", "started", "ended"],
        &totals,
    )
    .await?;
    let days: Vec<Vec<Value>> = rollup
        .days
        .into_iter()
        .map(|((creator, currency, day), n)| {
            vec![
                Value::Id(creator),
                Value::Text(currency),
                Value::Text(day),
                Value::Int(n.started),
                Value::Int(n.started_monthly_minor),
                Value::Int(n.ended),
                Value::Int(n.churned),
                Value::Int(n.churned_monthly_minor),
            ]
        })
        .collect();
    bulk::insert(
        db,
        "subscription_days",
        &[
            "creator_id",
            "currency",
            "day",
            "started",
            "started_monthly_minor",
            "ended",
            "churned",
            "churned_monthly_minor",
        ],
        &days,
    )
    .await?;
    Ok(tiers.len() + totals.len() + days.len())
}

async fn write_events(
    db: &Db,
    creators: &[Creator],
    members: &Members,
    sizes: &Sizes,
    now: DateTime<Utc>,
    dice: &mut Dice,
) -> Result<usize, BoxError> {
    let total_members: usize = sizes.members.iter().sum();
    let mut written = 0;
    // (events, timed events, seconds) per creator, day and type.
    let mut days: HashMap<(Uuid, String, &'static str), [i64; 3]> = HashMap::new();
    for (c, creator) in creators.iter().enumerate() {
        let mine = &members.of[c];
        let count = sizes.events * mine.len() / total_members.max(1);
        for start in (0..count).step_by(CHUNK) {
            let mut rows = Vec::new();
            for n in start..(start + CHUNK).min(count) {
                let (membership, _) = mine[dice.below(mine.len() as u64) as usize];
                let (kind, details) = match dice.below(10) {
                    0..=5 => (
                        EventType::ContentView,
                        json!({"content_id": format!("c{}", dice.below(500)), "completion": dice.below(100) as f64 / 100.0}),
                    ),
                    6..=7 => (EventType::Comment, json!({})),
                    8 => (EventType::Share, json!({})),
                    _ => (
                        EventType::PersonaChat,
                        json!({"duration_minutes": 1 + dice.below(30)}),
                    ),
                };
                let at = recent(dice, now, 365);
                let seconds = details["duration_minutes"].as_i64().map(|m| m * 60);
                let day = days
                    .entry((creator.id, day_of(at), kind.as_str()))
                    .or_default();
                day[0] += 1;
                day[1] += i64::from(seconds.is_some());
                day[2] += seconds.unwrap_or(0);
                rows.push(vec![
                    Value::Id(creator.id),
                    Value::Text(format!("bench-{n}")),
                    Value::Id(membership),
                    Value::Text(kind.as_str().into()),
                    Value::At(at),
                    Value::Int(engagement::weight_milli(kind, &details)),
                    Value::Text(details.to_string()),
                    Value::At(at),
                    seconds.map_or(Value::NoInt, Value::Int),
                ]);
            }
            written += rows.len();
            bulk::insert(
                db,
                "engagement_events",
                &[
                    "creator_id",
                    "event_id",
                    "membership_id",
                    "type",
                    "occurred_at",
                    "weight_milli",
                    "details",
                    "received_at",
                    "duration_seconds",
                ],
                &rows,
            )
            .await?;
        }
    }
    let days: Vec<Vec<Value>> = days
        .into_iter()
        .map(|((creator, day, kind), [events, timed, seconds])| {
            vec![
                Value::Id(creator),
                Value::Text(day),
                Value::Text(kind.into()),
                Value::Int(events),
                Value::Int(timed),
                Value::Int(seconds),
            ]
        })
        .collect();
    written += days.len();
    bulk::insert(
        db,
        "engagement_days",
        &[
            "creator_id",
            "day",
            "type",
            "events",
            "timed_events",
            "duration_seconds",
        ],
        &days,
    )
    .await?;
    Ok(written)
}

async fn write_plan_billing(
    db: &Db,
    plan: Uuid,
    users: &[Uuid],
    sizes: &Sizes,
    now: DateTime<Utc>,
    dice: &mut Dice,
) -> Result<usize, BoxError> {
    let count = sizes.plan_subscriptions.min(users.len());
    let per_chunk = (CHUNK / INVOICE_MONTHS as usize).max(1);
    let mut written = 0;
    let mut number = 0_u64;
    for start in (0..count).step_by(per_chunk) {
        let (mut subscriptions, mut invoices, mut lines) = (Vec::new(), Vec::new(), Vec::new());
        for (i, user) in users
            .iter()
            .enumerate()
            .take((start + per_chunk).min(count))
            .skip(start)
        {
            let id = Uuid::now_v7();
            // Anchored so the current period ends within the coming month.
            let anchor =
                now - Months::new(INVOICE_MONTHS) + Duration::minutes(dice.below(43_000) as i64);
            let row = subscription(
                id,
                *user,
                Some(plan),
                None,
                "active",
                999,
                anchor,
                INVOICE_MONTHS - 1,
            );
            subscriptions.push(row);
            for m in 0..INVOICE_MONTHS {
                let invoice = Uuid::now_v7();
                let (from, to) = (anchor + Months::new(m), anchor + Months::new(m + 1));
                number += 1;
                invoices.push(vec![
                    Value::Id(invoice),
                    Value::Text(format!("BENCH-{number:09}")),
                    Value::Id(*user),
                    Value::Id(id),
                    Value::Text("paid".into()),
                    Value::Int(999),
                    Value::Int(999),
                    Value::Int(0),
                    Value::Int(0),
                    Value::Int(0),
                    Value::Text("USD".into()),
                    Value::Text("Bench Standard, monthly".into()),
                    Value::At(from),
                    Value::At(to),
                    Value::At(from),
                    Value::At(from),
                    Value::Text(format!("ch_bench_{i}_{m}")),
                    Value::At(from),
                ]);
                lines.push(vec![
                    Value::Id(invoice),
                    Value::Int(0),
                    Value::Text("Bench Standard, monthly".into()),
                    Value::Int(1),
                    Value::Int(999),
                    Value::Int(999),
                    Value::Text("subscription".into()),
                ]);
            }
        }
        written += subscriptions.len() + invoices.len() + lines.len();
        bulk::insert(db, "subscriptions", &SUBSCRIPTION_COLUMNS, &subscriptions).await?;
        bulk::insert(
            db,
            "invoices",
            &[
                "id",
                "invoice_number",
                "user_id",
                "subscription_id",
                "status",
                "amount_minor",
                "amount_paid_minor",
                "discount_minor",
                "tax_minor",
                "amount_due_minor",
                "currency",
                "description",
                "period_start",
                "period_end",
                "due_date",
                "paid_at",
                "charge_ref",
                "created_at",
            ],
            &invoices,
        )
        .await?;
        bulk::insert(
            db,
            "invoice_lines",
            &[
                "invoice_id",
                "position",
                "description",
                "quantity",
                "unit_price_minor",
                "amount_minor",
                "type",
            ],
            &lines,
        )
        .await?;
    }
    Ok(written)
}

async fn write_tips(
    db: &Db,
    creators: &[Creator],
    members: &Members,
    users: &[Uuid],
    sizes: &Sizes,
    now: DateTime<Utc>,
    dice: &mut Dice,
) -> Result<usize, BoxError> {
    let total_members: usize = sizes.members.iter().sum();
    let mut months: HashMap<(Uuid, String), i64> = HashMap::new();
    let mut days: HashMap<(Uuid, String), i64> = HashMap::new();
    let mut payers: HashSet<(Uuid, Uuid)> = HashSet::new();
    let mut written = 0;
    for (c, creator) in creators.iter().enumerate() {
        let mine = &members.of[c];
        let count = sizes.tips * mine.len() / total_members.max(1);
        for start in (0..count).step_by(CHUNK) {
            let mut rows = Vec::new();
            for n in start..(start + CHUNK).min(count) {
                let (membership, user) = mine[dice.below(mine.len() as u64) as usize];
                let amount = 100 * (1 + dice.below(50) as i64);
                let at = recent(dice, now, 365);
                *months.entry((creator.id, month_of(at))).or_default() += amount;
                *days.entry((creator.id, day_of(at))).or_default() += amount;
                payers.insert((creator.id, users[user]));
                rows.push(vec![
                    Value::Id(Uuid::now_v7()),
                    Value::Id(creator.id),
                    Value::Id(creator.jar),
                    Value::Id(membership),
                    Value::Id(users[user]),
                    Value::Int(amount),
                    Value::Int(amount / 10),
                    Value::Text("USD".into()),
                    Value::Text(String::new()),
                    Value::Bool(dice.chance(10)),
                    Value::Text(format!("ch_tip_{c}_{n}")),
                    Value::At(at),
                ]);
            }
            written += rows.len();
            bulk::insert(
                db,
                "tips",
                &[
                    "id",
                    "creator_id",
                    "jar_id",
                    "membership_id",
                    "user_id",
                    "amount_minor",
                    "fee_minor",
                    "currency",
                    "message",
                    "anonymous",
                    "charge_ref",
                    "created_at",
                ],
                &rows,
            )
            .await?;
        }
    }
    for (table, key, sums) in [
        ("revenue_months", "month", months),
        ("revenue_days", "day", days),
    ] {
        let rows: Vec<Vec<Value>> = sums
            .into_iter()
            .map(|((creator, when), tips)| {
                vec![
                    Value::Id(creator),
                    Value::Text(when),
                    Value::Text("USD".into()),
                    Value::Int(0),
                    Value::Int(tips),
                ]
            })
            .collect();
        written += rows.len();
        bulk::insert(
            db,
            table,
            &[
                "creator_id",
                key,
                "currency",
                "subscriptions_minor",
                "tips_minor",
            ],
            &rows,
        )
        .await?;
    }
    let mut payer_counts: HashMap<Uuid, i64> = HashMap::new();
    for (creator, _) in &payers {
        *payer_counts.entry(*creator).or_default() += 1;
    }
    let payer_counts: Vec<Vec<Value>> = payer_counts
        .into_iter()
        .map(|(creator, n)| vec![Value::Id(creator), Value::Text("USD".into()), Value::Int(n)])
        .collect();
    written += payer_counts.len();
    bulk::insert(
        db,
        "creator_payer_counts",
        &["creator_id", "currency", "payers"],
        &payer_counts,
    )
    .await?;
    let payers: Vec<Vec<Value>> = payers
        .into_iter()
        .map(|(creator, user)| {
            vec![
                Value::Id(creator),
                Value::Text("USD".into()),
                Value::Id(user),
            ]
        })
        .collect();
    written += payers.len();
    bulk::insert(
        db,
        "creator_payers",
        &["creator_id", "currency", "user_id"],
        &payers,
    )
    .await?;
    // What each member paid, as the app keeps it (the generated tier subscriptions have
    // no invoices, so their tips are all of it).
    on_db!(db, pool => sqlx::query(
        "UPDATE memberships SET paid_minor = \
         (SELECT SUM(amount_minor) FROM tips WHERE tips.membership_id = memberships.id) \
         WHERE id IN (SELECT membership_id FROM tips)",
    )
    .execute(pool)
    .await
    .map(|_| ()))?;
    app::backend::store::tips::recount_jars(db).await?;
    Ok(written)
}
