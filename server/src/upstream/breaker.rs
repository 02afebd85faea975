//! A circuit breaker counting failed *calls* (one call = one request and
//! its retries): after `threshold` failures in a row it opens and refuses
//! calls for `open_for`; then it lets one trial call through (half-open),
//! which closes it again on success or reopens it on failure.

use std::{
    sync::{Mutex, MutexGuard},
    time::{Duration, Instant},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// The one trial call is running.
    HalfOpen,
}

/// The breaker. Share it between all calls to one service.
#[derive(Debug)]
pub struct Breaker {
    threshold: u32,
    open_for: Duration,
    state: Mutex<State>,
}

/// Leave to make one call; report how it went with [`Permit::success`] or
/// [`Permit::failure`]. A permit dropped unreported (the caller went away)
/// counts as neither, and frees the half-open trial for the next caller.
#[derive(Debug)]
pub struct Permit<'a> {
    breaker: &'a Breaker,
    trial: bool,
    reported: bool,
}

impl Breaker {
    /// Opens after `threshold` failed calls in a row, for `open_for`.
    pub fn new(threshold: u32, open_for: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            open_for,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A permit to call, or how long until the next call may be tried.
    pub fn permit(&self) -> Result<Permit<'_>, Duration> {
        let mut state = self.lock();
        let trial = match *state {
            State::Closed { .. } => false,
            State::Open { until } => {
                let now = Instant::now();
                if now < until {
                    return Err(until - now);
                }
                *state = State::HalfOpen;
                true
            }
            // Someone else's trial is running: wait for its outcome.
            State::HalfOpen => return Err(self.open_for.min(Duration::from_secs(1))),
        };
        Ok(Permit {
            breaker: self,
            trial,
            reported: false,
        })
    }

    /// Whether calls are refused right now (for logs and tests).
    pub fn is_open(&self) -> bool {
        !matches!(*self.lock(), State::Closed { .. })
    }
}

impl Permit<'_> {
    /// The call succeeded: the breaker closes and forgets earlier failures.
    pub fn success(mut self) {
        self.reported = true;
        *self.breaker.lock() = State::Closed { failures: 0 };
    }

    /// The call failed: one more failure in a row; a failed trial reopens.
    pub fn failure(mut self) {
        self.reported = true;
        let breaker = self.breaker;
        let mut state = breaker.lock();
        let failures = match *state {
            State::Closed { failures } if !self.trial => failures + 1,
            _ => breaker.threshold,
        };
        *state = if failures >= breaker.threshold {
            State::Open {
                until: Instant::now() + breaker.open_for,
            }
        } else {
            State::Closed { failures }
        };
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.trial && !self.reported {
            let mut state = self.breaker.lock();
            if *state == State::HalfOpen {
                *state = State::Open {
                    until: Instant::now(),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: Duration = Duration::from_millis(40);

    fn fail(breaker: &Breaker, times: u32) {
        for _ in 0..times {
            breaker.permit().expect("closed").failure();
        }
    }

    #[test]
    fn opens_after_threshold_failures_in_a_row() {
        let breaker = Breaker::new(5, OPEN);
        fail(&breaker, 4);
        assert!(!breaker.is_open());
        fail(&breaker, 1);
        let wait = breaker.permit().expect_err("open");
        assert!(wait <= OPEN && wait > Duration::ZERO);
    }

    #[test]
    fn a_success_resets_the_count() {
        let breaker = Breaker::new(5, OPEN);
        fail(&breaker, 4);
        breaker.permit().expect("closed").success();
        fail(&breaker, 4);
        assert!(breaker.permit().is_ok(), "4 in a row is not 5");
    }

    #[test]
    fn half_open_lets_one_trial_through() {
        let breaker = Breaker::new(2, OPEN);
        fail(&breaker, 2);
        std::thread::sleep(OPEN + Duration::from_millis(5));
        let trial = breaker.permit().expect("trial");
        assert!(breaker.permit().is_err(), "only one trial at a time");
        trial.failure();
        assert!(breaker.permit().is_err(), "a failed trial reopens");
        std::thread::sleep(OPEN + Duration::from_millis(5));
        breaker.permit().expect("trial").success();
        assert!(!breaker.is_open());
        fail(&breaker, 1);
        assert!(breaker.permit().is_ok(), "closed again, count from zero");
    }

    #[test]
    fn an_abandoned_trial_frees_the_next_caller() {
        let breaker = Breaker::new(1, OPEN);
        fail(&breaker, 1);
        std::thread::sleep(OPEN + Duration::from_millis(5));
        drop(breaker.permit().expect("trial"));
        assert!(breaker.permit().is_ok());
    }
}
