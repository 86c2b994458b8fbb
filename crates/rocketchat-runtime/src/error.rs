use crate::RateLimit;
use http::StatusCode;
use std::fmt;

/// Everything that can go wrong with a call.
///
/// Match on the variant for the class of failure, or use the accessors ([`Error::status`],
/// [`Error::error_type`], [`Error::message`], [`Error::rate_limit`]) across variants.
/// No variant holds the auth token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the call with a failure body (`{"success": false, "error": ...}`),
    /// usually with status 400; 500 and 503 use the same shape.
    Api(Box<ApiError>),
    /// 401: not logged in, the user id and token do not match, or (from login) the user name
    /// and password do not.
    Unauthorized(Box<ApiError>),
    /// 403: the user lacks a permission the call needs.
    Forbidden(Box<ApiError>),
    /// 429: too many calls; [`ApiError::rate_limit`] says when the window resets.
    RateLimited(Box<ApiError>),
    /// Any other failing status whose body is not a Rocket.Chat failure body, such as a plain
    /// text 404 or an HTML page from a proxy.
    Status(Box<ApiError>),
    /// A success status with a body that does not decode as the documented type.
    Decode {
        status: StatusCode,
        /// The first bytes of the body, as text, for diagnosis. Not in the `Display` text:
        /// bodies of some endpoints (login, tokens) hold secrets of their own.
        body_start: String,
        source: serde_json::Error,
    },
    /// The response body was larger than the configured limit.
    BodyTooLarge { status: StatusCode, limit: usize },
    /// The request did not complete within the configured timeout.
    Timeout { endpoint: Box<Endpoint> },
    /// The request could not be sent or the response not read (connection refused, TLS,
    /// connection closed early, ...).
    Transport { endpoint: Box<Endpoint>, source: reqwest::Error },
    /// The response body could not be read (the blocking transport reports this apart).
    BodyRead(std::io::Error),
    /// The request body could not be encoded as JSON.
    Encode(Box<dyn std::error::Error + Send + Sync>),
    /// A value the spec says the server rejects (an empty list that must not be empty, a
    /// repeated item, a number out of range, ...). The request was not sent.
    InvalidRequest(Box<crate::validate::InvalidRequest>),
    /// The server asked for a second factor and accepted none: the handler gave up, or the
    /// codes ran out. Without a handler, the challenge is an [`Error::Api`] (or, from login,
    /// [`Error::Unauthorized`]) with the code `totp-required`.
    TwoFactor(Box<crate::two_factor::TwoFactorError>),
    /// Refused before sending: the spec says the server's version does not have the operation
    /// (see `TransportBuilder::check_server_version`).
    UnsupportedByServer {
        operation: &'static str,
        /// As the server reported it: `major.minor` to most users, the full version to admins.
        server_version: String,
        added_in: Option<&'static str>,
        removed_in: Option<&'static str>,
    },
    /// The client was configured wrongly, such as with a base URL that is not absolute.
    Config(String),
}

