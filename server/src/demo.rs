//! `server seed-demo`: three creators with a year (or `--days`) of history, for trying
//! the product. Every record is made through the public REST API (in process, through the
//! real router), on a clock that starts that long ago and moves a day at a time, with
//! the job runner renewing subscriptions as their periods end. So the members,
//! payments, tips, events, posts and every rollup are exactly what that much real use
//! would have stored. Fans are shared: some who follow one creator join another.
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
use std::collections::HashSet;
use tower::ServiceExt;
use uuid::Uuid;

/// One demo creator, its owner, what it sells and how fast its audience grows.
struct Studio {
    owner_email: &'static str,
    owner_name: &'static str,
    name: &'static str,
    handle: &'static str,
    bio: &'static str,
    /// Two paid tiers: name, monthly and yearly price, benefits.
    tiers: [(&'static str, f64, f64, &'static [&'static str]); 2],
    /// The tip jar: name, goal and two reward thresholds.
    jar: (&'static str, u32, [(u32, &'static str); 2]),
    /// Joins a day start around `growth / 2` and rise through the year.
    growth: u64,
    /// What its content is called in view events.
    content: &'static str,
    posts: [(&'static str, &'static str); 2],
}

const STUDIOS: [Studio; 3] = [
    Studio {
        owner_email: "demo-creator@example.com",
        owner_name: "Aurora Lind",
        name: "Aurora Sounds",
        handle: "aurora",
        bio: "Songs written at night, recorded live.",
        tiers: [
            (
                "Supporter",
                4.99,
                49.99,
                &["Early access to songs", "Supporter-only posts"],
            ),
            (
                "Patron",
                14.99,
                149.99,
                &[
                    "Everything in Supporter",
                    "Monthly live Q&A",
                    "Name in the credits",
                ],
            ),
        ],
        jar: (
            "A new microphone",
            600,
            [
                (10, "Your name in the next video"),
                (50, "A signed lyric sheet"),
            ],
        ),
        growth: 6,
        content: "song",
        posts: [
            (
                "Loved the live set",
                "That #livesession last night was the best one yet.",
            ),
            (
                "Request",
                "Could you play the rain song again next #livesession?",
            ),
        ],
    },
    Studio {
        owner_email: "demo-potter@example.com",
        owner_name: "Kenji Mori",
        name: "Kiln & Coil",
        handle: "kilnandcoil",
        bio: "Wheel-thrown pottery, glaze experiments and studio tours.",
        tiers: [
            (
                "Apprentice",
                6.00,
                60.00,
                &["Process videos", "Glaze recipes"],
            ),
            (
                "Studio Member",
                20.00,
                200.00,
                &["Everything in Apprentice", "A seconds mug each quarter"],
            ),
        ],
        jar: (
            "A second kiln",
            2500,
            [
                (15, "Your initials under a pot"),
                (75, "A bowl from the first firing"),
            ],
        ),
        growth: 3,
        content: "video",
        posts: [
            (
                "First bowl!",
                "Centred my first bowl thanks to the #wheel tutorial.",
            ),
            ("Glaze question", "Which cone do you fire the #celadon at?"),
        ],
    },
    Studio {
        owner_email: "demo-scientist@example.com",
        owner_name: "Priya Raman",
        name: "Orbit Notes",
        handle: "orbitnotes",
        bio: "Space science explained in ten minutes a week.",
        tiers: [
            (
                "Explorer",
                3.00,
                30.00,
                &["Ad-free episodes", "Show notes with sources"],
            ),
            (
                "Mission Control",
                10.00,
                100.00,
                &["Everything in Explorer", "Vote on next topics"],
            ),
        ],
        jar: (
            "A better telescope",
            1200,
            [
                (5, "A shout-out on the show"),
                (40, "A print of our first photo"),
            ],
        ),
        growth: 2,
        content: "episode",
        posts: [
            (
                "Great episode",
                "The #blackholes episode finally made it click for me.",
            ),
            (
                "Topic idea",
                "Could you do one on #exoplanets and their atmospheres?",
            ),
        ],
    },
];

/// What was made, for the operator's terminal.
pub struct Seeded {
    /// Each creator's handle, owner email and members who ever joined.
    pub creators: Vec<(&'static str, &'static str, usize)>,
    /// Accounts of fans (some are members of several creators).
    pub fans: usize,
}

/// Seeds the configured database with `days` of history and prints how to sign in.
pub async fn seed(config: &Config, password: &str, days: u32) -> Result<(), BoxError> {
    let db = open_database(config).await?;
    let seeded = seed_into(db.clone(), config, password, days).await;
    db.close().await;
    let seeded = seeded?;
    println!("demo ready: {} fan accounts over {days} days", seeded.fans);
    for (handle, owner, members) in seeded.creators {
        println!("  @{handle}: {members} members; sign in as {owner} with the demo password");
    }
    Ok(())
}

/// Seeds `db` unless the demo creators are there already.
pub async fn seed_into(
    db: Db,
    config: &Config,
    password: &str,
    days: u32,
) -> Result<Seeded, BoxError> {
    let first = STUDIOS[0].owner_email;
    if users::find_by_email(&db, first).await?.is_some() {
        return Err(format!("demo data is already there ({first} exists)").into());
    }
    let clock = Clock::stopped_at(Utc::now() - Duration::days(days.into()));
    let api = Api::new(db, config, clock.clone(), password).await?;
    jobs::schedule_recurring(&api.state).await?;
    let mut stories = Vec::new();
    for studio in &STUDIOS {
        stories.push(Story::begin(&api, studio).await?);
    }
    let mut crowd = Crowd::default();
    let mut dice = Dice(2026);
    for day in 0..i64::from(days) {
        for story in &mut stories {
            story.day(&api, &mut crowd, &mut dice, day).await?;
        }
        clock.advance(Duration::days(1));
        jobs::run_due(&api.state).await?;
        if day % 30 == 29 {
            let counts: Vec<String> = stories
                .iter()
                .map(|s| format!("@{} {}", s.studio.handle, s.current()))
                .collect();
            println!(
                "{}: members {}",
                clock.now().format("%Y-%m"),
                counts.join(", ")
            );
        }
    }
    Ok(Seeded {
        creators: stories
            .iter()
            .map(|s| (s.studio.handle, s.studio.owner_email, s.members.len()))
            .collect(),
        fans: crowd.fans.len(),
    })
}

/// The REST API as a third party calls it, without a network.
pub(crate) struct Api {
    router: Router,
    pub(crate) state: AppState,
    password: String,
}

impl Api {
    /// The app on `db` and `clock`; every account it makes gets `password`.
    pub(crate) async fn new(
        db: Db,
        config: &Config,
        clock: Clock,
        password: &str,
    ) -> Result<Api, BoxError> {
        let state =
            AppState::new(db, clock, config.settings(), router::leptos_options(config)).await?;
        Ok(Api {
            router: router::build(config, state.clone()),
            state,
            password: password.to_string(),
        })
    }

