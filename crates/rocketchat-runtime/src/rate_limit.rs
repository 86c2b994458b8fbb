use http::HeaderMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The server's rate-limit headers (`X-RateLimit-Limit`, `-Remaining`, `-Reset`).
///
/// Rocket.Chat limits each route per client (by default 10 calls per 60 s); users with the
/// `api-bypass-rate-limit` permission are exempt and get no headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed in the window.
    pub limit: Option<u64>,
    /// Calls left in the window.
    pub remaining: Option<u64>,
    /// When the window resets. The server sends Unix time in milliseconds.
    pub reset: Option<SystemTime>,
}

impl RateLimit {
    /// The values from a response's headers, or `None` when it has none of them.
    /// A header that is not a number is treated as absent.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
        let rate_limit = Self {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset").and_then(|millis| UNIX_EPOCH.checked_add(Duration::from_millis(millis))),
        };
        (rate_limit != Self { limit: None, remaining: None, reset: None }).then_some(rate_limit)
    }

    /// How long until the window resets, seen from `now`; zero once it has passed.
    pub fn wait_from(&self, now: SystemTime) -> Option<Duration> {
        self.reset.map(|reset| reset.duration_since(now).unwrap_or_default())
    }
}
