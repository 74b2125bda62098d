//! Renewals and dunning. At the end of each period (or trial) a `Renew` job bills the
//! next period at the plan's current terms: it issues the period's invoice, charges the
//! user's default payment method, and on success moves the subscription on and queues
//! the next renewal. A declined charge makes the subscription `past_due` and retries
//! after 1, 3, 5 and 7 days; after the last failure it is canceled and the invoice
//! marked uncollectible. A subscription set to cancel at period end is canceled instead.
//!
//! The charge happens between two transactions and carries an idempotency key naming
//! the period and attempt, so a job that dies mid-way and runs again cannot charge twice.

use crate::backend::billing::coupons::{self, Product};
use crate::backend::billing::invoicing::{self, Draft, Line};
use crate::backend::db::Tx;
use crate::backend::domain::money::{Currency, Money};
use crate::backend::error::AppError;
use crate::backend::services::jobs::{self, Job};
use crate::backend::services::notifications::{self, Kind};
use crate::backend::services::{memberships, milestones};
use crate::backend::store::jobs as jobs_store;
use crate::backend::store::memberships as memberships_store;
use crate::backend::store::payment_methods::{self, PaymentMethodRow};
use crate::backend::store::plans::{self, PlanRow};
use crate::backend::store::subscriptions::{self, SubscriptionRow};
use crate::backend::store::tiers::{self, TierRow};
use crate::backend::store::{balances, invoices, months};
use crate::backend::AppState;
use crate::model::audience::MembershipCycle;
use crate::model::plan::BillingCycle;
use crate::model::subscription::{period_end, InvoiceStatus, SubscriptionStatus};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// Days to wait before each retry of a declined renewal.
const RETRY_AFTER_DAYS: [i64; 4] = [1, 3, 5, 7];

/// The documented error for a declined charge.
pub fn payment_failed(decline_code: &str) -> AppError {
    AppError::BadRequest {
        code: "payment_failed",
        message: format!("The payment was declined ({decline_code}); use another payment method."),
    }
}

/// The period a renewal bills and the terms it bills at.
struct NextPeriod {
    anchor: DateTime<Utc>,
    index: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    cycle: BillingCycle,
    price: Money,
    description: String,
    /// The plan or tier renewed, which a coupon may discount.
    plan: Option<PlanRow>,
    tier: Option<TierRow>,
    /// How much the period numbering moves back (a new cycle restarts it at 1).
    shift: i32,
}

/// One due `Renew` job: the subscription, the period it found, and the job's id.
#[derive(Debug, Clone, Copy)]
pub struct Due {
    pub job_id: Uuid,
    pub subscription_id: Uuid,
    pub period_index: i32,
}

/// A renewal whose invoice is issued and waits for its charge.
struct Billed {
    due: Due,
    user_id: Uuid,
    failed_attempts: i32,
    next: NextPeriod,
    invoice: Uuid,
    amount_due: Money,
}

/// What the charge of a [`Billed`] renewal came to.
struct Charged {
    billed: Billed,
    method: Option<PaymentMethodRow>,
    outcome: Result<String, &'static str>,
}

/// Bills the period after the one `due` names. Its job is marked done in the
/// transaction that records the outcome (the worker's own is spared).
pub async fn renew(state: &AppState, due: Due) -> Result<(), AppError> {
    renew_all(state, &[due]).await
}

