//! Login throttling as a pure rule: how many attempts a key (a login name, a client address, a
//! trusted device) may make, and how long it waits after that.
//!
//! An attempt is counted *before* its password is checked, so parallel attempts cannot all read
//! the same count and slip under the limit together: the store applies [`attempt`] to the
//! key's row while holding it locked, and only an admitted attempt is checked at all.

use chrono::{DateTime, Duration, Utc};

/// How a kind of key is throttled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Attempts admitted without waiting within one window.
    pub free: i64,
    /// After this long without an attempt, the count starts again.
    pub window: Duration,
    /// The longest wait between two attempts once the free ones are used.
    pub max_wait: Duration,
}

impl Policy {
    /// A login name, whatever address or browser the attempts come from: 10 free attempts,
    /// then waits of 2 s, 4 s, 8 s … up to 15 minutes.
    pub const NAME: Self = Self {
        free: 10,
        window: Duration::hours(1),
        max_wait: Duration::minutes(15),
    };
    /// A client address, whatever names it tries: more free attempts, since an office may
    /// reach us through one address.
    pub const ADDRESS: Self = Self {
        free: 30,
        window: Duration::hours(1),
        max_wait: Duration::minutes(15),
    };
    /// A browser the user has logged in from before (a trusted-device cookie): throttled on
    /// its own, so that guesses at the name elsewhere do not lock the owner out.
    pub const DEVICE: Self = Self {
        free: 10,
        window: Duration::hours(1),
        max_wait: Duration::minutes(15),
    };

    /// The wait after the `n`-th attempt beyond the free ones (n ≥ 1): 2ⁿ seconds, capped.
    pub fn wait(&self, n: i64) -> Duration {
        let seconds = 1_i64.checked_shl(n.clamp(1, 30) as u32).unwrap_or(i64::MAX);
        Duration::seconds(seconds).min(self.max_wait)
    }
}

/// The counted attempts of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    /// Attempts in the current window.
    pub failures: i64,
    /// The last admitted attempt.
    pub last_at: DateTime<Utc>,
    /// No attempt is admitted before this moment.
    pub blocked_until: DateTime<Utc>,
}

impl State {
    /// A key without attempts.
    pub fn fresh() -> Self {
        Self {
            failures: 0,
            last_at: DateTime::<Utc>::UNIX_EPOCH,
            blocked_until: DateTime::<Utc>::UNIX_EPOCH,
        }
    }
}

/// Refused: wait this long before the next attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait(pub Duration);

/// One attempt at `now`: the key's new state if it is admitted (counted as a failure until the
/// password proves right), or how long to wait. A refused attempt changes nothing.
pub fn attempt(state: State, now: DateTime<Utc>, policy: &Policy) -> Result<State, Wait> {
    if now < state.blocked_until {
        return Err(Wait(state.blocked_until - now));
    }
    let failures = if now - state.last_at > policy.window {
        1
    } else {
        state.failures + 1
    };
    // Below the limit the old block stays as it was (in the past). Setting it to `now` would
    // refuse a parallel attempt whose clock reading came a moment earlier.
    let blocked_until = if failures >= policy.free {
        now + policy.wait(failures - policy.free + 1)
    } else {
        state.blocked_until
    };
    Ok(State {
        failures,
        last_at: now,
        blocked_until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn free_attempts_then_doubling_waits() {
        let policy = Policy::NAME;
        let mut state = State::fresh();
        for _ in 0..policy.free {
            state = attempt(state, at(0), &policy).expect("free attempt");
        }
        assert_eq!(state.failures, 10);
        // The tenth attempt starts the first wait of two seconds.
        assert_eq!(
            attempt(state, at(1), &policy),
            Err(Wait(Duration::seconds(1)))
        );
        state = attempt(state, at(2), &policy).unwrap();
        assert_eq!(state.blocked_until, at(6));
        state = attempt(state, at(6), &policy).unwrap();
        assert_eq!(state.blocked_until, at(14));
        assert_eq!(policy.wait(20), Duration::minutes(15));
        assert_eq!(policy.wait(1000), Duration::minutes(15));
    }

    #[test]
    fn attempts_below_the_limit_block_no_one() {
        let policy = Policy::NAME;
        let state = attempt(State::fresh(), at(10), &policy).unwrap();
        // An attempt that read the clock a moment before this one was counted is admitted.
        assert!(attempt(state, at(9), &policy).is_ok());
    }

    #[test]
    fn a_quiet_window_starts_the_count_again() {
        let policy = Policy::NAME;
        let state = State {
            failures: 9,
            last_at: at(0),
            blocked_until: at(0),
        };
        let later = attempt(state, at(3601), &policy).unwrap();
        assert_eq!(later.failures, 1);
        let soon = attempt(state, at(60), &policy).unwrap();
        assert_eq!(soon.failures, 10);
    }

    proptest! {
        /// However attempts are spread in time, a key gets no more than its free attempts in
        /// any stretch shorter than the first wait, and never two admitted attempts closer
        /// than the waits allow once the free ones are spent.
        #[test]
        fn the_limit_holds_for_any_sequence(gaps in proptest::collection::vec(0i64..5, 1..400)) {
            let policy = Policy::NAME;
            let mut state = State::fresh();
            let mut now = 0;
            let mut admitted = Vec::new();
            for gap in gaps {
                now += gap;
                if let Ok(next) = attempt(state, at(now), &policy) {
                    admitted.push(now);
                    state = next;
                }
            }
            // In any window of two seconds at most `free` attempts pass.
            for (i, &t) in admitted.iter().enumerate() {
                let within = admitted[i..].iter().take_while(|&&u| u - t < 2).count();
                prop_assert!(within as i64 <= policy.free, "{within} attempts within 2 s");
            }
            // All attempts in this test fall into one window: after the free ones, each
            // admitted attempt is at least the doubling wait after the one before.
            for (k, pair) in admitted.windows(2).enumerate().skip(policy.free as usize - 1) {
                let beyond = k as i64 + 2 - policy.free;
                prop_assert!(pair[1] - pair[0] >= policy.wait(beyond).num_seconds());
            }
        }
    }
}