// Written out rather than derived: the runtime is in every client's build, and a derive crate
// is two more crates to compile for ten lines of messages.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A challenge nothing answered: a right password gets one too, so "check the
        // credentials" would mislead.
        if let Self::Api(error) | Self::Unauthorized(error) = self
            && let Some(refused) = error.two_factor_code_refused()
        {
            return match refused {
                false => write!(
                    f,
                    "the server asks for a two-factor code (give the transport a `two_factor_handler`, or the \
                     client one code with `with_two_factor`): {error}"
                ),
                true => write!(
                    f,
                    "the server refused the two-factor code (wrong or expired; a `two_factor_handler` is asked \
                     again): {error}"
                ),
            };
        }
        match self {
            Self::Api(error) => write!(f, "the server refused the call: {error}"),
            Self::Unauthorized(error) => write!(
                f,
                "not authorized (check the credentials: the user id and token, or the user name and password): {error}"
            ),
            Self::Forbidden(error) => write!(f, "forbidden (the user lacks a permission): {error}"),
            Self::RateLimited(error) => write!(f, "rate limited: {error}"),
            Self::Status(error) => write!(f, "unexpected response: {error}"),
            Self::Decode { status, source, .. } => write!(f, "could not decode the {status} response body: {source}"),
            Self::BodyTooLarge { status, limit } => {
                write!(f, "the {status} response body exceeds the limit of {limit} bytes")
            }
            Self::Timeout { endpoint } => write!(f, "{endpoint}: no response within the timeout"),
            Self::Transport { endpoint, source } => write!(f, "{endpoint}: transport error: {}", with_causes(source)),
            Self::BodyRead(error) => write!(f, "could not read the response body: {error}"),
            Self::Encode(error) => write!(f, "could not encode the request body: {error}"),
            Self::InvalidRequest(error) => write!(f, "{error}"),
            Self::TwoFactor(error) => write!(f, "{error}"),
            Self::UnsupportedByServer { operation, server_version, added_in, removed_in } => write!(
                f,
                "{operation} is not available on this server (version {server_version}): {}",
                version_span(*added_in, *removed_in)
            ),
            Self::Config(message) => write!(f, "invalid configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decode { source, .. } => Some(source),
            Self::Transport { source, .. } => Some(source),
            Self::BodyRead(error) => Some(error),
            Self::Encode(error) => Some(error.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// The HTTP status of the response, where there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Decode { status, .. } | Self::BodyTooLarge { status, .. } => Some(*status),
            Self::Transport { source, .. } => source.status(),
            _ => self.api_error().map(|error| error.status),
        }
    }

    /// The server's failure details, for the variants that carry them.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error)
            | Self::Unauthorized(error)
            | Self::Forbidden(error)
            | Self::RateLimited(error)
            | Self::Status(error) => Some(error),
            Self::TwoFactor(failure) => Some(&failure.response),
            _ => None,
        }
    }

    /// The server's error code as it wrote it, such as `error-you-are-last-owner`. The
    /// generated client's `ErrorType::of` reads it as an enum of the codes its spec lists.
    pub fn error_type(&self) -> Option<&str> {
        self.api_error()?.error_type.as_deref()
    }

    /// Whether the server refused the call because the user lacks a permission or role: a
    /// 403, or a failure body with one of the codes Rocket.Chat's handlers send for it, often
    /// with status 400: `error-not-allowed`, `error-not-authorized`,
    /// `error-action-not-allowed`, `error-no-permission-team-channel`, `error-unauthorized`
    /// and `unauthorized`, and `403` (`groups.addAll`'s `Access to Method Forbidden [403]`).
    /// Which of them a call sends differs from endpoint to endpoint and between server
    /// versions; this asks once. Some handlers also answer `error-not-allowed` when the caller
    /// cannot see the room at all (`groups.online`), which this counts too. A 401 (not logged
    /// in) is not a refused permission.
    pub fn is_permission_denied(&self) -> bool {
        const PERMISSION_CODES: &[&str] = &[
            "error-not-allowed",
            "error-not-authorized",
            "error-action-not-allowed",
            "error-no-permission-team-channel",
            "error-unauthorized",
            "unauthorized",
            "403",
        ];
        match self {
            Self::Forbidden(_) => true,
            Self::Api(error) => error.error_type.as_deref().is_some_and(|code| PERMISSION_CODES.contains(&code)),
            _ => false,
        }
    }

    /// The server's error message.
    pub fn message(&self) -> Option<&str> {
        self.api_error()?.message.as_deref()
    }

    /// The rate-limit headers of the response, where it had them.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.api_error()?.rate_limit.as_ref()
    }

    /// For a 429, how long the server asks to wait before calling again: until
    /// `X-RateLimit-Reset`, or the seconds its message names. `None` for other errors, which
    /// are not safe to retry blindly (the call may have taken effect).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        let Self::RateLimited(limited) = self else { return None };
        let from_reset = limited.rate_limit.and_then(|rate_limit| rate_limit.wait_from(std::time::SystemTime::now()));
        let from_message = limited.message.as_deref().and_then(crate::retry::wait_in_message);
        match (from_reset, from_message) {
            // A reset already past means the clocks disagree: trust the server's words, and
            // never retry at once into the same window.
            (Some(wait), message) if wait.is_zero() => Some(message.unwrap_or(std::time::Duration::from_secs(1))),
            (Some(wait), _) => Some(wait),
            (None, message) => message,
        }
    }
}

/// Where a call went: enough for a log line to say which call failed and where to look.
///
/// The URL is the request's without its query string, which can be long. It holds no
/// credentials: the base URL may not carry any, and the token travels in headers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The operation's id, such as `groups.kick`.
    pub operation: &'static str,
    pub method: http::Method,
    pub url: String,
}