    pub(crate) async fn call(
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

    pub(crate) async fn post(
        &self,
        path: &str,
        token: &str,
        body: Value,
    ) -> Result<Value, BoxError> {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// A verified account with the demo password; its access token.
    pub(crate) async fn account(&self, email: &str, name: &str) -> Result<String, BoxError> {
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

    /// The id of the creator's free default tier (made with the creator).
    pub(crate) async fn free_tier(
        &self,
        token: &str,
        creator_id: &str,
    ) -> Result<String, BoxError> {
        let listed = self
            .call(
                Method::GET,
                &format!("/audience/tiers?creator_id={creator_id}"),
                Some(token),
                None,
            )
            .await?;
        listed["tiers"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["is_default"] == true))
            .map(|t| text(&t["id"]))
            .ok_or("the free tier is missing")?
    }

    /// A fresh access token (they last 15 minutes of the demo's clock).
    pub(crate) async fn sign_in(&self, email: &str) -> Result<String, BoxError> {
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
pub(crate) struct Dice(pub(crate) u64);

impl Dice {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True `percent` times in a hundred.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A fan account: anyone may follow several creators.
struct Fan {
    email: String,
    card: Option<String>,
}

/// Every fan account made so far.
#[derive(Default)]
struct Crowd {
    fans: Vec<Fan>,
}

impl Crowd {
    /// A new verified fan account; its index and access token.
    async fn newcomer(&mut self, api: &Api) -> Result<(usize, String), BoxError> {
        let n = self.fans.len();
        let name = format!(
            "{} {}",
            FIRST_NAMES[n % FIRST_NAMES.len()],
            (b'A' + (n / FIRST_NAMES.len() % 26) as u8) as char
        );
        let email = format!("demo-fan-{n}@example.com");
        let token = api.account(&email, &name).await?;
        self.fans.push(Fan { email, card: None });
        Ok((n, token))
    }

    /// The fan's card, added now if they have none yet.
    async fn card(&mut self, api: &Api, fan: usize, token: &str) -> Result<String, BoxError> {
        if let Some(card) = &self.fans[fan].card {
            return Ok(card.clone());
        }
        let method = api
            .post(
                "/payment-methods",
                token,
                json!({"payment_method_token": "tok_visa", "set_as_default": true}),
            )
            .await?;
        let card = text(&method["id"])?;
        self.fans[fan].card = Some(card.clone());
        Ok(card)
    }
}

/// A fan's membership of one creator.
struct Member {
    fan: usize,
    id: String,
    left: bool,
}

/// One creator's year.
struct Story {
    studio: &'static Studio,
    creator_id: String,
    free: String,
    tiers: [String; 2],
    jar: String,
    members: Vec<Member>,
    /// Fans who ever joined (a fan who left does not come back in the demo).
    joined: HashSet<usize>,
}

const FIRST_NAMES: [&str; 12] = [
    "Ada", "Bram", "Chen", "Dara", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
];

impl Story {
    /// The creator, its tiers and a tip jar, at the start of the replay.
    async fn begin(api: &Api, studio: &'static Studio) -> Result<Story, BoxError> {
        let owner = api.account(studio.owner_email, studio.owner_name).await?;
        let creator = api
            .post(
                "/creators",
                &owner,
                json!({"name": studio.name, "handle": studio.handle, "bio": studio.bio}),
            )
            .await?;
        let creator_id = text(&creator["id"])?;
        let mut tiers = Vec::new();
        for (name, monthly, yearly, benefits) in studio.tiers {
            let tier = api
                .post(
                    "/audience/tiers",
                    &owner,
                    json!({"creator_id": creator_id, "name": name, "price_monthly": monthly,
                           "price_yearly": yearly, "benefits": benefits, "visible": true}),
                )
                .await?;
            tiers.push(text(&tier["id"])?);
        }
        let free = api.free_tier(&owner, &creator_id).await?;
        let (jar_name, goal, rewards) = studio.jar;
        let rewards: Vec<Value> = rewards
            .iter()
            .map(|(threshold, reward)| json!({"threshold": threshold, "reward": reward}))
            .collect();
        let jar = api
            .post(
                "/audience/tips/jars",
                &owner,
                json!({"creator_id": creator_id, "name": jar_name, "goal": goal,
                       "suggested_amounts": [5, 10, 25], "rewards": rewards}),
            )
            .await?;
        let [supporter, patron]: [String; 2] = tiers.try_into().map_err(|_| "two tiers")?;
        Ok(Story {
            studio,
            creator_id,
            free,
            tiers: [supporter, patron],
            jar: text(&jar["id"])?,
            members: Vec::new(),
            joined: HashSet::new(),
        })
    }

    /// Members who have not left.
    fn current(&self) -> usize {
        self.members.iter().filter(|m| !m.left).count()
    }

    /// One day: members join (more as the year goes on), about one in four hundred
    /// leaves, some tip; the creator records the week's interactions and posts news
    /// monthly.
    async fn day(
        &mut self,
        api: &Api,
        crowd: &mut Crowd,
        dice: &mut Dice,
        day: i64,
    ) -> Result<(), BoxError> {
        let joining = 1 + dice.below(self.studio.growth + day as u64 / 90);
        for _ in 0..joining {
            if dice.chance(70) {
                self.join(api, crowd, dice).await?;
            }
        }
        let per_mille = self.current() as u64 * 1000 / 400;
        let leaving = per_mille / 1000 + u64::from(dice.below(1000) < per_mille % 1000);
        for _ in 0..leaving {
            self.leave(api, crowd, dice).await?;
        }
        if dice.chance((5 + self.current() as u64 / 20).min(90)) {
            self.tip(api, crowd, dice).await?;
        }
        if day % 7 == 6 {
            self.week_of_interactions(api, dice, day).await?;
        }
        if day % 30 == 15 {
            self.news(api, crowd, dice, day).await?;
        }
        Ok(())
    }

    /// A fan joins: a third of the time one who already follows another creator.
    async fn join(
        &mut self,
        api: &Api,
        crowd: &mut Crowd,
        dice: &mut Dice,
    ) -> Result<(), BoxError> {
        let returning = dice
            .chance(35)
            .then(|| dice.below(crowd.fans.len() as u64) as usize)
            .filter(|fan| *fan < crowd.fans.len() && !self.joined.contains(fan));
        let (fan, token) = match returning {
            Some(fan) => (fan, api.sign_in(&crowd.fans[fan].email).await?),
            None => crowd.newcomer(api).await?,
        };
        let (tier, paid) = match dice.below(100) {
            0..=59 => (&self.free, false),
            60..=89 => (&self.tiers[0], true),
            _ => (&self.tiers[1], true),
        };
        let mut body = json!({"creator_id": self.creator_id, "tier_id": tier});
        if paid || dice.chance(30) {
            let card = crowd.card(api, fan, &token).await?;
            if paid {
                let cycle = if dice.chance(20) { "yearly" } else { "monthly" };
                body["billing_cycle"] = json!(cycle);
                body["payment_method_id"] = json!(card);
            }
        }
        let membership = api.post("/memberships", &token, body).await?;
        self.joined.insert(fan);
        self.members.push(Member {
            fan,
            id: text(&membership["id"])?,
            left: false,
        });
        Ok(())
    }

    fn pick(&self, crowd: &Crowd, dice: &mut Dice, with_card: bool) -> Option<usize> {
        let candidates: Vec<usize> = (0..self.members.len())
            .filter(|&i| {
                let member = &self.members[i];
                !member.left && (!with_card || crowd.fans[member.fan].card.is_some())
            })
            .collect();
        (!candidates.is_empty()).then(|| candidates[dice.below(candidates.len() as u64) as usize])
    }

    async fn leave(&mut self, api: &Api, crowd: &Crowd, dice: &mut Dice) -> Result<(), BoxError> {
        let Some(i) = self.pick(crowd, dice, false) else {
            return Ok(());
        };
        let token = api.sign_in(&crowd.fans[self.members[i].fan].email).await?;
        let path = format!("/memberships/{}/cancel", self.members[i].id);
        api.post(&path, &token, json!({})).await?;
        self.members[i].left = true;
        Ok(())
    }

    async fn tip(&self, api: &Api, crowd: &Crowd, dice: &mut Dice) -> Result<(), BoxError> {
        let Some(i) = self.pick(crowd, dice, true) else {
            return Ok(());
        };
        let member = &self.members[i];
        let fan = &crowd.fans[member.fan];
        let token = api.sign_in(&fan.email).await?;
        let amount = [5, 10, 25, 50][dice.below(4) as usize];
        api.post(
            "/audience/tips",
            &token,
            json!({"member_id": member.id, "creator_id": self.creator_id, "jar_id": self.jar,
                   "amount": amount, "message": "Thank you for all you make", "anonymous": dice.chance(20),
                   "payment_method_id": fan.card}),
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
                        json!({"content_id": format!("{}-{}", self.studio.content, dice.below(40)),
                               "completion": 0.4 + dice.below(60) as f64 / 100.0})
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
        let owner = api.sign_in(self.studio.owner_email).await?;
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
    async fn news(
        &self,
        api: &Api,
        crowd: &Crowd,
        dice: &mut Dice,
        day: i64,
    ) -> Result<(), BoxError> {
        let owner = api.sign_in(self.studio.owner_email).await?;
        let month = day / 30 + 1;
        api.post(
            "/audience/announcements",
            &owner,
            json!({"creator_id": self.creator_id, "title": format!("Month {month} at {}", self.studio.name),
                   "content": "New work is on the way. Thank you for being here.",
                   "visibility": if month % 3 == 0 { "paid_members" } else { "all_members" },
                   "notify": true, "notification_channels": ["push"]}),
        )
        .await?;
        if let Some(i) = self.pick(crowd, dice, false) {
            let token = api.sign_in(&crowd.fans[self.members[i].fan].email).await?;
            let (title, body) = self.studio.posts[dice.below(2) as usize];
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
