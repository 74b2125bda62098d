//! The platform's notion of "now". Every service reads it from here so tests (and the
//! sandbox test clock) can move time forward without waiting.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use std::sync::{Arc, RwLock};

#[derive(Clone, Debug)]
pub struct Clock {
    /// Added to the system time; only ever grows. Zero unless a test clock moved it.
    offset: Arc<RwLock<Duration>>,
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
        }
    }

    /// Now, to the microsecond: PostgreSQL keeps no more, so a value returned to a
    /// client equals the one stored on either engine.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = *self.offset.read().unwrap_or_else(|e| e.into_inner());
        (Utc::now() + offset).trunc_subsecs(6)
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
