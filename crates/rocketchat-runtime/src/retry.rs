use std::time::Duration;

/// Whether and how long to wait and retry when the server answers 429 (rate limited).
///
/// Off unless set with [`crate::TransportBuilder::retry_on_rate_limit`]. Only 429s are
/// retried: the server refused those before doing anything, while other failures of these
/// POSTs may already have taken effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The most time spent waiting across all retries of one call; a wait that would pass it
    /// returns the 429 instead.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, waiting at most 60 s in all (Rocket.Chat's default window).
    fn default() -> Self {
        Self { max_retries: 2, max_total_wait: Duration::from_secs(60) }
    }
}

/// "You must wait 10 seconds before trying this endpoint again": the wait a 429's message
/// names, for responses without an `X-RateLimit-Reset` header.
pub(crate) fn wait_in_message(message: &str) -> Option<Duration> {
    let after = message.split("wait ").nth(1)?;
    let seconds: u64 = after.split_whitespace().next()?.parse().ok()?;
    after.split_whitespace().nth(1).filter(|unit| unit.starts_with("second")).map(|_| Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_read_from_the_message() {
        let message = "Error, too many requests. Please slow down. You must wait 12 seconds before trying this endpoint again. [error-too-many-requests]";
        assert_eq!(wait_in_message(message), Some(Duration::from_secs(12)));
        assert_eq!(wait_in_message("please wait"), None);
    }
}
