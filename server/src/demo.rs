//! `server seed-demo`: a creator with a year (or `--days`) of history, for trying the
//! product. Every record is made through the public REST API (in process, through the
//! real router), on a clock that starts that long ago and moves a day at a time, with
//! the job runner renewing subscriptions as their periods end. So the members,
//! payments, tips, events, posts and every rollup are exactly what that much real use
//! would have stored.
//!
//! Choices are drawn from a fixed-seed generator: the same command gives the same story.

use crate::config::Config;
use crate::{open_database, router, BoxError};
use app::backend::clock::Clock;
use app::backend::db::Db;
use app::backend::services::jobs;
use app::backend::store::users;
use app::backend::AppState;
use axum::body::Body;
use axum::Router;
use chrono::{Duration, Utc};
use http::{header, Method, Request};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use uuid::Uuid;

const OWNER_EMAIL: &str = "demo-creator@example.com";

/// What was made, for the operator's terminal.
pub struct Seeded {
    pub owner_email: &'static str,
    pub handle: String,
    pub members: usize,
}

/// Seeds the configured database with `days` of history and prints how to sign in.
pub async fn seed(config: &Config, password: &str, days: u32) -> Result<(), BoxError> {
    let db = open_database(config).await?;
    let seeded = seed_into(db.clone(), config, password, days).await;
    db.close().await;
    let seeded = seeded?;
    println!(
        "demo ready: sign in as {} with the demo password; @{} has {} members over {days} days",
        seeded.owner_email, seeded.handle, seeded.members
    );
    Ok(())
}

/// Seeds `db` unless the demo creator is there already.
pub async fn seed_into(
    db: Db,
    config: &Config,
    password: &str,
    days: u32,
) -> Result<Seeded, BoxError> {
    if users::find_by_email(&db, OWNER_EMAIL).await?.is_some() {
        return Err(format!("demo data is already there ({OWNER_EMAIL} exists)").into());
    }
    let clock = Clock::stopped_at(Utc::now() - Duration::days(days.into()));
    let state = AppState::new(
        db,
        clock.clone(),
        config.settings(),
        router::leptos_options(config),
    )
    .await?;
    let api = Api {
        router: router::build(config, state.clone()),
        state,
        password: password.to_string(),
    };
    jobs::schedule_recurring(&api.state).await?;
    let story = Story::begin(&api).await?.run(&api, &clock, days).await?;
    Ok(Seeded {
        owner_email: OWNER_EMAIL,
        handle: story.handle,
        members: story.members.len(),
    })
}

/// The REST API as a third party calls it, without a network.
struct Api {
    router: Router,
    state: AppState,
    password: String,
}

impl Api {
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Result<Value, BoxError> {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(format!("/api/v1{path}"));
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        let response = self.router.clone().oneshot(request.body(body)?).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)?
        };
        if !status.is_success() {
            return Err(format!("{method} {path} answered {status}: {value}").into());
        }
        Ok(value)
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> Result<Value, BoxError> {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// A verified account with the demo password; its access token.
    async fn account(&self, email: &str, name: &str) -> Result<String, BoxError> {
        let body = json!({"email": email, "password": self.password, "display_name": name, "accept_terms": true});
        let tokens = self
            .call(Method::POST, "/auth/register", None, Some(body))
            .await?;
        let token = text(&tokens["access_token"])?;
        let me = self
            .call(Method::GET, "/users/me", Some(&token), None)
            .await?;
        let id = Uuid::parse_str(&text(&me["id"])?)?;
        // The demo has no inbox to follow the verification link from.
        let mut tx = self.state.db.begin().await?;
        users::mark_email_verified(&mut tx, id, self.state.clock.now()).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// A fresh access token (they last 15 minutes of the demo's clock).
    async fn sign_in(&self, email: &str) -> Result<String, BoxError> {
        let body = json!({"email": email, "password": self.password});
        let tokens = self
            .call(Method::POST, "/auth/login", None, Some(body))
            .await?;
        text(&tokens["access_token"])
    }
}

fn text(value: &Value) -> Result<String, BoxError> {
    value
        .as_str()
        .map(String::from)
        .ok_or_else(|| format!("expected a string, got {value}").into())
}

/// splitmix64: small, fast and the same everywhere.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Member {
    email: String,
    id: String,
    card: Option<String>,
    left: bool,
}

struct Story {
    creator_id: String,
    handle: String,
    free: String,
    supporter: String,
    patron: String,
    jar: String,
    members: Vec<Member>,
}

