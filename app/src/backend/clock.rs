//! The platform's notion of "now". Every service reads it from here so tests (and the
//! sandbox test clock) can move time forward without waiting.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use std::sync::{Arc, RwLock};

#[derive(Clone, Debug)]
pub struct Clock {
    /// Added to the system time; only ever grows. Zero unless a test clock moved it.
    offset: Arc<RwLock<Duration>>,
    /// When set, time stands still at this instant (plus the offset): tests that need
    /// two requests to happen "at the same instant" freeze the clock.
    frozen_at: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    pub fn system() -> Clock {
        Clock {
            offset: Arc::new(RwLock::new(Duration::zero())),
            frozen_at: Arc::new(RwLock::new(None)),
        }
    }

    /// A clock stopped at `at`, moved only by [`Clock::advance`]: for replaying a
    /// stretch of time that has already passed (the demo data of `server seed-demo`).
    pub fn stopped_at(at: DateTime<Utc>) -> Clock {
        Clock {
            offset: Arc::new(RwLock::new(Duration::zero())),
            frozen_at: Arc::new(RwLock::new(Some(at))),
        }
    }

    /// Now, to the microsecond: PostgreSQL keeps no more, so a value returned to a
    /// client equals the one stored on either engine.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = *self.offset.read().unwrap_or_else(|e| e.into_inner());
        let base = self
            .frozen_at
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(Utc::now);
        (base + offset).trunc_subsecs(6)
    }

    /// Stops time at the current instant for this clock and every clone; only
    /// [`Clock::advance`] moves it from then on.
    pub fn freeze(&self) {
        let mut frozen = self.frozen_at.write().unwrap_or_else(|e| e.into_inner());
        frozen.get_or_insert_with(Utc::now);
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        if by > Duration::zero() {
            *self.offset.write().unwrap_or_else(|e| e.into_inner()) += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone_forward_never_back() {
        let clock = Clock::system();
        let other = clock.clone();
        let before = clock.now();
        clock.advance(Duration::days(30));
        assert!(other.now() - before >= Duration::days(30));
        clock.advance(Duration::days(-60));
        assert!(other.now() - before >= Duration::days(30));
    }
}