/// Bills several due renewals together: one transaction decides them all and issues
/// their invoices, the charges follow one by one, one transaction records every
/// outcome. A transaction costs more than most of its statements, so the worker
/// renews a claimed batch this way; if the batch fails, it runs the jobs one at a time
/// (every step is idempotent), so one bad subscription cannot hold up the others.
pub async fn renew_all(state: &AppState, due: &[Due]) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let mut batch = Batch::read(&mut tx, due).await?;
    let mut billed = Vec::with_capacity(due.len());
    for due in due {
        if let Some(bill) = decide(&mut tx, *due, now, &mut batch).await? {
            billed.push(bill);
        }
    }
    batch.write_invoices(&mut tx, now).await?;
    tx.commit().await?;
    if billed.is_empty() {
        return Ok(());
    }
    let users: Vec<Uuid> = billed.iter().map(|b| b.user_id).collect();
    let mut methods: HashMap<Uuid, PaymentMethodRow> =
        payment_methods::defaults_for(&state.db, &users)
            .await?
            .into_iter()
            .map(|method| (method.user_id, method))
            .collect();
    let mut charged = Vec::with_capacity(billed.len());
    for billed in billed {
        let method = methods.remove(&billed.user_id);
        charged.push(charge(state, billed, method).await?);
    }
    let mut tx = state.db.begin().await?;
    let jobs: Vec<Uuid> = charged.iter().map(|c| c.billed.due.job_id).collect();
    jobs_store::mark_all_done(&mut tx, &jobs, now).await?;
    // Read again now that the charges are done: an edit meanwhile (a cancel, a pause)
    // is seen by `record`.
    let ids: Vec<Uuid> = charged
        .iter()
        .map(|c| c.billed.due.subscription_id)
        .collect();
    let mut subs: HashMap<Uuid, SubscriptionRow> = subscriptions::find_all(&mut tx, &ids)
        .await?
        .into_iter()
        .map(|sub| (sub.id, sub))
        .collect();
    let mut recorded = Recorded::default();
    for charged in charged {
        // Two jobs of one subscription and period: the second finds it gone and does
        // nothing, as it would find it moved on.
        let sub = subs.remove(&charged.billed.due.subscription_id);
        record(&mut tx, charged, sub, &mut recorded, now).await?;
    }
    recorded.write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(())
}

/// What deciding a batch needs, read once for all its renewals and kept up to date as
/// they are decided: a statement costs more than the lookup that replaces it.
struct Batch {
    subscriptions: HashMap<Uuid, SubscriptionRow>,
    /// The invoices already issued, by subscription and period start: amount due.
    issued: HashMap<(Uuid, DateTime<Utc>), (Uuid, i64)>,
    /// Account balances by user and currency.
    balances: HashMap<(Uuid, String), i64>,
    /// Most renewals of a batch are of the same few plans: each is read once.
    plans: HashMap<Uuid, PlanRow>,
    /// The invoices decided so far, written together once all are decided.
    drafts: Vec<Draft>,
    /// Account balance spent on those invoices: user, amount (negative), invoice.
    spent: Vec<(Uuid, Money, Uuid)>,
}

impl Batch {
    async fn read(tx: &mut Tx, due: &[Due]) -> Result<Batch, AppError> {
        let ids: Vec<Uuid> = due.iter().map(|d| d.subscription_id).collect();
        let subscriptions: HashMap<Uuid, SubscriptionRow> = subscriptions::find_all(tx, &ids)
            .await?
            .into_iter()
            .map(|sub| (sub.id, sub))
            .collect();
        // A renewal bills the period that starts where the current one ends.
        let periods: Vec<(Uuid, DateTime<Utc>)> = subscriptions
            .values()
            .map(|sub| (sub.id, sub.current_period_end))
            .collect();
        let issued = invoices::for_periods(tx, &periods)
            .await?
            .into_iter()
            .filter_map(|invoice| {
                let sub = invoice.subscription_id?;
                Some((
                    (sub, invoice.period_start),
                    (invoice.id, invoice.amount_due_minor),
                ))
            })
            .collect();
        let mut users: Vec<Uuid> = subscriptions.values().map(|sub| sub.user_id).collect();
        users.sort_unstable();
        users.dedup();
        let balances = balances::of_users(tx, &users)
            .await?
            .into_iter()
            .map(|(user, currency, balance)| ((user, currency), balance))
            .collect();
        Ok(Batch {
            subscriptions,
            issued,
            balances,
            plans: HashMap::new(),
            drafts: Vec::new(),
            spent: Vec::new(),
        })
    }

    /// Writes the invoices decided, then the balance spent on them (whose ledger entries
    /// name them).
    async fn write_invoices(&mut self, tx: &mut Tx, now: DateTime<Utc>) -> Result<(), AppError> {
        invoicing::write_all(tx, std::mem::take(&mut self.drafts), now).await?;
        for (user_id, spent, invoice) in self.spent.drain(..) {
            balances::apply(tx, user_id, spent, "invoice_payment", Some(invoice), now).await?;
        }
        Ok(())
    }
}