impl Endpoint {
    pub(crate) fn new(operation: &'static str, method: http::Method, url: &str) -> Self {
        let url = url.split_once('?').map_or(url, |(path, _)| path).to_owned();
        Self { operation, method, url }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.operation, self.method, self.url)
    }
}

/// A failing response, as the server sent it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    pub status: StatusCode,
    /// The `error` text (or the `message` of older 401 bodies).
    pub message: Option<String>,
    /// The `errorType` code; when the body has none, the code in brackets at the end of the
    /// message (`... [error-too-many-requests]`), or the message itself when it is a bare code
    /// (`team-does-not-exist`).
    pub error_type: Option<String>,
    /// The `details` object, where the server sent one.
    pub details: Option<serde_json::Value>,
    pub rate_limit: Option<RateLimit>,
    /// The body as text (lossy UTF-8), cut at the configured limit for error bodies.
    pub body: String,
}

impl ApiError {
    pub fn new(status: StatusCode, body: String) -> Self {
        Self { status, message: None, error_type: None, details: None, rate_limit: None, body }
    }

    /// For a two-factor challenge, whether it follows a refused code: `totp-required` is
    /// `Some(false)`, `totp-invalid` `Some(true)`; any other failure `None`.
    pub(crate) fn two_factor_code_refused(&self) -> Option<bool> {
        match self.error_type.as_deref()? {
            "totp-required" => Some(false),
            "totp-invalid" => Some(true),
            _ => None,
        }
    }
}

/// Longest stretch of a body that `Display` shows; the whole (capped) body stays in `body`.
const DISPLAY_BODY: usize = 200;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        match (&self.message, &self.error_type) {
            (Some(message), Some(code)) if !message.contains(code.as_str()) => write!(f, ": {message} [{code}]"),
            (Some(message), _) => write!(f, ": {message}"),
            (None, _) if self.body.trim().is_empty() => write!(f, " (empty body)"),
            (None, _) => write!(f, ": {:?}", truncate(self.body.trim(), DISPLAY_BODY)),
        }
    }
}

/// reqwest's own message ("error sending request") hides the cause ("connection refused");
/// the causes are what a person can act on.
fn version_span(added_in: Option<&str>, removed_in: Option<&str>) -> String {
    match (added_in, removed_in) {
        (Some(added), Some(removed)) => format!("it exists from version {added} until before {removed}"),
        (Some(added), None) => format!("it was added in version {added}"),
        (None, Some(removed)) => format!("it was removed in version {removed}"),
        (None, None) => "the spec says so".into(),
    }
}

pub(crate) fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let end = (0..=max).rev().find(|index| text.is_char_boundary(*index)).unwrap_or(0);
    &text[..end]
}

/// The code an error message carries when the body has no `errorType`: a trailing
/// `[code]`, or the whole message when it is a bare code.
pub(crate) fn code_in_message(message: &str) -> Option<&str> {
    let message = message.trim();
    let is_code = |text: &str| {
        !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    if let Some(inner) = message.strip_suffix(']').and_then(|rest| rest.rsplit_once('[')).map(|(_, code)| code) {
        return is_code(inner).then_some(inner);
    }
    is_code(message).then_some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_brackets_or_bare_messages() {
        assert_eq!(code_in_message("Please slow down. [error-too-many-requests]"), Some("error-too-many-requests"));
        assert_eq!(code_in_message("team-does-not-exist"), Some("team-does-not-exist"));
        assert_eq!(code_in_message("Invalid user"), None);
        assert_eq!(code_in_message("see [the docs]"), None);
    }

    #[test]
    fn a_challenge_nothing_answered_says_so_instead_of_blaming_the_credentials() {
        let challenge = |status: u16, code: &str| ApiError {
            error_type: Some(code.into()),
            ..ApiError::new(StatusCode::from_u16(status).unwrap(), String::new())
        };
        let login = Error::Unauthorized(Box::new(challenge(401, "totp-required"))).to_string();
        assert!(login.starts_with("the server asks for a two-factor code (give the transport a"), "{login}");
        assert!(!login.contains("check the credentials"), "{login}");
        let call = Error::Api(Box::new(challenge(400, "totp-invalid"))).to_string();
        assert!(call.starts_with("the server refused the two-factor code (wrong or expired"), "{call}");
        let wrong_password = Error::Unauthorized(Box::new(challenge(401, "error-login-failed"))).to_string();
        assert!(wrong_password.contains("check the credentials"), "{wrong_password}");
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("hello", 10), "hello");
    }
}
