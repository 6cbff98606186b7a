//! The retry decision as a small pure function (`docs/failures.md`): given how an attempt
//! ended, what the call may still spend and the method's safety, retry after a wait or stop.
//! Everything with side effects (sleeping, logging, building errors) stays in the transport.

use std::time::Duration;

/// When and how often to try again. GETs are retried on connect errors, timeouts and
/// 429/502/503/504; a POST only when its request provably never left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so 2 means at most 3 attempts).
    pub max_retries: u32,
    /// Backoff ceiling of the first retry; it doubles per retry ("full jitter": the actual wait
    /// is random between zero and the ceiling, so many clients do not retry in lockstep).
    pub initial_backoff: Duration,
    /// The largest backoff ceiling.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; a longer one is returned to the caller
    /// as the error (with its `retry_after`) instead of hanging.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The backoff ceiling of retry number `retry_index` (from 0): `initial * 2^n`, capped.
    pub fn ceiling(&self, retry_index: u32) -> Duration {
        self.initial_backoff
            .saturating_mul(1u32 << retry_index.min(16))
            .min(self.max_backoff)
    }

    /// A full-jitter wait for retry number `retry_index`: uniform in [0, ceiling].
    pub fn jittered(&self, retry_index: u32) -> Duration {
        let nanos = self.ceiling(retry_index).as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// How an attempt ended, as far as trying again is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// A response with this status (and `Retry-After`, if any) arrived.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The request never left: the connection could not be made.
    NotSent,
    /// The request may have reached the server: a timeout, a cut connection, a body cut short.
    MaybeSent,
}

/// The facts the decision needs about the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// True for GET/HEAD (and the login): repeating them changes nothing.
    pub idempotent: bool,
    pub retries_used: u32,
    pub max_retries: u32,
    /// What is left of the call's deadline.
    pub remaining: Duration,
    /// The wait a backoff retry would take (drawn by the caller, so this stays pure).
    pub backoff: Duration,
    pub max_retry_after: Duration,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry { wait: Duration },
    /// Hand the response (or the failure) to the caller.
    Stop,
    /// The server asked for a wait the call cannot afford (beyond its deadline or the policy's
    /// limit): fail now with a rate-limit error carrying it.
    TooLongToWait { retry_after: Duration },
}

/// Statuses a GET is retried on: the server or a gateway says "not now".
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// The decision. A POST (not idempotent) is retried only when it never left.
pub fn decide(ending: Ending, budget: Budget) -> Decision {
    let can_retry = budget.retries_used < budget.max_retries;
    match ending {
        Ending::Status {
            status,
            retry_after,
        } => {
            if !budget.idempotent || !retryable_status(status) {
                return Decision::Stop;
            }
            if let Some(after) = retry_after {
                if after > budget.max_retry_after || after >= budget.remaining {
                    // Waiting would outlive the call (or look like a hang): say so now.
                    return if status == 429 {
                        Decision::TooLongToWait { retry_after: after }
                    } else {
                        Decision::Stop
                    };
                }
                return if can_retry {
                    Decision::Retry { wait: after }
                } else {
                    Decision::Stop
                };
            }
            if can_retry && budget.backoff < budget.remaining {
                Decision::Retry {
                    wait: budget.backoff,
                }
            } else {
                Decision::Stop
            }
        }
        Ending::NotSent | Ending::MaybeSent => {
            let safe = budget.idempotent || ending == Ending::NotSent;
            if safe && can_retry && budget.backoff < budget.remaining {
                Decision::Retry {
                    wait: budget.backoff,
                }
            } else {
                Decision::Stop
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(idempotent: bool) -> Budget {
        Budget {
            idempotent,
            retries_used: 0,
            max_retries: 2,
            remaining: Duration::from_secs(30),
            backoff: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(60),
        }
    }

    fn status(s: u16, after: Option<u64>) -> Ending {
        Ending::Status {
            status: s,
            retry_after: after.map(Duration::from_secs),
        }
    }

    #[test]
    fn gets_retry_on_the_four_statuses_only() {
        for s in [429, 502, 503, 504] {
            assert!(matches!(
                decide(status(s, None), budget(true)),
                Decision::Retry { .. }
            ));
        }
        for s in [200, 400, 401, 404, 500, 501] {
            assert_eq!(decide(status(s, None), budget(true)), Decision::Stop, "{s}");
        }
    }

    #[test]
    fn posts_retry_only_when_never_sent() {
        for s in [429, 502, 503, 504] {
            assert_eq!(decide(status(s, None), budget(false)), Decision::Stop);
        }
        assert_eq!(decide(Ending::MaybeSent, budget(false)), Decision::Stop);
        assert!(matches!(
            decide(Ending::NotSent, budget(false)),
            Decision::Retry { .. }
        ));
    }

    #[test]
    fn retry_after_is_honoured_within_the_deadline_only() {
        assert_eq!(
            decide(status(503, Some(2)), budget(true)),
            Decision::Retry {
                wait: Duration::from_secs(2)
            }
        );
        let mut short = budget(true);
        short.remaining = Duration::from_secs(1);
        assert_eq!(
            decide(status(429, Some(2)), short),
            Decision::TooLongToWait {
                retry_after: Duration::from_secs(2)
            }
        );
        assert_eq!(
            decide(status(429, Some(61)), budget(true)),
            Decision::TooLongToWait {
                retry_after: Duration::from_secs(61)
            }
        );
    }

    #[test]
    fn retries_stop_when_used_up_or_the_wait_outlives_the_deadline() {
        let mut used = budget(true);
        used.retries_used = 2;
        assert_eq!(decide(status(503, None), used), Decision::Stop);
        assert_eq!(decide(Ending::MaybeSent, used), Decision::Stop);
        let mut late = budget(true);
        late.remaining = Duration::from_millis(50);
        assert_eq!(decide(status(503, None), late), Decision::Stop);
    }

    #[test]
    fn backoff_ceilings_double_and_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.ceiling(0), Duration::from_millis(500));
        assert_eq!(p.ceiling(1), Duration::from_secs(1));
        assert_eq!(p.ceiling(10), Duration::from_secs(8));
        for i in 0..40 {
            assert!(p.jittered(i) <= p.ceiling(i));
        }
    }
}