/// Decides whether `due` bills a period, and issues the period's invoice (once, however
/// often this runs). A job with nothing (more) to do is marked done here.
async fn decide(
    tx: &mut Tx,
    due: Due,
    now: DateTime<Utc>,
    batch: &mut Batch,
) -> Result<Option<Billed>, AppError> {
    let Some(sub) = batch.subscriptions.get_mut(&due.subscription_id) else {
        jobs_store::mark_done(tx, due.job_id, now).await?;
        return Ok(None);
    };
    let live = matches!(
        SubscriptionStatus::parse(&sub.status),
        Some(
            SubscriptionStatus::Trialing | SubscriptionStatus::Active | SubscriptionStatus::PastDue
        )
    );
    let at = sub.next_attempt_at.unwrap_or(sub.current_period_end);
    if !live || sub.period_index != due.period_index || now < at {
        // Canceled, paused, already moved on by an earlier run, or a job from before
        // a pause whose period has since been pushed back.
        jobs_store::mark_done(tx, due.job_id, now).await?;
        return Ok(None);
    }
    if sub.cancel_at_period_end || !sub.auto_renew {
        // Changed in the batch's copy too: a second job of it finds it canceled.
        sub.status = SubscriptionStatus::Canceled.as_str().into();
        sub.canceled_at = Some(sub.current_period_end);
        sub.next_attempt_at = None;
        sub.updated_at = now;
        subscriptions::update(tx, sub).await?;
        memberships::subscription_ended(tx, sub.id, now).await?;
        jobs_store::mark_done(tx, due.job_id, now).await?;
        return Ok(None);
    }
    let mut sub = sub.clone();
    let next = next_period(tx, &sub, &mut batch.plans).await?;
    sub.coupon_through = sub.coupon_through.map(|through| through - next.shift);
    let currency = next.price.currency;
    let period = (sub.id, next.start);
    let (invoice, amount_due) = match batch.issued.get(&period) {
        Some(&(invoice, amount_due)) => (invoice, Money::from_minor(amount_due, currency)),
        None => {
            let draft = draft_invoice(tx, &sub, &next, batch, now).await?;
            let (invoice, total) = (draft.id(), draft.total());
            batch.drafts.push(draft);
            batch.issued.insert(period, (invoice, total.minor));
            (invoice, total)
        }
    };
    Ok(Some(Billed {
        due,
        user_id: sub.user_id,
        failed_attempts: sub.failed_attempts,
        next,
        invoice,
        amount_due,
    }))
}

/// Drafts the invoice of `next`: the price, the coupon's discount, then the account
/// balance (from the batch's `balances`, kept up to date), which is spent on it when
/// the batch writes its invoices.
async fn draft_invoice(
    tx: &mut Tx,
    sub: &SubscriptionRow,
    next: &NextPeriod,
    batch: &mut Batch,
    now: DateTime<Utc>,
) -> Result<Draft, AppError> {
    let currency = next.price.currency;
    let mut lines = vec![Line {
        description: next.description.clone(),
        kind: "subscription",
        amount: next.price,
    }];
    let product = match (&next.plan, &next.tier) {
        (Some(plan), _) => Some(Product::Plan(plan)),
        (None, Some(tier)) => Some(Product::Tier(tier)),
        (None, None) => None,
    };
    let coupon = match product {
        Some(product) => coupons::covering(tx, sub, next.index, product).await?,
        None => None,
    };
    let discount = coupon
        .as_ref()
        .map_or(Money::from_minor(0, currency), |c| c.discount(next.price));
    if let Some(coupon) = coupon.filter(|_| discount.minor > 0) {
        lines.push(invoicing::discount_line(&coupon.row.code, discount));
    }
    let balance = batch
        .balances
        .entry((sub.user_id, currency.code().to_string()))
        .or_insert(0);
    let used = (*balance).clamp(0, next.price.minor - discount.minor);
    *balance -= used;
    if used > 0 {
        lines.push(Line {
            description: "Account balance applied".into(),
            kind: "credit",
            amount: Money::from_minor(-used, currency),
        });
    }
    let draft = Draft::for_period(sub, &next.description, &lines, (next.start, next.end), now)?;
    if used > 0 {
        let spent = Money::from_minor(-used, currency);
        batch.spent.push((sub.user_id, spent, draft.id()));
    }
    Ok(draft)
}

/// Charges `method`, the user's default, with a key naming the period and attempt.
async fn charge(
    state: &AppState,
    billed: Billed,
    method: Option<PaymentMethodRow>,
) -> Result<Charged, AppError> {
    let attempt = billed.failed_attempts + 1;
    let outcome = match &method {
        _ if billed.amount_due.minor == 0 => Ok("account_balance".to_string()),
        None => Err("no_payment_method"),
        Some(method) => state
            .gateway
            .charge(
                &method.gateway_ref,
                billed.amount_due,
                &format!(
                    "renew-{}-{}-{attempt}",
                    billed.due.subscription_id, billed.next.index
                ),
            )
            .await
            .map_err(|declined| declined.decline_code),
    };
    Ok(Charged {
        billed,
        method,
        outcome,
    })
}