const FIRST_NAMES: [&str; 12] = [
    "Ada", "Bram", "Chen", "Dara", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
];
const POSTS: [(&str, &str); 4] = [
    (
        "Loved the live set",
        "That #livesession last night was the best one yet.",
    ),
    (
        "Gear question",
        "Which microphone do you use for the #acoustic takes?",
    ),
    (
        "Request",
        "Could you play the rain song again next #livesession?",
    ),
    ("Thank you", "Your music got me through exams. #grateful"),
];

impl Story {
    /// The creator, its tiers and a tip jar, a year ago.
    async fn begin(api: &Api) -> Result<Story, BoxError> {
        let owner = api.account(OWNER_EMAIL, "Aurora Lind").await?;
        let creator = api
            .post(
                "/creators",
                &owner,
                json!({"name": "Aurora Sounds", "handle": "aurora", "bio": "Songs written at night, recorded live."}),
            )
            .await?;
        let creator_id = text(&creator["id"])?;
        let tier = |name: &str, monthly: f64, yearly: f64, benefits: Value| json!({"creator_id": creator_id, "name": name, "price_monthly": monthly, "price_yearly": yearly, "benefits": benefits, "visible": true});
        let supporter = api
            .post(
                "/audience/tiers",
                &owner,
                tier(
                    "Supporter",
                    4.99,
                    49.99,
                    json!(["Early access to songs", "Supporter-only posts"]),
                ),
            )
            .await?;
        let patron = api
            .post(
                "/audience/tiers",
                &owner,
                tier(
                    "Patron",
                    14.99,
                    149.99,
                    json!([
                        "Everything in Supporter",
                        "Monthly live Q&A",
                        "Name in the credits"
                    ]),
                ),
            )
            .await?;
        let tiers = api
            .call(
                Method::GET,
                &format!("/audience/tiers?creator_id={creator_id}"),
                Some(&owner),
                None,
            )
            .await?;
        let free = tiers["tiers"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["is_default"] == true))
            .map(|t| text(&t["id"]))
            .ok_or("the free tier is missing")??;
        let jar = api
            .post(
                "/audience/tips/jars",
                &owner,
                json!({"creator_id": creator_id, "name": "A new microphone", "goal": 600, "suggested_amounts": [5, 10, 25],
                       "rewards": [{"threshold": 10, "reward": "Your name in the next video"}, {"threshold": 50, "reward": "A signed lyric sheet"}]}),
            )
            .await?;
        Ok(Story {
            creator_id,
            handle: text(&creator["handle"])?,
            free,
            supporter: text(&supporter["id"])?,
            patron: text(&patron["id"])?,
            jar: text(&jar["id"])?,
            members: Vec::new(),
        })
    }

    /// The days, one at a time: members join (more as the year goes on), some leave,
    /// some tip; the creator records the week's interactions and posts news monthly;
    /// due jobs (renewals among them) run each day.
    async fn run(mut self, api: &Api, clock: &Clock, days: u32) -> Result<Self, BoxError> {
        let mut dice = Dice(2026);
        for day in 0..i64::from(days) {
            let joining = 1 + dice.below(2 + day as u64 / 120);
            for _ in 0..joining {
                if dice.chance(70) {
                    self.join(api, &mut dice).await?;
                }
            }
            if dice.chance(8) {
                self.leave(api, &mut dice).await?;
            }
            if dice.chance(12) {
                self.tip(api, &mut dice).await?;
            }
            if day % 7 == 6 {
                self.week_of_interactions(api, &mut dice, day).await?;
            }
            if day % 30 == 15 {
                self.news(api, &mut dice, day).await?;
            }
            clock.advance(Duration::days(1));
            jobs::run_due(&api.state).await?;
            if day % 30 == 29 {
                println!(
                    "{}: {} members so far",
                    clock.now().format("%Y-%m"),
                    self.members.iter().filter(|m| !m.left).count()
                );
            }
        }
        Ok(self)
    }

    async fn join(&mut self, api: &Api, dice: &mut Dice) -> Result<(), BoxError> {
        let n = self.members.len();
        let name = format!(
            "{} {}",
            FIRST_NAMES[n % FIRST_NAMES.len()],
            (b'A' + (n / FIRST_NAMES.len() % 26) as u8) as char
        );
        let email = format!("demo-fan-{n}@example.com");
        let token = api.account(&email, &name).await?;
        let roll = dice.below(100);
        let (tier, paid) = match roll {
            0..=59 => (&self.free, false),
            60..=89 => (&self.supporter, true),
            _ => (&self.patron, true),
        };
        let card = if paid || dice.chance(30) {
            let method = api
                .post(
                    "/payment-methods",
                    &token,
                    json!({"payment_method_token": "tok_visa", "set_as_default": true}),
                )
                .await?;
            Some(text(&method["id"])?)
        } else {
            None
        };
        let mut body = json!({"creator_id": self.creator_id, "tier_id": tier});
        if paid {
            let cycle = if dice.chance(20) { "yearly" } else { "monthly" };
            body["billing_cycle"] = json!(cycle);
            body["payment_method_id"] = json!(card);
        }
        let membership = api.post("/memberships", &token, body).await?;
        self.members.push(Member {
            email,
            id: text(&membership["id"])?,
            card,
            left: false,
        });
        Ok(())
    }

    fn pick(&self, dice: &mut Dice, with_card: bool) -> Option<usize> {
        let candidates: Vec<usize> = (0..self.members.len())
            .filter(|&i| !self.members[i].left && (!with_card || self.members[i].card.is_some()))
            .collect();
        (!candidates.is_empty()).then(|| candidates[dice.below(candidates.len() as u64) as usize])
    }

    async fn leave(&mut self, api: &Api, dice: &mut Dice) -> Result<(), BoxError> {
        let Some(i) = self.pick(dice, false) else {
            return Ok(());
        };
        let token = api.sign_in(&self.members[i].email).await?;
        let path = format!("/memberships/{}/cancel", self.members[i].id);
        api.post(&path, &token, json!({})).await?;
        self.members[i].left = true;
        Ok(())
    }

    async fn tip(&self, api: &Api, dice: &mut Dice) -> Result<(), BoxError> {
        let Some(i) = self.pick(dice, true) else {
            return Ok(());
        };
        let member = &self.members[i];
        let token = api.sign_in(&member.email).await?;
        let amount = [5, 10, 25, 50][dice.below(4) as usize];
        api.post(
            "/audience/tips",
            &token,
            json!({"member_id": member.id, "creator_id": self.creator_id, "jar_id": self.jar,
                   "amount": amount, "message": "Thank you for the music", "anonymous": dice.chance(20),
                   "payment_method_id": member.card}),
        )
        .await?;
        Ok(())
    }

    /// Views, comments and shares of current members, a few each, in batches.
    async fn week_of_interactions(
        &self,
        api: &Api,
        dice: &mut Dice,
        day: i64,
    ) -> Result<(), BoxError> {
        let mut events = Vec::new();
        for (i, member) in self.members.iter().enumerate() {
            if member.left || dice.chance(35) {
                continue;
            }
            for k in 0..1 + dice.below(4) {
                let kind = match dice.below(10) {
                    0..=5 => "content_view",
                    6..=7 => "comment",
                    8 => "share",
                    _ => "persona_chat",
                };
                let details = match kind {
                    "content_view" => {
                        json!({"content_id": format!("song-{}", dice.below(40)), "completion": 0.4 + dice.below(60) as f64 / 100.0})
                    }
                    "persona_chat" => json!({"duration_minutes": 1 + dice.below(20)}),
                    _ => json!({}),
                };
                events.push(json!({"id": format!("demo-{day}-{i}-{k}"), "member_id": member.id, "type": kind, "details": details}));
            }
        }
        if events.is_empty() {
            return Ok(());
        }
        let owner = api.sign_in(OWNER_EMAIL).await?;
        for batch in events.chunks(500) {
            api.post(
                "/audience/events",
                &owner,
                json!({"creator_id": self.creator_id, "events": batch}),
            )
            .await?;
        }
        Ok(())
    }

    /// An announcement from the creator and a member's post.
    async fn news(&self, api: &Api, dice: &mut Dice, day: i64) -> Result<(), BoxError> {
        let owner = api.sign_in(OWNER_EMAIL).await?;
        let month = day / 30 + 1;
        api.post(
            "/audience/announcements",
            &owner,
            json!({"creator_id": self.creator_id, "title": format!("Month {month} in the studio"),
                   "content": "New songs are on the way. Thank you for being here.",
                   "visibility": if month % 3 == 0 { "paid_members" } else { "all_members" },
                   "notify": true, "notification_channels": ["push"]}),
        )
        .await?;
        if let Some(i) = self.pick(dice, false) {
            let token = api.sign_in(&self.members[i].email).await?;
            let (title, body) = POSTS[dice.below(POSTS.len() as u64) as usize];
            api.post(
                "/audience/community/posts",
                &token,
                json!({"creator_id": self.creator_id, "title": title, "body": body}),
            )
            .await?;
        }
        Ok(())
    }
}