/// What recording a batch's outcomes leaves to be written for all of them at once.
#[derive(Default)]
struct Recorded {
    /// The next renewals and retries.
    queue: Vec<(Job, DateTime<Utc>)>,
    /// The invoices paid.
    paid: Vec<Payment>,
    /// The subscriptions as the outcomes left them, to write back.
    subscriptions: Vec<SubscriptionRow>,
}

/// An invoice paid by a renewal's charge.
struct Payment {
    invoice: Uuid,
    charge_ref: String,
    /// For a creator's tier, the creator and currency whose month and milestones the
    /// payment counts in.
    creator: Option<(Uuid, Currency)>,
}

impl Recorded {
    async fn write(self, tx: &mut Tx, now: DateTime<Utc>) -> Result<(), AppError> {
        let charges: Vec<(Uuid, &str)> = self
            .paid
            .iter()
            .map(|payment| (payment.invoice, payment.charge_ref.as_str()))
            .collect();
        let amounts: HashMap<Uuid, i64> = invoices::set_all_paid(tx, &charges, now)
            .await?
            .into_iter()
            .collect();
        // Only a creator's tier moves a creator's money: a platform invoice is not
        // looked up to find none.
        for payment in &self.paid {
            let amount = amounts.get(&payment.invoice);
            if let (Some((creator_id, currency)), Some(&amount)) = (payment.creator, amount) {
                months::add_invoice_amount(tx, payment.invoice, amount, now).await?;
                milestones::after_payment(tx, creator_id, currency.code(), now).await?;
            }
        }
        subscriptions::update_all(tx, &self.subscriptions).await?;
        jobs::enqueue_all(tx, &self.queue, now).await?;
        Ok(())
    }
}

/// Records a charge's outcome on `sub`, as read after the charge: the period moves on,
/// or the subscription goes past due (and is canceled after the last retry). The
/// payment, the subscription so changed, and the next renewal or retry go into
/// `recorded`, which the batch writes at once.
async fn record(
    tx: &mut Tx,
    charged: Charged,
    sub: Option<SubscriptionRow>,
    recorded: &mut Recorded,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Charged {
        billed,
        method,
        outcome,
    } = charged;
    let Billed {
        due,
        next,
        invoice,
        amount_due,
        ..
    } = billed;
    let Some(mut sub) = sub else {
        return Ok(());
    };
    if sub.period_index != due.period_index {
        return Ok(());
    }
    let currency = amount_due.currency;
    sub.updated_at = now;
    match outcome {
        Ok(charge_ref) => {
            let creator = sub
                .merchant_creator_id
                .map(|creator_id| (creator_id, currency));
            recorded.paid.push(Payment {
                invoice,
                charge_ref,
                creator,
            });
            sub.status = SubscriptionStatus::Active.as_str().into();
            sub.billing_anchor = next.anchor;
            sub.period_index = next.index;
            sub.current_period_start = next.start;
            sub.current_period_end = next.end;
            sub.price_minor = next.price.minor;
            sub.currency = next.price.currency.code().into();
            sub.billing_cycle = next.cycle.as_str().into();
            sub.coupon_through = sub.coupon_through.map(|through| through - next.shift);
            sub.failed_attempts = 0;
            sub.next_attempt_at = None;
            if let Some(method) = &method {
                sub.payment_method_id = Some(method.id);
            }
            let job = Job::Renew {
                subscription_id: sub.id,
                period_index: sub.period_index,
            };
            recorded.queue.push((job, next.end));
        }
        Err(decline_code) => {
            sub.failed_attempts += 1;
            let retry = usize::try_from(sub.failed_attempts - 1)
                .ok()
                .and_then(|i| RETRY_AFTER_DAYS.get(i));
            tracing::warn!(subscription = %sub.id, decline_code, attempts = sub.failed_attempts, "renewal charge failed");
            let amount = format!("{} {}", currency.code(), amount_due.to_decimal());
            if let Some(member) = memberships_store::billed_by(tx, sub.id).await? {
                // A creator's tier: the creator hears of it too.
                memberships::emit_member_event(
                    tx,
                    "audience.payment_failed",
                    &member,
                    json!({
                        "subscription_id": sub.id,
                        "amount": amount_due.to_decimal(),
                        "currency": currency.code(),
                        "decline_code": decline_code,
                        "attempt": sub.failed_attempts,
                        "final": retry.is_none(),
                    }),
                    now,
                )
                .await?;
            }
            match retry {
                Some(days) => {
                    notifications::notify(
                        tx,
                        sub.user_id,
                        Kind::PaymentFailed,
                        "Your payment failed",
                        &format!(
                            "We could not charge {amount} for your subscription. We will try \
                             again in {days} day(s); make a working card your default to keep \
                             your subscription."
                        ),
                        now,
                    )
                    .await?;
                    sub.status = SubscriptionStatus::PastDue.as_str().into();
                    let at = now + Duration::days(*days);
                    sub.next_attempt_at = Some(at);
                    let job = Job::Renew {
                        subscription_id: sub.id,
                        period_index: sub.period_index,
                    };
                    recorded.queue.push((job, at));
                }
                None => {
                    notifications::notify(
                        tx,
                        sub.user_id,
                        Kind::SubscriptionCanceled,
                        "Your subscription was canceled",
                        &format!(
                            "After several attempts we could not charge {amount}, so your \
                             subscription has ended. You can subscribe again at any time."
                        ),
                        now,
                    )
                    .await?;
                    sub.status = SubscriptionStatus::Canceled.as_str().into();
                    sub.canceled_at = Some(now);
                    sub.next_attempt_at = None;
                    invoices::set_status(tx, invoice, InvoiceStatus::Uncollectible).await?;
                    memberships::subscription_ended(tx, sub.id, now).await?;
                }
            }
        }
    }
    recorded.subscriptions.push(sub);
    Ok(())
}

/// The next period and its terms: the product as it is now (plan and tier edits reach
/// existing subscribers here). A changed cycle restarts the anchor at the end of this
/// period. `plans_read` keeps the plans read so far (a batch renews many of the same).
async fn next_period(
    tx: &mut Tx,
    sub: &SubscriptionRow,
    plans_read: &mut HashMap<Uuid, PlanRow>,
) -> Result<NextPeriod, AppError> {
    let (cycle, price, description, plan, tier) = match (sub.plan_id, sub.tier_id) {
        (Some(plan_id), _) => {
            let plan = match plans_read.get(&plan_id) {
                Some(plan) => plan.clone(),
                None => {
                    let plan = plans::find(&mut *tx, plan_id)
                        .await?
                        .ok_or_else(|| AppError::internal("subscription's plan is gone"))?;
                    plans_read.insert(plan_id, plan.clone());
                    plan
                }
            };
            let cycle = BillingCycle::parse(&plan.billing_cycle)
                .ok_or_else(|| AppError::internal("stored billing cycle"))?;
            let currency = Currency::parse(&plan.currency)
                .ok_or_else(|| AppError::internal("stored currency"))?;
            let price = Money::from_minor(plan.price_minor, currency);
            let description = format!("{} ({})", plan.name, plan.billing_cycle);
            (cycle, price, description, Some(plan), None)
        }
        (None, Some(tier_id)) => {
            // A tier keeps the member's cycle; its price is the tier's current one.
            let tier = tiers::find(&mut *tx, tier_id)
                .await?
                .ok_or_else(|| AppError::internal("subscription's tier is gone"))?;
            let cycle = BillingCycle::parse(&sub.billing_cycle)
                .ok_or_else(|| AppError::internal("stored billing cycle"))?;
            let membership_cycle = match cycle {
                BillingCycle::Annual => MembershipCycle::Yearly,
                _ => MembershipCycle::Monthly,
            };
            let price = memberships::tier_price(&tier, cycle)?;
            let description = memberships::tier_description(tx, &tier, membership_cycle).await?;
            (cycle, price, description, None, Some(tier))
        }
        (None, None) => return Err(AppError::internal("subscription without product")),
    };
    let (anchor, done) = if cycle.as_str() == sub.billing_cycle {
        (sub.billing_anchor, sub.period_index)
    } else {
        (sub.current_period_end, 0)
    };
    let done_periods = u32::try_from(done).unwrap_or(0);
    Ok(NextPeriod {
        anchor,
        index: done + 1,
        start: sub.current_period_end,
        end: period_end(anchor, cycle, done_periods + 1),
        cycle,
        price,
        description,
        shift: sub.period_index - done,
        plan,
        tier,
    })
}
